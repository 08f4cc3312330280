package dev.loggardener.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loggardener.pipeline.GardenerOptions;
import dev.loggardener.pipeline.GardenerPipeline;
import dev.loggardener.sink.DuckDbStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `gardener run` with --githubApiUrl at the fake GitHub, end to end on the DirectRunner. */
class GitHubPipelineTest {
  static final String TOKEN_VAR = "LOG_GARDENER_TEST_GITHUB_TOKEN";

  @TempDir Path dir;
  FakeGitHub github;
  String db;

  @AfterEach
  void stop() throws Exception {
    System.clearProperty(TOKEN_VAR);
    if (db != null) {
      DuckDbStore.close(db);
    }
    if (github != null) {
      try {
        assertEquals(List.of(), github.contractViolations());
      } finally {
        github.close();
      }
    }
  }

  static String entry(String id, String ts, String severity, String service, String message) {
    return "{\"insertId\":\""
        + id
        + "\",\"timestamp\":\""
        + ts
        + "\",\"severity\":\""
        + severity
        + "\",\"logName\":\"projects/netra-staging/logs/run.googleapis.com%2Fstderr\","
        + "\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":{\"service_name\":\""
        + service
        + "\"}},\"textPayload\":\""
        + message
        + "\"}";
  }

  private Path input() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String ts = "2025-09-14T22:0" + i + ":10Z";
      lines.add(
          entry(
              "r" + i,
              ts,
              "ERROR",
              "web-backend",
              "Failed to connect to redis at 10.0.0." + i + ":6379: connection refused"));
      lines.add(
          entry(
              "c" + i,
              ts,
              "CRITICAL",
              "billing",
              "panic: runtime error: invalid memory address @payments-team"));
      lines.add(entry("w" + i, ts, "WARNING", "auth", "Slow login for user " + i));
    }
    lines.add(entry("i1", "2025-09-14T22:01:00Z", "INFO", "web-backend", "GET /healthz 200"));
    Path input = dir.resolve("in.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);
    return input;
  }

  private void run(Path input, boolean dryRun) throws Exception {
    GardenerOptions o = PipelineOptionsFactory.as(GardenerOptions.class);
    o.setInput(input.toString());
    o.setDuckdb(db);
    o.setGithubRepo(IssueSyncTest.REPO);
    o.setGithubApiUrl(github.url());
    o.setGithubTokenEnv(TOKEN_VAR);
    o.setGithubMinPriority("P4");
    if (dryRun) {
      o.setGithubDryRun(true);
    }
    Pipeline p = Pipeline.create(o);
    GardenerPipeline.build(p, o, GardenerPipeline.sink(o));
    assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
  }

  private Map<String, Integer> actions() throws Exception {
    Map<String, Integer> out = new TreeMap<>();
    Connection c = DuckDbStore.connection(db);
    synchronized (c) {
      try (Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery("SELECT action, count(*) FROM github_sync GROUP BY action")) {
        while (r.next()) {
          out.put(r.getString(1), r.getInt(2));
        }
      }
    }
    return out;
  }

  @Test
  void oneIssuePerFingerprintAndARerunAddsNone() throws Exception {
    github = new FakeGitHub(IssueSyncTest.REPO);
    System.setProperty(TOKEN_VAR, FakeGitHub.TOKEN);
    db = dir.resolve("g.duckdb").toString();
    Path input = input();

    run(input, false);
    List<JsonNode> issues = github.issues();
    // redis (two windows) and the panic get issues; the slow logins, a P3 warning seen in one
    // window, are counted but not worth an issue under the default policy (--githubMinWindows 3).
    assertEquals(2, issues.size(), issues.toString());
    for (JsonNode i : issues) {
      assertFalse(i.path("title").asText().contains("Slow login"), i.path("title").asText());
    }
    List<String> markers = new ArrayList<>();
    for (JsonNode i : issues) {
      markers.add(IssueText.fingerprintIn(i.path("body").asText()));
      assertTrue(
          i.path("body").asText().contains("@\u200Bpayments-team")
              || !i.path("body").asText().contains("payments-team"),
          "mention left live");
    }
    assertEquals(2, markers.stream().distinct().count());
    Map<String, Integer> first = actions();
    assertEquals(2, first.get("created"), first.toString());

    // The same input again: the issues are found, not made again.
    run(input, false);
    assertEquals(2, github.issues().size());
    Map<String, Integer> second = actions();
    assertEquals(2, second.get("created"), second.toString());
  }

  @Test
  void dryRunRecordsDecisionsAndCallsNothing() throws Exception {
    github = new FakeGitHub(IssueSyncTest.REPO);
    db = dir.resolve("d.duckdb").toString();
    run(input(), true);
    assertEquals(List.of(), github.requests);
    Map<String, Integer> a = actions();
    assertEquals(Map.of("dry-run", a.get("dry-run")), a);
    assertTrue(a.get("dry-run") >= 3);
  }
}
