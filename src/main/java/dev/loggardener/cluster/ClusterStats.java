package dev.loggardener.cluster;

import dev.loggardener.logentry.Severity;
import dev.loggardener.logentry.Wire;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one fingerprint did in one window pane: the accumulator of the counting step. Every part
 * merges in any order to the same result, as a Combine needs: sets are bounded and sorted, samples
 * are chosen by a total order, and distinct counts use k-minimum-values sketches (exact up to
 * {@link #SKETCH_SIZE} values, then an estimate within a few percent).
 */
public final class ClusterStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Severity[] SEVERITIES = Severity.values();

  static final int MAX_SAMPLES = 3;
  static final int MAX_SET = 20;
  static final int MAX_TRACE_IDS = 5;
  static final int SKETCH_SIZE = 256;

  long count;
  long firstSeenMillis = Long.MAX_VALUE;
  long lastSeenMillis = Long.MIN_VALUE;
  Severity maxSeverity;
  final TreeSet<String> sourceLines = new TreeSet<>();
  final TreeSet<String> revisions = new TreeSet<>();

  /** The representative entries: most severe first, then earliest, then by insertId. */
  final List<Observation> samples = new ArrayList<>();

  /** The newest observation, whose template is the cluster's current one after merges. */
  Observation newest;

  final Kmv users = new Kmv(SKETCH_SIZE);
  final Kmv traces = new Kmv(SKETCH_SIZE);

  /** The trace ids with the smallest hashes: two clusters that share traces share these. */
  final TreeMap<Long, String> traceSample = new TreeMap<>();

  static final Comparator<Observation> REPRESENTATIVE =
      Comparator.comparing((Observation o) -> -o.severity().number())
          .thenComparingLong(Observation::timestampMillis)
          .thenComparing(o -> o.insertId() == null ? "" : o.insertId())
          .thenComparing(Observation::message);

  private static final Comparator<Observation> NEWEST =
      Comparator.comparingLong(Observation::timestampMillis)
          .thenComparing(o -> o.insertId() == null ? "" : o.insertId())
          .thenComparing(Observation::template);

  public void add(Observation o) {
    count++;
    firstSeenMillis = Math.min(firstSeenMillis, o.timestampMillis());
    lastSeenMillis = Math.max(lastSeenMillis, o.timestampMillis());
    if (maxSeverity == null || o.severity().number() > maxSeverity.number()) {
      maxSeverity = o.severity();
    }
    addBounded(sourceLines, o.sourceLine());
    addBounded(revisions, o.revision());
    offerSample(o);
    if (newest == null || NEWEST.compare(o, newest) > 0) {
      newest = o.withoutSample();
    }
    if (o.user() != null) {
      users.add(hash(o.user()));
    }
    if (o.trace() != null) {
      long h = hash(o.trace());
      traces.add(h);
      traceSample.put(h, o.trace());
      if (traceSample.size() > MAX_TRACE_IDS) {
        traceSample.pollLastEntry();
      }
    }
  }

  public void merge(ClusterStats other) {
    count += other.count;
    firstSeenMillis = Math.min(firstSeenMillis, other.firstSeenMillis);
    lastSeenMillis = Math.max(lastSeenMillis, other.lastSeenMillis);
    if (other.maxSeverity != null
        && (maxSeverity == null || other.maxSeverity.number() > maxSeverity.number())) {
      maxSeverity = other.maxSeverity;
    }
    other.sourceLines.forEach(s -> addBounded(sourceLines, s));
    other.revisions.forEach(s -> addBounded(revisions, s));
    other.samples.forEach(this::offerSample);
    if (other.newest != null && (newest == null || NEWEST.compare(other.newest, newest) > 0)) {
      newest = other.newest;
    }
    users.merge(other.users);
    traces.merge(other.traces);
    traceSample.putAll(other.traceSample);
    while (traceSample.size() > MAX_TRACE_IDS) {
      traceSample.pollLastEntry();
    }
  }

  private void offerSample(Observation o) {
    if (samples.size() == MAX_SAMPLES
        && REPRESENTATIVE.compare(o, samples.get(MAX_SAMPLES - 1)) >= 0) {
      return;
    }
    for (Observation s : samples) {
      if (REPRESENTATIVE.compare(o, s) == 0) {
        return;
      }
    }
    samples.add(o);
    samples.sort(REPRESENTATIVE);
    if (samples.size() > MAX_SAMPLES) {
      samples.remove(MAX_SAMPLES);
    }
  }

  /** The entries counted. */
  public long count() {
    return count;
  }

  /** The entry whose facts the rules look at: the most severe, earliest one. */
  public Observation representative() {
    return samples.get(0);
  }

  public long distinctUsers() {
    return users.estimate();
  }

  public long distinctTraces() {
    return traces.estimate();
  }

  public List<String> traceIds() {
    return List.copyOf(new TreeSet<>(traceSample.values()));
  }

  /** The service of the cluster's entries (a fingerprint belongs to one service). */
  String service() {
    return newest.service();
  }

  /** The cluster's current template: the newest entry's, which follows merges. */
  public String template() {
    return newest.template();
  }

  /**
   * Writes every part, for a coder: count, first and last seen, severity, bounded sets, samples,
   * newest, sketches and trace sample. {@link #readFrom} reads it back.
   */
  public void writeTo(DataOutput d) throws IOException {
    d.writeLong(count);
    d.writeLong(firstSeenMillis);
    d.writeLong(lastSeenMillis);
    d.writeByte(maxSeverity == null ? -1 : maxSeverity.ordinal());
    Wire.strings(d, sourceLines);
    Wire.strings(d, revisions);
    d.writeInt(samples.size());
    for (Observation o : samples) {
      o.writeTo(d);
    }
    d.writeBoolean(newest != null);
    if (newest != null) {
      newest.writeTo(d);
    }
    users.writeTo(d);
    traces.writeTo(d);
    d.writeInt(traceSample.size());
    for (java.util.Map.Entry<Long, String> t : traceSample.entrySet()) {
      d.writeLong(t.getKey());
      Wire.string(d, t.getValue());
    }
  }

  public static ClusterStats readFrom(DataInput d) throws IOException {
    ClusterStats s = new ClusterStats();
    s.count = d.readLong();
    s.firstSeenMillis = d.readLong();
    s.lastSeenMillis = d.readLong();
    int sev = d.readByte();
    s.maxSeverity = sev < 0 ? null : SEVERITIES[sev];
    s.sourceLines.addAll(Wire.strings(d));
    s.revisions.addAll(Wire.strings(d));
    int n = Wire.count(d);
    for (int i = 0; i < n; i++) {
      s.samples.add(Observation.readFrom(d));
    }
    if (d.readBoolean()) {
      s.newest = Observation.readFrom(d);
    }
    s.users.readFrom(d);
    s.traces.readFrom(d);
    n = Wire.count(d);
    for (int i = 0; i < n; i++) {
      s.traceSample.put(d.readLong(), Wire.string(d));
    }
    return s;
  }

  private static void addBounded(TreeSet<String> set, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    set.add(value);
    if (set.size() > MAX_SET) {
      set.pollLast();
    }
  }

  /** A 64-bit hash, spread over the whole signed range; FNV-1a then a finaliser. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
