package dev.loggardener.samples;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores what a run wrote against the generated traffic's known events ({@link TriageTraffic}):
 * spike recall, false spikes, resolved and new families. {@code scripts/bench triage} runs it.
 */
public final class TriageBenchmark {
  private TriageBenchmark() {}

  /** Arguments: TRUTH_JSON DUCKDB_FILE [QUIET_HOURS]. */
  public static void main(String[] args) throws Exception {
    TriageTraffic.Truth truth = TriageTraffic.Truth.read(Path.of(args[0]));
    Duration quiet = Duration.ofHours(args.length > 2 ? Long.parseLong(args[2]) : 24);
    List<TriageScore.ClusterObs> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[1]);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT function, service, window_start, entry_count, coalesce(is_spike, false),"
                    + " state FROM cluster_windows ORDER BY window_start")) {
      while (r.next()) {
        rows.add(
            new TriageScore.ClusterObs(
                r.getString(1),
                r.getString(2),
                r.getTimestamp(3).toLocalDateTime().toInstant(java.time.ZoneOffset.UTC),
                r.getLong(4),
                r.getBoolean(5),
                r.getString(6)));
      }
    }
    List<TriageScore.ServiceObs> services = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[1]);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT service, window_start, entries, state FROM service_windows"
                    + " ORDER BY window_start")) {
      while (r.next()) {
        services.add(
            new TriageScore.ServiceObs(
                r.getString(1),
                r.getTimestamp(2).toLocalDateTime().toInstant(java.time.ZoneOffset.UTC),
                r.getLong(3),
                r.getString(4)));
      }
    }
    System.out.println(TriageScore.score(truth, rows, services, quiet).report());
  }
}
