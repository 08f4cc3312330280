package dev.loggardener.pipeline;

import dev.loggardener.cluster.ClusterPane;
import dev.loggardener.cluster.ClusterStats;
import dev.loggardener.cluster.Observation;
import dev.loggardener.cluster.PaneStats;
import dev.loggardener.cluster.PaneTiming;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.CombiningState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Per fingerprint and window pane: counts, first and last seen, samples and distinct counts, as a
 * {@link ClusterPane} that carries its window and pane timing.
 *
 * <p>The window is stated once, in {@link #windowing}: fixed windows of {@code size}; in batch (no
 * lateness, no early firing) Beam's default trigger, one pane per window; in streaming, panes when
 * the watermark passes the window, early panes every {@code earlyFiring} of processing time, late
 * panes for entries within {@code allowedLateness}, accumulating, and a final pane when the window
 * expires.
 *
 * <p>Entries arrive in batches. PartialCounts folds a bundle's batches into one {@link
 * ClusterStats} per fingerprint and window, assigned by the same {@link FixedWindows} and stamped
 * with the earliest event time in it; Window puts each partial count in its window, and Combine
 * merges the partial counts of a window pane. Lateness belongs to a window, and a partial count
 * holds entries of one window that arrived together, so panes, lateness and dropping are those the
 * entries would have had one by one (CountPerFingerprintTest checks each case). Memory in front of
 * the Combine follows fingerprints × windows × bundles, not entries.
 */
public final class CountPerFingerprint
    extends PTransform<PCollection<List<TimestampedValue<Observation>>>, PCollection<ClusterPane>> {
  private final FixedWindows windows;
  private final Duration allowedLateness;
  private final Duration earlyFiring;
  private final RedactionConfig redaction;
  private final int shards;
  private final int maxPerService;

  /**
   * @param size the windows' length
   * @param allowedLateness how long after a window's end its late entries still count; zero (with
   *     no early firing) for a batch run, where no entry is late
   * @param earlyFiring how often a window still open fires an early pane; zero for none
   * @param redaction for the samples each pane keeps
   * @param shards in batch, the keys the count is spread over: each holds a shard of the
   *     fingerprints (see {@link PaneStats})
   * @param maxPerService the fingerprints a service may have in a window; the entries of the others
   *     are counted in one overflow row per service and window
   */
  public CountPerFingerprint(
      Duration size,
      Duration allowedLateness,
      Duration earlyFiring,
      RedactionConfig redaction,
      int shards,
      int maxPerService) {
    this.windows = FixedWindows.of(size);
    this.allowedLateness = allowedLateness;
    this.earlyFiring = earlyFiring;
    this.redaction = redaction;
    this.shards = shards;
    this.maxPerService = maxPerService;
  }

  static final Coder<KV<String, PaneStats>> PARTIAL_CODER =
      KvCoder.of(StringUtf8Coder.of(), Coders.PANE_STATS);

  private boolean batch() {
    return allowedLateness.equals(Duration.ZERO) && !earlyFiring.isLongerThan(Duration.ZERO);
  }

  /**
   * The cap, where one accumulator holds many fingerprints (batch, keyed by shard); in streaming
   * every fingerprint is a key of its own, and {@link CapFingerprints} caps them before the count.
   */
  private int cap() {
    return batch() ? maxPerService : Integer.MAX_VALUE;
  }

  /** The window, trigger, lateness and accumulation of the count, in one statement. */
  Window<KV<String, PaneStats>> windowing() {
    if (batch()) {
      // Batch: Beam's default trigger, one pane per window when the watermark passes it. Runners
      // lift a Combine under the default trigger (partial counts per bundle), so memory follows
      // the clusters rather than the entries.
      return Window.<KV<String, PaneStats>>into(windows);
    }
    return Window.<KV<String, PaneStats>>into(windows)
        .triggering(
            earlyFiring.isLongerThan(Duration.ZERO)
                ? AfterWatermark.pastEndOfWindow()
                    .withEarlyFirings(
                        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiring))
                    .withLateFirings(
                        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiring))
                : AfterWatermark.pastEndOfWindow()
                    .withLateFirings(AfterPane.elementCountAtLeast(1)))
        .withAllowedLateness(allowedLateness, Window.ClosingBehavior.FIRE_ALWAYS)
        .accumulatingFiredPanes();
  }

  @Override
  public PCollection<ClusterPane> expand(
      PCollection<List<TimestampedValue<Observation>>> observations) {
    PCollection<List<TimestampedValue<Observation>>> admitted =
        batch()
            ? observations
            : observations.apply(
                "CapFingerprints", new CapFingerprints(windows, allowedLateness, maxPerService));
    PCollection<KV<String, PaneStats>> partials =
        admitted
            .apply("PartialCounts", ParDo.of(new PartialFn(windows, batch() ? shards : 0, cap())))
            .setCoder(PARTIAL_CODER)
            .apply("Window", windowing());
    PCollection<KV<String, PaneStats>> counted =
        batch()
            // A window has one pane; the partial counts are merged as they arrive (a runner that
            // does not lift the Combine, as the DirectRunner in streaming mode, would otherwise
            // keep every partial count of every open window until the window fires).
            ? partials.apply("CountInState", ParDo.of(new CountInStateFn(cap())))
            : partials.apply("Combine", Combine.perKey(new MergeFn(cap())));
    return counted
        .setCoder(PARTIAL_CODER)
        .apply("DescribePanes", ParDo.of(new DescribeFn(redaction, maxPerService, batch())))
        .setCoder(Coders.CLUSTER_PANE);
  }

  /**
   * One partial count per key and window of a bundle, emitted when the bundle finishes (or when a
   * bundle has touched {@link #MAX_CELLS} fingerprints), as a runner's own combiner lifting does.
   * The key is the fingerprint in streaming, where each fingerprint has panes of its own; in batch,
   * where each window has one pane, a shard of fingerprints, so that a window's pane is one element
   * per shard rather than one per fingerprint.
   */
  static final class PartialFn
      extends DoFn<List<TimestampedValue<Observation>>, KV<String, PaneStats>> {
    static final int MAX_CELLS = 10_000;

    private final FixedWindows windows;
    private final int shards;
    private final int cap;
    private transient Map<Cell, Partial> cells;
    private transient int fingerprints;
    private transient IntervalWindow lastWindow;

    /**
     * @param shards 0 to key by fingerprint, else the number of shards
     */
    PartialFn(FixedWindows windows, int shards, int cap) {
      this.windows = windows;
      this.shards = shards;
      this.cap = cap;
    }

    /** The window {@link #windows} assigns to an event time; entries come in runs of one window. */
    private IntervalWindow windowOf(Instant t) {
      IntervalWindow w = lastWindow;
      if (w == null || t.isBefore(w.start()) || !t.isBefore(w.end())) {
        w = windows.assignWindow(t);
        lastWindow = w;
      }
      return w;
    }

    private String keyOf(String fingerprint) {
      return shards == 0
          ? fingerprint
          : shards == 1 ? "0" : Integer.toString(Math.floorMod(fingerprint.hashCode(), shards));
    }

    /** A key in an event-time window, within the window the input element was in. */
    private record Cell(String key, IntervalWindow window, BoundedWindow inputWindow) {}

    private static final class Partial {
      final PaneStats stats = new PaneStats();
      Instant earliest = BoundedWindow.TIMESTAMP_MAX_VALUE;
    }

    @StartBundle
    public void startBundle() {
      cells = new HashMap<>();
      fingerprints = 0;
    }

    /**
     * A flush in the middle of a bundle emits partial counts of entries that came earlier in the
     * bundle, at their own earliest event time, which may be before the current batch's. That is
     * what a flush at the bundle's end does too, and is never late: the runner holds the watermark
     * at the bundle's earliest input until the bundle is done.
     */
    @SuppressWarnings("deprecation") // the documented way; there is no other for this case
    @Override
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }

    @ProcessElement
    public void process(
        @Element List<TimestampedValue<Observation>> batch,
        BoundedWindow inputWindow,
        OutputReceiver<KV<String, PaneStats>> out) {
      for (TimestampedValue<Observation> v : batch) {
        Cell cell =
            new Cell(keyOf(v.getValue().fingerprint()), windowOf(v.getTimestamp()), inputWindow);
        Partial p = cells.computeIfAbsent(cell, c -> new Partial());
        if (p.stats.add(v.getValue())) {
          fingerprints++;
        }
        if (v.getTimestamp().isBefore(p.earliest)) {
          p.earliest = v.getTimestamp();
        }
      }
      if (fingerprints >= MAX_CELLS) {
        flush((kv, at, w) -> out.outputWithTimestamp(kv, at));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      flush(context::output);
    }

    private interface Emit {
      void emit(KV<String, PaneStats> kv, Instant at, BoundedWindow window);
    }

    /** Emits every partial count at its earliest entry's event time, in a fixed order. */
    private void flush(Emit emit) {
      cells.entrySet().stream()
          .sorted(
              Comparator.comparing((Map.Entry<Cell, Partial> e) -> e.getKey().window())
                  .thenComparing(e -> e.getKey().key()))
          .forEach(
              e -> {
                e.getValue().stats.capPerService(cap);
                emit.emit(
                    KV.of(e.getKey().key(), e.getValue().stats),
                    e.getValue().earliest,
                    e.getKey().inputWindow());
              });
      cells.clear();
      fingerprints = 0;
    }
  }

  /** Merges partial counts: the Combine's input is already an accumulator. */
  static final class MergeFn extends Combine.CombineFn<PaneStats, PaneStats, PaneStats> {
    private final int cap;

    MergeFn(int cap) {
      this.cap = cap;
    }

    @Override
    public PaneStats createAccumulator() {
      return new PaneStats();
    }

    @Override
    public PaneStats addInput(PaneStats acc, PaneStats partial) {
      acc.merge(partial, cap);
      return acc;
    }

    /**
     * Merges into the largest accumulator, which Beam allows (the arguments may be modified and one
     * of them returned). The DirectRunner copies a state cell by merging a decoded clone with an
     * empty accumulator, once per bundle that touches it: that copy is then the clone itself.
     */
    @Override
    public PaneStats mergeAccumulators(Iterable<PaneStats> accs) {
      List<PaneStats> all = new java.util.ArrayList<>();
      accs.forEach(all::add);
      PaneStats out = null;
      for (PaneStats a : all) {
        if (out == null || a.size() > out.size()) {
          out = a;
        }
      }
      if (out == null) {
        return createAccumulator();
      }
      for (PaneStats a : all) {
        if (a != out) {
          out.merge(a, cap);
        }
      }
      out.capPerService(cap);
      return out;
    }

    @Override
    public PaneStats extractOutput(PaneStats acc) {
      return acc;
    }

    @Override
    public Coder<PaneStats> getAccumulatorCoder(CoderRegistry registry, Coder<PaneStats> inputCoder)
        throws CannotProvideCoderException {
      return Coders.PANE_STATS;
    }
  }

  /**
   * Batch: a key's partial counts of a window merged into one state cell as they arrive, emitted
   * once when the watermark passes the window's end (the window's one pane).
   */
  static final class CountInStateFn extends DoFn<KV<String, PaneStats>, KV<String, PaneStats>> {
    @StateId("count")
    private final StateSpec<CombiningState<PaneStats, PaneStats, PaneStats>> countSpec;

    @StateId("key")
    private final StateSpec<ValueState<String>> keySpec = StateSpecs.value(StringUtf8Coder.of());

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    CountInStateFn(int cap) {
      countSpec = StateSpecs.combining(Coders.PANE_STATS, new MergeFn(cap));
    }

    @ProcessElement
    public void process(
        @Element KV<String, PaneStats> partial,
        BoundedWindow window,
        @StateId("count") CombiningState<PaneStats, PaneStats, PaneStats> count,
        @StateId("key") ValueState<String> key,
        @TimerId("end") Timer end) {
      count.add(partial.getValue());
      if (key.read() == null) {
        key.write(partial.getKey());
        end.set(window.maxTimestamp());
      }
    }

    @OnTimer("end")
    public void onEnd(
        @StateId("count") CombiningState<PaneStats, PaneStats, PaneStats> count,
        @StateId("key") ValueState<String> key,
        OutputReceiver<KV<String, PaneStats>> out) {
      out.output(KV.of(key.read(), count.read()));
      count.clear();
      key.clear();
    }
  }

  /** A pane of the count as plain facts, one per fingerprint: window and timing in each row. */
  static final class DescribeFn extends DoFn<KV<String, PaneStats>, ClusterPane> {
    private final RedactionConfig redaction;
    private final int cap;
    private final boolean onePanePerWindow;
    private final org.apache.beam.sdk.metrics.Counter overflow =
        org.apache.beam.sdk.metrics.Metrics.counter(
            GardenerMetrics.NAMESPACE, GardenerMetrics.OVERFLOW);
    private transient Redactor redactor;

    /**
     * @param onePanePerWindow batch: the input comes from {@link CountInStateFn}, one final on-time
     *     pane per window, rather than from a trigger's panes
     */
    DescribeFn(RedactionConfig redaction, int cap, boolean onePanePerWindow) {
      this.redaction = redaction;
      this.cap = cap;
      this.onePanePerWindow = onePanePerWindow;
    }

    @Setup
    public void setUp() {
      redactor = new Redactor(redaction);
    }

    @ProcessElement
    public void process(
        @Element KV<String, PaneStats> element,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<ClusterPane> out) {
      java.time.Instant start = java.time.Instant.ofEpochMilli(window.start().getMillis());
      java.time.Instant end = java.time.Instant.ofEpochMilli(window.end().getMillis());
      PaneTiming timing =
          onePanePerWindow ? PaneTiming.ON_TIME : PaneTiming.valueOf(pane.getTiming().name());
      long paneIndex = onePanePerWindow ? 0 : pane.getIndex();
      boolean last = onePanePerWindow || pane.isLast();
      for (Map.Entry<String, ClusterStats> e : element.getValue().byFingerprint().entrySet()) {
        String overflowOf = PaneStats.overflowService(e.getKey());
        ClusterPane p =
            overflowOf == null
                ? ClusterPane.of(
                    e.getKey(),
                    e.getValue(),
                    start,
                    end,
                    timing,
                    paneIndex,
                    last,
                    redactor::redactJson)
                : ClusterPane.overflow(
                    overflowOf,
                    cap,
                    e.getValue(),
                    start,
                    end,
                    timing,
                    paneIndex,
                    last,
                    redactor::redactJson);
        if (overflowOf != null && last) {
          overflow.inc(p.entryCount());
        }
        out.output(p);
      }
    }
  }
}
