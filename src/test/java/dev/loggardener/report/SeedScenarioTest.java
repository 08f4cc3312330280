package dev.loggardener.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loggardener.cli.Gardener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's own incident through the whole product: an hour of netra-backend-staging made from the
 * seed's five representative entries (src/test/resources/seed/representative.jsonl), in which every
 * message-ack error follows a WebSocket error in the same request, as in the seed; then {@code
 * gardener run} and {@code gardener report} as on-call runs them. The worklog must find what the
 * person who wrote the seed found.
 */
class SeedScenarioTest {
  @TempDir static Path dir;
  static String report;

  /** Entries per 5-minute window of each seed cluster, in the seed's order. */
  static final int[] PER_WINDOW = {20, 10, 8, 6, 2};

  static final int WINDOWS = 12;

  @BeforeAll
  static void runTheIncident() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<String> seed =
        Files.readAllLines(
            Path.of("src/test/resources/seed/representative.jsonl"), StandardCharsets.UTF_8);
    Random random = new Random(7);
    Instant start = Instant.parse("2025-09-14T22:00:00Z");
    StringBuilder lines = new StringBuilder();
    int id = 0;
    for (int w = 0; w < WINDOWS; w++) {
      List<String> wsTraces = new ArrayList<>();
      for (int k = 0; k < PER_WINDOW.length; k++) {
        for (int i = 0; i < PER_WINDOW[k]; i++) {
          ObjectNode e = (ObjectNode) json.readTree(seed.get(k));
          Instant at = start.plusSeconds(w * 300L + random.nextInt(290));
          String trace =
              String.format(Locale.ROOT, "%016x%016x", random.nextLong(), random.nextLong());
          if (k == 0) {
            wsTraces.add(trace);
          } else if (k == 2) {
            // The ack error of a connection whose message loop just failed: same request.
            trace = wsTraces.get(i);
          }
          e.put("insertId", "seed-" + id++);
          e.put("timestamp", at.toString());
          e.put("logName", "projects/netra-staging/logs/run.googleapis.com%2Fstderr");
          e.put("trace", "projects/netra-staging/traces/" + trace);
          ObjectNode resource = e.putObject("resource");
          resource.put("type", "cloud_run_revision");
          resource
              .putObject("labels")
              .put("service_name", "netra-backend-staging")
              .put("revision_name", "netra-backend-staging-00590-abc")
              .put("project_id", "netra-staging");
          lines.append(json.writeValueAsString(e)).append('\n');
        }
      }
    }
    // What a sink also delivers: an entry with a severity nobody knows, and a line cut short.
    lines.append(
        "{\"insertId\":\"bad-1\",\"timestamp\":\"2025-09-14T22:31:00Z\",\"severity\":\"LOUD\","
            + "\"textPayload\":\"x\"}\n");
    lines.append("{\"insertId\":\"bad-2\",\"timest\n");
    Path input = dir.resolve("incident.jsonl");
    Files.writeString(input, lines, StandardCharsets.UTF_8);
    Path db = dir.resolve("seed.duckdb");
    assertEquals(
        0,
        gardener("run", "--input=" + input, "--rules=config/rules.example.yaml", "--duckdb=" + db),
        "gardener run");
    StringWriter out = new StringWriter();
    var cl = Gardener.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    assertEquals(
        0,
        cl.execute(
            "report",
            "--duckdb",
            db.toString(),
            "--rules",
            "config/rules.example.yaml",
            "--service",
            "netra-backend-staging",
            "--clusters",
            "5"));
    report = out.toString();
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/seed-scenario.md"), report, StandardCharsets.UTF_8);
  }

  private static int gardener(String... args) {
    var cl = Gardener.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  @Test
  void theSeedsFiveClustersWithItsPriorities() {
    long total = 0;
    for (int n : PER_WINDOW) {
      total += (long) n * WINDOWS;
    }
    assertTrue(
        report.contains("- **Entries analysed:** " + total + " in 5 clusters"),
        "see target/seed-scenario.md");
    String[][] expected = {
      {"[MAIN MODE] Message loop error", "P1"},
      {"SSOT validation issues (non-blocking)", "P2"},
      {"Error sending unknown message ack to", "P2"},
      {"Session access failed (…): SessionMiddleware", "P3"},
      {"Created user … from JWT=…", "P4"}
    };
    String table = report.substring(report.indexOf("## Frequency analysis"));
    for (String[] e : expected) {
      String row = rowOf(table, markdown(e[0]));
      assertTrue(row.contains(" | " + e[1] + " | "), e[0] + ": " + row);
      // In all 12 windows of the hour with data: continuous, not "intermittent" of a 24 h range.
      assertTrue(row.contains(" | 12 | continuous |"), row);
    }
  }

  @Test
  void theWebSocketAndAckErrorsAreLinkedByTheirSharedRequests() {
    String links = report.substring(report.indexOf("## Cross-cluster relationships"));
    String line = rowOf(links, "Message loop error");
    assertTrue(line.contains("Error sending unknown message ack"), line);
    assertTrue(line.contains("shared trace id"), line);
    assertTrue(
        line.contains("https://console.cloud.google.com/traces/list?tid="), "Cloud Trace: " + line);
  }

  @Test
  void deadLettersCountByTheEntrysTimeNotTheRunsClock() {
    assertTrue(
        report.contains(
            "- **Dead letters in this range:** 1 (bad_severity 1); and 1 (truncated_json 1) with"
                + " no time of their own"),
        header());
  }

  @Test
  void unknownUsersAreSaidToBeUnknown() {
    assertFalse(report.contains("up to 0 distinct users"), "see target/seed-scenario.md");
    assertTrue(report.contains("users unknown"));
  }

  @Test
  void samplesAreCollapsedWithTheirMessageInSight() {
    assertTrue(
        report.contains(
            "<summary>Representative entry (redacted): \\[MAIN MODE\\] Message loop error:"
                + " WebSocket is not connected."),
        "see target/seed-scenario.md");
    long lines = report.lines().count();
    long inside = 0;
    boolean open = false;
    for (String l : (Iterable<String>) report.lines()::iterator) {
      open = l.equals("<details>") || (open && !l.equals("</details>"));
      inside += open ? 1 : 0;
    }
    assertTrue(inside > lines / 3, "the samples are most of the lines, and all collapsed");
  }

  @Test
  void eachClusterLinksItsEntriesInCloudLogging() {
    Matcher m =
        Pattern.compile(
                "\\(https://console\\.cloud\\.google\\.com/logs/query;query=[^)]*;timeRange="
                    + "2025-09-14T22:[0-9:.]+Z%2F2025-09-14T23:00:00Z\\?project=netra-staging\\)")
            .matcher(report);
    int links = 0;
    while (m.find()) {
      links++;
    }
    assertEquals(5, links, "see target/seed-scenario.md");
    assertTrue(report.contains("- First seen in revision: netra-backend-staging-00590-abc"));
  }

  private static String header() {
    return report.substring(0, report.indexOf("## Executive summary"));
  }

  /** The line of {@code text} that contains {@code needle}. */
  private static String rowOf(String text, String needle) {
    return text.lines()
        .filter(l -> l.contains(needle))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line with " + needle + " in\n" + text));
  }

  /** How Inert writes a name in Markdown: brackets and parentheses escaped. */
  private static String markdown(String name) {
    return name.replace("[", "\\[").replace("]", "\\]").replace("(", "\\(").replace(")", "\\)");
  }
}
