package dev.loggardener.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DuckDB file across versions. */
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
}
