package dev.loggardener.cluster;

import dev.loggardener.logentry.RawJson;
import dev.loggardener.logentry.Severity;
import dev.loggardener.logentry.Wire;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One fingerprint in one window pane, as plain facts: what the counting step saw, the window and
 * the pane's timing, and the samples already redacted. Classification reads only this (and, later,
 * the fingerprint's history), so it needs no Beam context.
 *
 * @param message the representative entry's redacted message (the most severe, earliest one)
 * @param httpStatus the representative entry's HTTP status, 0 when it had none
 */
public record ClusterPane(
    String fingerprint,
    String template,
    String service,
    String module,
    String function,
    List<String> sourceLines,
    List<String> revisions,
    Severity severity,
    long entryCount,
    Instant firstSeen,
    Instant lastSeen,
    Instant windowStart,
    Instant windowEnd,
    PaneTiming paneTiming,
    long paneIndex,
    boolean isFinal,
    List<String> samples,
    long distinctUsers,
    long distinctTraces,
    List<String> traceIds,
    String message,
    int httpStatus)
    implements Serializable {

  private static final Severity[] SEVERITIES = Severity.values();
  private static final PaneTiming[] TIMINGS = PaneTiming.values();

  public ClusterPane {
    sourceLines = List.copyOf(sourceLines);
    revisions = List.copyOf(revisions);
    samples = List.copyOf(samples);
    traceIds = List.copyOf(traceIds);
  }

  /**
   * A pane's facts from its accumulated stats. The samples are the only place a whole entry is
   * read: redacted here, for the few kept.
   */
  public static ClusterPane of(
      String fingerprint,
      ClusterStats s,
      Instant windowStart,
      Instant windowEnd,
      PaneTiming timing,
      long paneIndex,
      boolean isFinal,
      RawJson.Redaction redaction) {
    Observation rep = s.representative();
    return of(
        fingerprint,
        s.template(),
        rep.logger(),
        rep.function(),
        s,
        windowStart,
        windowEnd,
        timing,
        paneIndex,
        isFinal,
        redaction);
  }

  /**
   * The pane of a service's overflow: the entries of its fingerprints beyond {@code cap} in the
   * window, counted together under an id of their own.
   */
  public static ClusterPane overflow(
      String service,
      int cap,
      ClusterStats s,
      Instant windowStart,
      Instant windowEnd,
      PaneTiming timing,
      long paneIndex,
      boolean isFinal,
      RawJson.Redaction redaction) {
    return of(
        overflowId(service),
        "Overflow: entries of fingerprints beyond the first "
            + cap
            + " of this service in this window (raise --maxFingerprintsPerServiceWindow)",
        null,
        null,
        s,
        windowStart,
        windowEnd,
        timing,
        paneIndex,
        isFinal,
        redaction);
  }

  /** 16 hex digits of SHA-256 over ("overflow", service): one id per service. */
  public static String overflowId(String service) {
    return dev.loggardener.logentry.Digests.shortSha256("overflow\u0000" + service);
  }

  private static ClusterPane of(
      String fingerprint,
      String template,
      String module,
      String function,
      ClusterStats s,
      Instant windowStart,
      Instant windowEnd,
      PaneTiming timing,
      long paneIndex,
      boolean isFinal,
      RawJson.Redaction redaction) {
    Observation rep = s.representative();
    List<String> samples = new ArrayList<>();
    for (Observation o : s.samples) {
      samples.add(o.sample() == null ? "" : o.sample().redactedBy(redaction));
    }
    return new ClusterPane(
        fingerprint,
        template,
        rep.service(),
        module,
        function,
        new ArrayList<>(s.sourceLines),
        new ArrayList<>(s.revisions),
        s.maxSeverity,
        s.count,
        Instant.ofEpochMilli(s.firstSeenMillis),
        Instant.ofEpochMilli(s.lastSeenMillis),
        windowStart,
        windowEnd,
        timing,
        paneIndex,
        isFinal,
        samples,
        s.distinctUsers(),
        s.distinctTraces(),
        s.traceIds(),
        rep.message(),
        rep.httpStatus());
  }

  /** Writes every field, for a coder; {@link #readFrom} reads it back. */
  public void writeTo(DataOutput d) throws IOException {
    Wire.string(d, fingerprint);
    Wire.string(d, template);
    Wire.string(d, service);
    Wire.string(d, module);
    Wire.string(d, function);
    Wire.strings(d, sourceLines);
    Wire.strings(d, revisions);
    d.writeByte(severity.ordinal());
    d.writeLong(entryCount);
    Wire.instant(d, firstSeen);
    Wire.instant(d, lastSeen);
    Wire.instant(d, windowStart);
    Wire.instant(d, windowEnd);
    d.writeByte(paneTiming.ordinal());
    d.writeLong(paneIndex);
    d.writeBoolean(isFinal);
    Wire.strings(d, samples);
    d.writeLong(distinctUsers);
    d.writeLong(distinctTraces);
    Wire.strings(d, traceIds);
    Wire.string(d, message);
    d.writeInt(httpStatus);
  }

  public static ClusterPane readFrom(DataInput d) throws IOException {
    return new ClusterPane(
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.string(d),
        Wire.strings(d),
        Wire.strings(d),
        SEVERITIES[d.readByte()],
        d.readLong(),
        Wire.instant(d),
        Wire.instant(d),
        Wire.instant(d),
        Wire.instant(d),
        TIMINGS[d.readByte()],
        d.readLong(),
        d.readBoolean(),
        Wire.strings(d),
        d.readLong(),
        d.readLong(),
        Wire.strings(d),
        Wire.string(d),
        d.readInt());
  }
}
