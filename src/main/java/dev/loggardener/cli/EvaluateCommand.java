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
    description = "Scores the fingerprinter on Loghub-2k (GA, FGA, PA per system).")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--loghub",
      required = true,
      paramLabel = "DIR",
      description = "Folder with one folder per system, e.g. ../shared/loghub2k.")
  Path loghub;

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
    if (!Files.isDirectory(loghub)) {
      throw new Gardener.UsageProblem(loghub + ": no such folder");
    }
    List<LoghubEvaluation.SystemResult> results =
        new LoghubEvaluation(mergeAfter).evaluateAll(loghub);
    if (results.isEmpty()) {
      throw new Gardener.UsageProblem(loghub + ": no *_2k.log_structured_corrected.csv found");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        String.format(
            Locale.ROOT,
            "%-12s %6s %6s %6s %9s %6s",
            "system",
            "GA",
            "FGA",
            "PA",
            "predicted",
            "true"));
    double sum = 0;
    for (LoghubEvaluation.SystemResult r : results) {
      GroupingMetrics m = r.metrics();
      out.println(
          String.format(
              Locale.ROOT,
              "%-12s %6.3f %6.3f %6.3f %9d %6d",
              r.system(),
              m.ga(),
              m.fga(),
              m.pa(),
              m.predictedGroups(),
              m.trueGroups()));
      sum += m.ga();
    }
    out.println(
        String.format(
            Locale.ROOT, "average GA %.3f over %d datasets", sum / results.size(), results.size()));
    return 0;
  }
}
