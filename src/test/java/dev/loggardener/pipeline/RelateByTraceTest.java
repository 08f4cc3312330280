package dev.loggardener.pipeline;

import dev.loggardener.cluster.ClusterRow;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** Clusters that shared a trace are paired both ways, once, and never with themselves. */
class RelateByTraceTest {

  static ClusterRow row(String fp, long count, String... traces) {
    ClusterRow r = CodersTest.rowOfARun();
    return CodersTest.copy(r, fp, r.priority(), count, List.of(traces), r.signal());
  }

  @Test
  void sharedTracesPairClusters() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    String ws = "be96ab7611ac77ad";
    String ack = "e4235e9ef0b314f4";
    String other = "0a1b2c3d4e5f6071";
    PCollection<KV<String, String>> pairs =
        p.apply(
                Create.of(
                        row(ws, 10, "t1", "t2"),
                        row(ws, 12, "t1"), // a later pane: no pair with itself
                        row(ack, 3, "t2", "t9"),
                        row(other, 4, "t5"),
                        row(other, 0, "t9")) // a state change has no entries: not evidence
                    .withCoder(Coders.CLUSTER_ROW))
            .apply(new RelateByTrace());
    PAssert.that(pairs).containsInAnyOrder(KV.of(ws, ack), KV.of(ack, ws));
    p.run().waitUntilFinish();
  }
}
