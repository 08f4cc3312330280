package dev.loggardener.pipeline;

import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.LogEntryReader;
import dev.loggardener.logentry.ParseResult;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Raw records to {@link LogEntry}s; everything that is not an entry becomes a dead letter.
 * Heartbeats are recognised and dropped here. File records take the entry's own timestamp as their
 * event time; Pub/Sub records already carry the sink's.
 */
public final class ParseEntries extends PTransform<PCollection<List<RawRecord>>, PCollectionTuple> {
  public static final TupleTag<List<TimestampedValue<LogEntry>>> ENTRIES = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final java.time.Duration maxFutureSkew;
  private final RedactionConfig redactAtParse;

  /**
   * @param maxFutureSkew how far past now a timestamp may be before the entry is a dead letter
   * @param redactAtParse when not null, every entry (its whole JSON too) and every dead letter is
   *     redacted here, so that no later step holds raw text
   */
  public ParseEntries(java.time.Duration maxFutureSkew, RedactionConfig redactAtParse) {
    this.maxFutureSkew = maxFutureSkew;
    this.redactAtParse = redactAtParse;
  }

  @Override
  public PCollectionTuple expand(PCollection<List<RawRecord>> records) {
    PCollectionTuple out =
        records.apply(
            "Parse",
            ParDo.of(new ParseFn(maxFutureSkew, redactAtParse))
                .withOutputTags(ENTRIES, TupleTagList.of(DEAD_LETTERS)));
    out.get(ENTRIES).setCoder(Batches.ENTRIES);
    out.get(DEAD_LETTERS).setCoder(Coders.DEAD_LETTER);
    return out;
  }

  static final class ParseFn extends DoFn<List<RawRecord>, List<TimestampedValue<LogEntry>>> {
    private final Counter heartbeats =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.HEARTBEATS);
    private final Counter parsed =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.PARSED);
    private final Counter read = Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.READ);
    private final Counter bytesRead =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.BYTES_READ);
    private final java.time.Duration maxFutureSkew;
    private final RedactionConfig redaction;
    private transient LogEntryParser parser;
    private transient Redactor redactor;

    ParseFn(java.time.Duration maxFutureSkew, RedactionConfig redaction) {
      this.maxFutureSkew = maxFutureSkew;
      this.redaction = redaction;
    }

    @Setup
    public void setUp() {
      parser = new LogEntryParser(java.time.Clock.systemUTC(), maxFutureSkew);
      redactor = redaction == null ? null : new Redactor(redaction);
    }

    /** With --redactAtParse: the entry and its whole JSON redacted; else as it is. */
    private LogEntry redacted(LogEntry e) {
      return redactor == null ? e : redactor.redactWhole(e);
    }

    private DeadLetter redacted(DeadLetter d) {
      return redactor == null ? d : redactor.redact(d);
    }

    @ProcessElement
    public void process(
        @Element List<RawRecord> records, @Timestamp Instant timestamp, MultiOutputReceiver out) {
      List<TimestampedValue<LogEntry>> entries = new ArrayList<>(records.size());
      long earliest = Long.MAX_VALUE;
      int heartbeatCount = 0;
      long bytes = 0;
      for (RawRecord record : records) {
        if (record.isHeartbeat()) {
          heartbeatCount++;
          continue;
        }
        bytes += record.size();
        LogEntry entry;
        Instant eventTime;
        try {
          entry = parse(record, out);
          if (entry == null) {
            continue;
          }
          entry = redacted(entry);
          // Pub/Sub records carry the sink's timestamp as the element's; file records use the
          // entry's own.
          eventTime =
              record.timestamped() ? timestamp : new Instant(entry.timestamp().toEpochMilli());
        } catch (RuntimeException e) {
          // A bug here must not fail the bundle (and, on Pub/Sub, every retry of it).
          out.get(DEAD_LETTERS).output(redacted(internalError("parse", e, record)));
          continue;
        }
        earliest = Math.min(earliest, eventTime.getMillis());
        entries.add(TimestampedValue.of(entry, eventTime));
      }
      heartbeats.inc(heartbeatCount);
      read.inc(records.size() - heartbeatCount);
      bytesRead.inc(bytes);
      parsed.inc(entries.size());
      if (entries.isEmpty()) {
        return;
      }
      // Never later than any entry's event time; for a Pub/Sub batch, the element's own.
      out.get(ENTRIES).outputWithTimestamp(entries, new Instant(earliest));
    }

    static DeadLetter internalError(String step, RuntimeException e, RawRecord record) {
      byte[] body = record.body();
      String payload =
          new String(
              body, 0, Math.min(body.length, 64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
      return new DeadLetter(
          step,
          DeadLetter.Reason.INTERNAL_ERROR,
          e.getClass().getName() + ": " + e.getMessage(),
          payload,
          Map.of(),
          java.time.Instant.now());
    }

    /** The record's entry, or null after sending its dead letter. */
    private LogEntry parse(RawRecord record, MultiOutputReceiver out) {
      String readError = record.attributes().get(LogEntrySource.READ_ERROR);
      if (readError != null) {
        Map<String, String> where = new HashMap<>(record.attributes());
        where.remove(LogEntrySource.READ_ERROR);
        String detail = where.remove(LogEntrySource.DETAIL);
        out.get(DEAD_LETTERS)
            .output(
                redacted(
                    new DeadLetter(
                        "read",
                        DeadLetter.Reason.valueOf(readError),
                        detail,
                        "",
                        where,
                        java.time.Instant.now())));
        return null;
      }
      ParseResult result =
          LogEntryReader.parse(parser, record.body(), record.size(), record.attributes());
      if (result instanceof ParseResult.Dead dead) {
        out.get(DEAD_LETTERS).output(redacted(dead.deadLetter()));
        return null;
      }
      return ((ParseResult.Parsed) result).entry();
    }
  }
}
