package dev.loggardener.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.priority.Rules;
import dev.loggardener.sink.DuckDbStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After merges, one problem is one row: problems_latest and the report count a fingerprint that
 * merged into another (through a chain of merges) under the surviving id.
 */
class ProblemsLatestTest {
  @TempDir Path dir;

  private static final String FIRST = "0a0a0a0a0a0a0a0a";
  private static final String SECOND = "0b0b0b0b0b0b0b0b";

  /** The fixture, plus two ids that merged into the WebSocket problem: FIRST → SECOND → WS. */
  private Path merged() throws Exception {
    Path db = Fixture.write(dir);
    String ws = "[MAIN MODE] Message loop error: WebSocket is not connected. Need to call <*>";
    DuckDbStore.upsert(
        db.toString(),
        "cluster_windows",
        List.of(
            Fixture.row(FIRST, ws, "P2", "severity", "22:05", 4, 0, "ON_TIME", "x"),
            Fixture.row(SECOND, ws, "P3", "severity", "22:20", 3, 0, "ON_TIME", "y")));
    List<Map<String, Object>> aliases = new ArrayList<>();
    aliases.add(alias(FIRST, SECOND));
    aliases.add(alias(SECOND, Fixture.WS));
    DuckDbStore.upsert(db.toString(), "fingerprint_aliases", aliases);
    DuckDbStore.close(db.toString());
    return db;
  }

  private static Map<String, Object> alias(String alias, String into) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alias", alias);
    m.put("fingerprint", into);
    m.put("template", "merged");
    m.put("recorded_at", Instant.parse("2025-09-14T22:30:00Z"));
    return m;
  }

  @Test
  void aChainOfMergesIsOneProblemPerWindow() throws Exception {
    Path db = merged();
    Map<String, String> rows = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT fingerprint, strftime(window_start, '%H:%M'), entry_count, fingerprints, priority,"
                    + " template FROM problems_latest WHERE fingerprint IN ('"
                    + Fixture.WS
                    + "', '"
                    + FIRST
                    + "', '"
                    + SECOND
                    + "') ORDER BY window_start")) {
      while (r.next()) {
        String fp = r.getString(1).equals(Fixture.WS) ? "WS" : r.getString(1);
        rows.put(
            fp + " " + r.getString(2),
            r.getLong(3) + " " + r.getLong(4) + " " + r.getString(5) + " " + r.getString(6));
      }
    }
    String ws =
        "[MAIN MODE] Message loop error: WebSocket is not connected. Need to call accept first";
    // 22:05: the survivor's 12 and FIRST's 4 (two hops away), the survivor's own template and the
    // highest priority; 22:20: SECOND alone, under the survivor's id.
    assertEquals(
        Map.of(
            "WS 21:45", "20 1 P1 " + ws,
            "WS 22:00", "10 1 P1 " + ws,
            "WS 22:05", "16 2 P1 " + ws,
            "WS 22:10", "30 1 P1 " + ws,
            "WS 22:15", "8 1 P1 " + ws,
            "WS 22:20",
                "3 1 P3 [MAIN MODE] Message loop error: WebSocket is not connected. Need to call"
                    + " <*>"),
        rows);
  }

  @Test
  void theReportListsTheSurvivorOnly() throws Exception {
    Path db = merged();
    String md;
    try (ReportData data = new DuckDbReportData(db)) {
      md =
          Worklog.render(
              data,
              Rules.load(Path.of("config/rules.example.yaml")),
              new Worklog.Scope(
                  Fixture.at("22:00"), Fixture.at("22:25"), null, "DuckDB fixture", 10));
    }
    assertFalse(md.contains(FIRST), md);
    assertFalse(md.contains(SECOND), md);
    assertTrue(md.contains(Fixture.WS), md);
  }
}
