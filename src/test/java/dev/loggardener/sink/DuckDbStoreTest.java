package dev.loggardener.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DuckDB file: its writes, and files of earlier versions. */
class DuckDbStoreTest {
  @TempDir Path dir;

  @Test
  void aFileWrittenBeforeRunIdsKeepsItsRowsAsOneRun() throws Exception {
    String db = dir.resolve("old.duckdb").toString();
    // cluster_windows as the version before run ids made it, with one row.
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement()) {
      StringBuilder ddl = new StringBuilder("CREATE TABLE cluster_windows (");
      for (TableSchemas.Column col : TableSchemas.columns(TableSchemas.CLUSTER_WINDOWS)) {
        if (!col.name().equals("run_id") && !col.name().equals("attempt")) {
          ddl.append(col.name()).append(' ').append(TableSchemas.duckDbType(col)).append(", ");
        }
      }
      s.execute(ddl + "PRIMARY KEY (fingerprint, window_start, pane_index))");
      s.execute(
          "INSERT INTO cluster_windows (fingerprint, template, service, severity, priority,"
              + " category, rule, entry_count, first_seen, last_seen, window_start, window_end,"
              + " pane_timing, pane_index, is_final, distinct_users, distinct_traces) VALUES"
              + " ('9a1b2c3d4e5f6071', 'Failed <*>', 'web', 'ERROR', 'P1', 'Infra', 'r', 7,"
              + " TIMESTAMP '2025-09-14 22:01:00', TIMESTAMP '2025-09-14 22:02:00',"
              + " TIMESTAMP '2025-09-14 22:00:00', TIMESTAMP '2025-09-14 22:05:00', 'ON_TIME', 0,"
              + " true, 0, 0)");
    }
    try {
      Connection c = DuckDbStore.connection(db);
      try (Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT run_id, attempt, entry_count FROM cluster_windows"
                      + " UNION ALL SELECT 'view', 0, sum(entry_count) FROM clusters_latest")) {
        r.next();
        assertEquals(
            "before-run-ids 0 7", r.getString(1) + " " + r.getLong(2) + " " + r.getLong(3));
        r.next();
        assertEquals(7, r.getLong(3));
      }
    } finally {
      DuckDbStore.close(db);
    }
  }

  /** A cluster row of one run and attempt, as WriteTable hands it to the sink. */
  private static Map<String, Object> row(String runId, long attempt, String fp, long count) {
    Map<String, Object> r = new HashMap<>();
    r.put("run_id", runId);
    r.put("attempt", attempt);
    r.put("fingerprint", fp);
    r.put("template", "Failed to charge card <*>");
    r.put("service", "checkout");
    r.put("severity", "ERROR");
    r.put("priority", "P2");
    r.put("category", "Payments");
    r.put("rule", "severity");
    r.put("entry_count", count);
    r.put("first_seen", Instant.parse("2025-09-14T22:01:00Z"));
    r.put("last_seen", Instant.parse("2025-09-14T22:02:00Z"));
    r.put("window_start", Instant.parse("2025-09-14T22:00:00Z"));
    r.put("window_end", Instant.parse("2025-09-14T22:05:00Z"));
    r.put("pane_timing", "ON_TIME");
    r.put("pane_index", 0L);
    r.put("is_final", true);
    r.put("samples", List.of("{\"textPayload\":\"Failed to charge card 4f2a\"}"));
    r.put("distinct_users", 0L);
    r.put("distinct_traces", 0L);
    return r;
  }

  private String rows(String db) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Statement s = DuckDbStore.connection(db).createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT run_id, attempt, fingerprint, entry_count FROM cluster_windows"
                    + " ORDER BY run_id, attempt, fingerprint")) {
      while (r.next()) {
        out.append(r.getString(1))
            .append('/')
            .append(r.getLong(2))
            .append(' ')
            .append(r.getString(3))
            .append('=')
            .append(r.getLong(4))
            .append('\n');
      }
    }
    return out.toString();
  }

  @Test
  void aRowWrittenAgainReplacesItsFirstWrite() throws Exception {
    String db = dir.resolve("again.duckdb").toString();
    try {
      DuckDbStore.upsert(
          db,
          TableSchemas.CLUSTER_WINDOWS,
          List.of(row("input-a", 1, "fp-one", 5), row("input-a", 1, "fp-two", 7)));
      // The same pane again (a bundle delivered twice), with one new row.
      DuckDbStore.upsert(
          db,
          TableSchemas.CLUSTER_WINDOWS,
          List.of(row("input-a", 1, "fp-two", 9), row("input-a", 1, "fp-three", 1)));
      assertEquals("input-a/1 fp-one=5\ninput-a/1 fp-three=1\ninput-a/1 fp-two=9\n", rows(db));
    } finally {
      DuckDbStore.close(db);
    }
  }

  @Test
  void aWriteThatFailedStillReplacesTheEarlierAttemptWhenWrittenAgain() throws Exception {
    String db = dir.resolve("retry.duckdb").toString();
    try {
      DuckDbStore.upsert(db, TableSchemas.CLUSTER_WINDOWS, List.of(row("input-a", 1, "fp-one", 5)));
      // A re-run (attempt 2) whose first write fails: its delete of attempt 1 is rolled back.
      Map<String, Object> broken = row("input-a", 2, "fp-one", 5);
      broken.remove("template");
      assertThrows(
          SQLException.class,
          () -> DuckDbStore.upsert(db, TableSchemas.CLUSTER_WINDOWS, List.of(broken)));
      assertEquals("input-a/1 fp-one=5\n", rows(db));
      // Written again, attempt 2 replaces attempt 1: the rows are not counted twice.
      DuckDbStore.upsert(db, TableSchemas.CLUSTER_WINDOWS, List.of(row("input-a", 2, "fp-one", 5)));
      assertEquals("input-a/2 fp-one=5\n", rows(db));
    } finally {
      DuckDbStore.close(db);
    }
  }
}
