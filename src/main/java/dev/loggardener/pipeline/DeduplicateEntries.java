package dev.loggardener.pipeline;

import dev.loggardener.logentry.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
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
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Drops redelivered entries. Cloud Logging and Pub/Sub both deliver at least once, and a redelivery
 * carries the same insertId and timestamp (entries without an insertId are keyed by a digest of
 * their whole text). The first copy passes.
 *
 * <p>State is kept per cell: a span of {@code horizon} of event time, times a shard of the key's
 * hash. Two deliveries of one entry have the same event time, so they meet in one cell. A cell is
 * dropped whole once the watermark is a horizon past its end, by which time every window its
 * entries could count in has closed. A cell holds only its span's keys, so what a runner copies or
 * stores per bundle follows the traffic of one horizon, not everything seen since the start.
 */
public final class DeduplicateEntries
    extends PTransform<
        PCollection<List<TimestampedValue<LogEntry>>>,
        PCollection<List<TimestampedValue<LogEntry>>>> {
  private final Duration horizon;
  private final int shards;

  /**
   * @param horizon how long a key is remembered after its entry's event time, at least
   * @param shards keys the state of one span is spread over (see {@link
   *     GardenerOptions#getStateShards})
   */
  public DeduplicateEntries(Duration horizon, int shards) {
    this.horizon = horizon.isLongerThan(Duration.ZERO) ? horizon : Duration.standardMinutes(1);
    this.shards = shards;
  }

  /** The key two deliveries of one entry share: log, insertId and timestamp, as Cloud Logging's. */
  static String keyOf(LogEntry e) {
    if (e.insertId() != null && !e.insertId().isEmpty()) {
      return (e.logName() == null ? "" : e.logName())
          + "\0"
          + e.insertId()
          + "\0"
          + (e.timestamp() == null ? "" : e.timestamp().toString());
    }
    return "sha256:" + (e.rawJson() == null ? "" : e.rawJson().digest());
  }

  @Override
  public PCollection<List<TimestampedValue<LogEntry>>> expand(
      PCollection<List<TimestampedValue<LogEntry>>> entries) {
    return entries
        .apply("KeyByInsertId", ParDo.of(new CellFn(horizon.getMillis(), shards)))
        .setCoder(KvCoder.of(VarLongCoder.of(), Batches.ENTRIES))
        .apply("FirstDelivery", ParDo.of(new FirstFn(horizon.getMillis(), shards)))
        .setCoder(Batches.ENTRIES);
  }

  /**
   * A cell's number: its span of event time, times the shard count, plus the shard of the entry's
   * key. With one shard (the DirectRunner's default) the key is not built at all: FirstFn builds it
   * once, for the digest.
   */
  static long cellOf(long eventMillis, LogEntry e, long horizonMillis, int shards) {
    long span = Math.floorDiv(eventMillis, horizonMillis);
    return span * shards + (shards == 1 ? 0 : Math.floorMod(keyOf(e).hashCode(), shards));
  }

  /** Splits a batch by cell: each cell's part of the batch, keyed by the cell. */
  static final class CellFn
      extends DoFn<List<TimestampedValue<LogEntry>>, KV<Long, List<TimestampedValue<LogEntry>>>> {
    private final long horizonMillis;
    private final int shards;

    CellFn(long horizonMillis, int shards) {
      this.horizonMillis = horizonMillis;
      this.shards = shards;
    }

    @ProcessElement
    public void process(
        @Element List<TimestampedValue<LogEntry>> batch,
        OutputReceiver<KV<Long, List<TimestampedValue<LogEntry>>>> out) {
      Map<Long, List<TimestampedValue<LogEntry>>> byCell = new TreeMap<>();
      for (TimestampedValue<LogEntry> v : batch) {
        long cell = cellOf(v.getTimestamp().getMillis(), v.getValue(), horizonMillis, shards);
        byCell.computeIfAbsent(cell, k -> new ArrayList<>()).add(v);
      }
      byCell.forEach((cell, part) -> out.output(KV.of(cell, part)));
    }
  }

  /**
   * Per cell: the keys seen. One timer per cell drops its state once the watermark is a horizon
   * past the cell's end.
   */
  static final class FirstFn
      extends DoFn<KV<Long, List<TimestampedValue<LogEntry>>>, List<TimestampedValue<LogEntry>>> {
    private final long horizonMillis;
    private final int shards;
    private final Counter duplicates =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.DUPLICATES);

    @StateId("seen")
    private final StateSpec<ValueState<SeenKeys>> seenSpec =
        StateSpecs.value(SeenKeys.Coder.INSTANCE);

    @TimerId("expire")
    private final TimerSpec expireSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    FirstFn(long horizonMillis, int shards) {
      this.horizonMillis = horizonMillis;
      this.shards = shards;
    }

    @ProcessElement
    public void process(
        @Element KV<Long, List<TimestampedValue<LogEntry>>> element,
        @StateId("seen") ValueState<SeenKeys> state,
        @TimerId("expire") Timer expire,
        OutputReceiver<List<TimestampedValue<LogEntry>>> out) {
      SeenKeys seen = state.read();
      if (seen == null) {
        seen = new SeenKeys();
        long span = Math.floorDiv(element.getKey(), shards);
        expire.withNoOutputTimestamp().set(new Instant((span + 2) * horizonMillis));
      }
      List<TimestampedValue<LogEntry>> firsts = new ArrayList<>(element.getValue().size());
      for (TimestampedValue<LogEntry> v : element.getValue()) {
        if (seen.add(keyOf(v.getValue()))) {
          firsts.add(v);
        }
      }
      state.write(seen);
      duplicates.inc(element.getValue().size() - firsts.size());
      if (!firsts.isEmpty()) {
        out.output(firsts);
      }
    }

    @OnTimer("expire")
    public void expire(@StateId("seen") ValueState<SeenKeys> state) {
      state.clear();
    }
  }
}
