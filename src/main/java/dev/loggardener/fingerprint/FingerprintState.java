package dev.loggardener.fingerprint;

import dev.loggardener.logentry.LogEntry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fingerprints with memory: the masking template of {@link Fingerprinter}, plus online merging of
 * positions that turn out to be variables although they look like words (user names, device names).
 * The merging state lives in {@link TemplateBucket}s, one per {@link #bucketKey}, so a keyed
 * pipeline step can hold exactly one bucket per key; this class routes entries to buckets.
 *
 * <p>Ids of known templates never change: a new template gets the v1 id of its own text, and a
 * merge keeps the oldest id and records the others as aliases. So the same input gives the same ids
 * in any JVM and, for templates already known, in any order.
 */
public final class FingerprintState implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Distinct words a position must show before it is a variable. Measured on Loghub-2k (gardener
   * evaluate --merge-after N): 4 merges OpenStack's "VM Started / Paused / Resumed / Stopped" into
   * one; 8 and more leave OpenSSH's user names split; 5 and 6 tie on average, and 5 merges sooner
   * (see BENCHMARKS.md).
   */
  public static final int DEFAULT_DISTINCT_VALUES = 5;

  private final int distinctValues;
  private final Map<String, TemplateBucket> buckets = new HashMap<>();
  private final Map<String, TemplateBucket> bucketOfId = new HashMap<>();

  /** Entries in the lookup cache before it is dropped and refilled (the buckets are the truth). */
  static final int MAX_CACHED_TEMPLATES = 200_000;

  private transient int cacheSize;

  /**
   * Cache of template to where it was logged from, its id and that id's bucket (a chain when one
   * template text comes from several places); the buckets are the truth.
   */
  private transient Map<String, Cached> exact;

  /** One cached template of one (service, logger, function), and the next with the same text. */
  private record Cached(
      String service,
      String logger,
      String function,
      String id,
      TemplateBucket bucket,
      Cached next) {
    Cached find(String service, String logger, String function) {
      for (Cached c = this; c != null; c = c.next) {
        if (Objects.equals(c.service, service)
            && Objects.equals(c.logger, logger)
            && Objects.equals(c.function, function)) {
          return c;
        }
      }
      return null;
    }
  }

  public FingerprintState() {
    this(DEFAULT_DISTINCT_VALUES);
  }

  public FingerprintState(int distinctValues) {
    if (distinctValues < 2) {
      throw new IllegalArgumentException("distinctValues must be at least 2");
    }
    this.distinctValues = distinctValues;
  }

  /** A recorded merge: issues that carry {@code alias} belong to {@code canonical} now. */
  public record Alias(String alias, String canonical) implements Serializable {}

  /**
   * The bucket a template belongs to: service, logger, function, token count and first token, or
   * {@code <*>} for a first token shaped like a value (a mask, or a name like redis-master).
   * Merging happens only inside a bucket; a pipeline keys its merging state by this.
   */
  public static String bucketKey(String service, String logger, String function, String template) {
    int tokens = TemplateBucket.tokenCount(template, Integer.MAX_VALUE);
    int firstEnd = 0;
    while (firstEnd < template.length()
        && template.charAt(firstEnd) != ' '
        && template.charAt(firstEnd) != '\n') {
      firstEnd++;
    }
    String first = template.substring(0, firstEnd);
    if (Templater.isValueShaped(first)) {
      first = Templater.MASK; // redis-master, etcd-0 and <*> found data inconsistency: one bucket
    }
    return Fingerprinter.key(service, logger, function, tokens + "\0" + first);
  }

  public Fingerprint fingerprint(LogEntry e) {
    String template = Fingerprinter.templateOf(e);
    if (exact == null || cacheSize > MAX_CACHED_TEMPLATES) {
      exact = new HashMap<>();
      cacheSize = 0;
    }
    Cached sameText = exact.get(template);
    Cached cached = sameText == null ? null : sameText.find(e.service(), e.logger(), e.function());
    if (cached != null) {
      TemplateBucket b = cached.bucket;
      String id = b.resolve(cached.id);
      return new Fingerprint(id, b.template(id), Fingerprinter.VERSION);
    }
    String bucketKey = bucketKey(e.service(), e.logger(), e.function(), template);
    TemplateBucket bucket =
        buckets.computeIfAbsent(bucketKey, k -> new TemplateBucket(distinctValues));
    String id =
        bucket.assign(template, t -> Fingerprinter.id(e.service(), e.logger(), e.function(), t));
    bucketOfId.putIfAbsent(id, bucket);
    exact.put(
        template,
        new Cached(e.service(), e.logger(), e.function(), id, bucketOfId.get(id), sameText));
    cacheSize++;
    return new Fingerprint(id, bucket.template(id), Fingerprinter.VERSION);
  }

  /**
   * Learns templates an earlier run learned (service, logger, function, template; the {@code
   * fingerprint_templates} table), in the order the pipeline replays them: by template within each
   * bucket. Afterwards this state merges as if it had seen them.
   */
  public void replay(List<String[]> learned) {
    // Service, logger and function are part of the bucket key, so one row of a bucket names them.
    Map<String, List<String[]>> byBucket = new HashMap<>();
    for (String[] t : learned) {
      byBucket.computeIfAbsent(bucketKey(t[0], t[1], t[2], t[3]), k -> new ArrayList<>()).add(t);
    }
    byBucket.forEach(
        (key, rows) -> {
          String[] where = rows.get(0);
          java.util.function.UnaryOperator<String> idOf =
              text -> Fingerprinter.id(where[0], where[1], where[2], text);
          TemplateBucket bucket =
              buckets.computeIfAbsent(key, k -> new TemplateBucket(distinctValues));
          List<String> templates = new ArrayList<>(rows.size());
          for (String[] t : rows) {
            templates.add(t[3]);
            bucketOfId.putIfAbsent(idOf.apply(t[3]), bucket);
          }
          bucket.replay(templates, idOf).forEach(id -> bucketOfId.putIfAbsent(id, bucket));
        });
    exact = null; // the cache may name ids that merged since
  }

  /** The id an id stands for now, following aliases; an unknown id stands for itself. */
  public String resolve(String id) {
    TemplateBucket b = bucketOfId.get(id);
    return b == null ? id : b.resolve(id);
  }

  /** The current template of a cluster id (resolved), or null when the id is unknown. */
  public String template(String id) {
    TemplateBucket b = bucketOfId.get(id);
    return b == null ? null : b.template(id);
  }

  /** Every merge so far. */
  public List<Alias> aliases() {
    List<Alias> out = new ArrayList<>();
    for (TemplateBucket b : buckets.values()) {
      b.aliases().forEach((a, c) -> out.add(new Alias(a, b.resolve(c))));
    }
    out.sort(java.util.Comparator.comparing(Alias::alias));
    return out;
  }

  /** The largest number of skeletons any bucket tracks (for tests of the bounds). */
  int maxSkeletonsPerBucket() {
    int max = 0;
    for (TemplateBucket b : buckets.values()) {
      max = Math.max(max, b.skeletonCount());
    }
    return max;
  }
}
