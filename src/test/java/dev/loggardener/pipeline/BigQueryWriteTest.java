package dev.loggardener.pipeline;

import static dev.loggardener.pipeline.Entries.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.api.services.bigquery.model.TableRow;
import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.sink.BigQuerySink;
import dev.loggardener.sink.TableSchemas;
import dev.loggardener.sink.WriteTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.gcp.testing.FakeBigQueryServices;
import org.apache.beam.sdk.io.gcp.testing.FakeDatasetService;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
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
    assertEquals("Failed to connect to redis at <*>: <*>", row.get("template"));

    List<TableRow> deadLetters = datasets.getAllRows("demo-project", dataset, "dead_letters");
    assertEquals(1, deadLetters.size(), deadLetters::toString);
    assertEquals("not_json", deadLetters.get(0).get("reason"));
  }

  /**
   * Three warehouse names in one job, three others in the next: on BigQuery too, the second job
   * reads fingerprint_templates (an export, through Beam's fake job service) and merges at the
   * fifth name, so the six names are one problem. Before, BigQuery's table was written but never
   * read back, and the second job's three names stayed three problems.
   *
   * <p>The first job's rows are put in the table as BigQuery holds them (TIMESTAMP as
   * microseconds): the fake's Storage Write path stores a TIMESTAMP as text that its own export
   * cannot read. That the pipeline writes these rows is tested with DuckDB ({@code
   * RunIdentityTest}) and above.
   */
  @Test
  void aSecondJobOnBigQueryMergesWithWhatTheFirstLearned() throws Exception {
    FakeDatasetService.setUp();
    FakeDatasetService datasets = new FakeDatasetService();
    String dataset = "gardener_" + UUID.randomUUID().toString().replace("-", "");
    datasets.createDataset("demo-project", dataset, "", "", null);
    List<String> lines = new java.util.ArrayList<>();
    String[] names = {"north", "south", "east", "west", "central", "harbor"};
    for (int w = 0; w < names.length; w++) {
      for (int i = 0; i < 10; i++) {
        lines.add(
            entry(
                "u-" + w + "-" + i,
                String.format("2025-09-14T22:%02d:%02dZ", w * 5 + 1, i),
                "ERROR",
                "inventory",
                "Inventory sync failed for warehouse " + names[w] + " after retries"));
      }
    }
    // What the first job learned from the first three names.
    com.google.api.services.bigquery.model.Table table =
        new com.google.api.services.bigquery.model.Table()
            .setTableReference(
                new com.google.api.services.bigquery.model.TableReference()
                    .setProjectId("demo-project")
                    .setDatasetId(dataset)
                    .setTableId(TableSchemas.FINGERPRINT_TEMPLATES))
            .setSchema(TableSchemas.bigQuery(TableSchemas.FINGERPRINT_TEMPLATES));
    datasets.createTable(table);
    java.util.Set<String> learned = new java.util.LinkedHashSet<>();
    List<TableRow> rows = new java.util.ArrayList<>();
    for (String line : lines.subList(0, 30)) {
      var e =
          ((dev.loggardener.logentry.ParseResult.Parsed)
                  new dev.loggardener.logentry.LogEntryParser().parse(line))
              .entry();
      String template = dev.loggardener.fingerprint.Fingerprinter.templateOf(e);
      if (learned.add(template)) {
        rows.add(
            new TableRow()
                .set("service", e.service())
                .set("logger", e.logger())
                .set("function", e.function())
                .set("template", template)
                .set(
                    "fingerprint",
                    dev.loggardener.fingerprint.Fingerprinter.id(
                        e.service(), e.logger(), e.function(), template))
                .set("learned_at", 1_757_887_200_000_000L));
      }
    }
    assertEquals(3, rows.size(), rows::toString);
    datasets.insertAll(table.getTableReference(), rows, null);

    Path input = dir.resolve("second.jsonl");
    Files.write(input, lines.subList(30, 60), StandardCharsets.UTF_8);
    GardenerOptions o = PipelineOptionsFactory.as(GardenerOptions.class);
    o.setInput(input.toString());
    o.setBigQueryDataset("demo-project:" + dataset);
    o.setCreateTables(true);
    o.setTempLocation(dir.resolve("tmp").toString());
    o.as(org.apache.beam.sdk.extensions.gcp.options.GcpOptions.class).setProject("demo-project");
    Pipeline p = Pipeline.create(o);
    GardenerPipeline.build(
        p,
        o,
        ((BigQuerySink) GardenerPipeline.sink(o))
            .withTestServices(
                new FakeBigQueryServices()
                    .withDatasetService(datasets)
                    .withJobService(new org.apache.beam.sdk.io.gcp.testing.FakeJobService())));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());

    Map<String, String> aliases = new java.util.HashMap<>();
    if (datasets.getTable(
            new com.google.api.services.bigquery.model.TableReference()
                .setProjectId("demo-project")
                .setDatasetId(dataset)
                .setTableId(TableSchemas.FINGERPRINT_ALIASES))
        != null) { // no merge, no table
      for (TableRow r : datasets.getAllRows("demo-project", dataset, "fingerprint_aliases")) {
        aliases.put((String) r.get("alias"), (String) r.get("fingerprint"));
      }
    }
    java.util.Set<String> problems = new java.util.TreeSet<>();
    for (TableRow r : datasets.getAllRows("demo-project", dataset, "cluster_windows")) {
      String id = (String) r.get("fingerprint");
      while (aliases.containsKey(id) && !aliases.get(id).equals(id)) {
        id = aliases.get(id);
      }
      problems.add(id);
    }
    assertEquals(1, problems.size(), problems.toString());
  }

  /**
   * A row BigQuery refuses is a dead letter, not lost: here a row whose alias column holds a value
   * of the wrong type, as a schema change between the job and the table would give.
   */
  @Test
  void rowsBigQueryRefusesComeBackAsDeadLetters() throws Exception {
    FakeDatasetService.setUp();
    FakeDatasetService datasets = new FakeDatasetService();
    String dataset = "gardener_" + UUID.randomUUID().toString().replace("-", "");
    datasets.createDataset("demo-project", dataset, "", "", null);
    BigQuerySink sink =
        new BigQuerySink("demo-project:" + dataset, true, false, Coders.DEAD_LETTER)
            .withTestServices(new FakeBigQueryServices().withDatasetService(datasets));

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<DeadLetter> refused =
        p.apply(Create.of("0badc0ffee000001", "0badc0ffee000002"))
            .apply(
                "WriteAliases",
                new WriteTable<String>(
                    TableSchemas.FINGERPRINT_ALIASES,
                    alias -> {
                      Map<String, Object> m = new LinkedHashMap<>();
                      m.put("alias", alias);
                      m.put("fingerprint", "9a1b2c3d4e5f6071");
                      m.put("template", "Failed to connect to redis at <*>");
                      // The second row's time is not a timestamp.
                      m.put(
                          "recorded_at",
                          alias.endsWith("1")
                              ? java.time.Instant.parse("2025-09-14T22:05:00Z")
                              : "yesterday at noon");
                      return m;
                    },
                    sink));
    PAssert.that(
            refused.apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        d ->
                            d.step()
                                + " "
                                + d.reason().code()
                                + " "
                                + d.attributes()
                                + " "
                                + d.payload().contains("0badc0ffee000002"))))
        .containsInAnyOrder("write sink_rejected {table=fingerprint_aliases} true");
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
    List<TableRow> written = datasets.getAllRows("demo-project", dataset, "fingerprint_aliases");
    assertEquals(1, written.size(), written::toString);
    assertEquals("0badc0ffee000001", written.get(0).get("alias"));
  }
}
