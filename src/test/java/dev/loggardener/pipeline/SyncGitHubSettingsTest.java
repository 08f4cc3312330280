package dev.loggardener.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class SyncGitHubSettingsTest {
  private static GardenerOptions options(String... args) {
    PipelineOptionsFactory.register(GardenerOptions.class);
    return PipelineOptionsFactory.fromArgs(args).as(GardenerOptions.class);
  }

  @Test
  void noRepositoryMeansNoSync() {
    assertNull(SyncGitHub.Settings.from(options("--input=x")));
  }

  @Test
  void withoutATokenItIsADryRunAndEveryDataflowWorkerGetsAShareOfTheBudget() {
    SyncGitHub.Settings s =
        SyncGitHub.Settings.from(
            options(
                "--input=x",
                "--githubRepo=netra-systems/netra-apex",
                "--githubTokenEnv=LOG_GARDENER_NO_SUCH_VARIABLE",
                "--runner=DataflowRunner",
                "--maxNumWorkers=4"));
    assertTrue(s.config().dryRun());
    assertEquals(4, s.workers());
    assertEquals(
        1,
        SyncGitHub.Settings.from(options("--input=x", "--githubRepo=a/b")).workers(),
        "the DirectRunner is one JVM");
  }

  @Test
  void badValuesAreUsageErrorsOnTheLauncher() {
    assertThrows(
        IllegalArgumentException.class,
        () -> SyncGitHub.Settings.from(options("--input=x", "--githubRepo=nope")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SyncGitHub.Settings.from(
                options("--input=x", "--githubRepo=a/b", "--githubMinPriority=P9")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            SyncGitHub.Settings.from(
                options("--input=x", "--githubRepo=a/b", "--githubRegression=sometimes")));
  }

  @Test
  void syncWithoutDryRunAndWithoutATokenIsAUsageError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SyncGitHub.Settings.from(
                    options(
                        "--input=x",
                        "--githubRepo=a/b",
                        "--githubDryRun=false",
                        "--githubTokenEnv=LOG_GARDENER_TEST_NO_SUCH_TOKEN")));
    assertTrue(e.getMessage().contains("--githubTokenSecret"), e.getMessage());
    assertTrue(e.getMessage().contains("LOG_GARDENER_TEST_NO_SUCH_TOKEN"), e.getMessage());
  }
}
