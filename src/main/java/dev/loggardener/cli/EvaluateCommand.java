package dev.loggardener.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Placeholder until issue #3 lands. */
@Command(
    name = "evaluate",
    description = "Scores the fingerprinter on the Loghub-2k benchmark. (not yet available)")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..*", hidden = true)
  List<String> ignored;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("gardener evaluate: not yet available (issue #3).");
    return 3;
  }
}
