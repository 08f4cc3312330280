package dev.loggardener.pipeline;

import dev.loggardener.logentry.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
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
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
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
    extends PTransform<
        PCollection<List<TimestampedValue<LogEntry>>>,
        PCollection<List<TimestampedValue<LogEntry>>>> {
  private final Duration horizon;
  private final int shards;

  /**
   * @param shards keys the state is spread over (see {@link GardenerOptions#getStateShards})
   */
  public DeduplicateEntries(Duration horizon, int shards) {
    this.horizon = horizon;
    this.shards = shards;
  }

  /** The key two deliveries of one entry share. */
  static String keyOf(LogEntry e) {
    if (e.insertId() != null && !e.insertId().isEmpty()) {
      return e.logName() == null ? e.insertId() : e.logName() + "\0" + e.insertId();
    }
    return "sha256:" + (e.rawJson() == null ? "" : e.rawJson().digest());
  }

  @Override
  public PCollection<List<TimestampedValue<LogEntry>>> expand(
      PCollection<List<TimestampedValue<LogEntry>>> entries) {
    return entries
        .apply("KeyByInsertId", ParDo.of(new Shard<LogEntry>(shards, DeduplicateEntries::keyOf)))
        .setCoder(KvCoder.of(VarIntCoder.of(), Batches.ENTRIES))
        .apply("FirstDelivery", ParDo.of(new FirstFn(horizon)))
        .setCoder(Batches.ENTRIES);
  }

  /**
   * Splits a batch by the shard of each entry's key: the sub-batch for a shard, keyed by it. One
   * shard's state is then touched once per batch, however many entries it holds.
   */
  static final class Shard<T>
      extends DoFn<List<TimestampedValue<T>>, KV<Integer, List<TimestampedValue<T>>>> {
    private final int shards;
    private final SerializableFunction<T, String> keyOf;

    Shard(int shards, SerializableFunction<T, String> keyOf) {
      this.shards = shards;
      this.keyOf = keyOf;
    }

    @ProcessElement
    public void process(
        @Element List<TimestampedValue<T>> batch,
        OutputReceiver<KV<Integer, List<TimestampedValue<T>>>> out) {
      if (shards == 1) {
        out.output(KV.of(0, batch));
        return;
      }
      Map<Integer, List<TimestampedValue<T>>> byShard = new TreeMap<>();
      for (TimestampedValue<T> v : batch) {
        int shard = Math.floorMod(keyOf.apply(v.getValue()).hashCode(), shards);
        byShard.computeIfAbsent(shard, k -> new ArrayList<>()).add(v);
      }
      byShard.forEach((shard, part) -> out.output(KV.of(shard, part)));
    }
  }

  /**
   * Per shard: the keys seen, with the event time after which each can be forgotten. One timer per
   * shard sweeps the expired keys; it is set on a grid of {@code horizon}, so a shard is swept at
   * most once per horizon of event time.
   */
  static final class FirstFn
      extends DoFn<
          KV<Integer, List<TimestampedValue<LogEntry>>>, List<TimestampedValue<LogEntry>>> {
    private final Duration horizon;
    private final Counter duplicates =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.DUPLICATES);

    @StateId("seen")
    private final StateSpec<ValueState<SeenKeys>> seenSpec =
        StateSpecs.value(SeenKeys.Coder.INSTANCE);

    @StateId("nextSweep")
    private final StateSpec<ValueState<Long>> nextSweepSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("sweep")
    private final TimerSpec sweepSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    FirstFn(Duration horizon) {
      this.horizon = horizon;
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, List<TimestampedValue<LogEntry>>> element,
        @StateId("seen") ValueState<SeenKeys> state,
        @StateId("nextSweep") ValueState<Long> nextSweep,
        @TimerId("sweep") Timer sweep,
        OutputReceiver<List<TimestampedValue<LogEntry>>> out) {
      SeenKeys seen = state.read();
      if (seen == null) {
        seen = new SeenKeys();
      }
      List<TimestampedValue<LogEntry>> firsts = new ArrayList<>(element.getValue().size());
      long earliestDue = Long.MAX_VALUE;
      for (TimestampedValue<LogEntry> v : element.getValue()) {
        long forgetAt = v.getTimestamp().plus(horizon).getMillis();
        if (seen.add(keyOf(v.getValue()), forgetAt)) {
          firsts.add(v);
          earliestDue = Math.min(earliestDue, onGrid(forgetAt));
        }
      }
      state.write(seen);
      duplicates.inc(element.getValue().size() - firsts.size());
      if (firsts.isEmpty()) {
        return;
      }
      Long next = nextSweep.read();
      if (next == null || earliestDue < next) {
        nextSweep.write(earliestDue);
        sweep.withNoOutputTimestamp().set(new Instant(earliestDue));
      }
      out.output(firsts);
    }

    /** The next multiple of the horizon at or after t. */
    private long onGrid(long t) {
      long step = Math.max(1, horizon.getMillis());
      return Math.floorDiv(t + step - 1, step) * step;
    }

    @OnTimer("sweep")
    public void sweep(
        @StateId("seen") ValueState<SeenKeys> state,
        @StateId("nextSweep") ValueState<Long> nextSweep,
        @TimerId("sweep") Timer sweep) {
      // The time the timer was set for, which the watermark has passed. (The timer has no output
      // timestamp, so @Timestamp here would not be that time.)
      Long due = nextSweep.read();
      SeenKeys seen = state.read();
      if (due == null || seen == null) {
        return;
      }
      long next = seen.forgetUpTo(due);
      if (seen.size() == 0) {
        state.clear();
        nextSweep.clear();
      } else {
        state.write(seen);
        long at = onGrid(next);
        nextSweep.write(at);
        sweep.withNoOutputTimestamp().set(new Instant(at));
      }
    }
  }
}
