package dev.loggardener.pipeline;

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
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Per fingerprint and window pane: counts, first and last seen, samples and distinct counts.
 *
 * <p>Entries arrive in batches. PartialCounts folds a bundle's batches into one {@link
 * ClusterStats} per fingerprint and event-time window, stamped with the earliest event time in it;
 * Window puts each partial count in its window, and Combine merges the partial counts of a window
 * pane. Lateness belongs to a window, and a partial count holds entries of one window that arrived
 * together, so panes, lateness and dropping are those the entries would have had one by one (the
 * pane tests check this exactly). Memory in front of the Combine follows fingerprints × windows ×
 * bundles, not entries.
 */
public final class CountPerFingerprint
    extends PTransform<
        PCollection<List<TimestampedValue<Observation>>>, PCollection<KV<String, ClusterStats>>> {
  private final Duration windowSize;
  private final Window<KV<String, ClusterStats>> windowing;

  /**
   * @param windowing fixed windows of {@code windowSize}, with the trigger the job runs with
   */
  CountPerFingerprint(Duration windowSize, Window<KV<String, ClusterStats>> windowing) {
    this.windowSize = windowSize;
    this.windowing = windowing;
  }

  static final Coder<KV<String, ClusterStats>> PARTIAL_CODER =
      KvCoder.of(StringUtf8Coder.of(), Coders.ClusterStatsCoder.INSTANCE);

  @Override
  public PCollection<KV<String, ClusterStats>> expand(
      PCollection<List<TimestampedValue<Observation>>> observations) {
    return observations
        .apply("PartialCounts", ParDo.of(new PartialFn(windowSize)))
        .setCoder(PARTIAL_CODER)
        .apply("Window", windowing)
        .apply("Combine", Combine.perKey(new MergeFn()))
        .setCoder(PARTIAL_CODER);
  }

  /**
   * One partial count per fingerprint and window of a bundle, emitted when the bundle finishes (or
   * when a bundle has touched {@link #MAX_CELLS} of them), as a runner's own combiner lifting does.
   */
  static final class PartialFn
      extends DoFn<List<TimestampedValue<Observation>>, KV<String, ClusterStats>> {
    static final int MAX_CELLS = 10_000;

    private final long windowMillis;
    private transient Map<Cell, Partial> cells;
    private transient IntervalWindow lastWindow;

    PartialFn(Duration windowSize) {
      this.windowMillis = windowSize.getMillis();
    }

    /** The fixed window of an event time, as FixedWindows assigns it; the last one is reused. */
    private IntervalWindow windowOf(Instant t) {
      long start = Math.floorDiv(t.getMillis(), windowMillis) * windowMillis;
      IntervalWindow w = lastWindow;
      if (w == null || w.start().getMillis() != start) {
        w = new IntervalWindow(new Instant(start), new Instant(start + windowMillis));
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
      return Coders.ClusterStatsCoder.INSTANCE;
    }
  }
}
