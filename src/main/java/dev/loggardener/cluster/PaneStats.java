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

  /**
   * How many fingerprints (overflow keys aside) each service has here, kept as they come and go,
   * and the largest of those numbers, so that {@link #capPerService} costs nothing while no service
   * is over the cap: the counting step caps after every merge.
   */
  private final Map<String, int[]> perService = new HashMap<>();

  private int mostPerService;

  /**
   * Per service with at least the cap of fingerprints here: the largest of them when it was found.
   * At least {@code cap} of the service's ids stay at or below it (capping keeps the smallest), so
   * a new id above it is folded by every later cap: {@link #merge(PaneStats, int)} folds it at
   * once. Null until needed.
   */
  private Map<String, String> largestKept;

  /** Counts an entry; true when its fingerprint is new here. */
  public boolean add(Observation o) {
    ClusterStats s = byFingerprint.get(o.fingerprint());
    boolean added = s == null;
    if (added) {
      s = new ClusterStats();
      byFingerprint.put(o.fingerprint(), s);
    }
    s.add(o);
    if (added) {
      counted(o.fingerprint(), s);
    }
    return added;
  }

  /** Notes a fingerprint new here, once its stats know their service. */
  private void counted(String key, ClusterStats s) {
    if (overflowService(key) == null) {
      int n = ++perService.computeIfAbsent(s.service(), k -> new int[1])[0];
      mostPerService = Math.max(mostPerService, n);
    }
  }

  /**
   * The key under which a service's fingerprints beyond the cap are counted together. Not a
   * fingerprint (those are hex digits), so it cannot collide with one.
   */
  public static final String OVERFLOW_PREFIX = "overflow:";

  /** The service whose overflow a key holds, or null when the key is a fingerprint. */
  public static String overflowService(String key) {
    return key.startsWith(OVERFLOW_PREFIX) ? key.substring(OVERFLOW_PREFIX.length()) : null;
  }

  /**
   * Keeps at most {@code cap} fingerprints per service and folds the others into the service's
   * overflow. The ones kept are the smallest ids: fingerprints are hashes, so this is a uniform
   * choice, and it does not depend on the order of merges (a fingerprint folded in a partial count
   * has {@code cap} smaller ones there, so it is folded in every merge that includes it).
   */
  public void capPerService(int cap) {
    if (mostPerService <= cap) {
      return;
    }
    Map<String, java.util.List<String>> byService = new HashMap<>();
    if (perService.size() == 1) { // one service: no need to ask each fingerprint's
      java.util.List<String> ids = new java.util.ArrayList<>(byFingerprint.size());
      for (String key : byFingerprint.keySet()) {
        if (overflowService(key) == null) {
          ids.add(key);
        }
      }
      byService.put(perService.keySet().iterator().next(), ids);
    } else {
      for (Map.Entry<String, ClusterStats> e : byFingerprint.entrySet()) {
        if (overflowService(e.getKey()) == null) {
          byService
              .computeIfAbsent(e.getValue().service(), k -> new java.util.ArrayList<>())
              .add(e.getKey());
        }
      }
    }
    for (Map.Entry<String, java.util.List<String>> e : byService.entrySet()) {
      java.util.List<String> ids = e.getValue();
      if (ids.size() <= cap) {
        continue;
      }
      ids.sort(null);
      ClusterStats overflow =
          byFingerprint.computeIfAbsent(OVERFLOW_PREFIX + e.getKey(), k -> new ClusterStats());
      for (String id : ids.subList(cap, ids.size())) {
        overflow.merge(byFingerprint.remove(id));
      }
      perService.get(e.getKey())[0] = cap;
      largestKept().put(e.getKey(), ids.get(cap - 1));
    }
    mostPerService = cap;
  }

  private Map<String, String> largestKept() {
    if (largestKept == null) {
      largestKept = new HashMap<>();
    }
    return largestKept;
  }

  /**
   * The bound above which a service's new ids are folded, or null while it has fewer than {@code
   * cap} fingerprints here. Set by a cap; a decoded pane has none, so it is found once, as the
   * largest of the service's ids.
   */
  private String largestKept(String service, int cap) {
    String largest = largestKept().get(service);
    if (largest != null) {
      return largest;
    }
    int[] n = perService.get(service);
    if (n == null || n[0] < cap) {
      return null;
    }
    for (Map.Entry<String, ClusterStats> e : byFingerprint.entrySet()) {
      String key = e.getKey();
      if ((largest == null || key.compareTo(largest) > 0)
          && overflowService(key) == null
          && e.getValue().service().equals(service)) {
        largest = key;
      }
    }
    largestKept.put(service, largest);
    return largest;
  }

  /** Adds the other's counts; the other is left as it was. */
  public void merge(PaneStats other) {
    for (Map.Entry<String, ClusterStats> e : other.byFingerprint.entrySet()) {
      merge(e.getKey(), e.getValue());
    }
  }

  /** Adds one key's stats, which are left as they were. */
  private void merge(String key, ClusterStats stats) {
    ClusterStats s = byFingerprint.get(key);
    boolean added = s == null;
    if (added) {
      s = new ClusterStats();
      byFingerprint.put(key, s);
    }
    s.merge(stats);
    if (added) {
      counted(key, s);
    }
  }

  /**
   * {@link #merge(PaneStats)} then {@link #capPerService}, with the same result, for the counting
   * step's state: a window's pane stays at the cap while partial counts of the same fingerprints
   * keep coming, and an id the cap would fold at once goes to its service's overflow without being
   * added and sorted first.
   */
  public void merge(PaneStats other, int cap) {
    for (Map.Entry<String, ClusterStats> e : other.byFingerprint.entrySet()) {
      String key = e.getKey();
      if (!byFingerprint.containsKey(key) && overflowService(key) == null) {
        String service = e.getValue().service();
        String largest = largestKept(service, cap);
        if (largest != null && key.compareTo(largest) > 0) {
          key = OVERFLOW_PREFIX + service;
        }
      }
      merge(key, e.getValue());
    }
    capPerService(cap);
  }

  /** The number of fingerprints and overflow keys. */
  public int size() {
    return byFingerprint.size();
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
      String key = dev.loggardener.logentry.Wire.string(d);
      ClusterStats s = ClusterStats.readFrom(d);
      p.byFingerprint.put(key, s);
      p.counted(key, s);
    }
    return p;
  }
}
