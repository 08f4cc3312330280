package dev.loggardener.fingerprint;

import dev.loggardener.logentry.Wire;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The merging state of one bucket (service, logger, function, token count, first token): all a
 * keyed pipeline step holds for its key. Merges never cross buckets, so a bucket is complete on its
 * own and survives a restart by being stored whole.
 *
 * <p>Every new template records, for each position but the first, its word there under the
 * template's skeleton for that position (the template with that one position masked). When a
 * skeleton has seen {@code distinctValues} distinct words, the position is a variable: the skeleton
 * becomes a generalized template whose id is its own (the v1 id of the generalized text), and the
 * clusters it covers become aliases of it. A later template that a generalized template covers
 * joins it. So a merged cluster's id is a function of what merged, not of which member came first.
 */
public final class TemplateBucket implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Bound on the templates a bucket remembers for merging; past it, no new merge starts. */
  static final int MAX_TEMPLATES = 5_000;

  /**
   * Templates longer than this are not tracked for merging: each tracked template stores one
   * skeleton per token, so a flood of long unique lines (log text is attacker-controlled) would
   * cost time and memory quadratic in their length. They still get their own exact ids.
   */
  static final int MAX_MERGE_TOKENS = 40;

  private int distinctValues;

  /**
   * The bucket's written form, not yet read: a state copy (the DirectRunner copies every cell of a
   * key at each bundle) costs a byte copy, and only the buckets a bundle touches are parsed.
   */
  private byte[] unread;

  /** The written form of a read bucket, kept until the bucket changes (a state copy writes it). */
  private byte[] written;

  /** Every exact template seen here, to the id it was given. */
  private final Map<String, String> exact = new HashMap<>();

  /** Cluster id to its current template; aliases are not in it. */
  private final Map<String, String> templates = new HashMap<>();

  /** Creation order of cluster ids: the older id survives a merge. */
  private final Map<String, Long> created = new HashMap<>();

  private final Map<String, String> aliases = new LinkedHashMap<>();
  private final List<String[]> generalized = new ArrayList<>();
  private final List<String> generalizedIds = new ArrayList<>();
  private final Map<String, LinkedHashMap<String, String>> skeletons = new HashMap<>();
  private final Map<String, String[]> members = new LinkedHashMap<>();
  private long sequence;

  public TemplateBucket(int distinctValues) {
    this.distinctValues = distinctValues;
  }

  /** A bucket from its {@link #writeTo} form, read when first used. */
  public static TemplateBucket unread(byte[] written) {
    TemplateBucket b = new TemplateBucket(0);
    b.unread = written;
    return b;
  }

  /** The {@link #writeTo} form, without parsing an unread bucket. */
  public byte[] written() throws IOException {
    if (unread != null) {
      return unread;
    }
    if (written == null) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.DataOutputStream d = new java.io.DataOutputStream(bytes)) {
        writeTo(d);
      }
      written = bytes.toByteArray();
    }
    return written;
  }

  /**
   * This bucket as a state cell should hold it between bundles: its written form only, parsed again
   * when a later bundle uses it. The DirectRunner's map state hands a bundle the very objects the
   * previous bundle stored (its copy clones each value, then puts the originals back), so a parsed
   * bucket stored as it is stays parsed for the rest of the run (BENCHMARKS.md, "DuckDB writes and
   * stored buckets").
   */
  public TemplateBucket stored() throws IOException {
    return unread != null ? this : unread(written());
  }

  private void read() {
    if (unread != null) {
      byte[] b = unread;
      unread = null;
      try {
        readInto(new java.io.DataInputStream(new java.io.ByteArrayInputStream(b)));
        written = b; // the same form until the bucket changes
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("a stored merging bucket does not read", e);
      }
    }
  }

  /**
   * The cluster id for a template of this bucket, learning it when new.
   *
   * @param idOf the v1 id of a template (service, logger and function are the bucket's): a new
   *     template's own id, and a merged cluster's id, which is that of its merged template
   */
  public String assign(String template, java.util.function.UnaryOperator<String> idOf) {
    read();
    String id = exact.get(template);
    if (id != null) {
      return resolve(id);
    }
    written = null; // a new template changes the bucket
    String[] tokens = tokens(template);
    id = match(tokens);
    if (id == null) {
      id = idOf.apply(template);
      if (templates.putIfAbsent(id, template) == null) {
        created.put(id, sequence++);
      }
      // Learned as a member even when it joins a masked twin: its words count towards the
      // positions that vary whichever came first, so the result does not depend on the order.
      learn(tokens, id, idOf);
      exact.put(template, id);
      String twin = maskedTwin(tokens);
      String own = resolve(id);
      if (twin != null && !twin.equals(own)) {
        aliases.put(own, twin);
        templates.remove(own);
      }
      joinPlainTwins(tokens, id);
    } else {
      exact.put(template, id);
    }
    return resolve(id);
  }

  /**
   * Learns templates an earlier run learned, sorted, so that every job and the CLI replay one
   * bucket to the same state whatever order the templates were stored in.
   *
   * @return the id each template got as it was replayed, in replay order
   */
  public List<String> replay(
      Iterable<String> templates, java.util.function.UnaryOperator<String> idOf) {
    List<String> sorted = new ArrayList<>();
    templates.forEach(sorted::add);
    java.util.Collections.sort(sorted);
    List<String> ids = new ArrayList<>(sorted.size());
    for (String t : sorted) {
      ids.add(assign(t, idOf));
    }
    return ids;
  }

  /**
   * Whether this exact template would be new to the merging state: not seen before, and within the
   * bounds that let it take part in merging (a template of more than {@link #MAX_MERGE_TOKENS}
   * tokens, or one past {@link #MAX_TEMPLATES}, only ever gets its own id, so there is nothing
   * about it to persist).
   */
  public boolean wouldLearn(String template) {
    read();
    if (exact.containsKey(template) || members.size() >= MAX_TEMPLATES) {
      return false;
    }
    return tokenCount(template, MAX_MERGE_TOKENS + 1) <= MAX_MERGE_TOKENS;
  }

  /**
   * A template's tokens for merging: the words of its lines, a line's first word after the first
   * line carrying the newline before it, and each stack frame line (a line of a trace that starts
   * with two spaces) one token whole: frames are the trace's identity and never vary, so a trace of
   * any depth merges on its messages. {@link #text} joins them back into the same template.
   */
  public static String[] tokens(String template) {
    List<String> out = new ArrayList<>();
    int start = 0;
    boolean firstLine = true;
    while (true) {
      int nl = template.indexOf('\n', start);
      int end = nl < 0 ? template.length() : nl;
      if (!firstLine && template.startsWith("  ", start)) {
        out.add(template.substring(start - 1, end));
      } else {
        int i = firstLine ? start : start - 1;
        while (true) {
          int sp = template.indexOf(' ', i);
          int e = sp < 0 || sp > end ? end : sp;
          out.add(template.substring(i, e));
          if (e == end) {
            break;
          }
          i = e + 1;
        }
      }
      if (nl < 0) {
        break;
      }
      start = nl + 1;
      firstLine = false;
    }
    return out.toArray(new String[0]);
  }

  /** The template that {@link #tokens} came from. */
  public static String text(String[] tokens) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < tokens.length; i++) {
      if (i > 0 && (tokens[i].isEmpty() || tokens[i].charAt(0) != '\n')) {
        sb.append(' ');
      }
      sb.append(tokens[i]);
    }
    return sb.toString();
  }

  /** How many {@link #tokens} a template has, counting no further than {@code limit}. */
  public static int tokenCount(String template, int limit) {
    int n = 0;
    int start = 0;
    boolean firstLine = true;
    while (n < limit) {
      int nl = template.indexOf('\n', start);
      int end = nl < 0 ? template.length() : nl;
      n++;
      if (firstLine || !template.startsWith("  ", start)) {
        for (int i = template.indexOf(' ', start);
            i >= 0 && i < end;
            i = template.indexOf(' ', i + 1)) {
          n++;
        }
      }
      if (nl < 0) {
        break;
      }
      start = nl + 1;
      firstLine = false;
    }
    return n;
  }

  public String resolve(String id) {
    read();
    String current = id;
    String next;
    while ((next = aliases.get(current)) != null) {
      current = next;
    }
    return current;
  }

  /** The current template of a cluster of this bucket, aliases resolved; null if unknown. */
  public String template(String id) {
    read();
    return templates.get(resolve(id));
  }

  /** Every merged id to the id it merged into (follow with {@link #resolve}); read-only. */
  public Map<String, String> aliases() {
    read();
    return java.util.Collections.unmodifiableMap(aliases);
  }

  /** How many skeletons the bucket tracks: bounded by MAX_TEMPLATES × MAX_MERGE_TOKENS. */
  int skeletonCount() {
    read();
    return skeletons.size();
  }

  /**
   * Writes the whole bucket, for a state coder; {@link #readFrom} reads it back. Maps whose order
   * matters (aliases, members, each skeleton's words) keep it.
   */
  public void writeTo(DataOutput d) throws IOException {
    if (unread != null) {
      d.write(unread);
      return;
    }
    d.writeInt(distinctValues);
    d.writeLong(sequence);
    Wire.map(d, exact);
    Wire.map(d, templates);
    d.writeInt(created.size());
    for (Map.Entry<String, Long> e : created.entrySet()) {
      Wire.string(d, e.getKey());
      d.writeLong(e.getValue());
    }
    Wire.map(d, aliases);
    d.writeInt(generalized.size());
    for (int g = 0; g < generalized.size(); g++) {
      Wire.strings(d, Arrays.asList(generalized.get(g)));
      Wire.string(d, generalizedIds.get(g));
    }
    d.writeInt(skeletons.size());
    for (Map.Entry<String, LinkedHashMap<String, String>> e : skeletons.entrySet()) {
      Wire.string(d, e.getKey());
      Wire.map(d, e.getValue());
    }
    d.writeInt(members.size());
    for (Map.Entry<String, String[]> e : members.entrySet()) {
      Wire.string(d, e.getKey());
      Wire.strings(d, Arrays.asList(e.getValue()));
    }
  }

  public static TemplateBucket readFrom(DataInput d) throws IOException {
    TemplateBucket b = new TemplateBucket(0);
    b.readInto(d);
    return b;
  }

  private void readInto(DataInput d) throws IOException {
    TemplateBucket b = this;
    b.distinctValues = d.readInt();
    b.sequence = d.readLong();
    Wire.readInto(d, b.exact);
    Wire.readInto(d, b.templates);
    int n = Wire.count(d);
    for (int i = 0; i < n; i++) {
      b.created.put(Wire.string(d), d.readLong());
    }
    Wire.readInto(d, b.aliases);
    n = Wire.count(d);
    for (int i = 0; i < n; i++) {
      b.generalized.add(Wire.strings(d).toArray(new String[0]));
      b.generalizedIds.add(Wire.string(d));
    }
    n = Wire.count(d);
    for (int i = 0; i < n; i++) {
      String skeleton = Wire.string(d);
      LinkedHashMap<String, String> words = new LinkedHashMap<>();
      Wire.readInto(d, words);
      b.skeletons.put(skeleton, words);
    }
    n = Wire.count(d);
    for (int i = 0; i < n; i++) {
      b.members.put(Wire.string(d), Wire.strings(d).toArray(new String[0]));
    }
  }

  /**
   * A template already seen that is this one with one word masked by its syntax ("Canceling queue
   * <*>" for "Canceling queue dlq", where orders.created was masked as a name and dlq, a plain
   * word, was not): strong evidence that the word is a value of the same place, so one other value
   * is enough. The id of the first such template by position, else null.
   */
  private String maskedTwin(String[] tokens) {
    if (tokens.length > MAX_MERGE_TOKENS || constants(tokens) < MIN_TWIN_CONSTANTS + 1) {
      return null;
    }
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i].equals(Templater.MASK) || !Templater.mayJoinMask(tokens, i)) {
        continue;
      }
      String word = tokens[i];
      // "namespace prod:" has the twin "namespace <*>:" (the syntax keeps punctuation outside a
      // value), or a bare "<*>".
      tokens[i] = Templater.maskKeepingPunctuation(word);
      String twin = exact.get(text(tokens));
      if (twin == null && !tokens[i].equals(Templater.MASK)) {
        tokens[i] = Templater.MASK;
        twin = exact.get(text(tokens));
      }
      tokens[i] = word;
      if (twin != null) {
        return resolve(twin);
      }
    }
    // Two masked positions ("Can't update table <*> … on column <*>" for "… table carts … column
    // sku"): looked for among the members of a small bucket; the least template wins, whatever
    // came first.
    if (members.size() > MAX_PAIR_SCAN) {
      return null;
    }
    String best = null;
    String bestId = null;
    for (Map.Entry<String, String[]> m : members.entrySet()) {
      if (fillsTwoMasks(m.getValue(), tokens)) {
        String text = text(m.getValue());
        if (best == null || text.compareTo(best) < 0) {
          best = text;
          bestId = m.getKey();
        }
      }
    }
    return bestId == null ? null : resolve(bestId);
  }

  /**
   * Whether {@code plain} is {@code masked} with exactly two of its masks filled by words that may
   * join a mask, in a template that keeps at least {@value #MIN_TWIN_CONSTANTS} words.
   */
  private static boolean fillsTwoMasks(String[] masked, String[] plain) {
    if (masked.length != plain.length || constants(masked) < MIN_TWIN_CONSTANTS) {
      return false;
    }
    int filled = 0;
    for (int k = 0; k < masked.length; k++) {
      if (masked[k].equals(plain[k])) {
        continue;
      }
      if (!Templater.isMaskToken(masked[k])
          || !Templater.fillsMask(masked[k], plain[k])
          || Templater.isMaskToken(plain[k])
          || !Templater.mayJoinMask(plain, k)
          || ++filled > 2) {
        return false;
      }
    }
    return filled == 2;
  }

  /**
   * The other side of {@link #maskedTwin}: the templates seen before this one that are it with a
   * plain word where it has a mask join it, so the result does not depend on which came first.
   */
  private void joinPlainTwins(String[] tokens, String id) {
    if (tokens.length > MAX_MERGE_TOKENS || constants(tokens) < MIN_TWIN_CONSTANTS) {
      return;
    }
    if (members.size() <= MAX_PAIR_SCAN) {
      for (Map.Entry<String, String[]> m : members.entrySet()) {
        String joining = resolve(m.getKey());
        String survivor = resolve(id);
        if (!joining.equals(survivor) && fillsTwoMasks(tokens, m.getValue())) {
          aliases.put(joining, survivor);
          templates.remove(joining);
        }
      }
    }
    for (int i = 0; i < tokens.length; i++) {
      String mask = tokens[i];
      if (!Templater.isMaskToken(mask)) {
        continue;
      }
      LinkedHashMap<String, String> words = skeletons.get(skeleton(tokens, i));
      if (words == null) {
        continue;
      }
      String survivor = resolve(id);
      for (Map.Entry<String, String> w : words.entrySet()) {
        tokens[i] = w.getKey();
        boolean joins = Templater.mayJoinMask(tokens, i) && Templater.fillsMask(mask, w.getKey());
        tokens[i] = mask;
        String joining = resolve(w.getValue());
        if (joins && !joining.equals(survivor) && exact.containsKey(twin(tokens, i, w))) {
          aliases.put(joining, survivor);
          templates.remove(joining);
        }
      }
    }
  }

  /**
   * The fewest words a template must keep beside its mask for one other value to join it: "<*> <*>"
   * says nothing about "<*> dealloc", "Canceling queue <*>" does about "Canceling queue dlq".
   */
  private static final int MIN_TWIN_CONSTANTS = 2;

  private static int constants(String[] tokens) {
    int n = 0;
    for (String t : tokens) {
      if (!Templater.isMaskToken(t)) {
        n++;
      }
    }
    return n;
  }

  private static String twin(String[] tokens, int i, Map.Entry<String, String> w) {
    String[] t = tokens.clone();
    t[i] = w.getKey();
    return text(t);
  }

  private String match(String[] tokens) {
    String best = null;
    int bestMasks = Integer.MAX_VALUE;
    for (int g = 0; g < generalized.size(); g++) {
      String[] t = generalized.get(g);
      if (covers(t, tokens)) {
        int masks = masks(t);
        if (masks < bestMasks) {
          best = generalizedIds.get(g);
          bestMasks = masks;
        }
      }
    }
    return best;
  }

  private void learn(String[] tokens, String id, java.util.function.UnaryOperator<String> idOf) {
    if (members.size() >= MAX_TEMPLATES || tokens.length > MAX_MERGE_TOKENS) {
      return;
    }
    members.put(id, tokens);
    String[] general = record(tokens, id);
    if (general == null) {
      general = pairVaries(tokens);
    }
    if (general != null) {
      generalize(general, idOf);
    }
  }

  /** Members a bucket may have for {@link #pairVaries} to look at them all. */
  static final int MAX_PAIR_SCAN = 256;

  /** Templates, this one among them, that must differ in the same two positions and only there. */
  static final int PAIR_MEMBERS = 3;

  /**
   * Two positions that vary together ("Invalid struct field, email, in orders", "…, sku, in shop"):
   * each skeleton of one position sees too few words to merge, but {@value #PAIR_MEMBERS}
   * templates, this one and members, that differ from each other only in the same two positions,
   * with at least two words at each, are evidence that both are values. The test is on that set, so
   * whichever of them comes last finds it. Two neighbouring positions are not evidence ("upstream
   * sent invalid :status / unexpected :status / invalid header" are a phrase's variants, nginx's
   * near-miss formats). Looked for only in a bucket of at most {@value #MAX_PAIR_SCAN} members (a
   * flood gets single positions only).
   *
   * @return the template with both positions masked, or null
   */
  private String[] pairVaries(String[] tokens) {
    if (members.size() > MAX_PAIR_SCAN || constants(tokens) < MIN_TWIN_CONSTANTS + 2) {
      return null;
    }
    // Members that differ from this template in one or two positions, with those positions.
    List<String[]> near = new ArrayList<>();
    List<int[]> diffsOf = new ArrayList<>();
    java.util.TreeSet<Long> pairs = new java.util.TreeSet<>();
    for (String[] m : members.values()) {
      if (m == tokens || m.length != tokens.length) {
        continue;
      }
      int[] d = new int[2];
      int diffs = 0;
      for (int k = 0; k < m.length && diffs <= 2; k++) {
        if (!m[k].equals(tokens[k])) {
          if (diffs < 2) {
            d[diffs] = k;
          }
          diffs++;
        }
      }
      if (diffs == 0 || diffs > 2) {
        continue;
      }
      near.add(m);
      diffsOf.add(diffs == 1 ? new int[] {d[0]} : d);
      if (diffs == 2 && d[1] - d[0] >= 2) {
        pairs.add(((long) d[0] << 32) | d[1]);
      }
    }
    for (long pair : pairs) {
      int first = (int) (pair >>> 32);
      int second = (int) pair;
      if (!joinable(tokens, first) || !joinable(tokens, second)) {
        continue;
      }
      java.util.Set<String> a = new java.util.HashSet<>(List.of(tokens[first]));
      java.util.Set<String> b = new java.util.HashSet<>(List.of(tokens[second]));
      int in = 1;
      for (int k = 0; k < near.size(); k++) {
        String[] m = near.get(k);
        int[] d = diffsOf.get(k);
        boolean within = true;
        for (int p : d) {
          within &= p == first || p == second;
        }
        if (within && joinable(m, first) && joinable(m, second)) {
          in++;
          a.add(m[first]);
          b.add(m[second]);
        }
      }
      if (in >= PAIR_MEMBERS && a.size() >= 2 && b.size() >= 2) {
        String[] general = tokens.clone();
        general[first] = Templater.MASK;
        general[second] = Templater.MASK;
        return general;
      }
    }
    return null;
  }

  private static boolean joinable(String[] tokens, int i) {
    return !tokens[i].equals(Templater.MASK) && Templater.mayJoinMask(tokens, i);
  }

  /**
   * Distinct words position {@code i} must show to be a variable: two right after a word that
   * announces a name ("on relationship orders", "… relationship shop": the syntax already says a
   * name follows; a word of the sentence there would not change), else {@code distinctValues}.
   */
  private int needed(String[] tokens, int i) {
    return i > 0 && Templater.announcesName(tokens, i) && Templater.mayJoinMask(tokens, i)
        ? Math.min(2, distinctValues)
        : distinctValues;
  }

  /**
   * Records the template's word at each position under that position's skeleton; the first position
   * that reaches {@code distinctValues} words comes back generalized, else null.
   */
  private String[] record(String[] tokens, String id) {
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i].equals(Templater.MASK) || Templater.isIdentity(tokens, i)) {
        continue;
      }
      String skeleton = skeleton(tokens, i);
      LinkedHashMap<String, String> words =
          skeletons.computeIfAbsent(skeleton, k -> new LinkedHashMap<>());
      words.putIfAbsent(tokens[i], id);
      if (words.size() >= needed(tokens, i)) {
        skeletons.remove(skeleton);
        String[] general = tokens.clone();
        general[i] = Templater.MASK;
        return general;
      }
    }
    return null;
  }

  /**
   * Merges every cluster the generalized template covers into one whose id is the generalized
   * template's own (so the id depends on what was merged, not on which member came first), and
   * records aliases for the others.
   */
  private void generalize(String[] general, java.util.function.UnaryOperator<String> idOf) {
    String text = text(general);
    String survivor = resolve(idOf.apply(text));
    List<String> joining = new ArrayList<>();
    List<String[]> covered = new ArrayList<>();
    for (Map.Entry<String, String[]> m : members.entrySet()) {
      if (covers(general, m.getValue())) {
        covered.add(m.getValue());
        String id = resolve(m.getKey());
        if (!joining.contains(id)) {
          joining.add(id);
        }
      }
    }
    for (String id : joining) {
      if (!id.equals(survivor)) {
        aliases.put(id, survivor);
        templates.remove(id);
      }
    }
    if (templates.put(survivor, text) == null) {
      created.put(survivor, sequence++);
    }
    generalized.add(general);
    generalizedIds.add(survivor);
    if (members.size() >= MAX_TEMPLATES) {
      return;
    }
    // The generalized template is a member in its own right: its other positions may vary too.
    // The words its members showed there count for it, whatever order they came in; otherwise a
    // position that varied among the first members would be learned again from scratch, and the
    // result would depend on which position happened to reach the count first.
    members.put(survivor, general);
    String[] further = record(general, survivor);
    for (String[] m : covered) {
      if (further != null) {
        break;
      }
      for (int i = 0; i < general.length && further == null; i++) {
        if (general[i].equals(Templater.MASK)
            || m[i].equals(Templater.MASK)
            || Templater.isIdentity(m, i)) {
          continue;
        }
        LinkedHashMap<String, String> words =
            skeletons.computeIfAbsent(skeleton(general, i), k -> new LinkedHashMap<>());
        words.putIfAbsent(m[i], survivor);
        if (words.size() >= needed(general, i)) {
          skeletons.remove(skeleton(general, i));
          further = general.clone();
          further[i] = Templater.MASK;
        }
      }
    }
    if (further != null) {
      generalize(further, idOf);
    }
  }

  private static boolean covers(String[] general, String[] tokens) {
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
    StringBuilder sb = new StringBuilder().append(position).append('\0');
    for (int i = 0; i < tokens.length; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(i == position ? Templater.MASK : tokens[i]);
    }
    return sb.toString();
  }
}
