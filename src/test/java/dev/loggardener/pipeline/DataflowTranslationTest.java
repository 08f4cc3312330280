package dev.loggardener.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loggardener.logentry.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.dataflow.DataflowRunner;
import org.apache.beam.runners.dataflow.options.DataflowPipelineOptions;
import org.apache.beam.runners.dataflow.util.PackageUtil;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory;
import org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming job translates for Dataflow, offline: with --templateLocation the runner writes the
 * job JSON instead of submitting it.
 */
class DataflowTranslationTest {
  @TempDir Path dir;

  @Test
  void theStreamingJobTranslatesWithStableStepNames() throws Exception {
    Path template = dir.resolve("job.json");
    GardenerOptions o =
        PipelineOptionsFactory.fromArgs(
                "--runner=DataflowRunner",
                "--project=demo-project",
                "--region=us-central1",
                "--tempLocation=gs://demo-bucket/tmp",
                "--gcpTempLocation=gs://demo-bucket/tmp",
                "--stagingLocation=gs://demo-bucket/staging",
                "--subscription=projects/demo-project/subscriptions/gardener",
                "--bigQueryDataset=demo-project:gardener",
                "--templateLocation=" + template,
                "--credentialFactoryClass=" + NoopCredentialFactory.class.getName(),
                "--pathValidatorClass=" + NoopPathValidator.class.getName(),
                "--filesToStage=" + Files.createFile(dir.resolve("gardener.jar")))
            .as(GardenerOptions.class);
    o.setStreaming(true);
    DataflowPipelineOptions d = o.as(DataflowPipelineOptions.class);
    d.setStager(new NoStaging());
    Pipeline p = Pipeline.create(o);
    // The launcher looks fingerprint_templates up (offline here: Beam's fake, with the table, so
    // the job reads it back).
    org.apache.beam.sdk.io.gcp.testing.FakeDatasetService.setUp();
    org.apache.beam.sdk.io.gcp.testing.FakeDatasetService datasets =
        new org.apache.beam.sdk.io.gcp.testing.FakeDatasetService();
    datasets.createDataset("demo-project", "gardener", "", "", null);
    datasets.createTable(
        new com.google.api.services.bigquery.model.Table()
            .setTableReference(
                new com.google.api.services.bigquery.model.TableReference()
                    .setProjectId("demo-project")
                    .setDatasetId("gardener")
                    .setTableId(dev.loggardener.sink.TableSchemas.FINGERPRINT_TEMPLATES))
            .setSchema(
                dev.loggardener.sink.TableSchemas.bigQuery(
                    dev.loggardener.sink.TableSchemas.FINGERPRINT_TEMPLATES)));
    GardenerPipeline.build(
        p,
        o,
        ((dev.loggardener.sink.BigQuerySink) GardenerPipeline.sink(o))
            .withTestServices(
                new org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices()
                    .withDatasetService(datasets)));
    DataflowRunner.fromOptions(d).run(p);

    JsonNode job = Json.mapper().readTree(template.toFile());
    assertEquals("JOB_TYPE_STREAMING", job.path("type").asText());
    List<String> names = new ArrayList<>();
    JsonNode pubsubRead = null;
    for (JsonNode step : job.path("steps")) {
      String name = step.path("properties").path("user_name").path("value").asText();
      names.add(name);
      if (step.path("properties").has("pubsub_subscription")) {
        pubsubRead = step.path("properties");
      }
    }
    for (String stable :
        List.of(
            "ReadLogEntries",
            "ReadLearnedTemplates",
            "ParseEntries",
            "DeduplicateEntries",
            "FilterScope",
            "Fingerprint",
            "CountPerFingerprint/PartialCounts",
            "CountPerFingerprint/Window",
            "CountPerFingerprint/Combine",
            "ClassifyPriority",
            "WriteClusters",
            "WriteDeadLetters")) {
      assertTrue(
          names.stream().anyMatch(n -> n.equals(stable) || n.startsWith(stable + "/")),
          stable + " missing from " + names);
    }
    assertTrue(pubsubRead != null, "no Pub/Sub read step in " + names);
    // Dataflow's own form of projects/demo-project/subscriptions/gardener.
    assertEquals(
        "/subscriptions/demo-project/gardener",
        pubsubRead.path("pubsub_subscription").path("value").asText());
    assertEquals(
        RawRecord.TIMESTAMP_ATTRIBUTE,
        pubsubRead.path("pubsub_timestamp_label").path("value").asText());
  }

  /** Stages nothing: the test has no bucket. */
  static final class NoStaging implements org.apache.beam.runners.dataflow.util.Stager {
    @Override
    public List<com.google.api.services.dataflow.model.DataflowPackage> stageFiles(
        List<PackageUtil.StagedFile> files) {
      return List.of();
    }

    @Override
    public com.google.api.services.dataflow.model.DataflowPackage stageToFile(
        byte[] bytes, String target) {
      return new com.google.api.services.dataflow.model.DataflowPackage().setName(target);
    }
  }
}
