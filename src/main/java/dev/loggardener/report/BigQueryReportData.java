package dev.loggardener.report;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.bigquery.Bigquery;
import com.google.api.services.bigquery.model.GetQueryResultsResponse;
import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.QueryParameterType;
import com.google.api.services.bigquery.model.QueryParameterValue;
import com.google.api.services.bigquery.model.QueryRequest;
import com.google.api.services.bigquery.model.QueryResponse;
import com.google.api.services.bigquery.model.TableCell;
import com.google.api.services.bigquery.model.TableRow;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import dev.loggardener.github.Action;
import dev.loggardener.sink.SqlTexts;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The report's data from the BigQuery dataset the pipeline writes, through BigQuery's REST API with
 * application default credentials. The queries are the DuckDB ones in BigQuery's dialect; times
 * travel as epoch milliseconds. Not exercised by the offline tests (there is no BigQuery here); the
 * DuckDB reader is.
 */
public final class BigQueryReportData implements ReportData {
  private final Bigquery bq;
  private final String project;
  private final String dataset;

  public BigQueryReportData(String projectAndDataset) throws IOException {
    String[] parts = projectAndDataset.split("[:.]", 2);
    if (parts.length != 2) {
      throw new IOException("--bigQueryDataset must be PROJECT:DATASET, not " + projectAndDataset);
    }
    project = parts[0];
    dataset = parts[1];
    GoogleCredentials credentials =
        GoogleCredentials.getApplicationDefault()
            .createScoped("https://www.googleapis.com/auth/bigquery.readonly");
    bq =
        new Bigquery.Builder(
                new NetHttpTransport(),
                GsonFactory.getDefaultInstance(),
                new HttpCredentialsAdapter(credentials))
            .setApplicationName("log-gardener")
            .build();
  }

  private String table(String name) {
    return "`" + project + "." + dataset + "." + name + "`";
  }

  /**
   * One row per problem and window ({@code problems_latest}'s text over the tables, so that the
   * report needs no view).
   */
  private static String problems(UnaryOperator<String> table) {
    return SqlTexts.inlined(SqlTexts.PROBLEMS_LATEST, table);
  }

  /**
   * Every text the report sends BigQuery, by name, over {@code table}'s names (the tests analyze
   * them with BigQuery's own analyzer). Parameters: from_ms, to_ms, service (INT64, INT64, STRING),
   * fps (ARRAY of STRING).
   */
  public static List<Map.Entry<String, String>> queries(UnaryOperator<String> table) {
    return List.of(
        Map.entry("windows", windowsSql(table, false)),
        Map.entry("windows of a service", windowsSql(table, true)),
        Map.entry("first windows", firstWindowSql(table)),
        Map.entry("silences", silencesSql(table, false)),
        Map.entry("silences of a service", silencesSql(table, true)),
        Map.entry("dead letters", deadLettersSql(table)),
        Map.entry("sync", syncSql(table)),
        Map.entry("newest window", newestSql(table)));
  }

  static String windowsSql(UnaryOperator<String> table, boolean service) {
    return "SELECT fingerprint, template, service, module, function, source_lines, severity,"
        + " priority, category, rule, entry_count, UNIX_MILLIS(first_seen),"
        + " UNIX_MILLIS(last_seen), UNIX_MILLIS(window_start), UNIX_MILLIS(window_end),"
        + " samples, distinct_users, trace_ids, IFNULL(state, 'ongoing'),"
        + " IFNULL(is_spike, FALSE), revisions FROM "
        + problems(table)
        + " WHERE window_start >= TIMESTAMP_MILLIS(@from_ms) AND window_start <"
        + " TIMESTAMP_MILLIS(@to_ms)"
        + (service ? " AND service = @service" : "")
        + " ORDER BY fingerprint, window_start";
  }

  static String firstWindowSql(UnaryOperator<String> table) {
    return "SELECT fingerprint, UNIX_MILLIS(MIN(window_start)) FROM "
        + problems(table)
        + " WHERE entry_count > 0 AND fingerprint IN UNNEST(@fps) GROUP BY fingerprint";
  }

  static String silencesSql(UnaryOperator<String> table, boolean service) {
    return "SELECT service, UNIX_MILLIS(window_start), baseline_entries FROM "
        + table.apply("service_windows")
        + " WHERE state = 'silent' AND window_start >= TIMESTAMP_MILLIS(@from_ms) AND"
        + " window_start < TIMESTAMP_MILLIS(@to_ms)"
        + (service ? " AND service = @service" : "")
        + " ORDER BY window_start, service";
  }

  static String deadLettersSql(UnaryOperator<String> table) {
    // As DuckDbReportData#deadLetters: entry times in the range, untimed ones received since.
    return "SELECT reason, entry_time IS NULL, COUNT(*) FROM "
        + table.apply("dead_letters")
        + " WHERE received_at >= TIMESTAMP_SUB(TIMESTAMP_MILLIS(@from_ms), INTERVAL 1 DAY)"
        + " AND ((entry_time >= TIMESTAMP_MILLIS(@from_ms) AND entry_time <"
        + " TIMESTAMP_MILLIS(@to_ms)) OR (entry_time IS NULL AND received_at >="
        + " TIMESTAMP_MILLIS(@from_ms))) GROUP BY 1, 2";
  }

  static String syncSql(UnaryOperator<String> table) {
    return "SELECT UNIX_MILLIS(synced_at), fingerprint, UNIX_MILLIS(window_start), action,"
        + " issue_number, url, detail FROM "
        + table.apply("github_sync")
        + " WHERE window_start >= TIMESTAMP_MILLIS(@from_ms) AND window_start <"
        + " TIMESTAMP_MILLIS(@to_ms) ORDER BY synced_at, fingerprint, action";
  }

  static String newestSql(UnaryOperator<String> table) {
    return "SELECT UNIX_MILLIS(MAX(window_end)) FROM " + table.apply("cluster_windows");
  }

  private static QueryParameter param(String name, String type, String value) {
    return new QueryParameter()
        .setName(name)
        .setParameterType(new QueryParameterType().setType(type))
        .setParameterValue(new QueryParameterValue().setValue(value));
  }

  private List<List<Object>> query(String sql, List<QueryParameter> params) throws IOException {
    QueryRequest req =
        new QueryRequest()
            .setQuery(sql)
            .setUseLegacySql(false)
            .setParameterMode("NAMED")
            .setQueryParameters(params)
            .setTimeoutMs(120_000L);
    QueryResponse resp = bq.jobs().query(project, req).execute();
    List<List<Object>> out = new ArrayList<>();
    add(resp.getRows(), out);
    String token = resp.getPageToken();
    String job = resp.getJobReference() == null ? null : resp.getJobReference().getJobId();
    String location = resp.getJobReference() == null ? null : resp.getJobReference().getLocation();
    while (token != null && job != null) {
      GetQueryResultsResponse page =
          bq.jobs()
              .getQueryResults(project, job)
              .setPageToken(token)
              .setLocation(location)
              .execute();
      add(page.getRows(), out);
      token = page.getPageToken();
    }
    return out;
  }

  private static void add(List<TableRow> rows, List<List<Object>> out) {
    if (rows == null) {
      return;
    }
    for (TableRow r : rows) {
      List<Object> values = new ArrayList<>();
      for (TableCell c : r.getF()) {
        values.add(c.getV());
      }
      out.add(values);
    }
  }

  private static String str(Object v) {
    return v == null || com.google.api.client.util.Data.isNull(v) ? null : v.toString();
  }

  private static long num(Object v) {
    String s = str(v);
    return s == null ? 0 : Long.parseLong(s);
  }

  @SuppressWarnings("unchecked")
  private static List<String> list(Object v) {
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      for (Object o : l) {
        Object inner = o instanceof Map<?, ?> m ? m.get("v") : o;
        if (str(inner) != null) {
          out.add(str(inner));
        }
      }
    }
    return out;
  }

  private static List<QueryParameter> range(Instant from, Instant to) {
    List<QueryParameter> p = new ArrayList<>();
    p.add(param("from_ms", "INT64", Long.toString(from.toEpochMilli())));
    p.add(param("to_ms", "INT64", Long.toString(to.toEpochMilli())));
    return p;
  }

  @Override
  public List<Window> windows(Instant from, Instant to, String service) throws IOException {
    List<QueryParameter> p = range(from, to);
    if (service != null) {
      p.add(param("service", "STRING", service));
    }
    String sql = windowsSql(this::table, service != null);
    List<Window> out = new ArrayList<>();
    for (List<Object> r : query(sql, p)) {
      out.add(
          new Window(
              str(r.get(0)),
              str(r.get(1)),
              str(r.get(2)),
              str(r.get(3)),
              str(r.get(4)),
              list(r.get(5)),
              str(r.get(6)),
              str(r.get(7)),
              str(r.get(8)),
              str(r.get(9)),
              num(r.get(10)),
              Instant.ofEpochMilli(num(r.get(11))),
              Instant.ofEpochMilli(num(r.get(12))),
              Instant.ofEpochMilli(num(r.get(13))),
              Instant.ofEpochMilli(num(r.get(14))),
              list(r.get(15)),
              num(r.get(16)),
              list(r.get(17)),
              str(r.get(18)),
              Boolean.parseBoolean(str(r.get(19))),
              list(r.get(20))));
    }
    return out;
  }

  @Override
  public Map<String, Instant> firstWindow(List<String> fingerprints) throws IOException {
    Map<String, Instant> out = new TreeMap<>();
    if (fingerprints.isEmpty()) {
      return out;
    }
    QueryParameter fps =
        new QueryParameter()
            .setName("fps")
            .setParameterType(
                new QueryParameterType()
                    .setType("ARRAY")
                    .setArrayType(new QueryParameterType().setType("STRING")))
            .setParameterValue(
                new QueryParameterValue()
                    .setArrayValues(
                        fingerprints.stream()
                            .map(f -> new QueryParameterValue().setValue(f))
                            .toList()));
    String sql = firstWindowSql(this::table);
    for (List<Object> r : query(sql, List.of(fps))) {
      out.put(str(r.get(0)), Instant.ofEpochMilli(num(r.get(1))));
    }
    return out;
  }

  @Override
  public List<Silence> silences(Instant from, Instant to, String service) throws IOException {
    List<QueryParameter> p = range(from, to);
    if (service != null) {
      p.add(param("service", "STRING", service));
    }
    String sql = silencesSql(this::table, service != null);
    List<Silence> out = new ArrayList<>();
    for (List<Object> r : query(sql, p)) {
      String b = str(r.get(2));
      out.add(
          new Silence(
              str(r.get(0)),
              Instant.ofEpochMilli(num(r.get(1))),
              b == null ? null : Double.valueOf(b)));
    }
    return out;
  }

  @Override
  public DeadLetters deadLetters(Instant from, Instant to) throws IOException {
    Map<String, Long> timed = new TreeMap<>();
    Map<String, Long> untimed = new TreeMap<>();
    String sql = deadLettersSql(this::table);
    for (List<Object> r : query(sql, range(from, to))) {
      (Boolean.parseBoolean(str(r.get(1))) ? untimed : timed).put(str(r.get(0)), num(r.get(2)));
    }
    return new DeadLetters(timed, untimed);
  }

  @Override
  public List<Sync> sync(Instant from, Instant to) throws IOException {
    List<Sync> out = new ArrayList<>();
    String sql = syncSql(this::table);
    for (List<Object> r : query(sql, range(from, to))) {
      out.add(
          new Sync(
              Instant.ofEpochMilli(num(r.get(0))),
              str(r.get(1)),
              Instant.ofEpochMilli(num(r.get(2))),
              Action.fromCode(str(r.get(3))),
              str(r.get(4)) == null ? null : num(r.get(4)),
              str(r.get(5)),
              str(r.get(6))));
    }
    return out;
  }

  @Override
  public Optional<Instant> newestWindowEnd() throws IOException {
    List<List<Object>> rows = query(newestSql(this::table), List.of());
    if (rows.isEmpty() || str(rows.get(0).get(0)) == null) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochMilli(num(rows.get(0).get(0))));
  }

  @Override
  public void close() {}
}
