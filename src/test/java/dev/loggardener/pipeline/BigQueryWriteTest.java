package dev.loggardener.pipeline;

import static dev.loggardener.pipeline.Entries.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.api.services.bigquery.model.TableRow;
import dev.loggardener.sink.BigQuerySink;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BigQueryIO itself, on the Storage Write API path, against Beam's fake BigQuery services. */
class BigQueryWriteTest {
  @TempDir Path dir;

  @Test
  void writesClusterRowsAndDeadLettersThroughTheStorageWriteApi() throws Exception {
    FakeDatasetService.setUp();
    FakeDatasetService datasets = new FakeDatasetService();
    // Beam caches "table already created" statically: a dataset of its own per test.
    String dataset = "gardener_" + UUID.randomUUID().toString().replace("-", "");
    datasets.createDataset("demo-project", dataset, "", "", null);

    Path input = dir.resolve("in.jsonl");
    Files.write(
        input,
        List.of(
            entry(
                "r-1",
                "2025-09-14T22:01:00Z",
                "ERROR",
                "web-backend",
                "Failed to connect to redis at 10.0.0.1:6379: connection refused"),
            entry(
                "r-2",
                "2025-09-14T22:02:00Z",
                "ERROR",
                "web-backend",
                "Failed to connect to redis at 10.0.0.2:6379: connection refused"),
            "not json"),
        StandardCharsets.UTF_8);

    GardenerOptions o = PipelineOptionsFactory.as(GardenerOptions.class);
    o.setInput(input.toString());
    o.setBigQueryDataset("demo-project:" + dataset);
    o.setCreateTables(true);
    Pipeline p = Pipeline.create(o);
    GardenerPipeline.build(
        p,
        o,
        ((BigQuerySink) GardenerPipeline.sink(o))
            .withTestServices(new FakeBigQueryServices().withDatasetService(datasets)));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());

    List<TableRow> clusters = datasets.getAllRows("demo-project", dataset, "cluster_windows");
    assertEquals(1, clusters.size(), clusters::toString);
    TableRow row = clusters.get(0);
    assertEquals("2", String.valueOf(row.get("entry_count")));
    assertEquals("web-backend", row.get("service"));
    assertEquals("ON_TIME", row.get("pane_timing"));
    assertEquals("Failed to connect to redis at <*>: connection refused", row.get("template"));

    List<TableRow> deadLetters = datasets.getAllRows("demo-project", dataset, "dead_letters");
    assertEquals(1, deadLetters.size(), deadLetters::toString);
    assertEquals("not_json", deadLetters.get(0).get("reason"));
  }
}
