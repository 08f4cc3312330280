package dev.loggardener.pipeline;

import dev.loggardener.logentry.HttpRequestInfo;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.PayloadKind;
import dev.loggardener.logentry.RawJson;
import dev.loggardener.logentry.Severity;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * Hand-written coders for the elements that cross runner boundaries most: Java serialization
 * (SerializableCoder) costs microseconds and hundreds of bytes per element in class descriptors,
 * and runners encode for every shuffle and, on the DirectRunner, for every state copy.
 */
final class Coders {
  private Coders() {}

  /** {@link LogEntry}, field by field. */
  static final class LogEntryCoder extends AtomicCoder<LogEntry> {
    private static final long serialVersionUID = 1L;
    static final LogEntryCoder INSTANCE = new LogEntryCoder();
    private static final Severity[] SEVERITIES = Severity.values();
    private static final PayloadKind[] KINDS = PayloadKind.values();

    @Override
    public void encode(LogEntry e, OutputStream out) throws IOException {
      DataOutputStream d = new DataOutputStream(out);
      write(d, e);
      d.flush();
    }

    @Override
    public LogEntry decode(InputStream in) throws IOException {
      return read(new DataInputStream(in));
    }

    static void write(DataOutputStream d, LogEntry e) throws IOException {
      string(d, e.insertId());
      instant(d, e.timestamp());
      instant(d, e.receiveTimestamp());
      d.writeByte(e.severity() == null ? -1 : e.severity().ordinal());
      string(d, e.logName());
      string(d, e.resourceType());
      map(d, e.resourceLabels());
      string(d, e.service());
      string(d, e.revision());
      map(d, e.labels());
      string(d, e.trace());
      string(d, e.spanId());
      string(d, e.logger());
      string(d, e.function());
      string(d, e.sourceLine());
      HttpRequestInfo h = e.httpRequest();
      d.writeBoolean(h != null);
      if (h != null) {
        string(d, h.method());
        string(d, h.url());
        d.writeInt(h.status());
        string(d, h.latency());
      }
      string(d, e.operationId());
      d.writeByte(e.payloadKind() == null ? -1 : e.payloadKind().ordinal());
      string(d, e.message());
      string(d, e.user());
      d.writeBoolean(e.rawJson() != null);
      if (e.rawJson() != null) {
        e.rawJson().writeTo(d);
      }
    }

    static LogEntry read(DataInputStream d) throws IOException {
      String insertId = string(d);
      Instant timestamp = instant(d);
      Instant receive = instant(d);
      int sev = d.readByte();
      String logName = string(d);
      String resourceType = string(d);
      Map<String, String> resourceLabels = map(d);
      String service = string(d);
      String revision = string(d);
      Map<String, String> labels = map(d);
      String trace = string(d);
      String spanId = string(d);
      String logger = string(d);
      String function = string(d);
      String sourceLine = string(d);
      HttpRequestInfo http = null;
      if (d.readBoolean()) {
        http = new HttpRequestInfo(string(d), string(d), d.readInt(), string(d));
      }
      String operationId = string(d);
      int kind = d.readByte();
      String message = string(d);
      String user = string(d);
      RawJson raw = d.readBoolean() ? RawJson.readFrom(d) : null;
      return new LogEntry(
          insertId,
          timestamp,
          receive,
          sev < 0 ? null : SEVERITIES[sev],
          logName,
          resourceType,
          resourceLabels,
          service,
          revision,
          labels,
          trace,
          spanId,
          logger,
          function,
          sourceLine,
          http,
          operationId,
          kind < 0 ? null : KINDS[kind],
          message,
          user,
          raw);
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** {@link RawRecord}: body, full size, attributes (in key order), whether timestamped. */
  static final class RawRecordCoder extends AtomicCoder<RawRecord> {
    private static final long serialVersionUID = 1L;
    static final RawRecordCoder INSTANCE = new RawRecordCoder();

    @Override
    public void encode(RawRecord r, OutputStream out) throws IOException {
      DataOutputStream d = new DataOutputStream(out);
      d.writeInt(r.body().length);
      d.write(r.body());
      d.writeLong(r.size());
      map(d, new TreeMap<>(r.attributes()));
      d.writeBoolean(r.timestamped());
      d.flush();
    }

    @Override
    public RawRecord decode(InputStream in) throws IOException {
      DataInputStream d = new DataInputStream(in);
      int n = d.readInt();
      if (n < 0 || n > (64 << 20)) {
        throw new UTFDataFormatException("record of " + n + " bytes");
      }
      byte[] body = new byte[n];
      d.readFully(body);
      long size = d.readLong();
      Map<String, String> attributes = map(d);
      return new RawRecord(body, size, attributes, d.readBoolean());
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** {@link FingerprintEntries.Templated}: bucket key, template and the redacted entry. */
  static final class TemplatedCoder extends AtomicCoder<FingerprintEntries.Templated> {
    private static final long serialVersionUID = 1L;
    static final TemplatedCoder INSTANCE = new TemplatedCoder();

    @Override
    public void encode(FingerprintEntries.Templated t, OutputStream out) throws IOException {
      DataOutputStream d = new DataOutputStream(out);
      string(d, t.bucket());
      string(d, t.template());
      LogEntryCoder.write(d, t.entry());
      d.flush();
    }

    @Override
    public FingerprintEntries.Templated decode(InputStream in) throws IOException {
      DataInputStream d = new DataInputStream(in);
      return new FingerprintEntries.Templated(string(d), string(d), LogEntryCoder.read(d));
    }
  }

  /** {@link Observation}, field by field. */
  static final class ObservationCoder extends AtomicCoder<Observation> {
    private static final long serialVersionUID = 1L;
    static final ObservationCoder INSTANCE = new ObservationCoder();
    private static final Severity[] SEVERITIES = Severity.values();

    @Override
    public void encode(Observation o, OutputStream out) throws IOException {
      DataOutputStream d = new DataOutputStream(out);
      write(d, o);
      d.flush();
    }

    @Override
    public Observation decode(InputStream in) throws IOException {
      return read(new DataInputStream(in));
    }

    static void write(DataOutputStream d, Observation o) throws IOException {
      string(d, o.fingerprint());
      string(d, o.template());
      string(d, o.service());
      string(d, o.revision());
      string(d, o.logger());
      string(d, o.function());
      string(d, o.sourceLine());
      d.writeByte(o.severity().ordinal());
      d.writeLong(o.timestampMillis());
      string(d, o.insertId());
      string(d, o.user());
      string(d, o.trace());
      string(d, o.message());
      d.writeInt(o.httpStatus());
      d.writeBoolean(o.sample() != null);
      if (o.sample() != null) {
        o.sample().writeTo(d);
      }
    }

    static Observation read(DataInputStream d) throws IOException {
      return new Observation(
          string(d),
          string(d),
          string(d),
          string(d),
          string(d),
          string(d),
          string(d),
          SEVERITIES[d.readByte()],
          d.readLong(),
          string(d),
          string(d),
          string(d),
          string(d),
          d.readInt(),
          d.readBoolean() ? RawJson.readFrom(d) : null);
    }
  }

  /** {@link ClusterStats}: sketches as plain longs, samples as observations. */
  static final class ClusterStatsCoder extends AtomicCoder<ClusterStats> {
    private static final long serialVersionUID = 1L;
    static final ClusterStatsCoder INSTANCE = new ClusterStatsCoder();
    private static final Severity[] SEVERITIES = Severity.values();

    @Override
    public void encode(ClusterStats s, OutputStream out) throws IOException {
      DataOutputStream d = new DataOutputStream(out);
      d.writeLong(s.count);
      d.writeLong(s.firstSeenMillis);
      d.writeLong(s.lastSeenMillis);
      d.writeByte(s.maxSeverity == null ? -1 : s.maxSeverity.ordinal());
      strings(d, s.sourceLines);
      strings(d, s.revisions);
      d.writeInt(s.samples.size());
      for (Observation o : s.samples) {
        ObservationCoder.write(d, o);
      }
      d.writeBoolean(s.newest != null);
      if (s.newest != null) {
        ObservationCoder.write(d, s.newest);
      }
      longs(d, s.users);
      longs(d, s.traces);
      d.writeInt(s.traceSample.size());
      for (Map.Entry<Long, String> t : s.traceSample.entrySet()) {
        d.writeLong(t.getKey());
        string(d, t.getValue());
      }
      d.flush();
    }

    @Override
    public ClusterStats decode(InputStream in) throws IOException {
      DataInputStream d = new DataInputStream(in);
      ClusterStats s = new ClusterStats();
      s.count = d.readLong();
      s.firstSeenMillis = d.readLong();
      s.lastSeenMillis = d.readLong();
      int sev = d.readByte();
      s.maxSeverity = sev < 0 ? null : SEVERITIES[sev];
      readStrings(d, s.sourceLines);
      readStrings(d, s.revisions);
      int n = d.readInt();
      for (int i = 0; i < n; i++) {
        s.samples.add(ObservationCoder.read(d));
      }
      if (d.readBoolean()) {
        s.newest = ObservationCoder.read(d);
      }
      readLongs(d, s.users);
      readLongs(d, s.traces);
      n = d.readInt();
      for (int i = 0; i < n; i++) {
        s.traceSample.put(d.readLong(), string(d));
      }
      return s;
    }

    private static void strings(DataOutputStream d, java.util.Collection<String> c)
        throws IOException {
      d.writeInt(c.size());
      for (String v : c) {
        string(d, v);
      }
    }

    private static void readStrings(DataInputStream d, java.util.Collection<String> c)
        throws IOException {
      int n = d.readInt();
      for (int i = 0; i < n; i++) {
        c.add(string(d));
      }
    }

    private static void longs(DataOutputStream d, Kmv c) throws IOException {
      d.writeInt(c.size());
      for (int i = 0; i < c.size(); i++) {
        d.writeLong(c.get(i));
      }
    }

    private static void readLongs(DataInputStream d, Kmv c) throws IOException {
      int n = d.readInt();
      for (int i = 0; i < n; i++) {
        c.add(d.readLong());
      }
    }
  }

  static void string(DataOutputStream d, String s) throws IOException {
    if (s == null) {
      d.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.writeInt(b.length);
    d.write(b);
  }

  static String string(DataInputStream d) throws IOException {
    int n = d.readInt();
    if (n < 0) {
      return null;
    }
    if (n > (64 << 20)) {
      throw new UTFDataFormatException("string of " + n + " bytes");
    }
    byte[] b = new byte[n];
    d.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void instant(DataOutputStream d, Instant t) throws IOException {
    d.writeBoolean(t != null);
    if (t != null) {
      d.writeLong(t.getEpochSecond());
      d.writeInt(t.getNano());
    }
  }

  private static Instant instant(DataInputStream d) throws IOException {
    return d.readBoolean() ? Instant.ofEpochSecond(d.readLong(), d.readInt()) : null;
  }

  private static void map(DataOutputStream d, Map<String, String> m) throws IOException {
    d.writeInt(m.size());
    for (Map.Entry<String, String> e : m.entrySet()) {
      string(d, e.getKey());
      string(d, e.getValue());
    }
  }

  private static Map<String, String> map(DataInputStream d) throws IOException {
    int n = d.readInt();
    if (n == 0) {
      return LogEntry.NO_LABELS;
    }
    TreeMap<String, String> m = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      m.put(string(d), string(d));
    }
    return LogEntry.labelsOwned(m);
  }
}
