package dev.loggardener.cli;

import dev.loggardener.sink.SqlTexts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gardener sql}: a query over the DuckDB file a run wrote, printed as a table, with no
 * {@code duckdb} CLI needed; or, with {@code --bigquery}, the text to give {@code bq query}.
 */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a query on the DuckDB file and prints a table. QUERY is SQL, a .sql file, or the name"
          + " of a bundled analyst query: "
          + "top_clusters_24h, new_clusters, regressions, trend_per_fingerprint,"
          + " dead_letters_by_reason, github_actions.",
      "Names in ${...} (${problems_latest}, ${cluster_windows}, …) are filled in; ${now} is the"
          + " newest window's end in the file (so a backfill reads as live), or --now.",
      "With --bigquery PROJECT.DATASET it prints the BigQuery text instead (${now} is"
          + " CURRENT_TIMESTAMP()), for bq query --use_legacy_sql=false."
    })
final class SqlCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "QUERY", description = "SQL, a .sql file, or an analyst query's name.")
  String query;

  @Option(names = "--duckdb", description = "DuckDB file written by gardener run.")
  Path duckdb = Path.of("gardener.duckdb");

  @Option(names = "--bigquery", paramLabel = "PROJECT.DATASET", description = "Print for BigQuery.")
  String bigquery;

  @Option(names = "--now", description = "What ${now} is, ISO-8601 (2025-09-14T23:00:00Z).")
  String now;

  @Option(
      names = "--width",
      description = "Longest value shown in a column (default 60; 0 shows all).")
  int width = 60;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String text;
    Instant fixedNow;
    try {
      text = text(query);
      fixedNow = now == null ? null : Instant.parse(now);
    } catch (IOException e) {
      err.println("gardener sql: " + e.getMessage());
      return 2;
    } catch (DateTimeParseException e) {
      err.println("gardener sql: --now is not an ISO-8601 time: " + now);
      return 2;
    }
    try {
      if (bigquery != null) {
        if (!bigquery.matches("[A-Za-z0-9_.:-]+[.:][A-Za-z0-9_]+")) {
          err.println("gardener sql: --bigquery takes PROJECT.DATASET, not " + bigquery);
          return 2;
        }
        String dataset = bigquery.replace(':', '.');
        out.println(
            SqlTexts.statement(
                    SqlTexts.render(
                        text,
                        t -> "`" + dataset + "." + t + "`",
                        fixedNow == null ? SqlTexts.BIGQUERY_NOW : SqlTexts.timestamp(fixedNow)))
                + ";");
        out.flush();
        return 0;
      }
      if (!Files.isRegularFile(duckdb)) {
        err.println(
            "gardener sql: no database at "
                + duckdb
                + " (write one with `gardener run`, or pass --duckdb PATH)");
        return 2;
      }
      java.util.Properties p = new java.util.Properties();
      p.setProperty("duckdb.read_only", "true");
      try (Connection c =
          DriverManager.getConnection("jdbc:duckdb:" + duckdb.toAbsolutePath(), p)) {
        String sql =
            SqlTexts.statement(SqlTexts.render(text, t -> t, SqlTexts.timestamp(now(c, fixedNow))));
        try (Statement s = c.createStatement();
            ResultSet r = s.executeQuery(sql)) {
          print(r, out);
        }
      }
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("gardener sql: " + e.getMessage());
      return 2;
    } catch (SQLException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage();
      String held = CliSupport.heldFile(duckdb, m);
      err.println("gardener sql: " + (held != null ? held : m.strip()));
      return 1;
    }
  }

  /** A bundled analyst query by name, a .sql file, or the text itself. */
  static String text(String query) throws IOException {
    if (SqlTexts.ANALYST.contains(query)) {
      return SqlTexts.resource("/sql/analyst/" + query + ".sql");
    }
    if (query.endsWith(".sql")) {
      Path file = Path.of(query);
      if (!Files.isRegularFile(file)) {
        throw new IOException("no file " + query);
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    }
    return query;
  }

  /** --now, else the end of the newest window in the file, else the clock. */
  private static Instant now(Connection c, Instant fixed) throws SQLException {
    if (fixed != null) {
      return fixed;
    }
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT epoch_ms(max(window_end)) FROM cluster_windows")) {
      if (r.next() && r.getObject(1) != null) {
        return Instant.ofEpochMilli(r.getLong(1));
      }
    }
    return Instant.now();
  }

  private void print(ResultSet r, PrintWriter out) throws SQLException {
    ResultSetMetaData md = r.getMetaData();
    int n = md.getColumnCount();
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[n];
    for (int i = 0; i < n; i++) {
      header[i] = md.getColumnLabel(i + 1);
    }
    while (r.next()) {
      String[] row = new String[n];
      for (int i = 0; i < n; i++) {
        row[i] = cut(value(r.getObject(i + 1)));
      }
      rows.add(row);
    }
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = header[i].length();
      for (String[] row : rows) {
        w[i] = Math.max(w[i], row[i].length());
      }
    }
    out.println(line(header, w));
    String[] rule = new String[n];
    for (int i = 0; i < n; i++) {
      rule[i] = "-".repeat(w[i]);
    }
    out.println(line(rule, w));
    for (String[] row : rows) {
      out.println(line(row, w));
    }
    out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  private static String line(String[] cells, int[] w) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append(" | ");
      }
      b.append(cells[i]);
      if (i < cells.length - 1) {
        b.append(" ".repeat(w[i] - cells[i].length()));
      }
    }
    return b.toString().stripTrailing();
  }

  private static String value(Object v) throws SQLException {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof Timestamp t) {
      return t.toLocalDateTime().toString().replace('T', ' ');
    }
    if (v instanceof Array a) {
      Object[] items = (Object[]) a.getArray();
      return Arrays.toString(items);
    }
    return v.toString();
  }

  /** One line per cell: newlines shown as ⏎, long values cut at --width. */
  private String cut(String s) {
    String one = s.replace("\r\n", "⏎").replace('\n', '⏎').replace('\r', '⏎').replace('\t', ' ');
    return width > 0 && one.length() > width ? one.substring(0, width - 1) + "…" : one;
  }
}
