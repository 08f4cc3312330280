package dev.loggardener.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** Placeholder until issue #4 lands. */
@Command(name = "run", description = "Runs the streaming or batch pipeline. (not yet available)")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Unmatched List<String> ignored;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("gardener run: not yet available (issue #4).");
    return 3;
  }
}
