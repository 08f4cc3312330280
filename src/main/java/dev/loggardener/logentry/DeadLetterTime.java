package dev.loggardener.logentry;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time of the entry a dead letter was meant to be, where the input still says it: a report over
 * event time counts dead letters by it, not by when a backfill happened to read them.
 */
public final class DeadLetterTime {
  private DeadLetterTime() {}

  /** A {@code "timestamp": "…"} member, found in text that may be cut off or not JSON at all. */
  private static final Pattern TIMESTAMP =
      Pattern.compile("\"timestamp\"\\s*:\\s*\"([0-9][0-9:.TZtz+\\-]{9,39})\"");

  /**
   * The attribute a log sink sets to the entry's time ({@code timestampAttribute}, on Pub/Sub
   * messages), else the first {@code "timestamp"} string in the payload, if it reads as a time
   * BigQuery can hold; null when neither does, and for a {@code bad_timestamp} dead letter, whose
   * time is what was wrong with it.
   */
  public static Instant of(DeadLetter d, String timestampAttribute) {
    if (d.reason() == DeadLetter.Reason.BAD_TIMESTAMP) {
      return null;
    }
    Instant t = usable(d.attributes().get(timestampAttribute));
    if (t != null || d.payload() == null) {
      return t;
    }
    Matcher m = TIMESTAMP.matcher(d.payload());
    return m.find() ? usable(m.group(1)) : null;
  }

  private static Instant usable(String text) {
    Instant t = LogEntryParser.lenientInstant(text);
    return t == null || t.isBefore(LogEntryParser.EARLIEST) || t.isAfter(LogEntryParser.LATEST)
        ? null
        : t;
  }
}
