package dev.loggardener.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * What several fingerprints did in one window pane: a {@link ClusterStats} per fingerprint. The
 * counting step's accumulator, keyed by fingerprint in streaming (a map of one) and by a shard of
 * fingerprints in batch, where one key per fingerprint would make a runner's group-by-key emit a
 * bundle per fingerprint. Merges in any order to the same result, as its parts do.
 */
public final class PaneStats {
  private final Map<String, ClusterStats> byFingerprint = new HashMap<>();

  /** Counts an entry; true when its fingerprint is new here. */
  public boolean add(Observation o) {
    ClusterStats s = byFingerprint.get(o.fingerprint());
    boolean added = s == null;
    if (added) {
      s = new ClusterStats();
      byFingerprint.put(o.fingerprint(), s);
    }
    s.add(o);
    return added;
  }

  /** Adds the other's counts; the other is left as it was. */
  public void merge(PaneStats other) {
    for (Map.Entry<String, ClusterStats> e : other.byFingerprint.entrySet()) {
      byFingerprint.computeIfAbsent(e.getKey(), k -> new ClusterStats()).merge(e.getValue());
    }
  }

  /** Each fingerprint's stats; read-only. */
  public Map<String, ClusterStats> byFingerprint() {
    return Collections.unmodifiableMap(byFingerprint);
  }

  /** The number of fingerprints, then each fingerprint and its stats. */
  public void writeTo(DataOutput d) throws IOException {
    d.writeInt(byFingerprint.size());
    for (Map.Entry<String, ClusterStats> e : byFingerprint.entrySet()) {
      dev.loggardener.logentry.Wire.string(d, e.getKey());
      e.getValue().writeTo(d);
    }
  }

  public static PaneStats readFrom(DataInput d) throws IOException {
    PaneStats p = new PaneStats();
    int n = dev.loggardener.logentry.Wire.count(d);
    for (int i = 0; i < n; i++) {
      p.byFingerprint.put(dev.loggardener.logentry.Wire.string(d), ClusterStats.readFrom(d));
    }
    return p;
  }
}
