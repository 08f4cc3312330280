package dev.loggardener.pipeline;

import dev.loggardener.priority.Classification;
import dev.loggardener.priority.RuleInput;
import dev.loggardener.priority.Rules;
import dev.loggardener.redact.Redactor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * A cluster's pane becomes a {@link ClusterRow}: the rules give priority and category from the most
 * severe entry and the pane's count; the window and pane are written out with it.
 */
public final class ClassifyPriority
    extends PTransform<PCollection<KV<String, ClusterStats>>, PCollection<ClusterRow>> {
  private final String rulesYaml;
  private final String rulesSource;

  /** The rules as text, so that workers need no access to the file the launcher read. */
  public ClassifyPriority(String rulesYaml, String rulesSource) {
    this.rulesYaml = rulesYaml;
    this.rulesSource = rulesSource;
  }

  @Override
  public PCollection<ClusterRow> expand(PCollection<KV<String, ClusterStats>> clusters) {
    return clusters
        .apply("Classify", ParDo.of(new ClassifyFn(rulesYaml, rulesSource)))
        .setCoder(SerializableCoder.of(ClusterRow.class));
  }

  static final class ClassifyFn extends DoFn<KV<String, ClusterStats>, ClusterRow> {
    private final String rulesYaml;
    private final String rulesSource;
    private final Counter rows =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.CLUSTER_ROWS);
    private transient Rules rules;
    private transient Redactor redactor;

    ClassifyFn(String rulesYaml, String rulesSource) {
      this.rulesYaml = rulesYaml;
      this.rulesSource = rulesSource;
    }

    @Setup
    public void setUp() {
      rules = Rules.parse(rulesYaml, rulesSource);
      redactor = new Redactor(rules.redaction());
    }

    @ProcessElement
    public void process(
        @Element KV<String, ClusterStats> element,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<ClusterRow> out) {
      out.output(row(rules, redactor, element.getKey(), element.getValue(), window, pane));
      rows.inc();
    }
  }

  static ClusterRow row(
      Rules rules,
      Redactor redactor,
      String fingerprint,
      ClusterStats s,
      BoundedWindow window,
      PaneInfo pane) {
    Observation rep = s.representative();
    Classification c =
        rules.classify(
            new RuleInput(
                rep.service(),
                rep.logger(),
                rep.function(),
                rep.message(),
                s.newest.template(),
                s.maxSeverity,
                rep.httpStatus()),
            s.count);
    List<String> samples = new ArrayList<>();
    for (Observation o : s.samples) {
      // The only place the whole entry is read: redacted, for the few kept as samples.
      samples.add(o.sample() == null ? "" : o.sample().redactedBy(redactor::redactJson));
    }
    Instant start;
    Instant end;
    if (window instanceof IntervalWindow w) {
      start = Instant.ofEpochMilli(w.start().getMillis());
      end = Instant.ofEpochMilli(w.end().getMillis());
    } else {
      start = Instant.ofEpochMilli(s.firstSeenMillis);
      end = Instant.ofEpochMilli(s.lastSeenMillis);
    }
    return new ClusterRow(
        fingerprint,
        s.newest.template(),
        rep.service(),
        rep.logger(),
        rep.function(),
        new ArrayList<>(s.sourceLines),
        new ArrayList<>(s.revisions),
        s.maxSeverity.name(),
        c.priority().name(),
        c.category().label(),
        c.rule(),
        s.count,
        Instant.ofEpochMilli(s.firstSeenMillis),
        Instant.ofEpochMilli(s.lastSeenMillis),
        start,
        end,
        pane.getTiming().name(),
        pane.getIndex(),
        pane.isLast(),
        samples,
        s.distinctUsers(),
        s.distinctTraces(),
        s.traceIds());
  }
}
