package dev.loggardener.pipeline;

import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.LogEntryReader;
import dev.loggardener.logentry.ParseResult;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Raw records to {@link LogEntry}s; everything that is not an entry becomes a dead letter.
 * Heartbeats are recognised and dropped here. File records take the entry's own timestamp as their
 * event time; Pub/Sub records already carry the sink's.
 */
public final class ParseEntries extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  public static final TupleTag<LogEntry> ENTRIES = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> records) {
    PCollectionTuple out =
        records.apply(
            "Parse",
            ParDo.of(new ParseFn()).withOutputTags(ENTRIES, TupleTagList.of(DEAD_LETTERS)));
    out.get(ENTRIES).setCoder(Coders.LogEntryCoder.INSTANCE);
    out.get(DEAD_LETTERS).setCoder(SerializableCoder.of(DeadLetter.class));
    return out;
  }

  static final class ParseFn extends DoFn<RawRecord, LogEntry> {
    private final Counter heartbeats =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.HEARTBEATS);
    private final Counter parsed =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.PARSED);
    private final Counter read = Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.READ);
    private transient LogEntryParser parser;

    @Setup
    public void setUp() {
      parser = new LogEntryParser();
    }

    @ProcessElement
    public void process(@Element RawRecord record, MultiOutputReceiver out) {
      if (record.isHeartbeat()) {
        heartbeats.inc();
        return;
      }
      read.inc();
      String readError = record.attributes().get(LogEntrySource.READ_ERROR);
      if (readError != null) {
        Map<String, String> where = new HashMap<>(record.attributes());
        where.remove(LogEntrySource.READ_ERROR);
        String detail = where.remove(LogEntrySource.DETAIL);
        out.get(DEAD_LETTERS)
            .output(
                new DeadLetter(
                    "read",
                    DeadLetter.Reason.valueOf(readError),
                    detail,
                    "",
                    where,
                    java.time.Instant.now()));
        return;
      }
      ParseResult result =
          LogEntryReader.parse(parser, record.body(), record.size(), record.attributes());
      if (result instanceof ParseResult.Dead dead) {
        out.get(DEAD_LETTERS).output(dead.deadLetter());
        return;
      }
      LogEntry entry = ((ParseResult.Parsed) result).entry();
      parsed.inc();
      if (record.timestamped()) {
        out.get(ENTRIES).output(entry);
      } else {
        out.get(ENTRIES).outputWithTimestamp(entry, new Instant(entry.timestamp().toEpochMilli()));
      }
    }
  }
}
