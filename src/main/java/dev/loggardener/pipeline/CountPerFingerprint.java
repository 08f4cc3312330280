package dev.loggardener.pipeline;

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
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
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
 * <p>Entries arrive in batches. PartialCounts folds each batch into one {@link ClusterStats} per
 * fingerprint and event-time window, stamped with the earliest event time it holds; Window then
 * puts each partial count in its window, and Combine merges the partial counts of a window pane. A
 * partial count is only ever as late as its earliest entry, so lateness, panes and triggers are
 * those of the entries themselves; a Pub/Sub batch holds one entry, so streaming panes are exactly
 * per entry. Memory in front of the Combine follows fingerprints × windows × batches in flight, not
 * entries.
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

  /** One partial count per fingerprint and window of a batch. */
  static final class PartialFn
      extends DoFn<List<TimestampedValue<Observation>>, KV<String, ClusterStats>> {
    private final FixedWindows windows;

    PartialFn(Duration windowSize) {
      this.windows = FixedWindows.of(windowSize);
    }

    private record Cell(String fingerprint, IntervalWindow window) {}

    @ProcessElement
    public void process(
        @Element List<TimestampedValue<Observation>> batch,
        OutputReceiver<KV<String, ClusterStats>> out) {
      Map<Cell, ClusterStats> cells = new HashMap<>();
      Map<Cell, Instant> earliest = new HashMap<>();
      for (TimestampedValue<Observation> v : batch) {
        Cell cell = new Cell(v.getValue().fingerprint(), windows.assignWindow(v.getTimestamp()));
        cells.computeIfAbsent(cell, c -> new ClusterStats()).add(v.getValue());
        earliest.merge(cell, v.getTimestamp(), (a, b) -> a.isBefore(b) ? a : b);
      }
      // In a fixed order, so that a replayed batch emits the same elements in the same order.
      cells.entrySet().stream()
          .sorted(
              java.util.Comparator.comparing(
                      (Map.Entry<Cell, ClusterStats> e) -> e.getKey().window())
                  .thenComparing(e -> e.getKey().fingerprint()))
          .forEach(
              e ->
                  out.outputWithTimestamp(
                      KV.of(e.getKey().fingerprint(), e.getValue()), earliest.get(e.getKey())));
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
