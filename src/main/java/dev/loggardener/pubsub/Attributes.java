package dev.loggardener.pubsub;

/** The Pub/Sub message attributes the gardener reads and writes. */
public final class Attributes {
  /** The attribute Cloud Logging sinks set to the entry's timestamp. */
  public static final String TIMESTAMP = "logging.googleapis.com/timestamp";

  /** The attribute that marks a heartbeat (see {@link Heartbeat}); the body is ignored. */
  public static final String HEARTBEAT = "log-gardener-heartbeat";

  private Attributes() {}
}
