package dev.loggardener.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.ParseResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FingerprintStateTest {
  private static final LogEntryParser PARSER = new LogEntryParser();

  private static LogEntry entry(String logger, String message) {
    String json =
        "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"WARNING\",\"resource\":{\"type\":"
            + "\"k8s_container\",\"labels\":{\"container_name\":\"sshd\"}},\"jsonPayload\":{\"logger\":\""
            + logger
            + "\",\"message\":\""
            + message
            + "\"}}";
    return ((ParseResult.Parsed) PARSER.parse(json)).entry();
  }

  /** The v1 id of a template of this test's entries (service auth, no logger or function). */
  private static String entryId(String template) {
    dev.loggardener.logentry.LogEntry e = entry("auth", "x");
    return dev.loggardener.fingerprint.Fingerprinter.id(
        e.service(), e.logger(), e.function(), template);
  }

  /** The ids as they stand now, aliases resolved: one element a problem. */
  private static Set<String> resolved(FingerprintState s, List<String> ids) {
    Set<String> out = new HashSet<>();
    ids.forEach(i -> out.add(s.resolve(i)));
    return out;
  }

  private static String id(FingerprintState s, String message) {
    return s.fingerprint(entry("auth", message)).id();
  }

  @Test
  void aPositionThatShowsFiveDistinctWordsBecomesAVariable() {
    FingerprintState s = new FingerprintState();
    List<String> ids = new ArrayList<>();
    for (String host : List.of("alpha", "bravo", "charlie", "delta")) {
      ids.add(id(s, "Disconnected from host " + host + " by peer"));
    }
    assertEquals(4, new HashSet<>(ids).size(), "four words: still four problems");
    String fifth = id(s, "Disconnected from host echo by peer");
    String merged = entryId("Disconnected from host <*> by peer");
    assertEquals(merged, fifth, "the fifth word merges them under the merged template's own id");
    for (String member : ids) {
      assertEquals(merged, s.resolve(member), "the members' ids are aliases now");
    }
    assertEquals("Disconnected from host <*> by peer", s.template(merged));
    assertEquals(merged, id(s, "Disconnected from host foxtrot by peer"), "later words join");
    // alpha, bravo, charlie, delta, and echo's own v1 id (learned just before the merge).
    List<FingerprintState.Alias> aliases = s.aliases();
    assertEquals(5, aliases.size());
    assertTrue(aliases.stream().allMatch(a -> a.canonical().equals(merged)));
  }

  @Test
  void fourEventNamesStayFourProblems() {
    FingerprintState s = new FingerprintState();
    Set<String> ids = new HashSet<>();
    for (String event : List.of("Started", "Paused", "Resumed", "Stopped")) {
      for (int i = 0; i < 20; i++) {
        ids.add(id(s, "[instance: " + i + "] VM " + event + " (Lifecycle Event)"));
      }
    }
    assertEquals(4, ids.size());
  }

  @Test
  void theFirstWordNeverMerges() {
    FingerprintState s = new FingerprintState();
    Set<String> ids = new HashSet<>();
    for (String verb : List.of("Started", "Stopped", "Paused", "Resumed", "Crashed", "Restarted")) {
      ids.add(id(s, verb + " worker"));
    }
    assertEquals(6, ids.size());
  }

  @Test
  void constantWordDifferencesStayApart() {
    FingerprintState s = new FingerprintState();
    assertNotEquals(
        id(s, "Failed to connect to redis at 10.0.0.1:6379"),
        id(s, "Failed to connect to postgres at 10.0.0.2:5432"));
    assertNotEquals(
        s.fingerprint(
                entry("worker.scheduler", "Thread 3f2b9c1e-7a4d-4e5f-9b8a-1c2d3e4f5a6b not found"))
            .id(),
        s.fingerprint(entry("auth.users", "User 42 not found")).id());
  }

  @Test
  void withoutMergesTheIdIsTheV1IdOfTheTemplate() {
    FingerprintState s = new FingerprintState();
    LogEntry e = entry("auth", "Job 42 failed");
    assertEquals(Fingerprinter.id("sshd", "auth", null, "Job <*> failed"), s.fingerprint(e).id());
  }

  private static List<String> messages(String prefix, int n) {
    List<String> m = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      m.add(prefix + " user" + (char) ('a' + i % 26) + (char) ('a' + i / 26) + " from 10.0.0." + i);
      m.add("Job " + i + " failed on node" + (char) ('k' + i % 7));
    }
    return m;
  }

  @Test
  void knownTemplatesKeepTheirIdsWhateverTheOrderOfNewInput() {
    List<String> known = messages("Accepted password for", 12);
    List<String> later = messages("Accepted publickey for", 12);
    later.addAll(known);
    List<String> reversed = new ArrayList<>(later);
    Collections.reverse(reversed);

    FingerprintState a = new FingerprintState();
    FingerprintState b = new FingerprintState();
    for (String m : known) {
      id(a, m);
      id(b, m);
    }
    for (String m : later) {
      id(a, m);
    }
    for (String m : reversed) {
      id(b, m);
    }
    for (String m : known) {
      assertEquals(id(a, m), id(b, m), m);
    }
  }

  @Test
  void stateSurvivesARestartOnAnotherWorker() throws IOException, ClassNotFoundException {
    FingerprintState live = new FingerprintState();
    for (String m : messages("Accepted password for", 8)) {
      id(live, m);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(live);
    }
    FingerprintState restored;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      restored = (FingerprintState) in.readObject();
    }
    for (String m : messages("Accepted password for", 30)) {
      assertEquals(id(live, m), id(restored, m), m);
    }
    assertEquals(live.aliases(), restored.aliases());
  }

  @Test
  void longUniqueLinesAreNotTrackedForMerging() {
    // 3,000 unique 120-word lines: without the bound each would store 119 skeletons of its own
    // length; with it, none.
    FingerprintState s = new FingerprintState();
    StringBuilder words = new StringBuilder();
    for (int w = 0; w < 119; w++) {
      words.append(" w").append((char) ('a' + w % 26)).append((char) ('a' + w / 26));
    }
    for (int i = 0; i < 3000; i++) {
      id(s, "Payload" + words + " k" + Families26.word(i));
    }
    assertEquals(0, s.maxSkeletonsPerBucket());
    // Short lines are tracked, within the bound of templates times tokens.
    for (int i = 0; i < 3000; i++) {
      id(s, "Short line " + Families26.word(i) + " end");
    }
    assertTrue(
        s.maxSkeletonsPerBucket()
            <= TemplateBucket.MAX_TEMPLATES * TemplateBucket.MAX_MERGE_TOKENS);
  }

  /** Distinct letter-only words, so that they are not masked as values. */
  private static final class Families26 {
    static String word(int i) {
      StringBuilder sb = new StringBuilder();
      int v = i;
      do {
        sb.append((char) ('a' + v % 26));
        v /= 26;
      } while (v > 0);
      return sb.toString();
    }
  }

  /**
   * "Canceling queue orders.created" is masked as a name by its shape, "Canceling queue dlq" is a
   * plain word: the masked twin is evidence enough that dlq is a value of the same place, in either
   * order, with the same final id.
   */
  @Test
  void aPlainWordJoinsItsMaskedTwinInEitherOrder() {
    List<String> lines =
        List.of("Canceling queue orders.created", "Canceling queue dlq", "missed heartbeat from x");
    String merged = entryId("Canceling queue <*>");
    for (List<String> order : List.of(lines, List.of(lines.get(1), lines.get(0)))) {
      FingerprintState s = new FingerprintState();
      List<String> ids = new ArrayList<>();
      order.forEach(m -> ids.add(id(s, m)));
      assertEquals(merged, s.resolve(ids.get(0)), order.toString());
      assertEquals(merged, s.resolve(ids.get(1)), order.toString());
    }
    // The syntax keeps punctuation outside a value: "namespace prod:" joins "namespace <*>:".
    List<String> ns =
        List.of(
            "failed to list pods in namespace data-platform: EOF",
            "failed to list pods in namespace prod: EOF");
    for (List<String> order : List.of(ns, List.of(ns.get(1), ns.get(0)))) {
      FingerprintState s = new FingerprintState();
      List<String> ids = new ArrayList<>();
      order.forEach(m -> ids.add(id(s, m)));
      assertEquals(s.resolve(ids.get(0)), s.resolve(ids.get(1)), order.toString());
    }
    // Too little beside the mask, an upper-case constant, or a code word: no evidence.
    FingerprintState s = new FingerprintState();
    assertNotEquals(s.resolve(id(s, "<*> dealloc")), s.resolve(id(s, "x1 12")));
    assertNotEquals(
        s.resolve(id(s, "chrome.exe open through proxy proxy.example.com:5070 SOCKS5")),
        s.resolve(id(s, "chrome.exe open through proxy proxy.example.com:5070 HTTPS")));
    assertNotEquals(
        s.resolve(id(s, "Failed to load class com.shop.v2.CartService")),
        s.resolve(id(s, "Failed to load class com.shop.CartService")));
  }

  /** Two masked positions filled by plain words join too, in a small bucket, in either order. */
  @Test
  void twoPlainWordsJoinTheirMaskedTwin() {
    String masked = "Can't update table order_items using version for primary key on column sku_id";
    String plain = "Can't update table carts using version for primary key on column sku";
    for (List<String> order : List.of(List.of(masked, plain), List.of(plain, masked))) {
      FingerprintState s = new FingerprintState();
      List<String> ids = new ArrayList<>();
      order.forEach(m -> ids.add(id(s, m)));
      assertEquals(s.resolve(ids.get(0)), s.resolve(ids.get(1)), order.toString());
    }
  }

  /**
   * A Java stack trace of twelve frames is far over 40 words, yet merges on its message: each frame
   * is one token, identity, and the exception's repeat of the message is "(as above)".
   */
  @Test
  void deepTracesMergeOnTheirMessage() {
    FingerprintState s = new FingerprintState();
    List<String> ids = new ArrayList<>();
    for (String user : List.of("alpha", "bravo", "charlie", "delta", "echo")) {
      StringBuilder m = new StringBuilder("Checkout failed for account " + user + " in region eu");
      m.append("\\njava.lang.IllegalStateException: Checkout failed for account ")
          .append(user)
          .append(" in region eu");
      for (int k = 0; k < 12; k++) {
        m.append("\\n\\tat com.shop.checkout.Step")
            .append(k)
            .append(".run(Step")
            .append(k)
            .append(".java:")
            .append(40 + k)
            .append(')');
      }
      ids.add(id(s, m.toString()));
    }
    Set<String> resolved = resolved(s, ids);
    assertEquals(1, resolved.size(), resolved.toString());
    String template = s.template(resolved.iterator().next());
    assertTrue(
        template.startsWith(
            "Checkout failed for account <*> in region eu\n"
                + "java.lang.IllegalStateException: (as above)\n"
                + "  at com.shop.checkout.Step0.run(Step0.java:<*>)"),
        template);
  }

  @Test
  void aStoredBucketIsASnapshotThatMergesAsTheBucketDid() throws IOException {
    java.util.function.UnaryOperator<String> idOf =
        t -> Fingerprinter.id("checkout", "db", null, t);
    TemplateBucket live = new TemplateBucket(FingerprintState.DEFAULT_DISTINCT_VALUES);
    List<String> ids = new ArrayList<>();
    for (String host : List.of("alpha", "bravo", "charlie", "delta")) {
      ids.add(live.assign("Connection to " + host + " refused", idOf));
    }
    TemplateBucket stored = live.stored();
    // The fifth host makes the position a variable, in the stored bucket as in the live one.
    String merged = stored.assign("Connection to echo refused", idOf);
    assertEquals(idOf.apply("Connection to <*> refused"), merged);
    assertEquals(merged, stored.assign("Connection to alpha refused", idOf));
    // The stored bucket is its own: what it learned is not in the bucket it was stored from.
    assertTrue(live.wouldLearn("Connection to echo refused"));
    assertEquals(ids.get(0), live.assign("Connection to alpha refused", idOf));
  }

  @Test
  void tokensJoinBackIntoTheTemplate() {
    for (String t :
        List.of(
            "a b c",
            "a  b",
            "one line\nTraceback (most recent call last):\n  File \"x.py\", line <*>, in f\n"
                + "raise KeyError(msg)\nKeyError: (as above)",
            "msg\n  at a.B.c(B.java:<*>)\n  at d.E.f(E.java:<*>)")) {
      String[] tokens = TemplateBucket.tokens(t);
      assertEquals(t, TemplateBucket.text(tokens));
      assertEquals(tokens.length, TemplateBucket.tokenCount(t, Integer.MAX_VALUE), t);
    }
    assertEquals(
        List.of("msg", "\n  at a.B.c(B.java:<*>)", "\n  at d.E.f(E.java:<*>)"),
        List.of(TemplateBucket.tokens("msg\n  at a.B.c(B.java:<*>)\n  at d.E.f(E.java:<*>)")));
  }

  /**
   * After a word that announces a name, two plain words are enough ("on relationship orders", "on
   * relationship shop"); a capitalised subject and its verb are not ("Instance destroyed
   * successfully", "Instance spawned successfully": OpenStack's two events).
   */
  @Test
  void twoNamesAfterAWordThatAnnouncesThemMerge() {
    FingerprintState s = new FingerprintState();
    List<String> ids = new ArrayList<>();
    for (String name : List.of("orders", "users")) {
      ids.add(id(s, "Can't delete from table " + name + " using NULL for primary key value"));
    }
    assertEquals(s.resolve(ids.get(0)), s.resolve(ids.get(1)));
    List<String> events = new ArrayList<>();
    for (String verb : List.of("destroyed", "spawned", "deleted")) {
      events.add(id(s, "[instance: 42] Instance " + verb + " successfully."));
    }
    Set<String> resolved = resolved(s, events);
    assertEquals(3, resolved.size());
  }

  /** Exception and class names, and the kind of thing named, are never variables. */
  @Test
  void codeNamesNeverMergeHoweverMany() {
    FingerprintState s = new FingerprintState();
    Set<String> ids = new HashSet<>();
    for (String type :
        List.of("KeyError", "ValueError", "TimeoutError", "OSError", "TypeError", "IndexError")) {
      ids.add(s.resolve(id(s, "Task raised unexpected " + type)));
    }
    for (String kind : List.of("relation", "column", "role", "schema", "database", "index")) {
      ids.add(s.resolve(id(s, "ERROR the " + kind + " does not exist")));
    }
    assertEquals(12, ids.size());
  }

  /**
   * The BigQuery client's "Invalid struct field, %s, in %s": two positions vary together, so no one
   * position ever sees five words; three templates that differ only there are evidence, in any
   * order. A phrase's neighbouring variants (nginx's near-miss formats) are not.
   */
  @Test
  void twoPositionsThatVaryTogetherMerge() {
    List<String> lines =
        List.of(
            "Invalid struct field, email, in orders",
            "Invalid struct field, sku, in shop",
            "Invalid struct field, created_at, in primary");
    for (int[] order : new int[][] {{0, 1, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}) {
      FingerprintState s = new FingerprintState();
      List<String> ids = new ArrayList<>();
      for (int i : order) {
        ids.add(id(s, lines.get(i)));
      }
      Set<String> resolved = resolved(s, ids);
      assertEquals(Set.of(entryId("Invalid struct field, <*> in <*>")), resolved);
    }
    FingerprintState s = new FingerprintState();
    List<String> ids = new ArrayList<>();
    for (String l :
        List.of(
            "upstream sent invalid :status in reply",
            "upstream sent unexpected :status in reply",
            "upstream sent invalid header in reply")) {
      ids.add(id(s, l));
    }
    Set<String> resolved = resolved(s, ids);
    assertEquals(3, resolved.size());
  }

  /** Celery's tasks are Python functions by qualified name: identity, however many. */
  @Test
  void taskNamesNeverMerge() {
    FingerprintState s = new FingerprintState();
    List<String> ids = new ArrayList<>();
    for (String task :
        List.of(
            "tasks.sync_inventory",
            "tasks.build_invoice",
            "tasks.send_receipt",
            "tasks.reindex_products",
            "tasks.expire_carts",
            "billing.jobs.close_period")) {
      ids.add(id(s, "Task of kind " + task + " never registered, please make sure it's imported."));
    }
    Set<String> resolved = resolved(s, ids);
    assertEquals(6, resolved.size());
  }

  /** redis-master, etcd-0 and gke-pool-1-a1b2 first: a host's name is a value, not the problem. */
  @Test
  void aFirstTokenShapedLikeANameCanMerge() {
    FingerprintState s = new FingerprintState();
    List<String> ids = new ArrayList<>();
    for (String host : List.of("redis-master", "etcd-0", "gke-pool-1-a1b2", "kafka-2")) {
      ids.add(id(s, host + " found data inconsistency with peers"));
    }
    Set<String> resolved = resolved(s, ids);
    assertEquals(Set.of(entryId("<*> found data inconsistency with peers")), resolved);
  }

  @Test
  void bucketKeySeparatesTokenCountAndFirstWord() {
    assertNotEquals(
        FingerprintState.bucketKey("s", "l", "f", "a b c"),
        FingerprintState.bucketKey("s", "l", "f", "a b c d"));
    assertNotEquals(
        FingerprintState.bucketKey("s", "l", "f", "a b c"),
        FingerprintState.bucketKey("s", "l", "f", "x b c"));
    assertEquals(
        FingerprintState.bucketKey("s", "l", "f", "a b c"),
        FingerprintState.bucketKey("s", "l", "f", "a <*> z"));
    assertEquals(
        FingerprintState.bucketKey("s", "l", "f", "redis-master b c"),
        FingerprintState.bucketKey("s", "l", "f", "<*> b c"),
        "a first token shaped like a name is a value's");
    assertNotEquals(
        FingerprintState.bucketKey("s", "l", "f", "kern_open_file b c"),
        FingerprintState.bucketKey("s", "l", "f", "<*> b c"),
        "a code identifier is not");
  }
}
