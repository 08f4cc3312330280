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

  private Integer corpus() throws IOException {
    if (!Files.isRegularFile(corpus.resolve("entries.jsonl"))) {
      throw new Gardener.UsageProblem(corpus + ": no entries.jsonl");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        String.format(
            Locale.ROOT,
            "%-40s %6s %6s %6s %9s %6s",
            "family",
            "GA",
            "FGA",
            "PA",
            "predicted",
            "true"));
    new dev.loggardener.evaluate.CorpusEvaluation(mergeAfter)
        .evaluate(corpus)
        .forEach(
            (family, m) ->
                out.println(
                    String.format(
                        Locale.ROOT,
                        "%-40s %6.3f %6.3f %6.3f %9d %6d",
                        family,
                        m.ga(),
                        m.fga(),
                        m.pa(),
                        m.predictedGroups(),
                        m.trueGroups())));
    return 0;
  }
}
