package dev.loggardener.pipeline;

import dev.loggardener.pubsub.Attributes;
import java.io.Serializable;
import java.util.Map;

/**
 * One input before parsing: a Pub/Sub message body, or one record of a file.
 *
 * @param body the bytes; only a prefix when the record is larger than the parser accepts
 * @param size the record's full size in bytes
 * @param attributes Pub/Sub attributes, or the file and byte offset the record came from
 * @param timestamped whether the element's timestamp is already its event time (Pub/Sub sets it
 *     from the sink's timestamp attribute); file records take the entry's own timestamp
 */
public record RawRecord(byte[] body, long size, Map<String, String> attributes, boolean timestamped)
    implements Serializable {

  /** The attribute Cloud Logging sinks set to the entry's timestamp. */
  public static final String TIMESTAMP_ATTRIBUTE = Attributes.TIMESTAMP;

  /** The attribute that marks a heartbeat; the body is ignored. */
  public static final String HEARTBEAT_ATTRIBUTE = Attributes.HEARTBEAT;

  public RawRecord {
    attributes = Map.copyOf(attributes);
  }

  /** Heartbeats arrive only through Pub/Sub, so a file record never is one. */
  public boolean isHeartbeat() {
    return timestamped && attributes.containsKey(HEARTBEAT_ATTRIBUTE);
  }
}
