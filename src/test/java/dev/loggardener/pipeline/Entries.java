package dev.loggardener.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Cloud Logging entries as a sink delivers them, for pipeline tests. */
final class Entries {
  private Entries() {}

  static String entry(
      String insertId, String timestamp, String severity, String service, String message) {
    return entry(
        insertId, timestamp, severity, service, "api.handlers", message, "alice@example.com");
  }

  static String entry(
      String insertId,
      String timestamp,
      String severity,
      String service,
      String logger,
      String message,
      String user) {
    return "{\"insertId\":\""
        + insertId
        + "\",\"timestamp\":\""
        + timestamp
        + "\","
        + "\"severity\":\""
        + severity
        + "\","
        + "\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":{\"service_name\":\""
        + service
        + "\",\"revision_name\":\""
        + service
        + "-00042-xyz\",\"project_id\":\"demo\"}},"
        + "\"logName\":\"projects/demo/logs/run.googleapis.com%2Fstderr\","
        + "\"trace\":\"projects/demo/traces/"
        + Integer.toHexString(insertId.hashCode())
        + "\","
        + "\"jsonPayload\":{\"message\":\""
        + message
        + "\",\"logger\":\""
        + logger
        + "\",\"function\":\"handle\",\"user\":\""
        + user
        + "\"}}";
  }

  static RawRecord record(String json, String timestamp) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return new RawRecord(
        b, b.length, java.util.Map.of(RawRecord.TIMESTAMP_ATTRIBUTE, timestamp), true);
  }

  static org.joda.time.Instant at(String timestamp) {
    return new org.joda.time.Instant(Instant.parse(timestamp).toEpochMilli());
  }
}
