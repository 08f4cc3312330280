package dev.loggardener.pipeline;

import dev.loggardener.cluster.ClusterPane;
import dev.loggardener.cluster.ClusterRow;
import dev.loggardener.cluster.ClusterStats;
import dev.loggardener.cluster.Observation;
import dev.loggardener.cluster.PaneStats;
import dev.loggardener.cluster.SeenKeys;
import dev.loggardener.fingerprint.TemplateBucket;
import dev.loggardener.github.Action;
import dev.loggardener.github.IssueSync;
import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.HttpRequestInfo;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.PayloadKind;
import dev.loggardener.logentry.RawJson;
import dev.loggardener.logentry.Severity;
import dev.loggardener.logentry.Wire;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/**
 * The pipeline's coders, for every element that crosses a step and every state cell. Each writes a
 * version byte, then the value in the form its class (or this file) defines with {@link Wire}: a
 * Dataflow job update hands the new job the state and in-flight elements the old one wrote, so a
 * coder must keep reading every version it has written. CodersTest holds bytes of each version.
 *
 * <p>Hand-written rather than SerializableCoder: Java serialization costs microseconds and hundreds
 * of bytes per element in class descriptors, runners encode for every shuffle and, on the
 * DirectRunner, for every state copy, and a changed class can no longer read its old bytes.
 */
final class Coders {
  private Coders() {}

  /**
   * The byte every value starts with: 0x80 plus the version. The first coders (version 0) wrote no
   * version byte; their values start with a length of at most 64 MiB, a count or a -1 for null,
   * whose first byte is 0x00 to 0x04 or 0xFF, never 0x80 to 0xFE.
   */
  static final int V1 = 0x81;

  /** A coder whose values start with a version byte. */
  abstract static class Versioned<T> extends AtomicCoder<T> {
    private static final long serialVersionUID = 1L;

    /** Whether values may also come without a version byte, as version 0 wrote them. */
    private final boolean readsVersion0;

    /** The version this coder writes; it reads every version from 1 up to it. */
    private final int version;

    Versioned(boolean readsVersion0) {
      this(readsVersion0, 1);
    }

    Versioned(boolean readsVersion0, int version) {
      this.readsVersion0 = readsVersion0;
      this.version = version;
    }

    abstract void write(DataOutputStream d, T value) throws IOException;

    /** Reads a value of {@code version}. */
    abstract T read(DataInputStream d, int version) throws IOException;

    @Override
    public final void encode(T value, OutputStream out) throws IOException {
      DataOutputStream d = new DataOutputStream(out);
      d.writeByte(0x80 + version);
      write(d, value);
      d.flush();
    }

    @Override
    public final T decode(InputStream in) throws IOException {
      int first = in.read();
      if (first < 0) {
        throw new EOFException();
      }
      if (first >= V1 && first <= 0x80 + version) {
        return read(new DataInputStream(in), first - 0x80);
      }
      if (readsVersion0 && (first <= 0x04 || first == 0xFF)) {
        InputStream whole =
            new SequenceInputStream(new ByteArrayInputStream(new byte[] {(byte) first}), in);
        return read(new DataInputStream(whole), 0);
      }
      throw new CoderException(
          getClass().getSimpleName() + ": unknown version byte 0x" + Integer.toHexString(first));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** {@link LogEntry}, field by field. Version 0 is the same form without the version byte. */
  static final LogEntryCoder LOG_ENTRY = new LogEntryCoder();

  static final class LogEntryCoder extends Versioned<LogEntry> {
    private static final long serialVersionUID = 1L;

    LogEntryCoder() {
      super(true);
    }

    @Override
    void write(DataOutputStream d, LogEntry e) throws IOException {
      writeEntry(d, e);
    }

    @Override
    LogEntry read(DataInputStream d, int version) throws IOException {
      return readEntry(d);
    }
  }

  /** {@link RawRecord}: body, full size, attributes (in key order), whether timestamped. */
  static final RawRecordCoder RAW_RECORD = new RawRecordCoder();

  static final class RawRecordCoder extends Versioned<RawRecord> {
    private static final long serialVersionUID = 1L;

    RawRecordCoder() {
      super(true);
    }

    @Override
    void write(DataOutputStream d, RawRecord r) throws IOException {
      d.writeInt(r.body().length);
      d.write(r.body());
      d.writeLong(r.size());
      Wire.map(d, new TreeMap<>(r.attributes()));
      d.writeBoolean(r.timestamped());
    }

    @Override
    RawRecord read(DataInputStream d, int version) throws IOException {
      byte[] body = Wire.bytes(d, d.readInt());
      long size = d.readLong();
      Map<String, String> attributes = Wire.map(d);
      return new RawRecord(body, size, attributes, d.readBoolean());
    }
  }

  /** {@link FingerprintEntries.Templated}: bucket key, template and the redacted entry. */
  static final TemplatedCoder TEMPLATED = new TemplatedCoder();

  static final class TemplatedCoder extends Versioned<FingerprintEntries.Templated> {
    private static final long serialVersionUID = 1L;

    TemplatedCoder() {
      super(true);
    }

    @Override
    void write(DataOutputStream d, FingerprintEntries.Templated t) throws IOException {
      Wire.string(d, t.bucket());
      Wire.string(d, t.template());
      writeEntry(d, t.entry());
    }

    @Override
    FingerprintEntries.Templated read(DataInputStream d, int version) throws IOException {
      return new FingerprintEntries.Templated(Wire.string(d), Wire.string(d), readEntry(d));
    }
  }

  /** {@link Observation}, in the form {@link Observation#writeTo} defines. */
  static final ObservationCoder OBSERVATION = new ObservationCoder();

  static final class ObservationCoder extends Versioned<Observation> {
    private static final long serialVersionUID = 1L;

    ObservationCoder() {
      super(true);
    }

    @Override
    void write(DataOutputStream d, Observation o) throws IOException {
      o.writeTo(d);
    }

    @Override
    Observation read(DataInputStream d, int version) throws IOException {
      return Observation.readFrom(d);
    }
  }

  /** {@link ClusterStats}: the Combine's accumulator, kept in state between panes. */
  static final ClusterStatsCoder CLUSTER_STATS = new ClusterStatsCoder();

  static final class ClusterStatsCoder extends Versioned<ClusterStats> {
    private static final long serialVersionUID = 1L;

    ClusterStatsCoder() {
      super(true);
    }

    @Override
    void write(DataOutputStream d, ClusterStats s) throws IOException {
      s.writeTo(d);
    }

    @Override
    ClusterStats read(DataInputStream d, int version) throws IOException {
      return ClusterStats.readFrom(d);
    }
  }

  /** {@link PaneStats}: the count's accumulator, kept in state between panes. */
  static final PaneStatsCoder PANE_STATS = new PaneStatsCoder();

  static final class PaneStatsCoder extends Versioned<PaneStats> {
    private static final long serialVersionUID = 1L;

    PaneStatsCoder() {
      super(false);
    }

    @Override
    void write(DataOutputStream d, PaneStats s) throws IOException {
      s.writeTo(d);
    }

    @Override
    PaneStats read(DataInputStream d, int version) throws IOException {
      return PaneStats.readFrom(d);
    }
  }

  /** {@link SeenKeys}: the dedup state cell. */
  static final SeenKeysCoder SEEN_KEYS = new SeenKeysCoder();

  static final class SeenKeysCoder extends Versioned<SeenKeys> {
    private static final long serialVersionUID = 1L;

    SeenKeysCoder() {
      super(true);
    }

    @Override
    void write(DataOutputStream d, SeenKeys s) throws IOException {
      s.writeTo(d);
    }

    @Override
    SeenKeys read(DataInputStream d, int version) throws IOException {
      return SeenKeys.readFrom(d);
    }
  }

  /**
   * {@link TemplateBucket}: the merging state cell (version 0 was Java serialization). Version 2
   * prefixes the bucket's form with its length, so that reading it is a byte copy and the bucket is
   * parsed only when used: the DirectRunner copies every bucket of a key at each bundle.
   */
  static final TemplateBucketCoder TEMPLATE_BUCKET = new TemplateBucketCoder();

  static final class TemplateBucketCoder extends Versioned<TemplateBucket> {
    private static final long serialVersionUID = 1L;

    TemplateBucketCoder() {
      super(false, 2);
    }

    @Override
    void write(DataOutputStream d, TemplateBucket b) throws IOException {
      byte[] written = b.written();
      d.writeInt(written.length);
      d.write(written);
    }

    @Override
    TemplateBucket read(DataInputStream d, int version) throws IOException {
      if (version == 1) {
        return TemplateBucket.readFrom(d);
      }
      byte[] written = new byte[Wire.count(d)];
      d.readFully(written);
      return TemplateBucket.unread(written);
    }
  }

  /** {@link ClusterPane}, from the count to classification. */
  static final ClusterPaneCoder CLUSTER_PANE = new ClusterPaneCoder();

  static final class ClusterPaneCoder extends Versioned<ClusterPane> {
    private static final long serialVersionUID = 1L;

    ClusterPaneCoder() {
      super(false);
    }

    @Override
    void write(DataOutputStream d, ClusterPane p) throws IOException {
      p.writeTo(d);
    }

    @Override
    ClusterPane read(DataInputStream d, int version) throws IOException {
      return ClusterPane.readFrom(d);
    }
  }

  /**
   * {@link ClusterRow}: rows to the sinks, and a pane waiting for GitHub in the sync's state.
   * Version 2 added the run id and attempt; a version-1 row reads with neither ("" and 0). Version
   * 3 added the {@link dev.loggardener.cluster.Signal}; an older row reads with {@code NONE}.
   */
  static final ClusterRowCoder CLUSTER_ROW = new ClusterRowCoder();

  static final class ClusterRowCoder extends Versioned<ClusterRow> {
    private static final long serialVersionUID = 1L;

    ClusterRowCoder() {
      super(false, 3);
    }

    @Override
    void write(DataOutputStream d, ClusterRow r) throws IOException {
      r.writeTo(d);
    }

    @Override
    ClusterRow read(DataInputStream d, int version) throws IOException {
      return ClusterRow.readFrom(d, version);
    }
  }

  /** {@link dev.loggardener.cluster.ServiceWindow}: a service's window, field by field. */
  static final ServiceWindowCoder SERVICE_WINDOW = new ServiceWindowCoder();

  static final class ServiceWindowCoder extends Versioned<dev.loggardener.cluster.ServiceWindow> {
    private static final long serialVersionUID = 1L;

    ServiceWindowCoder() {
      super(false);
    }

    @Override
    void write(DataOutputStream d, dev.loggardener.cluster.ServiceWindow w) throws IOException {
      w.writeTo(d);
    }

    @Override
    dev.loggardener.cluster.ServiceWindow read(DataInputStream d, int version) throws IOException {
      return dev.loggardener.cluster.ServiceWindow.readFrom(d);
    }
  }

  /** {@link dev.loggardener.priority.History}: a fingerprint's history, in the classify state. */
  static final HistoryCoder HISTORY = new HistoryCoder();

  static final class HistoryCoder extends Versioned<dev.loggardener.priority.History> {
    private static final long serialVersionUID = 1L;

    HistoryCoder() {
      super(false);
    }

    @Override
    void write(DataOutputStream d, dev.loggardener.priority.History h) throws IOException {
      h.writeTo(d);
    }

    @Override
    dev.loggardener.priority.History read(DataInputStream d, int version) throws IOException {
      return dev.loggardener.priority.History.readFrom(d);
    }
  }

  /** {@link DeadLetter}: the reason by its code, attributes in key order. */
  static final DeadLetterCoder DEAD_LETTER = new DeadLetterCoder();

  static final class DeadLetterCoder extends Versioned<DeadLetter> {
    private static final long serialVersionUID = 1L;

    DeadLetterCoder() {
      super(false);
    }

    @Override
    void write(DataOutputStream d, DeadLetter l) throws IOException {
      Wire.string(d, l.step());
      Wire.string(d, l.reason().code());
      Wire.string(d, l.detail());
      Wire.string(d, l.payload());
      Wire.map(d, new TreeMap<>(l.attributes()));
      Wire.instant(d, l.receivedAt());
    }

    @Override
    DeadLetter read(DataInputStream d, int version) throws IOException {
      return new DeadLetter(
          Wire.string(d),
          DeadLetter.Reason.fromCode(Wire.string(d)),
          Wire.string(d),
          Wire.string(d),
          Wire.map(d),
          Wire.instant(d));
    }
  }

  /** {@link FingerprintEntries.AliasRecord}. */
  static final AliasCoder ALIAS = new AliasCoder();

  static final class AliasCoder extends Versioned<FingerprintEntries.AliasRecord> {
    private static final long serialVersionUID = 1L;

    AliasCoder() {
      super(false);
    }

    @Override
    void write(DataOutputStream d, FingerprintEntries.AliasRecord a) throws IOException {
      Wire.string(d, a.alias());
      Wire.string(d, a.fingerprint());
      Wire.string(d, a.template());
      d.writeLong(a.recordedAtMillis());
    }

    @Override
    FingerprintEntries.AliasRecord read(DataInputStream d, int version) throws IOException {
      return new FingerprintEntries.AliasRecord(
          Wire.string(d), Wire.string(d), Wire.string(d), d.readLong());
    }
  }

  /** {@link FingerprintEntries.TemplateRecord}. */
  static final TemplateRecordCoder TEMPLATE_RECORD = new TemplateRecordCoder();

  static final class TemplateRecordCoder extends Versioned<FingerprintEntries.TemplateRecord> {
    private static final long serialVersionUID = 1L;

    TemplateRecordCoder() {
      super(false);
    }

    @Override
    void write(DataOutputStream d, FingerprintEntries.TemplateRecord t) throws IOException {
      Wire.string(d, t.service());
      Wire.string(d, t.logger());
      Wire.string(d, t.function());
      Wire.string(d, t.template());
      Wire.string(d, t.fingerprint());
      d.writeLong(t.learnedAtMillis());
    }

    @Override
    FingerprintEntries.TemplateRecord read(DataInputStream d, int version) throws IOException {
      return new FingerprintEntries.TemplateRecord(
          Wire.string(d),
          Wire.string(d),
          Wire.string(d),
          Wire.string(d),
          Wire.string(d),
          d.readLong());
    }
  }

  /** {@link IssueSync.Decision}: the action by its code. */
  static final DecisionCoder DECISION = new DecisionCoder();

  static final class DecisionCoder extends Versioned<IssueSync.Decision> {
    private static final long serialVersionUID = 1L;

    DecisionCoder() {
      super(false);
    }

    @Override
    void write(DataOutputStream d, IssueSync.Decision x) throws IOException {
      Wire.instant(d, x.syncedAt());
      Wire.string(d, x.fingerprint());
      Wire.instant(d, x.windowStart());
      d.writeLong(x.paneIndex());
      Wire.string(d, x.priority());
      Wire.string(d, x.action().code());
      d.writeInt(x.issueNumber() == null ? -1 : x.issueNumber());
      Wire.string(d, x.url());
      Wire.string(d, x.detail());
    }

    @Override
    IssueSync.Decision read(DataInputStream d, int version) throws IOException {
      Instant syncedAt = Wire.instant(d);
      String fingerprint = Wire.string(d);
      Instant windowStart = Wire.instant(d);
      long paneIndex = d.readLong();
      String priority = Wire.string(d);
      Action action = Action.fromCode(Wire.string(d));
      int issue = d.readInt();
      return new IssueSync.Decision(
          syncedAt,
          fingerprint,
          windowStart,
          paneIndex,
          priority,
          action,
          issue < 0 ? null : issue,
          Wire.string(d),
          Wire.string(d));
    }
  }

  /** {@link PacedFileSource.Mark}: where a paced file read resumes. */
  static final PacedMarkCoder PACED_MARK = new PacedMarkCoder();

  static final class PacedMarkCoder extends Versioned<PacedFileSource.Mark> {
    private static final long serialVersionUID = 1L;

    PacedMarkCoder() {
      super(false);
    }

    @Override
    void write(DataOutputStream d, PacedFileSource.Mark m) throws IOException {
      d.writeLong(m.nextOffset());
      d.writeLong(m.batchesRead());
    }

    @Override
    PacedFileSource.Mark read(DataInputStream d, int version) throws IOException {
      return new PacedFileSource.Mark(d.readLong(), d.readLong());
    }
  }

  private static final Severity[] SEVERITIES = Severity.values();
  private static final PayloadKind[] KINDS = PayloadKind.values();

  private static void writeEntry(DataOutputStream d, LogEntry e) throws IOException {
    Wire.string(d, e.insertId());
    Wire.instant(d, e.timestamp());
    Wire.instant(d, e.receiveTimestamp());
    d.writeByte(e.severity() == null ? -1 : e.severity().ordinal());
    Wire.string(d, e.logName());
    Wire.string(d, e.resourceType());
    Wire.map(d, e.resourceLabels());
    Wire.string(d, e.service());
    Wire.string(d, e.revision());
    Wire.map(d, e.labels());
    Wire.string(d, e.trace());
    Wire.string(d, e.spanId());
    Wire.string(d, e.logger());
    Wire.string(d, e.function());
    Wire.string(d, e.sourceLine());
    HttpRequestInfo h = e.httpRequest();
    d.writeBoolean(h != null);
    if (h != null) {
      Wire.string(d, h.method());
      Wire.string(d, h.url());
      d.writeInt(h.status());
      Wire.string(d, h.latency());
    }
    Wire.string(d, e.operationId());
    d.writeByte(e.payloadKind() == null ? -1 : e.payloadKind().ordinal());
    Wire.string(d, e.message());
    Wire.string(d, e.user());
    d.writeBoolean(e.rawJson() != null);
    if (e.rawJson() != null) {
      e.rawJson().writeTo(d);
    }
  }

  private static LogEntry readEntry(DataInputStream d) throws IOException {
    String insertId = Wire.string(d);
    Instant timestamp = Wire.instant(d);
    Instant receive = Wire.instant(d);
    int sev = d.readByte();
    String logName = Wire.string(d);
    String resourceType = Wire.string(d);
    Map<String, String> resourceLabels = Wire.map(d);
    String service = Wire.string(d);
    String revision = Wire.string(d);
    Map<String, String> labels = Wire.map(d);
    String trace = Wire.string(d);
    String spanId = Wire.string(d);
    String logger = Wire.string(d);
    String function = Wire.string(d);
    String sourceLine = Wire.string(d);
    HttpRequestInfo http = null;
    if (d.readBoolean()) {
      http = new HttpRequestInfo(Wire.string(d), Wire.string(d), d.readInt(), Wire.string(d));
    }
    String operationId = Wire.string(d);
    int kind = d.readByte();
    String message = Wire.string(d);
    String user = Wire.string(d);
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
}
