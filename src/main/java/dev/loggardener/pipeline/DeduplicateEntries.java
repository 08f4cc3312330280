package dev.loggardener.pipeline;

import dev.loggardener.logentry.LogEntry;
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
  public PCollection<LogEntry> expand(PCollection<LogEntry> entries) {
    return entries
        .apply(
            "KeyByInsertId",
            WithKeys.of((LogEntry e) -> Math.floorMod(keyOf(e).hashCode(), shards))
                .withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), Coders.LogEntryCoder.INSTANCE))
        .apply("FirstDelivery", ParDo.of(new FirstFn(horizon)))
        .setCoder(Coders.LogEntryCoder.INSTANCE);
  }

  /**
   * Per shard: the keys seen, with the event time after which each can be forgotten. One timer per
   * shard sweeps the expired keys; it is set on a grid of {@code horizon}, so a shard is swept at
   * most once per horizon of event time.
   */
  static final class FirstFn extends DoFn<KV<Integer, LogEntry>, LogEntry> {
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
        @Element KV<Integer, LogEntry> element,
        @Timestamp Instant timestamp,
        @StateId("seen") ValueState<SeenKeys> state,
        @StateId("nextSweep") ValueState<Long> nextSweep,
        @TimerId("sweep") Timer sweep,
        OutputReceiver<LogEntry> out) {
      LogEntry e = element.getValue();
      long forgetAt = timestamp.plus(horizon).getMillis();
      SeenKeys seen = state.read();
      if (seen == null) {
        seen = new SeenKeys();
      }
      boolean first = seen.add(keyOf(e), forgetAt);
      state.write(seen);
      if (!first) {
        duplicates.inc();
        return;
      }
      long due = onGrid(forgetAt);
      Long next = nextSweep.read();
      if (next == null || due < next) {
        nextSweep.write(due);
        sweep.withNoOutputTimestamp().set(new Instant(due));
      }
      out.output(e);
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
