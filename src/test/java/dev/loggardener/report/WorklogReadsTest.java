package dev.loggardener.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.priority.Rules;
import dev.loggardener.sink.DuckDbStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What on-call found wrong or misleading in the worklog, each as it reads now. */
class WorklogReadsTest {
  @TempDir Path dir;

  private static String render(Path db, Rules rules, Worklog.Scope scope) throws Exception {
    try (ReportData data = new DuckDbReportData(db)) {
      return Worklog.render(data, rules, scope);
    }
  }

  private static Worklog.Scope scope(String from, String to, String service, String repoUrl) {
    return new Worklog.Scope(
        Instant.parse(from), Instant.parse(to), service, "DuckDB fixture", 10, repoUrl);
  }

  private static final Rules EXAMPLE = Rules.load(Path.of("config/rules.example.yaml"));

  private static String section(String report, String heading) {
    int at = report.indexOf(heading);
    int next = report.indexOf("\n## ", at + heading.length());
    return report.substring(at, next < 0 ? report.length() : next);
  }

  @Test
  void namesAreWordsNotCutTemplates() {
    assertEquals(
        "\\[MAIN MODE\\] Message loop error", Worklog.name("[MAIN MODE] Message loop error: <*>."));
    assertEquals(
        "Error sending unknown message ack to …",
        Worklog.rawName("Error sending unknown message ack to <*>:"));
    String user =
        "[🔑] USER <*>: Created user <*> from JWT=<*> (env: staging, user_id: <*>, demo_mode: <*>,"
            + " domain: <*>, domain_type: unknown)";
    String name = Worklog.rawName(user);
    assertFalse(name.contains("<*>"), name);
    assertTrue(name.length() <= Worklog.NAME_CHARS + 1, name);
    String whole = user.replace("<*>", "…");
    String kept = name.substring(0, name.length() - 1);
    assertTrue(whole.startsWith(kept), name);
    assertTrue(
        whole.charAt(kept.length()) == ' ' || whole.charAt(kept.length()) == ',',
        "cut between words: " + name);
    assertEquals(
        "psycopg2.OperationalError: connection to server at…",
        Worklog.rawName(
                "Traceback (most recent call last):\n  File \"/app/orders/db.py\", line 88, in"
                    + " fetch_orders\n    rows = cursor.execute(query, params)\n"
                    + "psycopg2.OperationalError: connection to server at \"<*>\", port 5432 failed: <*>")
            .replace("\"", ""));
  }

  @Test
  void aRegressionIsNotAlsoNew() throws Exception {
    String r =
        render(
            Fixture.write(dir),
            EXAMPLE,
            scope("2025-09-14T22:00:00Z", "2025-09-14T22:20:00Z", null, null));
    String fresh =
        r.lines().filter(l -> l.startsWith("- **New in this range:**")).findFirst().orElseThrow();
    String regressed =
        r.lines().filter(l -> l.startsWith("- **Regressed:**")).findFirst().orElseThrow();
    assertTrue(regressed.contains(Fixture.ACK), regressed);
    assertFalse(fresh.contains(Fixture.ACK), fresh);
  }

  @Test
  void theGitHubSectionFollowsTheServiceFilter() throws Exception {
    Path db = Fixture.write(dir);
    Map<String, Object> other =
        Fixture.row(
            "0123456789abcdef",
            "Disk quota exceeded on <*>",
            "P2",
            "severity",
            "22:05",
            4,
            0,
            "ON_TIME",
            "{}");
    other.put("service", "billing-worker");
    DuckDbStore.upsert(db.toString(), "cluster_windows", List.of(other));
    Map<String, Object> sync = new LinkedHashMap<>();
    sync.put("synced_at", Fixture.at("22:07"));
    sync.put("fingerprint", "0123456789abcdef");
    sync.put("window_start", Fixture.at("22:05"));
    sync.put("pane_index", 0L);
    sync.put("priority", "P2");
    sync.put("action", "created");
    sync.put("issue_number", 41L);
    sync.put("url", "https://github.com/netra-systems/netra-apex/issues/41");
    sync.put("detail", "GCP-other-P2-Disk quota exceeded");
    DuckDbStore.upsert(db.toString(), "github_sync", List.of(sync));
    DuckDbStore.close(db.toString());

    String all =
        render(db, EXAMPLE, scope("2025-09-14T22:00:00Z", "2025-09-14T22:20:00Z", null, null));
    assertTrue(section(all, "## GitHub issues processed").contains("#41"));
    String one =
        render(
            db,
            EXAMPLE,
            scope("2025-09-14T22:00:00Z", "2025-09-14T22:20:00Z", "netra-backend-staging", null));
    String github = section(one, "## GitHub issues processed");
    assertFalse(github.contains("#41"), github);
    assertTrue(github.contains("#7"), github);
  }

  @Test
  void recommendedActionsAreALineEach() throws Exception {
    Path db = Fixture.write(dir);
    List<Map<String, Object>> many = new ArrayList<>();
    for (int i = 0; i < 14; i++) {
      many.add(
          Fixture.row(
              String.format("%016x", 0xabc000L + i),
              "Unhandled failure number " + i + " in worker <*>",
              "P2",
              "severity",
              "22:05",
              3,
              0,
              "ON_TIME",
              "{}"));
    }
    DuckDbStore.upsert(db.toString(), "cluster_windows", many);
    DuckDbStore.close(db.toString());
    String actions =
        section(
            render(
                db,
                Rules.bundled(),
                scope("2025-09-14T22:00:00Z", "2025-09-14T22:20:00Z", null, null)),
            "## Recommended actions");
    for (String line : actions.lines().toList()) {
      assertTrue(line.length() < 200, "one cluster a line: " + line);
    }
    assertTrue(actions.contains("  - Unhandled failure number 3 in worker …\n"), actions);
    assertTrue(
        actions.contains("  - and "), "at most " + Worklog.ACTIONS_LISTED + " listed: " + actions);
  }

  @Test
  void aSingleWindowIsABarAndDaysDoNotCrowdTheAxis() throws Exception {
    Path db = Fixture.write(dir);
    String one =
        section(
            render(db, EXAMPLE, scope("2025-09-14T22:15:00Z", "2025-09-14T22:20:00Z", null, null)),
            "## Frequency analysis");
    assertTrue(one.contains("  bar ["), one);
    assertFalse(one.contains("  line ["), one);

    List<Map<String, Object>> days = new ArrayList<>();
    for (String day : List.of("2025-09-12", "2025-09-13")) {
      Map<String, Object> r =
          Fixture.row(
              Fixture.WS,
              "[MAIN MODE] Message loop error: <*>",
              "P1",
              "websocket-connection",
              "22:00",
              5,
              0,
              "ON_TIME",
              "{}");
      Instant start = Instant.parse(day + "T22:00:00Z");
      r.put("window_start", start);
      r.put("window_end", start.plusSeconds(300));
      r.put("first_seen", start.plusSeconds(5));
      r.put("last_seen", start.plusSeconds(290));
      days.add(r);
    }
    DuckDbStore.upsert(db.toString(), "cluster_windows", days);
    DuckDbStore.close(db.toString());
    String three =
        section(
            render(db, EXAMPLE, scope("2025-09-12T00:00:00Z", "2025-09-15T00:00:00Z", null, null)),
            "## Frequency analysis");
    assertFalse(three.contains("x-axis ["), "no category per window over three days: " + three);
    assertTrue(three.contains("x-axis \"hours from 09-12 22:00 UTC\" 0 --> "), three);
    // One chart per cluster, titled with its name: xychart has no legend.
    assertTrue(three.contains("title \"MAIN MODE Message loop error"), three);
    assertEquals(4, three.split("```mermaid").length - 1, three);
  }

  @Test
  void aTraceWithoutAModuleNamesItsTopFrameAndLinksTheSource() throws Exception {
    String trace =
        "java.lang.IllegalStateException: Session <*> not found in store\n"
            + "\tat com.example.auth.SessionStore.get(SessionStore.java:142)\n"
            + "\tat org.eclipse.jetty.servlet.FilterHolder.doFilter(FilterHolder.java:193)";
    String report = reportOfTrace("fedcba9876543210", trace, 6);
    String cluster = report.substring(report.indexOf("- **Fingerprint:** `fedcba9876543210`"));
    assertTrue(cluster.contains("- Module: com/example/auth/SessionStore.java\n"), cluster);
    assertTrue(cluster.contains("- Function: com.example.auth.SessionStore.get\n"), cluster);
    assertTrue(
        cluster.contains(
            "- Source lines: 142 ([source](https://github.com/acme/auth/blob/main/com/example/auth/SessionStore.java#L142))"),
        cluster);
  }

  @Test
  void aTracesPathCannotClimbOutOfTheRepositorysUrl() throws Exception {
    String trace =
        "Traceback (most recent call last):\n"
            + "  File \"/app/../../../../evil/phish/blob/main/x.py\", line 7, in run\n"
            + "ValueError: bad";
    String report = reportOfTrace("0fedcba987654321", trace, 2);
    assertTrue(
        report.contains("(https://github.com/acme/auth/blob/main/evil/phish/blob/main/x.py#L7)"),
        report);
    assertFalse(report.contains("blob/main/.."), report);
  }

  /**
   * The report of one P2 cluster whose only source is its stack trace (no module, function or
   * source lines), with source links to github.com/acme/auth.
   */
  private String reportOfTrace(String fingerprint, String trace, int count) throws Exception {
    Path db = Fixture.write(dir);
    Map<String, Object> r =
        Fixture.row(fingerprint, trace, "P2", "severity", "22:05", count, 0, "ON_TIME", "{}");
    r.put("module", null);
    r.put("function", null);
    r.put("source_lines", List.of());
    DuckDbStore.upsert(db.toString(), "cluster_windows", List.of(r));
    DuckDbStore.close(db.toString());
    String report =
        render(
            db,
            EXAMPLE,
            scope(
                "2025-09-14T22:00:00Z",
                "2025-09-14T22:20:00Z",
                null,
                "https://github.com/acme/auth/blob/main"));
    return report;
  }
}
