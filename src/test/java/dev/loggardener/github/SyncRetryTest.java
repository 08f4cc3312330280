package dev.loggardener.github;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loggardener.cluster.ClusterRow;
import dev.loggardener.pipeline.SyncGitHub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** In streaming, a pane GitHub refused is tried again ten minutes later, by a Beam timer. */
class SyncRetryTest {
  static final String TOKEN_VAR = "LOG_GARDENER_RETRY_TEST_TOKEN";
  FakeGitHub github;

  @AfterEach
  void stop() {
    System.clearProperty(TOKEN_VAR);
    if (github != null) {
      try {
        assertEquals(List.of(), github.contractViolations());
      } finally {
        github.close();
      }
    }
  }

  @Test
  void aFailedPaneIsRetriedByATimerAndTheIssueIsCreatedOnce() throws Exception {
    github = new FakeGitHub(IssueSyncTest.REPO);
    System.setProperty(TOKEN_VAR, FakeGitHub.TOKEN);
    // Every attempt of the first sync fails (the client retries 5xx itself, then gives up).
    for (int i = 0; i < GitHubClient.ATTEMPTS; i++) {
      github.failNext(502, Map.of());
    }
    ClusterRow row =
        IssueSyncTest.row("be96ab7611ac77ad", "P1", "2025-09-15T08:00:00Z", 40, IssueSyncTest.WS);
    TestStream<ClusterRow> panes =
        TestStream.create(SerializableCoder.of(ClusterRow.class))
            .addElements(row)
            .advanceProcessingTime(org.joda.time.Duration.standardMinutes(11))
            .advanceWatermarkToInfinity();
    SyncGitHub.Settings settings =
        new SyncGitHub.Settings(
            github.url(),
            null,
            TOKEN_VAR,
            new IssueSync.Config(
                IssueSyncTest.REPO, false, "P3", Duration.ofHours(6), "muted", false),
            true,
            1);
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> actions =
        p.apply(panes)
            .apply(new SyncGitHub(settings))
            .apply(MapElements.into(TypeDescriptors.strings()).via(d -> d.action().code()));
    PAssert.that(actions).containsInAnyOrder("failed", "created");
    p.run().waitUntilFinish();
    assertEquals(1, github.issues().size());
  }
}
