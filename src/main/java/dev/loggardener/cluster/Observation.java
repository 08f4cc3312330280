package dev.loggardener.cluster;

import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.RawJson;
import dev.loggardener.logentry.Severity;
import dev.loggardener.logentry.Wire;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * One entry as the counting step needs it: redacted, fingerprinted, and without the parts no table
 * keeps.
 *
 * @param user the user's pseudonym, never the identifier itself
 * @param sample the whole entry, unredacted: {@link ClusterPane#of} redacts the few kept as samples
 */
public record Observation(
    String fingerprint,
    String template,
    String service,
    String revision,
    String logger,
    String function,
    String sourceLine,
    Severity severity,
    long timestampMillis,
    String insertId,
    String user,
    String trace,
    String message,
    int httpStatus,
    RawJson sample)
    implements Serializable {

  private static final Severity[] SEVERITIES = Severity.values();

  /** The same observation counted under another key (a service's overflow). */
  public Observation withFingerprint(String key) {
    return copy(key, sample);
  }

  /** The same observation without the whole entry, for when only its facts are kept. */
  public Observation withoutSample() {
    return sample == null ? this : copy(fingerprint, null);
  }

  private Observation copy(String fingerprint, RawJson sample) {
    return new Observation(
        fingerprint,
        template,
        service,
        revision,
        logger,
        function,
        sourceLine,
        severity,
        timestampMillis,
        insertId,
        user,
        trace,
        message,
        httpStatus,
        sample);
  }

  public static Observation of(String fingerprint, String template, LogEntry redacted) {
    return new Observation(
        fingerprint,
        template,
        redacted.service(),
        redacted.revision(),
        redacted.logger(),
        redacted.function(),
        redacted.sourceLine(),
        redacted.severity(),
        redacted.timestamp().toEpochMilli(),
        redacted.insertId(),
        redacted.user(),
        redacted.trace(),
        redacted.message(),
        redacted.httpRequest() == null ? 0 : redacted.httpRequest().status(),
        redacted.rawJson());
  }

  /** Writes every field, for a coder; {@link #readFrom} reads it back. */
  public void writeTo(DataOutput d) throws IOException {
    Wire.string(d, fingerprint);
    Wire.string(d, template);
    Wire.string(d, service);
    Wire.string(d, revision);
    Wire.string(d, logger);
    Wire.string(d, function);
    Wire.string(d, sourceLine);
    d.writeByte(severity.ordinal());
    d.writeLong(timestampMillis);
    Wire.string(d, insertId);
    Wire.string(d, user);
    Wire.string(d, trace);
    Wire.string(d, message);
    d.writeInt(httpStatus);
    d.writeBoolean(sample != null);
    if (sample != null) {
      sample.writeTo(d);
    }
  }

  public static Observation readFrom(DataInput d) throws IOException {
    return new Observation(
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        SEVERITIES[d.readByte()],
        d.readLong(),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        d.readInt(),
        d.readBoolean() ? RawJson.readFrom(d) : null);
  }
}
