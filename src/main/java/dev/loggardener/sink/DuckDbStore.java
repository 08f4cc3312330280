package dev.loggardener.sink;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

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
          TableSchemas.FINGERPRINT_TEMPLATES, List.of("service", "logger", "function", "template"),
          TableSchemas.GITHUB_SYNC,
              List.of("fingerprint", "window_start", "pane_index", "action", "synced_at"),
          TableSchemas.SERVICE_WINDOWS,
              List.of("run_id", "attempt", "service", "window_start", "state"));

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
        addNewColumns(s, t.getKey());
      }
      for (String view : SqlTexts.VIEWS) {
        s.execute(
            "CREATE OR REPLACE VIEW "
                + view
                + " AS "
                + SqlTexts.statement(SqlTexts.view(view, t -> t)));
      }
    }
  }

  /**
   * Columns a schema file gained since the table was made (all nullable, as BigQuery requires of an
   * added column): added empty, so that a file from an earlier version keeps working.
   */
  private static void addNewColumns(Statement s, String table) throws SQLException {
    java.util.Set<String> have = new java.util.HashSet<>();
    try (java.sql.ResultSet r =
        s.executeQuery(
            "SELECT column_name FROM information_schema.columns WHERE table_name = '"
                + table
                + "'")) {
      while (r.next()) {
        have.add(r.getString(1));
      }
    }
    for (TableSchemas.Column col : TableSchemas.columns(table)) {
      if (!have.contains(col.name())) {
        s.execute(
            "ALTER TABLE "
                + table
                + " ADD COLUMN "
                + col.name()
                + " "
                + TableSchemas.duckDbType(col));
      }
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
        s.execute("DROP VIEW IF EXISTS problems_latest");
        s.execute("DROP VIEW IF EXISTS clusters_latest");
        s.execute("ALTER TABLE cluster_windows RENAME TO cluster_windows_before_run_ids");
        s.execute(
            TableSchemas.duckDbDdl(
                TableSchemas.CLUSTER_WINDOWS, KEYS.get(TableSchemas.CLUSTER_WINDOWS)));
        s.execute(
            "INSERT INTO cluster_windows BY NAME"
                + " SELECT *, 'before-run-ids' AS run_id, 0 AS attempt"
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
   * Deletes the rows of earlier attempts of each run among {@code rows}, inside the caller's
   * transaction, for each run and attempt not yet done in this JVM. Returns what it did, for {@link
   * #committed} to record once the transaction commits: a rolled-back delete must run again.
   */
  private static java.util.Set<String> deleteEarlierAttempts(
      Connection c, String path, String table, List<Map<String, Object>> rows) throws SQLException {
    java.util.Set<String> done = SUPERSEDED.getOrDefault(path + "\n" + table, java.util.Set.of());
    java.util.Set<String> now = new java.util.HashSet<>();
    for (Map<String, Object> row : rows) {
      String runId = (String) row.get("run_id");
      long attempt = ((Number) row.get("attempt")).longValue();
      String pair = runId + "\n" + attempt;
      if (!done.contains(pair) && now.add(pair)) {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM " + table + " WHERE run_id = ? AND attempt < ?")) {
          ps.setString(1, runId);
          ps.setLong(2, attempt);
          ps.execute();
        }
      }
    }
    return now;
  }

  private static void committed(String path, String table, java.util.Set<String> superseded) {
    if (!superseded.isEmpty()) {
      SUPERSEDED
          .computeIfAbsent(path + "\n" + table, k -> new java.util.HashSet<>())
          .addAll(superseded);
    }
  }

  /** Tables whose key holds the writing run's id and attempt (see {@link #KEYS}). */
  private static boolean keyedByAttempt(String table) {
    return table.equals(TableSchemas.CLUSTER_WINDOWS) || table.equals(TableSchemas.SERVICE_WINDOWS);
  }

  /**
   * Upserts rows into a table in one transaction, under the file's lock.
   *
   * <p>A table keyed by run and attempt gets only new keys, unless a row is delivered again: its
   * rows are appended straight to the table with DuckDB's Appender, whose flush fails on a key
   * already there; then the transaction is rolled back and the rows are upserted as below. A
   * 120,012-row write of cluster rows took 3.5-3.9 s this way and 5.7-6.9 s through the staging
   * table (BENCHMARKS.md, "DuckDB writes and stored buckets").
   *
   * <p>Other tables, and rows delivered again, go through the Appender into a temporary staging
   * table of the same columns, then one {@code INSERT OR REPLACE ... SELECT} moves them: bound
   * parameters cost far more per value than the Appender, and an all-unique input writes a row per
   * entry.
   */
  public static void upsert(String path, String table, List<Map<String, Object>> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    List<TableSchemas.Column> columns = TableSchemas.columns(table);
    synchronized (DuckDbStore.class) {
      Connection c = connection(path);
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        if (keyedByAttempt(table)) {
          try {
            write(c, path, table, columns, rows, true);
            return;
          } catch (SQLException keyAlreadyThere) {
            c.rollback(); // and upsert: a failure that is not about keys fails there again
          }
        }
        try {
          write(c, path, table, columns, rows, false);
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      } finally {
        c.setAutoCommit(auto);
      }
    }
  }

  /**
   * One transaction: the run's earlier attempts deleted, the rows appended to the table ({@code
   * direct}) or upserted through the staging table, then the commit.
   */
  private static void write(
      Connection c,
      String path,
      String table,
      List<TableSchemas.Column> columns,
      List<Map<String, Object>> rows,
      boolean direct)
      throws SQLException {
    java.util.Set<String> superseded =
        keyedByAttempt(table) ? deleteEarlierAttempts(c, path, table, rows) : java.util.Set.of();
    if (direct) {
      appendRows(c, null, table, columns, rows);
    } else {
      upsertThroughStaging(c, table, columns, rows);
    }
    c.commit();
    committed(path, table, superseded);
  }

  private static void upsertThroughStaging(
      Connection c, String table, List<TableSchemas.Column> columns, List<Map<String, Object>> rows)
      throws SQLException {
    String staging = "staging_" + table;
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE TEMP TABLE IF NOT EXISTS " + staging + " AS SELECT * FROM " + table + " LIMIT 0");
      s.execute("DELETE FROM " + staging); // what a failed write may have left
    }
    appendRows(c, "temp", staging, columns, rows);
    StringBuilder names = new StringBuilder();
    for (TableSchemas.Column column : columns) {
      names.append(names.length() == 0 ? "" : ", ").append(column.name());
    }
    try (Statement s = c.createStatement()) {
      s.execute(
          "INSERT OR REPLACE INTO "
              + table
              + " ("
              + names
              + ") SELECT "
              + names
              + " FROM "
              + staging);
      s.execute("DELETE FROM " + staging);
    }
  }

  /**
   * Appends rows with DuckDB's Appender, to a table of the file ({@code catalog} null) or of
   * another catalog (the temporary one). The explicit flush reports a violated key: closing the
   * Appender alone does not (it leaves the transaction aborted instead).
   */
  private static void appendRows(
      Connection c,
      String catalog,
      String table,
      List<TableSchemas.Column> columns,
      List<Map<String, Object>> rows)
      throws SQLException {
    DuckDBConnection d = c.unwrap(DuckDBConnection.class);
    try (DuckDBAppender a =
        catalog == null ? d.createAppender(table) : d.createAppender(catalog, "main", table)) {
      for (Map<String, Object> row : rows) {
        a.beginRow();
        for (TableSchemas.Column column : columns) {
          append(a, column, row.get(column.name()));
        }
        a.endRow();
      }
      a.flush();
    }
  }

  private static void append(DuckDBAppender a, TableSchemas.Column column, Object value)
      throws SQLException {
    if (column.repeated()) {
      a.append(value == null ? List.of() : (java.util.Collection<?>) value);
    } else if (value == null) {
      a.appendNull();
    } else if (value instanceof Instant t) {
      a.append(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    } else if (value instanceof String v) {
      a.append(v);
    } else if (value instanceof Boolean v) {
      a.append(v.booleanValue());
    } else if (value instanceof Double v) {
      a.append(v.doubleValue());
    } else if (value instanceof Number v) {
      a.append(v.longValue());
    } else {
      throw new SQLException(column.name() + ": no DuckDB value for " + value.getClass());
    }
  }
}
