package dev.loggardener.cli;

import dev.loggardener.evaluate.GroupingMetrics;
import dev.loggardener.evaluate.LoghubEvaluation;
import dev.loggardener.fingerprint.FingerprintState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores the fingerprinter on the Loghub-2k benchmark: GA, FGA and PA per system. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Scores the fingerprinter on Loghub-2k (GA, FGA, PA per system) or on a labelled corpus"
            + " of entries (--corpus).")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--loghub",
      paramLabel = "DIR",
      description = "Folder with one folder per system, e.g. ../shared/loghub2k.")
  Path loghub;

  @Option(
      names = "--corpus",
      paramLabel = "DIR",
      description =
          "A labelled set of entries: DIR/entries.jsonl and DIR/truth.tsv (one family:problem"
              + " label a line), e.g. src/test/resources/devbench/corpus.")
  Path corpus;

  @Option(
      names = "--merge-after",
      paramLabel = "N",
      description =
          "Distinct words that make a position a variable (default: ${DEFAULT-VALUE}, the"
              + " product's setting); for measuring other thresholds.")
  int mergeAfter = FingerprintState.DEFAULT_DISTINCT_VALUES;

  @Override
  public Integer call() throws IOException {
    if (mergeAfter < 2) {
      throw new Gardener.UsageProblem("--merge-after must be at least 2");
    }
    if ((loghub == null) == (corpus == null)) {
      throw new Gardener.UsageProblem("give exactly one of --loghub and --corpus");
    }
    if (corpus != null) {
      return corpus();
    }
    if (!Files.isDirectory(loghub)) {
      throw new Gardener.UsageProblem(loghub + ": no such folder");
    }
    List<LoghubEvaluation.SystemResult> results =
        new LoghubEvaluation(mergeAfter).evaluateAll(loghub);
    if (results.isEmpty()) {
      throw new Gardener.UsageProblem(loghub + ": no *_2k.log_structured_corrected.csv found");
    }
    PrintWriter out = spec.commandLine().getOut();
    header(out, "system", 12);
    double sum = 0;
    for (LoghubEvaluation.SystemResult r : results) {
      row(out, r.system(), 12, r.metrics());
      sum += r.metrics().ga();
    }
    out.println(
        String.format(
            Locale.ROOT, "average GA %.3f over %d datasets", sum / results.size(), results.size()));
    return 0;
  }

  private Integer corpus() throws IOException {
    if (!Files.isRegularFile(corpus.resolve("entries.jsonl"))) {
      throw new Gardener.UsageProblem(corpus + ": no entries.jsonl");
    }
    PrintWriter out = spec.commandLine().getOut();
    header(out, "family", 40);
    new dev.loggardener.evaluate.CorpusEvaluation(mergeAfter)
        .evaluate(corpus)
        .forEach((family, m) -> row(out, family, 40, m));
    return 0;
  }

  /** The table's header, its first column {@code width} wide. */
  private static void header(PrintWriter out, String first, int width) {
    out.println(
        String.format(
            Locale.ROOT,
            "%-" + width + "s %6s %6s %6s %9s %6s",
            first,
            "GA",
            "FGA",
            "PA",
            "predicted",
            "true"));
  }

  /** One row: a system's or a family's scores. */
  private static void row(PrintWriter out, String name, int width, GroupingMetrics m) {
    out.println(
        String.format(
            Locale.ROOT,
            "%-" + width + "s %6.3f %6.3f %6.3f %9d %6d",
            name,
            m.ga(),
            m.fga(),
            m.pa(),
            m.predictedGroups(),
            m.trueGroups()));
  }
}
