package dev.loggardener.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gardener} command: one entry point, one subcommand per job. */
@Command(
    name = "gardener",
    mixinStandardHelpOptions = true,
    version = "log-gardener 0.1.0",
    description = "Error triage for Google Cloud: Cloud Logging entries to clusters and issues.",
    subcommands = {
      RunCommand.class,
      FingerprintCommand.class,
      EvaluateCommand.class,
      ReportCommand.class,
      SqlCommand.class,
      PublishCommand.class,
      GenerateCommand.class
    })
public final class Gardener implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine cl = commandLine();
    PrintWriter out =
        new PrintWriter(
            new BufferedWriter(
                new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16));
    PrintWriter err =
        new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    cl.setOut(out);
    cl.setErr(err);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** The command line with its error handling; tests call {@code execute} on it. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Gardener());
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          cmd.getErr().println("gardener: " + ex.getMessage());
          cmd.getErr().flush();
          return ex instanceof UsageProblem ? 2 : 1;
        });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** An error in what the user gave (a file, a rules file): exit 2 with one clear line. */
  static final class UsageProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageProblem(String message) {
      super(message);
    }
  }
}
