package dev.loggardener.pubsub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auth.oauth2.GoogleCredentials;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.LogEntryReader;
import dev.loggardener.logentry.ParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Publishes a log file to a Pub/Sub topic as a Cloud Logging sink would: one message per entry, the
 * entry's bytes as data, and {@code logging.googleapis.com/timestamp} set to its timestamp. Talks
 * to the emulator when {@code PUBSUB_EMULATOR_HOST} is set, else to Pub/Sub with the application
 * default credentials.
 */
public final class Publisher {
  private static final int PER_REQUEST = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PubsubRest pubsub;

  private Publisher(PubsubRest pubsub) {
    this.pubsub = pubsub;
  }

  /** From the environment: the emulator if PUBSUB_EMULATOR_HOST is set. */
  public static Publisher fromEnvironment() throws IOException {
    String emulator = System.getenv("PUBSUB_EMULATOR_HOST");
    if (emulator != null && !emulator.isBlank()) {
      return new Publisher(new PubsubRest("http://" + emulator.trim(), null));
    }
    return new Publisher(
        new PubsubRest(
            "https://pubsub.googleapis.com",
            GoogleCredentials.getApplicationDefault()
                .createScoped("https://www.googleapis.com/auth/pubsub")));
  }

  /** To a Pub/Sub REST root without credentials: the emulator at {@code http://HOST:PORT}. */
  public static Publisher to(String rootUrl) {
    return new Publisher(new PubsubRest(rootUrl, null));
  }

  /**
   * The messages published; of them, those that are not entries with a timestamp (stamped with the
   * time of publishing instead, for the pipeline to dead-letter); and the empty records left out
   * (Pub/Sub refuses empty messages, and a sink never sends one).
   */
  public record Result(long published, long withoutTimestamp, long empty) {}

  public Result publish(Path file, String topic) throws IOException, InterruptedException {
    if (!topic.matches("projects/[^/]+/topics/[^/]+")) {
      throw new IllegalArgumentException("the topic must be projects/P/topics/T, not " + topic);
    }
    LogEntryParser parser = new LogEntryParser();
    List<ObjectNode> batch = new ArrayList<>();
    long[] counts = new long[3];
    List<IOException> failure = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      new LogEntryReader(parser)
          .readRecords(
              in,
              new LogEntryReader.RecordSink() {
                @Override
                public void record(long lineNumber, byte[] bytes, long size) {
                  if (!failure.isEmpty()) {
                    return;
                  }
                  if (bytes.length == 0) {
                    counts[2]++;
                    return;
                  }
                  ObjectNode m = JSON.createObjectNode();
                  m.put("data", Base64.getEncoder().encodeToString(bytes));
                  ObjectNode attributes = m.putObject("attributes");
                  ParseResult r = LogEntryReader.parse(parser, bytes, size, Map.of());
                  if (r instanceof ParseResult.Parsed p) {
                    attributes.put(Attributes.TIMESTAMP, p.entry().timestamp().toString());
                  } else {
                    // Not an entry (the pipeline will dead-letter it), but a sink stamps every
                    // message, and Beam's reader stops on one without the attribute.
                    attributes.put(Attributes.TIMESTAMP, java.time.Instant.now().toString());
                    counts[1]++;
                  }
                  batch.add(m);
                  if (batch.size() == PER_REQUEST) {
                    try {
                      flush(topic, batch);
                    } catch (IOException e) {
                      failure.add(e);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      failure.add(new IOException("interrupted", e));
                    }
                  }
                  counts[0]++;
                }

                @Override
                public void stopped(long lineNumber, ParseResult.Dead dead) {
                  failure.add(
                      new IOException(
                          file + ":" + lineNumber + ": " + dead.deadLetter().reason().code()));
                }
              });
    }
    if (!failure.isEmpty()) {
      throw failure.get(0);
    }
    flush(topic, batch);
    return new Result(counts[0], counts[1], counts[2]);
  }

  private void flush(String topic, List<ObjectNode> batch)
      throws IOException, InterruptedException {
    if (batch.isEmpty()) {
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    ArrayNode messages = body.putArray("messages");
    batch.forEach(messages::add);
    pubsub.send("POST", "/v1/" + topic + ":publish", JSON.writeValueAsString(body));
    batch.clear();
  }
}
