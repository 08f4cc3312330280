package dev.loggardener.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

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

  /** slf4j-simple's settings: read when a logger is created, so set before Beam creates one. */
  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  private static final String LOG_PREFIX = "org.slf4j.simpleLogger.log.";

  /**
   * The logger of a check in Beam's SerializableCoder: "Can't verify serialized elements of type
   * BoundedSource have well defined equals method. This may produce incorrect results". Beam
   * creates that coder itself, for the BoundedSource its BoundedToUnboundedSourceAdapter keeps in a
   * checkpoint (a bounded read, such as Create or the read of the learned templates, inside a
   * streaming job; Dataflow's translation prints it). A checkpoint is only encoded and decoded to
   * resume the read, never compared or grouped on, so the equals method it cannot verify is never
   * called. Our own elements have hand-written coders (see Coders; GardenerCliTest checks that no
   * PCollection of the job encodes ours with SerializableCoder), so the warning is not about them.
   */
  private static final String SERIALIZABLE_CODER = "org.apache.beam.sdk.coders.SerializableCoder";

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Show Beam's and the libraries' INFO log lines (on standard error).")
  void verbose(boolean on) {
    if (on) {
      System.setProperty(LOG_LEVEL, "info");
      System.setProperty(LOG_PREFIX + SERIALIZABLE_CODER, "info");
    }
  }

  public static void main(String[] args) {
    quietLogs();
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
    // Each subcommand's -V prints the one version.
    cl.getSubcommands()
        .values()
        .forEach(c -> c.getCommandSpec().version(cl.getCommandSpec().version()));
    cl.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          cmd.getErr().println("gardener: " + ex.getMessage());
          cmd.getErr().flush();
          return ex instanceof UsageProblem ? 2 : 1;
        });
    return cl;
  }

  /**
   * Warnings and errors only: Beam's INFO lines (files matched, bundles split, steps translated)
   * are nothing a user acts on, and the gardener's own lines go to standard error through picocli,
   * not through SLF4J. Set here, for the CLI's JVM only, rather than in a simplelogger.properties:
   * the bundled jar is also the Flex Template launcher's, whose INFO lines belong in its log. A -D
   * in GARDENER_JAVA_OPTS wins; --verbose restores INFO.
   */
  static void quietLogs() {
    setIfAbsent(LOG_LEVEL, "warn");
    // Dataflow's launch lines are the job's id, its console link and the command that cancels it.
    setIfAbsent(LOG_PREFIX + "org.apache.beam.runners.dataflow.DataflowRunner", "info");
    setIfAbsent(LOG_PREFIX + SERIALIZABLE_CODER, "error");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
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
