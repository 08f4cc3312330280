package dev.loggardener.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.pipeline.GardenerOptions;
import dev.loggardener.sink.TableSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** What ties terraform/ to the Java code: the table schemas and the job's parameters. */
class TerraformTest {
  static String read(String file) throws Exception {
    return Files.readString(Path.of("terraform", file), StandardCharsets.UTF_8);
  }

  @Test
  void everyTableIsMadeFromTheSchemaFileTheJavaCodeReads() throws Exception {
    String tf = read("bigquery.tf");
    Matcher dir =
        Pattern.compile("schema_dir\\s*=\\s*\"\\$\\{path\\.module}/([^\"]+)\"").matcher(tf);
    assertTrue(dir.find(), "bigquery.tf names its schema directory");
    Path schemaDir = Path.of("terraform").resolve(dir.group(1)).normalize();
    assertEquals(Path.of("src/main/resources/schema"), schemaDir);
    for (String table : TableSchemas.ALL) {
      Matcher m =
          Pattern.compile(
                  "resource \"google_bigquery_table\" \"" + table + "\" \\{(.*?)\\n}",
                  Pattern.DOTALL)
              .matcher(tf);
      assertTrue(m.find(), table + " has a google_bigquery_table");
      String body = m.group(1);
      assertTrue(
          body.matches(
              "(?s).*schema\\s*=\\s*file\\(\"\\$\\{local\\.schema_dir}/"
                  + table
                  + "\\.json\"\\).*"),
          table + " takes its schema from the file: " + body);
      assertTrue(Files.isRegularFile(schemaDir.resolve(table + ".json")));
      // The file Terraform reads is the resource the Java code loads, byte for byte.
      byte[] onClasspath =
          TerraformTest.class.getResourceAsStream("/schema/" + table + ".json").readAllBytes();
      assertEquals(
          new String(
              Files.readAllBytes(schemaDir.resolve(table + ".json")), StandardCharsets.UTF_8),
          new String(onClasspath, StandardCharsets.UTF_8));
    }
    assertFalse(tf.contains("jsonencode("), "no schema written inline");
    assertTrue(
        tf.contains("field = \"window_start\""), "cluster_windows is partitioned by window_start");
    assertTrue(tf.contains("clustering          = [\"fingerprint\"]"));
  }

  /** The keys of the job's parameter maps in dataflow.tf. */
  static Set<String> parameters() throws Exception {
    String tf = read("dataflow.tf");
    int start = tf.indexOf("pipeline_parameters = merge(");
    int end = tf.indexOf("\n  )", start);
    Set<String> keys = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\s+([A-Za-z]+)\\s+=").matcher(tf.substring(start, end));
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  @Test
  void everyJobParameterIsAnOptionAndTheRequiredOnesArePassed() throws Exception {
    Set<String> keys = parameters();
    assertTrue(keys.containsAll(Set.of("subscription", "bigQueryDataset")), keys.toString());
    assertTrue(keys.size() >= 10, keys.toString());
    List<String> args = new ArrayList<>();
    for (String k : keys) {
      args.add(
          "--"
              + k
              + "="
              + (k.equals("githubDryRun")
                  ? "false"
                  : k.endsWith("Minutes") || k.endsWith("Seconds") || k.endsWith("Hours")
                      ? "1"
                      : "x"));
    }
    PipelineOptionsFactory.register(GardenerOptions.class);
    // Beam rejects an option it does not know, with the name.
    GardenerOptions o =
        PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).as(GardenerOptions.class);
    assertEquals("x", o.getSubscription());
    assertEquals("x", o.getBigQueryDataset());
  }

  @Test
  void theJobDrainsOnDeleteAndRunsOnStreamingEngine() throws Exception {
    String tf = read("dataflow.tf");
    assertTrue(tf.contains("on_delete               = \"drain\""), tf);
    assertTrue(tf.contains("enable_streaming_engine = true"), tf);
    assertTrue(
        read("logging.tf").contains("NOT (resource.type=\\\"dataflow_step\\\""),
        "the sink excludes the job's own logs");
  }
}
