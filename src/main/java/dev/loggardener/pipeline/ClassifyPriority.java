package dev.loggardener.pipeline;

import dev.loggardener.cluster.ClusterPane;
import dev.loggardener.cluster.ClusterRow;
import dev.loggardener.priority.PaneClassifier;
import dev.loggardener.priority.Rules;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Each pane becomes a {@link ClusterRow} through the rules ({@link PaneClassifier}), stamped with
 * the run that wrote it.
 */
public final class ClassifyPriority
    extends PTransform<PCollection<ClusterPane>, PCollection<ClusterRow>> {
  private final String rulesYaml;
  private final String rulesSource;
  private final String runId;
  private final long attempt;

  /** The rules as text, so that workers need no access to the file the launcher read. */
  public ClassifyPriority(String rulesYaml, String rulesSource, String runId, long attempt) {
    this.rulesYaml = rulesYaml;
    this.rulesSource = rulesSource;
    this.runId = runId;
    this.attempt = attempt;
  }

  @Override
  public PCollection<ClusterRow> expand(PCollection<ClusterPane> panes) {
    return panes
        .apply("Classify", ParDo.of(new ClassifyFn(rulesYaml, rulesSource, runId, attempt)))
        .setCoder(Coders.CLUSTER_ROW);
  }

  static final class ClassifyFn extends DoFn<ClusterPane, ClusterRow> {
    private final String rulesYaml;
    private final String rulesSource;
    private final String runId;
    private final long attempt;
    private final Counter rows =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.CLUSTER_ROWS);
    private transient PaneClassifier classifier;

    ClassifyFn(String rulesYaml, String rulesSource, String runId, long attempt) {
      this.rulesYaml = rulesYaml;
      this.rulesSource = rulesSource;
      this.runId = runId;
      this.attempt = attempt;
    }

    @Setup
    public void setUp() {
      classifier = new PaneClassifier(Rules.parse(rulesYaml, rulesSource));
    }

    @ProcessElement
    public void process(@Element ClusterPane pane, OutputReceiver<ClusterRow> out) {
      out.output(classifier.classify(pane).withRun(runId, attempt));
      rows.inc();
    }
  }
}
