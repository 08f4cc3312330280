package dev.loggardener.pipeline;

import dev.loggardener.cluster.ClusterPane;
import dev.loggardener.cluster.ClusterStats;
import dev.loggardener.cluster.Observation;
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

  /**
   * @param size the windows' length
   * @param allowedLateness how long after a window's end its late entries still count; zero (with
   *     no early firing) for a batch run, where no entry is late
   * @param earlyFiring how often a window still open fires an early pane; zero for none
   * @param redaction for the samples each pane keeps
   */
  public CountPerFingerprint(
      Duration size, Duration allowedLateness, Duration earlyFiring, RedactionConfig redaction) {
    this.windows = FixedWindows.of(size);
    this.allowedLateness = allowedLateness;
    this.earlyFiring = earlyFiring;
    this.redaction = redaction;
  }

  static final Coder<KV<String, ClusterStats>> PARTIAL_CODER =
      KvCoder.of(StringUtf8Coder.of(), Coders.CLUSTER_STATS);

  /** The window, trigger, lateness and accumulation of the count, in one statement. */
  Window<KV<String, ClusterStats>> windowing() {
    if (allowedLateness.equals(Duration.ZERO) && !earlyFiring.isLongerThan(Duration.ZERO)) {
      // Batch: Beam's default trigger, one pane per window when the watermark passes it. Runners
      // lift a Combine under the default trigger (partial counts per bundle), so memory follows
      // the clusters rather than the entries.
      return Window.<KV<String, ClusterStats>>into(windows);
    }
    return Window.<KV<String, ClusterStats>>into(windows)
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
    return observations
        .apply("PartialCounts", ParDo.of(new PartialFn(windows)))
        .setCoder(PARTIAL_CODER)
        .apply("Window", windowing())
        .apply("Combine", Combine.perKey(new MergeFn()))
        .setCoder(PARTIAL_CODER)
        .apply("DescribePanes", ParDo.of(new DescribeFn(redaction)))
        .setCoder(Coders.CLUSTER_PANE);
  }

  /**
   * One partial count per fingerprint and window of a bundle, emitted when the bundle finishes (or
   * when a bundle has touched {@link #MAX_CELLS} of them), as a runner's own combiner lifting does.
   */
  static final class PartialFn
      extends DoFn<List<TimestampedValue<Observation>>, KV<String, ClusterStats>> {
    static final int MAX_CELLS = 10_000;

    private final FixedWindows windows;
    private transient Map<Cell, Partial> cells;
    private transient IntervalWindow lastWindow;

    PartialFn(FixedWindows windows) {
      this.windows = windows;
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

    /** A fingerprint in an event-time window, within the window the input element was in. */
    private record Cell(String fingerprint, IntervalWindow window, BoundedWindow inputWindow) {}

    private static final class Partial {
      final ClusterStats stats = new ClusterStats();
      Instant earliest = BoundedWindow.TIMESTAMP_MAX_VALUE;
    }

    @StartBundle
    public void startBundle() {
      cells = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element List<TimestampedValue<Observation>> batch,
        BoundedWindow inputWindow,
        OutputReceiver<KV<String, ClusterStats>> out) {
      for (TimestampedValue<Observation> v : batch) {
        Cell cell = new Cell(v.getValue().fingerprint(), windowOf(v.getTimestamp()), inputWindow);
        Partial p = cells.computeIfAbsent(cell, c -> new Partial());
        p.stats.add(v.getValue());
        if (v.getTimestamp().isBefore(p.earliest)) {
          p.earliest = v.getTimestamp();
        }
      }
      if (cells.size() >= MAX_CELLS) {
        flush((kv, at, w) -> out.outputWithTimestamp(kv, at));
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      flush(context::output);
    }

    private interface Emit {
      void emit(KV<String, ClusterStats> kv, Instant at, BoundedWindow window);
    }

    /** Emits every partial count at its earliest entry's event time, in a fixed order. */
    private void flush(Emit emit) {
      cells.entrySet().stream()
          .sorted(
              Comparator.comparing((Map.Entry<Cell, Partial> e) -> e.getKey().window())
                  .thenComparing(e -> e.getKey().fingerprint()))
          .forEach(
              e ->
                  emit.emit(
                      KV.of(e.getKey().fingerprint(), e.getValue().stats),
                      e.getValue().earliest,
                      e.getKey().inputWindow()));
      cells.clear();
    }
  }

  /** Merges partial counts: the Combine's input is already an accumulator. */
  static final class MergeFn extends Combine.CombineFn<ClusterStats, ClusterStats, ClusterStats> {
    @Override
    public ClusterStats createAccumulator() {
      return new ClusterStats();
    }

    @Override
    public ClusterStats addInput(ClusterStats acc, ClusterStats partial) {
      acc.merge(partial);
      return acc;
    }

    @Override
    public ClusterStats mergeAccumulators(Iterable<ClusterStats> accs) {
      ClusterStats out = new ClusterStats();
      for (ClusterStats a : accs) {
        out.merge(a);
      }
      return out;
    }

    @Override
    public ClusterStats extractOutput(ClusterStats acc) {
      return acc;
    }

    @Override
    public Coder<ClusterStats> getAccumulatorCoder(
        CoderRegistry registry, Coder<ClusterStats> inputCoder) throws CannotProvideCoderException {
      return Coders.CLUSTER_STATS;
    }
  }

  /** A pane of the count as plain facts: its window and timing written into the row. */
  static final class DescribeFn extends DoFn<KV<String, ClusterStats>, ClusterPane> {
    private final RedactionConfig redaction;
    private transient Redactor redactor;

    DescribeFn(RedactionConfig redaction) {
      this.redaction = redaction;
    }

    @Setup
    public void setUp() {
      redactor = new Redactor(redaction);
    }

    @ProcessElement
    public void process(
        @Element KV<String, ClusterStats> element,
        IntervalWindow window,
        PaneInfo pane,
        OutputReceiver<ClusterPane> out) {
      out.output(
          ClusterPane.of(
              element.getKey(),
              element.getValue(),
              java.time.Instant.ofEpochMilli(window.start().getMillis()),
              java.time.Instant.ofEpochMilli(window.end().getMillis()),
              PaneTiming.valueOf(pane.getTiming().name()),
              pane.getIndex(),
              pane.isLast(),
              redactor::redactJson));
    }
  }
}
