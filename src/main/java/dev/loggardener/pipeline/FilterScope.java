package dev.loggardener.pipeline;

import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.Severity;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Keeps the entries triage is about: at or above the minimum severity and, when there is an
 * allow-list, from a listed service. The rest are counted as out of scope, not dead letters: they
 * are valid entries the user chose not to triage.
 */
public final class FilterScope extends PTransform<PCollection<LogEntry>, PCollection<LogEntry>> {
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
  public PCollection<LogEntry> expand(PCollection<LogEntry> entries) {
    return entries
        .apply("InScope", ParDo.of(new ScopeFn(minSeverity, services)))
        .setCoder(entries.getCoder());
  }

  static final class ScopeFn extends DoFn<LogEntry, LogEntry> {
    private final Severity minSeverity;
    private final Set<String> services;
    private final Counter outOfScope =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.OUT_OF_SCOPE);

    ScopeFn(Severity minSeverity, Set<String> services) {
      this.minSeverity = minSeverity;
      this.services = services;
    }

    @ProcessElement
    public void process(@Element LogEntry e, OutputReceiver<LogEntry> out) {
      if (e.severity().atLeast(minSeverity)
          && (services.isEmpty() || services.contains(e.service()))) {
        out.output(e);
      } else {
        outOfScope.inc();
      }
    }
  }
}
