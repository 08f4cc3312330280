package dev.loggardener.pipeline;

import dev.loggardener.cluster.Observation;
import dev.loggardener.logentry.LogEntry;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * The per-entry steps pass entries in batches: one element is a list of consecutive entries, each
 * with its own event time. A runner's cost per element is then paid per batch: on the DirectRunner
 * that cost is several microseconds per element and step, more than parsing, redacting and
 * fingerprinting an entry together. Pub/Sub delivers batches of one; files, batches of up to {@link
 * LogEntrySource#BATCH_RECORDS} lines.
 *
 * <p>An element's timestamp is never later than the event time of any entry in it, so a step may
 * emit what it derives from an entry at that entry's event time. CountPerFingerprint is where
 * entries leave their batches: it windows each entry by its own event time.
 */
final class Batches {
  private Batches() {}

  static final Coder<List<RawRecord>> RECORDS = ListCoder.of(Coders.RAW_RECORD);

  static final Coder<List<TimestampedValue<LogEntry>>> ENTRIES = of(Coders.LOG_ENTRY);

  static final Coder<List<TimestampedValue<FingerprintEntries.Templated>>> TEMPLATED =
      of(Coders.TEMPLATED);

  static final Coder<List<TimestampedValue<Observation>>> OBSERVATIONS = of(Coders.OBSERVATION);

  static <T> Coder<List<TimestampedValue<T>>> of(Coder<T> element) {
    return ListCoder.of(TimestampedValue.TimestampedValueCoder.of(element));
  }
}
