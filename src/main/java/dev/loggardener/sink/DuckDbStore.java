package dev.loggardener.sink;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded default sink: a DuckDB file. DuckDB allows one writing process per file, so the JVM
 * holds one connection per file and every write takes its lock: the DirectRunner's parallel bundles
 * write one at a time, each bundle in one transaction. Rows are upserted on each table's key.
 * Cluster rows carry their run's id and attempt: the first write of a new attempt deletes the rows
 * of that run's earlier attempts in the same transaction, so a re-run over the same input replaces
 * its rows, and rows of other runs (another file, an earlier streaming job) are never touched.
 */
public final class DuckDbStore {
  /** Each table's key: what a re-run of the same input writes again. */
  static final Map<String, List<String>> KEYS =
      Map.of(
          TableSchemas.CLUSTER_WINDOWS,
              List.of("run_id", "attempt", "fingerprint", "window_start", "pane_index"),
          TableSchemas.DEAD_LETTERS, List.of("step", "reason", "attributes", "payload"),
          TableSchemas.FINGERPRINT_ALIASES, List.of("alias"),
          TableSchemas.GITHUB_SYNC,
              List.of("fingerprint", "window_start", "pane_index", "action", "synced_at"));

  private static final Map<String, Connection> OPEN = new HashMap<>();

  /** Per file, the (run id, attempt) pairs whose earlier attempts this JVM has deleted. */
  private static final Map<String, java.util.Set<String>> SUPERSEDED = new HashMap<>();

  private DuckDbStore() {}

  /** The shared connection to a file, creating its tables and views on first use. */
  public static synchronized Connection connection(String path) throws SQLException {
    String key = Path.of(path).toAbsolutePath().normalize().toString();
    Connection c = OPEN.get(key);
    if (c == null || c.isClosed()) {
      c = DriverManager.getConnection("jdbc:duckdb:" + key);
      createTables(c);
      OPEN.put(key, c);
    }
    return c;
  }

  /** Closes the file so that other processes (the duckdb CLI) can open it. */
  public static synchronized void close(String path) throws SQLException {
    String key = Path.of(path).toAbsolutePath().normalize().toString();
    Connection c = OPEN.remove(key);
    if (c != null) {
      c.close();
    }
  }

  static void createTables(Connection c) throws SQLException {
    addRunColumns(c);
    try (Statement s = c.createStatement()) {
      for (Map.Entry<String, List<String>> t : KEYS.entrySet()) {
        s.execute(TableSchemas.duckDbDdl(t.getKey(), t.getValue()));
      }
      s.execute(
          "CREATE OR REPLACE VIEW clusters_latest AS "
              + TableSchemas.sql("clusters_latest", t -> t));
    }
  }

  /**
   * A file written before rows carried run ids: its rows become one run, {@code before-run-ids},
   * attempt 0, in a table with the new key (DuckDB cannot change a primary key in place).
   */
  private static void addRunColumns(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      try (java.sql.ResultSet r =
          s.executeQuery(
              "SELECT count(*) FILTER (WHERE column_name = 'run_id'), count(*)"
                  + " FROM information_schema.columns WHERE table_name = 'cluster_windows'")) {
        r.next();
        if (r.getLong(2) == 0 || r.getLong(1) > 0) {
          return;
        }
      }
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        s.execute("DROP VIEW IF EXISTS clusters_latest");
        s.execute("ALTER TABLE cluster_windows RENAME TO cluster_windows_before_run_ids");
        s.execute(
            TableSchemas.duckDbDdl(
                TableSchemas.CLUSTER_WINDOWS, KEYS.get(TableSchemas.CLUSTER_WINDOWS)));
        s.execute(
            "INSERT INTO cluster_windows SELECT *, 'before-run-ids', 0"
                + " FROM cluster_windows_before_run_ids");
        s.execute("DROP TABLE cluster_windows_before_run_ids");
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    }
  }

  /**
   * Deletes the rows of earlier attempts of each run among {@code rows}, once per run and attempt
   * in this JVM, inside the caller's transaction.
   */
  private static void deleteEarlierAttempts(
      Connection c, String path, List<Map<String, Object>> rows) throws SQLException {
    java.util.Set<String> done = SUPERSEDED.computeIfAbsent(path, k -> new java.util.HashSet<>());
    for (Map<String, Object> row : rows) {
      String runId = (String) row.get("run_id");
      long attempt = ((Number) row.get("attempt")).longValue();
      if (done.add(runId + "\n" + attempt)) {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM cluster_windows WHERE run_id = ? AND attempt < ?")) {
          ps.setString(1, runId);
          ps.setLong(2, attempt);
          ps.execute();
        }
      }
    }
  }

  /** Rows per INSERT statement: DuckDB runs a multi-row VALUES far faster than a JDBC batch. */
  static final int ROWS_PER_STATEMENT = 256;

  /** Upserts rows into a table in one transaction, under the file's lock. */
  public static void upsert(String path, String table, List<Map<String, Object>> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    List<TableSchemas.Column> columns = TableSchemas.columns(table);
    StringBuilder head = new StringBuilder("INSERT OR REPLACE INTO ").append(table).append(" (");
    StringBuilder tuple = new StringBuilder("(");
    for (int i = 0; i < columns.size(); i++) {
      head.append(i == 0 ? "" : ", ").append(columns.get(i).name());
      tuple.append(i == 0 ? "?" : ", ?");
    }
    head.append(") VALUES ");
    tuple.append(')');
    synchronized (DuckDbStore.class) {
      Connection c = connection(path);
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        if (table.equals(TableSchemas.CLUSTER_WINDOWS)) {
          deleteEarlierAttempts(c, path, rows);
        }
        for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
          List<Map<String, Object>> chunk =
              rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT));
          StringBuilder sql = new StringBuilder(head);
          for (int r = 0; r < chunk.size(); r++) {
            sql.append(r == 0 ? "" : ", ").append(tuple);
          }
          try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int p = 1;
            for (Map<String, Object> row : chunk) {
              for (TableSchemas.Column column : columns) {
                bind(c, ps, p++, column, row.get(column.name()));
              }
            }
            ps.execute();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    }
  }

  private static void bind(
      Connection c, PreparedStatement ps, int i, TableSchemas.Column column, Object value)
      throws SQLException {
    if (column.repeated()) {
      List<?> list = value == null ? List.of() : (List<?>) value;
      Array array = c.createArrayOf("VARCHAR", new ArrayList<>(list).toArray());
      ps.setArray(i, array);
    } else if (value instanceof Instant t) {
      ps.setObject(i, LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    } else {
      ps.setObject(i, value);
    }
  }
}
