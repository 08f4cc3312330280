package dev.loggardener.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auth.Credentials;
import dev.loggardener.logentry.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps event time moving on a quiet subscription. The DirectRunner's Pub/Sub source advances its
 * watermark only from the messages it reads (apache/beam#19518), so without traffic no window ever
 * closes. This publishes a small message with the {@link Attributes#HEARTBEAT} and a current
 * timestamp attribute to the subscription's topic every few seconds; {@link ParseEntries} drops it.
 * Dataflow's watermark does not need it, and the gardener starts it only on the DirectRunner.
 */
public final class Heartbeat implements AutoCloseable {
  private final PubsubRest pubsub;
  private final String topic;
  private final ScheduledExecutorService timer;

  private Heartbeat(PubsubRest pubsub, String topic) {
    this.pubsub = pubsub;
    this.topic = topic;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gardener-heartbeat");
              t.setDaemon(true);
              return t;
            });
  }

  /** Looks up the subscription's topic and starts beating. */
  public static Heartbeat start(
      String rootUrl, Credentials credentials, String subscription, int periodSeconds)
      throws IOException, InterruptedException {
    PubsubRest pubsub = new PubsubRest(rootUrl, credentials);
    JsonNode sub = Json.mapper().readTree(pubsub.send("GET", "/v1/" + subscription, null));
    String topic = sub.path("topic").asText(null);
    if (topic == null) {
      throw new IOException("subscription " + subscription + " names no topic");
    }
    Heartbeat beating = new Heartbeat(pubsub, topic);
    beating.timer.scheduleAtFixedRate(beating::beatQuietly, 0, periodSeconds, TimeUnit.SECONDS);
    return beating;
  }

  public String topic() {
    return topic;
  }

  /** Publishes one heartbeat. */
  public void beat() throws IOException, InterruptedException {
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode message = body.putArray("messages").addObject();
    message.put("data", Base64.getEncoder().encodeToString("{}".getBytes(StandardCharsets.UTF_8)));
    ObjectNode attributes = message.putObject("attributes");
    attributes.put(Attributes.HEARTBEAT, "1");
    attributes.put(Attributes.TIMESTAMP, Instant.now().toString());
    pubsub.send("POST", "/v1/" + topic + ":publish", Json.mapper().writeValueAsString(body));
  }

  private void beatQuietly() {
    try {
      beat();
    } catch (IOException e) {
      System.err.println("gardener: heartbeat failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
