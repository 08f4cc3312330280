package dev.loggardener.evaluate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The development benchmark (#17): format strings from 13 projects' source, instantiated with
 * mostly word values and wrapped as each system logs them. The committed corpus is exactly what the
 * generator makes from the committed formats, and the fingerprinter's score on it must not get
 * worse (a ratchet, like Loghub's: raise the floor when grouping improves).
 */
class DevBenchmarkTest {
  private static final Path DEVBENCH = Path.of("src/test/resources/devbench");

  @Test
  void theCommittedCorpusIsWhatTheGeneratorMakes(@TempDir Path dir) throws Exception {
    List<DevBenchmark.Format> formats = DevBenchmark.read(DEVBENCH.resolve("formats.tsv"));
    assertTrue(DevBenchmark.projects(formats).size() >= 12, "at least 12 projects");
    new DevBenchmark(20250914L).write(formats, 12, dir);
    for (String f : List.of("entries.jsonl", "truth.tsv", "messages.txt")) {
      assertArrayEquals(
          Files.readAllBytes(DEVBENCH.resolve("corpus").resolve(f)),
          Files.readAllBytes(dir.resolve(f)),
          f
              + " differs: regenerate with scripts/gardener generate --devbench"
              + " src/test/resources/devbench/formats.tsv --out src/test/resources/devbench/corpus");
    }
  }

  @Test
  void everyFormatsPlaceholdersHaveTheirKinds() throws Exception {
    for (DevBenchmark.Format f : DevBenchmark.read(DEVBENCH.resolve("formats.tsv"))) {
      String instance = new DevBenchmark(1).instantiate(f);
      assertTrue(!instance.contains("%s") && !instance.contains("{}"), f + " → " + instance);
    }
  }

  /**
   * GA reached on the committed corpus (gardener evaluate --corpus
   * src/test/resources/devbench/corpus).
   */
  private static final double REACHED = 0.905;

  @Test
  void groupingDoesNotGetWorseOnTheDevelopmentBenchmark() throws Exception {
    Map<String, GroupingMetrics> m =
        new CorpusEvaluation(dev.loggardener.fingerprint.FingerprintState.DEFAULT_DISTINCT_VALUES)
            .evaluate(DEVBENCH.resolve("corpus"));
    double ga = m.get("all").ga();
    System.out.printf("development benchmark GA %.3f (reached %.3f)%n", ga, REACHED);
    assertTrue(ga >= REACHED - 0.01, "GA " + ga + " fell below " + REACHED);
    assertEquals(14, m.size(), "all and 13 families: " + m.keySet());
  }
}
