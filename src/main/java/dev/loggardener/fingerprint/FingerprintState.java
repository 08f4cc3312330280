package dev.loggardener.fingerprint;

import dev.loggardener.logentry.LogEntry;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fingerprints with memory: the masking template of {@link Fingerprinter}, plus online merging of
 * positions that turn out to be variables although they look like words (user names, host names
 * without a digit).
 *
 * <p>Templates live in buckets: service, logger, function, token count and first token. Merging
 * happens only inside a bucket, so a bucket's state is all a keyed Beam step needs to hold. Inside
 * a bucket, every new template records, for each position but the first, its word there under the
 * template's <em>skeleton</em> for that position (the template with that one position masked). When
 * a skeleton has seen {@link #DEFAULT_DISTINCT_VALUES} distinct words, the position is a variable:
 * the skeleton becomes a generalized template, the oldest member cluster's id survives, and the
 * other members become recorded aliases of it. A template matching a generalized one joins it.
 *
 * <p>Ids of templates that are already known never change: a new template gets the v1 id of its own
 * text, and a merge keeps the oldest id. So the same input gives the same ids in any JVM and, for
 * known templates, in any order.
 */
public final class FingerprintState implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Distinct words a position must show before it is a variable (Started/Paused/Resumed/Stopped
   * stay apart).
   */
  public static final int DEFAULT_DISTINCT_VALUES = 5;

  /** Bound on exact templates and skeletons a bucket remembers; beyond it, no new merges start. */
  static final int MAX_TEMPLATES_PER_BUCKET = 5_000;

  private final int distinctValues;
  private final Map<String, Bucket> buckets = new HashMap<>();

  /** Full key (service, logger, function, template) to the id first given to it. */
  private final Map<String, String> exact = new HashMap<>();

  private final Map<String, String> aliases = new LinkedHashMap<>();
  private final Map<String, String> templates = new HashMap<>();
  private long sequence;

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

  public Fingerprint fingerprint(LogEntry e) {
    String template = Fingerprinter.templateOf(e);
    String key = fullKey(e.service(), e.logger(), e.function(), template);
    String id = exact.get(key);
    if (id == null) {
      id = learn(e.service(), e.logger(), e.function(), template, key);
    }
    String canonical = resolve(id);
    return new Fingerprint(canonical, templates.get(canonical), Fingerprinter.VERSION);
  }

  /** The id an id stands for now, following aliases. */
  public String resolve(String id) {
    String current = id;
    String next;
    while ((next = aliases.get(current)) != null) {
      current = next;
    }
    return current;
  }

  /** The current template of a cluster id (resolved), or null when the id is unknown. */
  public String template(String id) {
    return templates.get(resolve(id));
  }

  /** Every merge so far, oldest first. */
  public List<Alias> aliases() {
    List<Alias> out = new ArrayList<>(aliases.size());
    aliases.forEach((a, c) -> out.add(new Alias(a, c)));
    return out;
  }

  private String learn(
      String service, String logger, String function, String template, String key) {
    String[] tokens = template.split(" ", -1);
    String bucketKey = fullKey(service, logger, function, tokens.length + "\0" + tokens[0]);
    Bucket bucket = buckets.computeIfAbsent(bucketKey, k -> new Bucket());
    String id = bucket.match(tokens);
    if (id == null) {
      id = Fingerprinter.id(service, logger, function, template);
      String existing = templates.putIfAbsent(id, template);
      if (existing == null) {
        bucket.order.put(id, sequence++);
      }
      bucket.add(tokens, id, this, service, logger, function);
    }
    exact.put(key, id);
    return id;
  }

  private static String fullKey(String service, String logger, String function, String rest) {
    return (service == null ? "" : service)
        + '\0'
        + (logger == null ? "" : logger)
        + '\0'
        + (function == null ? "" : function)
        + '\0'
        + rest;
  }

  /** One bucket's merging state. */
  private static final class Bucket implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Generalized templates (tokens) and their cluster ids, oldest first. */
    final List<String[]> generalized = new ArrayList<>();

    final List<String> generalizedIds = new ArrayList<>();

    /** Skeleton (template with one position masked, and that position) to word → cluster id. */
    final Map<String, LinkedHashMap<String, String>> skeletons = new HashMap<>();

    /** Exact templates of this bucket and their ids, to join a new generalization. */
    final Map<String, String[]> members = new LinkedHashMap<>();

    /** Creation order of this bucket's cluster ids: the older id survives a merge. */
    final Map<String, Long> order = new HashMap<>();

    String match(String[] tokens) {
      String best = null;
      int bestMasks = Integer.MAX_VALUE;
      for (int g = 0; g < generalized.size(); g++) {
        String[] t = generalized.get(g);
        if (matches(t, tokens)) {
          int masks = masks(t);
          if (masks < bestMasks) {
            best = generalizedIds.get(g);
            bestMasks = masks;
          }
        }
      }
      return best;
    }

    void add(
        String[] tokens,
        String id,
        FingerprintState state,
        String service,
        String logger,
        String function) {
      if (members.size() >= MAX_TEMPLATES_PER_BUCKET) {
        return;
      }
      members.put(id, tokens);
      for (int i = 1; i < tokens.length; i++) {
        if (tokens[i].equals(Templater.MASK)) {
          continue;
        }
        String skeleton = skeleton(tokens, i);
        LinkedHashMap<String, String> words =
            skeletons.computeIfAbsent(skeleton, k -> new LinkedHashMap<>());
        words.putIfAbsent(tokens[i], id);
        if (words.size() >= state.distinctValues) {
          String[] general = tokens.clone();
          general[i] = Templater.MASK;
          skeletons.remove(skeleton);
          generalize(general, state, service, logger, function);
          return;
        }
      }
    }

    /** Makes {@code general} a cluster: the oldest matching cluster's id survives. */
    private void generalize(
        String[] general, FingerprintState state, String service, String logger, String function) {
      List<String> joining = new ArrayList<>();
      for (Map.Entry<String, String[]> m : members.entrySet()) {
        if (matches(general, m.getValue())) {
          joining.add(state.resolve(m.getKey()));
        }
      }
      for (int g = 0; g < generalized.size(); g++) {
        if (matches(general, generalized.get(g))) {
          joining.add(state.resolve(generalizedIds.get(g)));
        }
      }
      String survivor = null;
      for (String id : joining) {
        if (survivor == null || order.get(id) < order.get(survivor)) {
          survivor = id;
        }
      }
      for (String id : joining) {
        if (!id.equals(survivor)) {
          state.aliases.put(id, survivor);
        }
      }
      String template = String.join(" ", general);
      state.templates.put(survivor, template);
      generalized.add(general);
      generalizedIds.add(survivor);
      // The generalized template is itself a member: its other positions may vary too.
      members.put(survivor, general);
      for (int i = 1; i < general.length; i++) {
        if (!general[i].equals(Templater.MASK)) {
          LinkedHashMap<String, String> words =
              skeletons.computeIfAbsent(skeleton(general, i), k -> new LinkedHashMap<>());
          words.putIfAbsent(general[i], survivor);
        }
      }
    }

    private static boolean matches(String[] general, String[] tokens) {
      if (general.length != tokens.length) {
        return false;
      }
      for (int i = 0; i < general.length; i++) {
        if (!general[i].equals(tokens[i]) && !general[i].equals(Templater.MASK)) {
          return false;
        }
      }
      return true;
    }

    private static int masks(String[] t) {
      int n = 0;
      for (String s : t) {
        if (s.equals(Templater.MASK)) {
          n++;
        }
      }
      return n;
    }

    private static String skeleton(String[] tokens, int position) {
      StringBuilder sb = new StringBuilder(position).append('\0');
      for (int i = 0; i < tokens.length; i++) {
        if (i > 0) {
          sb.append(' ');
        }
        sb.append(i == position ? Templater.MASK : tokens[i]);
      }
      return sb.toString();
    }
  }
}
