package dev.loggardener.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SQL the project ships ({@code src/main/resources/sql/}): two views and the analyst queries,
 * each one text for BigQuery and DuckDB. Tables and views are named by placeholders ({@code
 * ${cluster_windows}}, {@code ${problems_latest}}) and the analyst queries' "now" by {@code
 * ${now}}; Terraform (templatefile), the report and {@code gardener sql} fill them in. No other
 * {@code ${}} may appear.
 */
public final class SqlTexts {
  public static final String CLUSTERS_LATEST = "clusters_latest";
  public static final String PROBLEMS_LATEST = "problems_latest";

  /** The views, each over the tables and the views before it. */
  public static final List<String> VIEWS = List.of(CLUSTERS_LATEST, PROBLEMS_LATEST);

  public static final List<String> TABLES = TableSchemas.ALL;

  public static final List<String> ANALYST =
      List.of(
          "top_clusters_24h",
          "new_clusters",
          "regressions",
          "trend_per_fingerprint",
          "dead_letters_by_reason",
          "github_actions");

  /** "now" in BigQuery: the analyst views look at the last day of real time. */
  public static final String BIGQUERY_NOW = "CURRENT_TIMESTAMP()";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private SqlTexts() {}

  /** A view's text with its table and view names filled in. */
  public static String view(String name, UnaryOperator<String> qualify) {
    return render(resource("/sql/" + name + ".sql"), qualify, null);
  }

  /**
   * A view as a subquery over the tables alone, the views it reads inlined too: for readers that
   * must not depend on the views being there (a file from an earlier version opened read-only, a
   * dataset whose views were never made).
   */
  public static String inlined(String name, UnaryOperator<String> table) {
    return "("
        + statement(
            view(
                name,
                n -> VIEWS.contains(n) && !n.equals(name) ? inlined(n, table) : table.apply(n)))
        + "\n)";
  }

  /** An analyst query's text with names and "now" (a SQL timestamp expression) filled in. */
  public static String analyst(String name, UnaryOperator<String> qualify, String now) {
    return render(resource("/sql/analyst/" + name + ".sql"), qualify, now);
  }

  /**
   * Fills in every placeholder: a table or view name through {@code qualify}, {@code ${now}} with
   * {@code now}. Refuses an unknown placeholder, or {@code ${now}} when no "now" is given.
   */
  public static String render(String text, UnaryOperator<String> qualify, String now) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value;
      if (name.equals("now")) {
        if (now == null) {
          throw new IllegalArgumentException("${now} in a text that takes no time");
        }
        value = now;
      } else if (TABLES.contains(name) || VIEWS.contains(name)) {
        value = qualify.apply(name);
      } else {
        throw new IllegalArgumentException("unknown placeholder ${" + name + "}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (out.indexOf("${") >= 0) {
      throw new IllegalArgumentException("a placeholder that is not a name: " + out);
    }
    return out.toString();
  }

  /** The placeholders a text uses, in order of first use. */
  public static List<String> placeholders(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      if (!out.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** A timestamp literal both BigQuery and DuckDB read as this instant (UTC). */
  public static String timestamp(Instant t) {
    return "TIMESTAMP '"
        + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC).format(t)
        + "'";
  }

  /** The statement without its trailing semicolon (a view or a JDBC statement takes none). */
  public static String statement(String sql) {
    String s = sql.strip();
    return s.endsWith(";") ? s.substring(0, s.length() - 1).strip() : s;
  }

  public static String resource(String path) {
    try (InputStream in = SqlTexts.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no SQL " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
