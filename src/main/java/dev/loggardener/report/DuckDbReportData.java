package dev.loggardener.report;

import dev.loggardener.github.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The report's data from a DuckDB file the pipeline wrote, opened read-only. */
public final class DuckDbReportData implements ReportData {
  private final Connection c;

  public DuckDbReportData(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "no database at " + file + " (write one with `gardener run`, or pass --duckdb PATH)");
    }
    try {
      java.util.Properties p = new java.util.Properties();
      p.setProperty("duckdb.read_only", "true");
      c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), p);
      try (ResultSet r =
          c.createStatement()
              .executeQuery(
                  "SELECT count(*) FROM information_schema.tables"
                      + " WHERE table_name = 'cluster_windows'")) {
        r.next();
        if (r.getLong(1) == 0) {
          c.close();
          throw new IOException(file + " has no cluster_windows table: not a gardener database");
        }
      }
    } catch (SQLException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** One row per problem and window (merged fingerprints under the surviving id). */
  private static final String PROBLEMS =
      dev.loggardener.sink.SqlTexts.inlined(dev.loggardener.sink.SqlTexts.PROBLEMS_LATEST, t -> t);

  private static final String WINDOW_COLUMNS =
      "fingerprint, template, service, module, function, source_lines, severity, priority,"
          + " category, rule, entry_count, epoch_ms(first_seen), epoch_ms(last_seen),"
          + " epoch_ms(window_start), epoch_ms(window_end), samples, distinct_users, trace_ids,"
          + " coalesce(state, 'ongoing'), coalesce(is_spike, false), revisions";

  @Override
  public List<Window> windows(Instant from, Instant to, String service) throws IOException {
    String sql =
        "SELECT "
            + WINDOW_COLUMNS
            + " FROM "
            + PROBLEMS
            + " AS p WHERE window_start >= epoch_ms(?) AND window_start <"
            + " epoch_ms(?)"
            + (service == null ? "" : " AND service = ?")
            + " ORDER BY fingerprint, window_start";
    List<Window> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, from.toEpochMilli());
      ps.setLong(2, to.toEpochMilli());
      if (service != null) {
        ps.setString(3, service);
      }
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          out.add(
              new Window(
                  r.getString(1),
                  r.getString(2),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5),
                  strings(r.getArray(6)),
                  r.getString(7),
                  r.getString(8),
                  r.getString(9),
                  r.getString(10),
                  r.getLong(11),
                  Instant.ofEpochMilli(r.getLong(12)),
                  Instant.ofEpochMilli(r.getLong(13)),
                  Instant.ofEpochMilli(r.getLong(14)),
                  Instant.ofEpochMilli(r.getLong(15)),
                  strings(r.getArray(16)),
                  r.getLong(17),
                  strings(r.getArray(18)),
                  r.getString(19),
                  r.getBoolean(20),
                  strings(r.getArray(21))));
        }
      }
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
    return out;
  }

  @Override
  public Map<String, Instant> firstWindow(List<String> fingerprints) throws IOException {
    Map<String, Instant> out = new TreeMap<>();
    if (fingerprints.isEmpty()) {
      return out;
    }
    String sql =
        "SELECT fingerprint, epoch_ms(min(window_start)) FROM "
            + PROBLEMS
            + " AS p WHERE entry_count > 0 AND list_contains(?, fingerprint) GROUP BY fingerprint";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, c.createArrayOf("VARCHAR", fingerprints.toArray()));
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          out.put(r.getString(1), Instant.ofEpochMilli(r.getLong(2)));
        }
      }
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
    return out;
  }

  @Override
  public List<Silence> silences(Instant from, Instant to, String service) throws IOException {
    List<Silence> out = new ArrayList<>();
    String sql =
        "SELECT service, epoch_ms(window_start), baseline_entries FROM service_windows"
            + " WHERE state = 'silent' AND window_start >= epoch_ms(?) AND window_start <"
            + " epoch_ms(?)"
            + (service == null ? "" : " AND service = ?")
            + " ORDER BY window_start, service";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, from.toEpochMilli());
      ps.setLong(2, to.toEpochMilli());
      if (service != null) {
        ps.setString(3, service);
      }
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          double b = r.getDouble(3);
          out.add(
              new Silence(
                  r.getString(1), Instant.ofEpochMilli(r.getLong(2)), r.wasNull() ? null : b));
        }
      }
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("service_windows does not exist")) {
        return out; // a file written before services were watched
      }
      throw new IOException(e.getMessage(), e);
    }
    return out;
  }

  @Override
  public DeadLetters deadLetters(Instant from, Instant to) throws IOException {
    Map<String, Long> timed = new TreeMap<>();
    Map<String, Long> untimed = new TreeMap<>();
    // An entry is received after its time (give or take the day of skew the parser allows), so
    // the filter on received_at keeps the scan to the range without losing one.
    String sql =
        "SELECT reason, entry_time IS NULL, count(*) FROM dead_letters"
            + " WHERE received_at >= epoch_ms(?) - INTERVAL 1 DAY"
            + " AND ((entry_time >= epoch_ms(?) AND entry_time < epoch_ms(?))"
            + " OR (entry_time IS NULL AND received_at >= epoch_ms(?)))"
            + " GROUP BY 1, 2";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, from.toEpochMilli());
      ps.setLong(2, from.toEpochMilli());
      ps.setLong(3, to.toEpochMilli());
      ps.setLong(4, from.toEpochMilli());
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          (r.getBoolean(2) ? untimed : timed).put(r.getString(1), r.getLong(3));
        }
      }
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("entry_time")) {
        return receivedOnly(from, to); // a file written before dead letters had entry times
      }
      throw new IOException(e.getMessage(), e);
    }
    return new DeadLetters(timed, untimed);
  }

  /** A file from before entry_time: every dead letter is untimed, received in the range. */
  private DeadLetters receivedOnly(Instant from, Instant to) throws IOException {
    Map<String, Long> untimed = new TreeMap<>();
    String sql =
        "SELECT reason, count(*) FROM dead_letters WHERE received_at >= epoch_ms(?)"
            + " AND received_at < epoch_ms(?) GROUP BY reason";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, from.toEpochMilli());
      ps.setLong(2, to.toEpochMilli());
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          untimed.put(r.getString(1), r.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
    return new DeadLetters(Map.of(), untimed);
  }

  @Override
  public List<Sync> sync(Instant from, Instant to) throws IOException {
    List<Sync> out = new ArrayList<>();
    String sql =
        "SELECT epoch_ms(synced_at), fingerprint, epoch_ms(window_start), action, issue_number,"
            + " url, detail FROM github_sync WHERE window_start >= epoch_ms(?) AND window_start"
            + " < epoch_ms(?) ORDER BY synced_at, fingerprint, action";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, from.toEpochMilli());
      ps.setLong(2, to.toEpochMilli());
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          long n = r.getLong(5);
          Long issue = r.wasNull() ? null : n; // before any other column is read
          out.add(
              new Sync(
                  Instant.ofEpochMilli(r.getLong(1)),
                  r.getString(2),
                  Instant.ofEpochMilli(r.getLong(3)),
                  Action.fromCode(r.getString(4)),
                  issue,
                  r.getString(6),
                  r.getString(7)));
        }
      }
    } catch (SQLException e) {
      if (e.getMessage() != null && e.getMessage().contains("github_sync")) {
        return out; // a file written before GitHub sync existed
      }
      throw new IOException(e.getMessage(), e);
    }
    return out;
  }

  @Override
  public Optional<Instant> newestWindowEnd() throws IOException {
    try (ResultSet r =
        c.createStatement().executeQuery("SELECT epoch_ms(max(window_end)) FROM cluster_windows")) {
      r.next();
      long v = r.getLong(1);
      return r.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static List<String> strings(Array a) throws SQLException {
    if (a == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object o : (Object[]) a.getArray()) {
      if (o != null) {
        out.add(o.toString());
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    try {
      c.close();
    } catch (SQLException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
