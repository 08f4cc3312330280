package dev.loggardener.pipeline;

import dev.loggardener.cluster.ClusterRow;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Streaming only: every pane of a fingerprint's window carries the run id its first pane carried.
 * Pane indexes live in the count's state, which a Dataflow in-place update keeps while the new job
 * has a new run id; without this step the panes after an update would start a second run for the
 * same window and views would add the old job's count to the new one's, which includes it. The
 * state is per fingerprint and window, and Beam drops it when the window expires.
 */
final class KeepRunId extends PTransform<PCollection<ClusterRow>, PCollection<ClusterRow>> {

  @Override
  public PCollection<ClusterRow> expand(PCollection<ClusterRow> rows) {
    return rows.apply(
            "ByFingerprint",
            WithKeys.<String, ClusterRow>of(ClusterRow::fingerprint)
                .withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.CLUSTER_ROW))
        .apply("FirstPanesRun", ParDo.of(new KeepFn()))
        .setCoder(Coders.CLUSTER_ROW);
  }

  static final class KeepFn extends DoFn<KV<String, ClusterRow>, ClusterRow> {
    @StateId("runId")
    private final StateSpec<ValueState<String>> runIdSpec = StateSpecs.value(StringUtf8Coder.of());

    @StateId("attempt")
    private final StateSpec<ValueState<Long>> attemptSpec = StateSpecs.value(VarLongCoder.of());

    @ProcessElement
    public void process(
        @Element KV<String, ClusterRow> e,
        @StateId("runId") ValueState<String> runId,
        @StateId("attempt") ValueState<Long> attempt,
        OutputReceiver<ClusterRow> out) {
      ClusterRow row = e.getValue();
      String first = runId.read();
      if (first == null) {
        runId.write(row.runId());
        attempt.write(row.attempt());
        out.output(row);
      } else {
        out.output(row.withRun(first, attempt.read()));
      }
    }
  }
}
