package dev.loggardener.pipeline;

import dev.loggardener.logentry.Digests;
import dev.loggardener.logentry.LogEntry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Drops redelivered entries. Cloud Logging and Pub/Sub both deliver at least once, and a redelivery
 * carries the same insertId (entries without one are keyed by a digest of their whole text). The
 * first copy passes; the key is remembered until the watermark is {@code horizon} past the entry,
 * by which time its window has closed and a copy could no longer count anyway. The state is sharded
 * by the key's hash ({@link #SHARDS} shards), so the set of keys, not one state cell per entry, is
 * what the runner holds.
 */
public final class DeduplicateEntries
    extends PTransform<PCollection<LogEntry>, PCollection<LogEntry>> {
  private final Duration horizon;

  public DeduplicateEntries(Duration horizon) {
    this.horizon = horizon;
  }

  /** The key two deliveries of one entry share. */
  static String keyOf(LogEntry e) {
    if (e.insertId() != null && !e.insertId().isEmpty()) {
      return e.logName() == null ? e.insertId() : e.logName() + "\0" + e.insertId();
    }
    return "sha256:" + Digests.shortSha256(e.rawJson());
  }

  /**
   * Keys of the dedup state: the entry key's hash modulo this. One key per entry would be exact
   * too, but every key costs the runner a state cell and a timer; shards keep that to a few hundred
   * while still spreading the work.
   */
  static final int SHARDS = 8;

  @Override
  public PCollection<LogEntry> expand(PCollection<LogEntry> entries) {
    return entries
        .apply(
            "KeyByInsertId",
            WithKeys.of((LogEntry e) -> Math.floorMod(keyOf(e).hashCode(), SHARDS))
                .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), SerializableCoder.of(LogEntry.class)))
        .apply("FirstDelivery", ParDo.of(new FirstFn(horizon)))
        .setCoder(SerializableCoder.of(LogEntry.class));
  }

  /**
   * Per shard: every key seen, with the event time after which it can be forgotten. One timer per
   * shard, set to the earliest such time, sweeps the expired keys.
   */
  static final class FirstFn extends DoFn<KV<Integer, LogEntry>, LogEntry> {
    private final Duration horizon;
    private final Counter duplicates =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.DUPLICATES);

    @StateId("seen")
    private final StateSpec<MapState<String, Long>> seenSpec =
        StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

    @StateId("nextSweep")
    private final StateSpec<ValueState<Long>> nextSweepSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("sweep")
    private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    FirstFn(Duration horizon) {
      this.horizon = horizon;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, LogEntry> element,
        @Timestamp Instant timestamp,
        @StateId("seen") MapState<String, Long> seen,
        @StateId("nextSweep") ValueState<Long> nextSweep,
        @TimerId("sweep") Timer sweep,
        OutputReceiver<LogEntry> out) {
      LogEntry e = element.getValue();
      String key = keyOf(e);
      long forgetAt = timestamp.plus(horizon).getMillis();
      Long known = seen.get(key).read();
      if (known != null) {
        duplicates.inc();
        if (forgetAt > known) {
          seen.put(key, forgetAt);
        }
        return;
      }
      seen.put(key, forgetAt);
      Long next = nextSweep.read();
      if (next == null || forgetAt < next) {
        nextSweep.write(forgetAt);
        sweep.withNoOutputTimestamp().set(new Instant(forgetAt));
      }
      out.output(e);
    }

    @OnTimer("sweep")
    public void sweep(
        @StateId("seen") MapState<String, Long> seen,
        @StateId("nextSweep") ValueState<Long> nextSweep,
        @TimerId("sweep") Timer sweep) {
      // The time the timer was set for, which the watermark has passed. (The timer has no output
      // timestamp, so @Timestamp here would not be that time.)
      Long due = nextSweep.read();
      if (due == null) {
        return;
      }
      long next = Long.MAX_VALUE;
      java.util.List<String> expired = new java.util.ArrayList<>();
      for (java.util.Map.Entry<String, Long> k : seen.entries().read()) {
        if (k.getValue() <= due) {
          expired.add(k.getKey());
        } else {
          next = Math.min(next, k.getValue());
        }
      }
      expired.forEach(seen::remove);
      if (next == Long.MAX_VALUE) {
        nextSweep.clear();
      } else {
        nextSweep.write(next);
        sweep.withNoOutputTimestamp().set(new Instant(next));
      }
    }
  }
}
