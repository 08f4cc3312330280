package dev.loggardener.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** Placeholder until issue #6 lands. */
@Command(
    name = "report",
    description = "Writes the Markdown worklog from the cluster tables. (not yet available)")
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Unmatched List<String> ignored;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("gardener report: not yet available (issue #6).");
    return 3;
  }
}
