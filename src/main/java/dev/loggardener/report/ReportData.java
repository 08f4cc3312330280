package dev.loggardener.report;

import dev.loggardener.github.Action;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a report reads from the tables, wherever they are (DuckDB or BigQuery). */
public interface ReportData extends AutoCloseable {

  /** The latest pane of a fingerprint in one window (a row of {@code clusters_latest}). */
  record Window(
      String fingerprint,
      String template,
      String service,
      String module,
      String function,
      List<String> sourceLines,
      String severity,
      String priority,
      String category,
      String rule,
      long count,
      Instant firstSeen,
      Instant lastSeen,
      Instant windowStart,
      Instant windowEnd,
      List<String> samples,
      long distinctUsers,
      List<String> traceIds,
      String state,
      boolean isSpike,
      List<String> revisions) {

    /** A quiet or resolved row: no entries, only the fingerprint's change of state. */
    public boolean stateChange() {
      return count == 0;
    }
  }

  /** A row of {@code github_sync}. */
  record Sync(
      Instant syncedAt,
      String fingerprint,
      Instant windowStart,
      Action action,
      Long issueNumber,
      String url,
      String detail) {}

  /** A window in which a service that always writes wrote nothing ({@code service_windows}). */
  record Silence(String service, Instant windowStart, Double baseline) {}

  /** Silences in windows starting in [from, to), of one service when it is not null. */
  List<Silence> silences(Instant from, Instant to, String service) throws IOException;

  /** Windows starting in [from, to), of one service when it is not null. */
  List<Window> windows(Instant from, Instant to, String service) throws IOException;

  /** When each of these fingerprints was first seen in any window, ever. */
  Map<String, Instant> firstWindow(List<String> fingerprints) throws IOException;

  /**
   * Dead letters by reason: {@code timed}, those whose entry's own time is in the range; {@code
   * untimed}, those whose input had no time that could be read (not JSON, no timestamp), received
   * since the range began. A backfill reads old entries now: only the first are of the range.
   */
  record DeadLetters(Map<String, Long> timed, Map<String, Long> untimed) {
    public long total() {
      return timed.values().stream().mapToLong(Long::longValue).sum()
          + untimed.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Dead letters for a report over [from, to), as {@link DeadLetters} says. */
  DeadLetters deadLetters(Instant from, Instant to) throws IOException;

  /** GitHub decisions about windows starting in [from, to). */
  List<Sync> sync(Instant from, Instant to) throws IOException;

  /** The end of the newest window in the tables, if there is any. */
  Optional<Instant> newestWindowEnd() throws IOException;

  @Override
  void close() throws IOException;
}
