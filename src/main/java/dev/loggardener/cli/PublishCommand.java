package dev.loggardener.cli;

import dev.loggardener.pubsub.Publisher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gardener publish FILE --topic T}: a log file onto Pub/Sub, as a log sink would. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publishes a log file to a Pub/Sub topic the way a Cloud Logging sink does: one message per"
          + " entry, with the logging.googleapis.com/timestamp attribute.",
      "Uses the emulator when PUBSUB_EMULATOR_HOST is set, else application default credentials."
    })
final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", description = "JSON Lines or a gcloud JSON array.")
  Path file;

  @Option(names = "--topic", required = true, description = "projects/P/topics/T")
  String topic;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(file)) {
      throw new Gardener.UsageProblem(file + ": no such file");
    }
    Publisher.Result r;
    try {
      r = Publisher.fromEnvironment().publish(file, topic);
    } catch (IllegalArgumentException e) {
      throw new Gardener.UsageProblem(e.getMessage());
    }
    spec.commandLine()
        .getErr()
        .printf(
            "gardener: published %,d messages to %s (%,d not entries, stamped with the time now; %,d"
                + " empty records left out)%n",
            r.published(), topic, r.withoutTimestamp(), r.empty());
    return 0;
  }
}
