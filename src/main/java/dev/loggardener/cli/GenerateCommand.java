package dev.loggardener.cli;

import dev.loggardener.samples.SampleGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a deterministic sample of log entries for tests, demos and benchmarks. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Writes realistic Cloud Logging entries (deterministic for a given --seed).")
final class GenerateCommand implements Callable<Integer> {
  private static final SampleGenerator.Settings D = SampleGenerator.Settings.defaults();

  @Option(names = "--entries", description = "Lines to write (default: ${DEFAULT-VALUE}).")
  long entries = D.entries();

  @Option(
      names = "--families",
      description = "Error families (default: ${DEFAULT-VALUE}, the built-in ones).")
  int families = D.families();

  @Option(names = "--bad-ratio", description = "Share of bad lines (default: ${DEFAULT-VALUE}).")
  double badRatio = D.badRatio();

  @Option(
      names = "--duplicate-ratio",
      description = "Share of redelivered duplicates (default: ${DEFAULT-VALUE}).")
  double duplicateRatio = D.duplicateRatio();

  @Option(
      names = "--late-ratio",
      description =
          "Share of entries with a late, out-of-order timestamp (default: ${DEFAULT-VALUE}).")
  double lateRatio = D.lateRatio();

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = D.seed();

  @Option(names = "--start", description = "First timestamp (default: ${DEFAULT-VALUE}).")
  Instant start = D.start();

  @Option(
      names = "--span-minutes",
      description = "Minutes the timestamps spread over (default: ${DEFAULT-VALUE}).")
  long spanMinutes = D.span().toMinutes();

  @Option(
      names = "--cardinality",
      paramLabel = "SPEC",
      description =
          "Benchmark inputs instead of the families: fingerprints:N (N problems),"
              + " distinct (every entry its own problem) or loghub:DIR (Loghub-2k's messages);"
              + " valid ERROR entries only, with --entries, --seed, --start and --span-minutes.")
  String cardinality;

  @Option(
      names = "--devbench",
      paramLabel = "FORMATS",
      description =
          "Write the development benchmark instead: every format string of FORMATS (a TSV such"
              + " as src/test/resources/devbench/formats.tsv) instantiated 3 to 12 times with"
              + " realistic values and wrapped as its system logs it; --out is a folder that gets"
              + " entries.jsonl, truth.tsv and messages.txt; --seed applies.")
  Path devbench;

  @Option(names = "--json-array", description = "Write one JSON array, as gcloud does.")
  boolean jsonArray;

  @Option(
      names = {"-o", "--out"},
      required = true,
      paramLabel = "FILE",
      description = "Where to write.")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (devbench != null) {
      var formats = dev.loggardener.evaluate.DevBenchmark.read(devbench);
      new dev.loggardener.evaluate.DevBenchmark(seed).write(formats, 12, out);
      return 0;
    }
    if (cardinality != null) {
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
        dev.loggardener.samples.CardinalityInput.write(
            cardinality, entries, seed, start, Duration.ofMinutes(spanMinutes), os);
      } catch (IllegalArgumentException e) {
        throw new Gardener.UsageProblem(e.getMessage());
      }
      return 0;
    }
    SampleGenerator.Settings s;
    try {
      s =
          new SampleGenerator.Settings(
              entries,
              families,
              badRatio,
              duplicateRatio,
              lateRatio,
              seed,
              start,
              Duration.ofMinutes(spanMinutes),
              jsonArray);
    } catch (IllegalArgumentException e) {
      throw new Gardener.UsageProblem(e.getMessage());
    }
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
      new SampleGenerator().write(s, os);
    }
    return 0;
  }
}
