package dev.loggardener.pipeline;

import dev.loggardener.cluster.SeenKeys;
import dev.loggardener.logentry.LogEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
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
 * <p>State is kept per cell: a shard of the key's hash (the state's key) in a span of {@code
 * horizon} of event time (the state's window, see {@link SpanWindows}). Two deliveries of one entry
 * have the same event time, so they meet in one cell. The runner drops a span's state whole once
 * the watermark is a horizon past its end, by which time every window its entries could count in
 * has closed; an entry that late is dropped here, as the count's window would drop it, and Beam
 * counts it under {@code droppedDueToLateness}. A cell holds only its span's keys, so what a runner
 * copies or stores per bundle follows the traffic of one horizon, not everything seen since the
 * start. Spans are windows, not keys, so that a batch whose entries fall in many spans stays one
 * bundle for the steps after this one: on the DirectRunner each bundle of each step has a fixed
 * cost, and late entries would otherwise split every batch into a bundle per span. The output is
 * back in the global window.
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
          + (e.timestamp() == null
              ? ""
              : e.timestamp().getEpochSecond() + "." + e.timestamp().getNano());
    }
    return "sha256:" + (e.rawJson() == null ? "" : e.rawJson().digest());
  }

  @Override
  public PCollection<List<TimestampedValue<LogEntry>>> expand(
      PCollection<List<TimestampedValue<LogEntry>>> entries) {
    return entries
        .apply("KeyByInsertId", ParDo.of(new CellFn(horizon.getMillis(), shards)))
        .setCoder(KvCoder.of(VarIntCoder.of(), Batches.ENTRIES))
        .apply(
            "Spans",
            Window.<KV<Integer, List<TimestampedValue<LogEntry>>>>into(
                new SpanWindows(horizon.getMillis())))
        .apply("FirstDelivery", ParDo.of(new FirstFn()))
        .setCoder(Batches.ENTRIES)
        .apply(
            "Unwindow",
            Window.<List<TimestampedValue<LogEntry>>>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes());
  }

  /**
   * Assigns an entry in the span {@code [s, s + h)} of event time to the window {@code [s, s +
   * 2h)}, so the runner drops the span's state when the watermark passes {@code s + 2h}: a horizon
   * after the span's end. The window ends there rather than at the span's end, with no allowed
   * lateness, because runners hold a step's output watermark at the end of each window whose state
   * is still kept: with windows of the span alone and a horizon of lateness, everything after this
   * step would lag a horizon behind the input.
   */
  static final class SpanWindows extends NonMergingWindowFn<Object, IntervalWindow> {
    private static final long serialVersionUID = 1L;
    private final long horizonMillis;

    SpanWindows(long horizonMillis) {
      this.horizonMillis = horizonMillis;
    }

    @Override
    public Collection<IntervalWindow> assignWindows(AssignContext c) {
      long start = Math.floorDiv(c.timestamp().getMillis(), horizonMillis) * horizonMillis;
      return List.of(
          new IntervalWindow(new Instant(start), new Instant(start + 2 * horizonMillis)));
    }

    @Override
    public boolean isCompatible(WindowFn<?, ?> other) {
      return other instanceof SpanWindows o && o.horizonMillis == horizonMillis;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<IntervalWindow> windowCoder() {
      return IntervalWindow.getCoder();
    }

    @Override
    public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
      throw new UnsupportedOperationException("SpanWindows is not for side inputs");
    }
  }

  /** The shard of an entry's key. With one shard (the DirectRunner's default) no key is built. */
  static int shardOf(LogEntry e, int shards) {
    return shards == 1 ? 0 : Math.floorMod(keyOf(e).hashCode(), shards);
  }

  /**
   * Splits a batch by cell: each cell's part of the batch, keyed by its shard and stamped with its
   * earliest event time, which puts it in its span's window.
   */
  static final class CellFn
      extends DoFn<
          List<TimestampedValue<LogEntry>>, KV<Integer, List<TimestampedValue<LogEntry>>>> {
    private final long horizonMillis;
    private final int shards;

    CellFn(long horizonMillis, int shards) {
      this.horizonMillis = horizonMillis;
      this.shards = shards;
    }

    /** A span of event time and a shard. */
    private record Cell(long span, int shard) {}

    @ProcessElement
    public void process(
        @Element List<TimestampedValue<LogEntry>> batch,
        OutputReceiver<KV<Integer, List<TimestampedValue<LogEntry>>>> out) {
      Map<Cell, List<TimestampedValue<LogEntry>>> byCell = new LinkedHashMap<>();
      for (TimestampedValue<LogEntry> v : batch) {
        Cell cell =
            new Cell(
                Math.floorDiv(v.getTimestamp().getMillis(), horizonMillis),
                shardOf(v.getValue(), shards));
        byCell.computeIfAbsent(cell, k -> new ArrayList<>()).add(v);
      }
      byCell.forEach(
          (cell, part) -> {
            Instant earliest = part.get(0).getTimestamp();
            for (TimestampedValue<LogEntry> v : part) {
              if (v.getTimestamp().isBefore(earliest)) {
                earliest = v.getTimestamp();
              }
            }
            out.outputWithTimestamp(KV.of(cell.shard(), part), earliest);
          });
    }
  }

  /**
   * Per shard and span window: the keys seen. The runner drops a window's state once the watermark
   * is a horizon past the window's end.
   */
  static final class FirstFn
      extends DoFn<
          KV<Integer, List<TimestampedValue<LogEntry>>>, List<TimestampedValue<LogEntry>>> {
    private final Counter duplicates =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.DUPLICATES);

    @StateId("seen")
    private final StateSpec<ValueState<SeenKeys>> seenSpec = StateSpecs.value(Coders.SEEN_KEYS);

    @ProcessElement
    public void process(
        @Element KV<Integer, List<TimestampedValue<LogEntry>>> element,
        @StateId("seen") ValueState<SeenKeys> state,
        OutputReceiver<List<TimestampedValue<LogEntry>>> out) {
      SeenKeys seen = state.read();
      if (seen == null) {
        seen = new SeenKeys();
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
  }
}
