package dev.loggardener.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL in the middle of DuckDB writes leaves a file that opens and holds exactly the
 * transactions that committed: a child process writes bundles of {@link #ROWS} rows, one
 * transaction each, and says so after each commit; it is killed while writing the next, twice, at
 * different points.
 */
class DuckDbCrashTest {
  static final int ROWS = 500;

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void aKilledWriterLeavesOnlyWholeTransactions() throws Exception {
    String db = dir.resolve("g.duckdb").toString();
    long committed = 0;
    for (int round = 0; round < 2; round++) {
      Process writer =
          new ProcessBuilder(
                  "java",
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  Writer.class.getName(),
                  db,
                  String.valueOf(round))
              .redirectErrorStream(true)
              .start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
      int said = 0;
      String line;
      while (said < 5 + round * 7 && (line = out.readLine()) != null) {
        assertTrue(line.startsWith("committed "), line);
        said++;
      }
      writer.destroyForcibly(); // SIGKILL: no shutdown hook, no checkpoint
      assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
      committed += said;

      try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
          Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT count(*), coalesce(sum(entry_count), 0), count(DISTINCT pane_index)"
                      + " FROM cluster_windows")) {
        r.next();
        long rows = r.getLong(1);
        assertEquals(rows, r.getLong(2));
        assertEquals(0, rows % ROWS, rows + " rows: a transaction was cut in half");
        assertEquals(rows / ROWS, r.getLong(3), "every transaction is whole");
        assertTrue(rows / ROWS >= committed, rows + " rows after " + committed + " commits");
        // The transaction in flight may have committed just before the kill.
        assertTrue(rows / ROWS <= committed + 1, rows + " rows after " + committed + " commits");
        committed = rows / ROWS;
      }
    }
  }

  /** Writes transactions of {@link #ROWS} rows until killed, saying so after each commit. */
  public static final class Writer {
    public static void main(String[] args) throws Exception {
      String db = args[0];
      int round = Integer.parseInt(args[1]);
      for (int txn = 0; ; txn++) {
        List<Map<String, Object>> rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
          rows.add(row(round, txn, i));
        }
        DuckDbStore.upsert(db, TableSchemas.CLUSTER_WINDOWS, rows);
        System.out.println("committed " + txn);
        System.out.flush();
      }
    }

    static Map<String, Object> row(int round, int txn, int i) {
      Instant start = Instant.parse("2025-09-14T22:00:00Z");
      Map<String, Object> m = new HashMap<>();
      m.put("fingerprint", String.format("%016x", i));
      m.put("template", "Failed to connect to redis at <ip>:6379 " + "x".repeat(200));
      m.put("service", "web-backend");
      m.put("source_lines", List.of());
      m.put("revisions", List.of());
      m.put("severity", "ERROR");
      m.put("priority", "P1");
      m.put("category", "Infrastructure");
      m.put("rule", "redis-down");
      m.put("entry_count", 1L);
      m.put("first_seen", start);
      m.put("last_seen", start);
      m.put("window_start", start);
      m.put("window_end", start.plusSeconds(300));
      m.put("pane_timing", "EARLY");
      m.put("pane_index", txn * 2L + round); // rounds never share a pane
      m.put("is_final", false);
      m.put("samples", List.of());
      m.put("distinct_users", 0L);
      m.put("distinct_traces", 0L);
      m.put("trace_ids", List.of());
      m.put("run_id", "crash-test");
      m.put("attempt", 1L);
      return m;
    }
  }
}
