package dev.loggardener.pipeline;

import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;

/**
 * Keeps the entries triage is about: at or above the minimum severity and, when there is an
 * allow-list, from a listed service. The rest are counted as out of scope, not dead letters: they
 * are valid entries the user chose not to triage.
 */
public final class FilterScope
    extends PTransform<
        PCollection<List<TimestampedValue<LogEntry>>>,
        PCollection<List<TimestampedValue<LogEntry>>>> {
  private final Severity minSeverity;
  private final Set<String> services;

  /**
   * @param services the allow-list; empty means every service
   */
  public FilterScope(Severity minSeverity, Set<String> services) {
    this.minSeverity = minSeverity;
    this.services = Set.copyOf(services);
  }

  @Override
  public PCollection<List<TimestampedValue<LogEntry>>> expand(
      PCollection<List<TimestampedValue<LogEntry>>> entries) {
    return entries
        .apply("InScope", ParDo.of(new ScopeFn(minSeverity, services)))
        .setCoder(entries.getCoder());
  }

  /** Whether triage is about the entry: severe enough, and from a listed service if any are. */
  static boolean inScope(LogEntry e, Severity minSeverity, Set<String> services) {
    return e.severity().atLeast(minSeverity)
        && (services.isEmpty() || services.contains(e.service()));
  }

  static final class ScopeFn
      extends DoFn<List<TimestampedValue<LogEntry>>, List<TimestampedValue<LogEntry>>> {
    private final Severity minSeverity;
    private final Set<String> services;
    private final Counter outOfScope =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.OUT_OF_SCOPE);

    ScopeFn(Severity minSeverity, Set<String> services) {
      this.minSeverity = minSeverity;
      this.services = services;
    }

    @ProcessElement
    public void process(
        @Element List<TimestampedValue<LogEntry>> batch,
        OutputReceiver<List<TimestampedValue<LogEntry>>> out) {
      List<TimestampedValue<LogEntry>> kept = new ArrayList<>(batch.size());
      for (TimestampedValue<LogEntry> v : batch) {
        LogEntry e = v.getValue();
        if (inScope(e, minSeverity, services)) {
          kept.add(v);
        }
      }
      outOfScope.inc(batch.size() - kept.size());
      if (kept.size() == batch.size()) {
        out.output(batch);
      } else if (!kept.isEmpty()) {
        out.output(kept);
      }
    }
  }
}
