package dev.loggardener.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.cli.Gardener;
import dev.loggardener.priority.Rules;
import dev.loggardener.sink.SqlTexts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @TempDir Path dir;

  static final Path GOLDEN = Path.of("src/test/resources/report/worklog.golden.md");

  private String render(Path db, String from, String to) throws Exception {
    try (ReportData data = new DuckDbReportData(db)) {
      return Worklog.render(
          data,
          Rules.load(Path.of("config/rules.example.yaml")),
          new Worklog.Scope(
              Fixture.at(from), Fixture.at(to), null, "DuckDB " + db.getFileName(), 10));
    }
  }

  @Test
  void theFixtureGivesTheGoldenWorklog() throws Exception {
    Path db = Fixture.write(dir);
    String report = render(db, "22:00", "22:20");
    Path actual = Path.of("target/worklog.actual.md");
    Files.createDirectories(actual.getParent());
    Files.writeString(actual, report, StandardCharsets.UTF_8);
    assertEquals(
        Files.readString(GOLDEN, StandardCharsets.UTF_8),
        report,
        "differs from " + GOLDEN + "; this run's report is in " + actual);
  }

  @Test
  void theSameDataGivesTheSameBytes() throws Exception {
    Path db = Fixture.write(dir);
    byte[] a = render(db, "22:00", "22:20").getBytes(StandardCharsets.UTF_8);
    byte[] b = render(db, "22:00", "22:20").getBytes(StandardCharsets.UTF_8);
    assertEquals(new String(a, StandardCharsets.UTF_8), new String(b, StandardCharsets.UTF_8));
    assertTrue(new String(a, StandardCharsets.UTF_8).contains("🟠 P1"), "UTF-8 intact");
  }

  @Test
  void whatTheWorklogSays() throws Exception {
    String r = render(Fixture.write(dir), "22:00", "22:20");
    // The latest pane counts (30, not the early 9), and the period before gives the trend.
    assertTrue(r.contains("- **Entries analysed:** 76 in 4 clusters"), r);
    assertTrue(r.contains("| 60 | 4 | continuous | 20 | ▲ +200% |"), r);
    assertTrue(r.contains("- **Regressed:** Error sending unknown message ack"), r);
    assertTrue(r.contains("[#7](https://github.com/netra-systems/netra-apex/issues/7)"), r);
    assertTrue(
        r.contains(
            "- **Dead letters in this range:** 2 (bad_severity 1, too_large 1); and 1 (not_json 1)"
                + " with no time of their own"),
        r);
    assertTrue(r.contains("Investigate the WebSocket accept"), "the rule's action: " + r);
    assertTrue(r.contains("xychart-beta"));
    assertTrue(r.contains("shared trace id"), "WebSocket and ack errors share a trace: " + r);
    // Log text stays inert outside code blocks.
    String outside = r.replaceAll("(?s)```json\n.*?\n```", "");
    assertFalse(outside.contains("@oncall"), outside);
    assertFalse(outside.contains("<b>"), outside);
    assertTrue(
        r.contains("\"message\" : \"Error sending unknown message ack to <*>: @oncall"),
        "kept as it is inside the code block");
  }

  @Test
  void anEmptyRangeIsAShortReportAndExitZero() throws Exception {
    Path db = Fixture.write(dir);
    String r = render(db, "10:00", "11:00");
    assertTrue(r.contains("## No issues found"), r);
    assertFalse(r.contains("## Executive summary"));

    StringWriter out = new StringWriter();
    int code =
        run(
            out,
            "report",
            "--duckdb",
            db.toString(),
            "--from",
            "2025-09-14T10:00:00Z",
            "--to",
            "2025-09-14T11:00:00Z");
    assertEquals(0, code);
    assertTrue(out.toString().contains("No issues found"));
  }

  @Test
  void theCommandWritesTheFileAndAMissingDatabaseIsAnError() throws Exception {
    Path db = Fixture.write(dir);
    Path md = dir.resolve("worklog.md");
    assertEquals(
        0,
        run(
            new StringWriter(),
            "report",
            "--duckdb",
            db.toString(),
            "--since",
            "20m",
            "--out",
            md.toString()));
    String written = Files.readString(md, StandardCharsets.UTF_8);
    assertTrue(written.contains("2025-09-14 22:00:00 UTC to 2025-09-14 22:20:00 UTC"), written);

    StringWriter err = new StringWriter();
    CommandCapture c = new CommandCapture();
    int code = c.run("report", "--duckdb", dir.resolve("nope.duckdb").toString());
    assertEquals(1, code);
    assertTrue(c.err.toString().contains("no database at"), c.err.toString());
    assertFalse(Files.exists(dir.resolve("nope.duckdb")), "must not create an empty database");
  }

  @Test
  void relationshipsFromSharedTracesRequestsAndUsers() {
    String a = "{\"timestamp\":\"2025-09-14T22:00:01Z\",\"trace\":\"projects/p/traces/r1\"}";
    String b = "{\"timestamp\":\"2025-09-14T22:00:03Z\",\"trace\":\"projects/p/traces/r1\"}";
    String c =
        "{\"timestamp\":\"2025-09-14T22:00:02Z\",\"labels\":{\"user_id\":\"u_0123456789abcdef\"}}";
    String d =
        "{\"timestamp\":\"2025-09-14T22:00:04Z\",\"labels\":{\"user_id\":\"u_0123456789abcdef\"}}";
    String far = "{\"timestamp\":\"2025-09-14T23:00:00Z\",\"trace\":\"projects/p/traces/r1\"}";
    List<Relationships.Link> links =
        Relationships.find(
            List.of(
                new Relationships.Facts("A", Set.of("t1", "t2"), List.of()),
                new Relationships.Facts("B", Set.of("t2"), List.of()),
                new Relationships.Facts("C", Set.of(), List.of(a)),
                new Relationships.Facts("D", Set.of(), List.of(b)),
                new Relationships.Facts("E", Set.of(), List.of(c)),
                new Relationships.Facts("F", Set.of(), List.of(d)),
                new Relationships.Facts("G", Set.of(), List.of(far))));
    Map<String, String> found = new TreeMap<>();
    links.forEach(l -> found.put(l.a() + l.b(), l.evidence()));
    assertEquals(Set.of("AB", "CD", "EF"), found.keySet(), found.toString());
    assertTrue(found.get("AB").startsWith("1 shared trace id"));
    assertTrue(found.get("CD").startsWith("same request"));
    assertTrue(found.get("EF").startsWith("same user"));
  }

  /** Through `gardener sql NAME`, as the README has a user run them. */
  @Test
  void everyAnalystQueryRunsOnDuckDb() throws Exception {
    Path db = Fixture.write(dir);
    Map<String, Integer> rows = new TreeMap<>();
    for (String name : SqlTexts.ANALYST) {
      CommandCapture c = new CommandCapture();
      assertEquals(0, c.run("sql", "--duckdb", db.toString(), name), c.err.toString());
      Matcher m = Pattern.compile("\\((\\d+) rows?\\)\\s*$").matcher(c.out.toString());
      assertTrue(m.find(), c.out.toString());
      rows.put(name, Integer.parseInt(m.group(1)));
    }
    assertEquals(
        Map.of(
            "top_clusters_24h", 4,
            "new_clusters", 4,
            "regressions", 1,
            "trend_per_fingerprint", 9,
            "dead_letters_by_reason", 3,
            "github_actions", 3),
        rows);
  }

  private static int run(StringWriter out, String... args) {
    var cl = Gardener.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(new StringWriter(), true));
    return cl.execute(args);
  }

  private static final class CommandCapture {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
      var cl = Gardener.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      return cl.execute(args);
    }
  }
}
