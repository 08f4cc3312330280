package dev.loggardener.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loggardener.fingerprint.FingerprintState;
import dev.loggardener.fingerprint.Templater;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.ParseResult;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import dev.loggardener.samples.TriageScore.ClusterObs;
import dev.loggardener.samples.TriageScore.Score;
import dev.loggardener.samples.TriageScore.ServiceObs;
import dev.loggardener.samples.TriageTraffic.Family;
import dev.loggardener.samples.TriageTraffic.Silence;
import dev.loggardener.samples.TriageTraffic.Spike;
import dev.loggardener.samples.TriageTraffic.Truth;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TriageTrafficTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant START = Instant.parse("2025-09-14T00:00:00Z");
  private static final Duration WINDOW = Duration.ofMinutes(5);

  /** 16 hours of a small estate: long enough for every kind of event, quick to write. */
  private static final TriageTraffic.Settings SMALL =
      new TriageTraffic.Settings(
          7L, START, Duration.ofHours(16), WINDOW, 12, 3, 3, 20, 5, 10, 3, 3, 1);

  private static String entries;
  private static Truth truth;
  private static List<JsonNode> lines;

  @BeforeAll
  static void generate() throws Exception {
    String[] out = write(SMALL);
    entries = out[0];
    truth = Truth.parse(out[1]);
    lines = new ArrayList<>();
    for (String l : entries.split("\n")) {
      lines.add(JSON.readTree(l));
    }
  }

  private static String[] write(TriageTraffic.Settings s) {
    StringWriter e = new StringWriter();
    StringWriter t = new StringWriter();
    new TriageTraffic().write(s, e, t);
    return new String[] {e.toString(), t.toString()};
  }

  private static Instant ts(JsonNode n) {
    return Instant.parse(n.get("timestamp").asText());
  }

  private static String function(JsonNode n) {
    return n.path("sourceLocation").path("function").asText(null);
  }

  private static String service(JsonNode n) {
    return n.path("resource").path("labels").path("service_name").asText();
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes() {
    String[] again = write(SMALL);
    assertEquals(entries, again[0]);
    assertEquals(truth, Truth.parse(again[1]));
    assertNotEquals(entries, write(SMALL.withSeed(8L))[0]);
  }

  @Test
  void truthCountsAreThoseAskedFor() {
    assertEquals(15, truth.families().size());
    assertEquals(3, truth.families().stream().filter(Family::stopped).count());
    assertEquals(3, truth.families().stream().filter(Family::isNew).count());
    assertEquals(10, truth.spikes().size());
    assertEquals(1, truth.silent().size());
    assertEquals(5, truth.windowMinutes());
    assertEquals(truth, Truth.parse(truth.toJson()), "the truth reads back as written");
  }

  @Test
  void linesAreOrderedUniqueAndShapedLikeCloudLogging() {
    Set<String> ids = new HashSet<>();
    Instant previous = Instant.MIN;
    for (JsonNode n : lines) {
      Instant t = ts(n);
      assertFalse(t.isBefore(previous), "timestamp order");
      previous = t;
      assertTrue(ids.add(n.get("insertId").asText()), "unique insertId");
      assertTrue(
          n.get("timestamp")
              .asText()
              .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
      assertEquals("cloud_run_revision", n.path("resource").path("type").asText());
      assertFalse(n.path("jsonPayload").path("message").asText().isEmpty());
      String severity = n.get("severity").asText();
      assertTrue(Set.of("INFO", "WARNING", "ERROR").contains(severity), severity);
      assertEquals(severity.equals("INFO"), function(n) == null);
    }
    assertTrue(lines.size() > 10_000, "lines " + lines.size());
  }

  @Test
  void familyTimesAreTheFirstAndLastEntriesWritten() {
    Map<String, Instant[]> seen = new HashMap<>();
    for (JsonNode n : lines) {
      String f = function(n);
      if (f != null) {
        Instant t = ts(n);
        seen.computeIfAbsent(f, k -> new Instant[] {t, t})[1] = t;
      }
    }
    Map<String, Instant> silentFrom = new HashMap<>();
    truth.silent().forEach(s -> silentFrom.put(s.service(), s.from()));
    for (Family f : truth.families()) {
      Instant[] fl = seen.get(f.function());
      assertEquals(f.first(), fl[0], f.function() + " first");
      assertEquals(f.last(), fl[1], f.function() + " last: nothing after it");
      if (f.isNew()) {
        assertTrue(f.first().isAfter(START.plus(Duration.ofHours(6))), f.toString());
        assertFalse(silentFrom.containsKey(f.service()), "new families are in audible services");
      } else {
        assertTrue(f.first().isBefore(START.plus(Duration.ofHours(1))), f.toString());
      }
      if (f.stopped()) {
        assertTrue(f.last().isAfter(START.plus(Duration.ofHours(4))), f.toString());
        assertTrue(f.last().isBefore(START.plus(Duration.ofHours(10))), "span - 6 h: " + f);
        assertFalse(silentFrom.containsKey(f.service()), "a stop is not a silence");
      }
      assertTrue(f.rate() >= 3 && f.rate() <= 20, f.toString());
    }
  }

  @Test
  void theSilentServiceWritesNothingAfterItsSilenceStarts() {
    Silence s = truth.silent().get(0);
    assertTrue(s.from().isAfter(START.plus(Duration.ofHours(8))));
    long before = 0;
    long infoBefore = 0;
    for (JsonNode n : lines) {
      if (service(n).equals(s.service())) {
        assertTrue(ts(n).isBefore(s.from()), "entry after silence: " + n);
        before++;
        infoBefore += n.get("severity").asText().equals("INFO") ? 1 : 0;
      }
    }
    assertTrue(before > 400 && infoBefore > 300, before + " entries, " + infoBefore + " INFO");
    // Every other service still writes INFO in the last window.
    Set<String> lastWindow = new HashSet<>();
    Instant last = START.plus(Duration.ofHours(16)).minus(WINDOW);
    for (JsonNode n : lines) {
      if (!ts(n).isBefore(last) && n.get("severity").asText().equals("INFO")) {
        lastWindow.add(service(n));
      }
    }
    assertEquals(2, lastWindow.size());
    assertFalse(lastWindow.contains(s.service()));
  }

  /** Counts per family and window, against the spikes the truth records. */
  @Test
  void spikeWindowsHoldTheirFactorTimesTheFamilysRate() {
    Map<String, TreeMap<Instant, Integer>> counts = new HashMap<>();
    for (JsonNode n : lines) {
      String f = function(n);
      if (f != null) {
        Instant w =
            Instant.ofEpochMilli(ts(n).toEpochMilli() / WINDOW.toMillis() * WINDOW.toMillis());
        counts.computeIfAbsent(f, k -> new TreeMap<>()).merge(w, 1, Integer::sum);
      }
    }
    Map<String, Family> families = new HashMap<>();
    truth.families().forEach(f -> families.put(f.function(), f));
    Map<String, List<Spike>> byFamily = new HashMap<>();
    double ratios = 0;
    double factors = 0;
    for (Spike s : truth.spikes()) {
      Family f = families.get(s.function());
      assertTrue(s.windows().size() >= 1 && s.windows().size() <= 3, s.toString());
      assertTrue(s.factor() >= 3 && s.factor() <= 20, s.toString());
      // 3 hours after the family's planned start, which its first entry follows within a window
      // or two (the truth records entries, not plans).
      assertFalse(
          s.windows().get(0).isBefore(windowOf(f.first()).plus(Duration.ofHours(3)).minus(WINDOW)),
          "baseline first: " + s);
      for (Spike other : byFamily.getOrDefault(s.function(), List.of())) {
        Instant a = other.windows().get(other.windows().size() - 1);
        Instant b = s.windows().get(0);
        long gap = Duration.between(a, b).toMinutes() / 5 - 1; // spikes come sorted by start
        assertTrue(gap >= 12, "spikes of a family 12 windows apart: " + other + " " + s);
      }
      byFamily.computeIfAbsent(s.function(), k -> new ArrayList<>()).add(s);

      TreeMap<Instant, Integer> c = counts.get(s.function());
      List<Integer> others = new ArrayList<>();
      for (Map.Entry<Instant, Integer> e : c.entrySet()) {
        boolean whole = e.getKey().isAfter(f.first()) && e.getKey().plus(WINDOW).isBefore(f.last());
        if (whole && !s.windows().contains(e.getKey())) {
          others.add(e.getValue());
        }
      }
      others.sort(null);
      double median = others.get(others.size() / 2);
      double mean = s.windows().stream().mapToInt(w -> c.getOrDefault(w, 0)).average().orElse(0);
      if (s.factor() >= 6) {
        assertTrue(mean >= 3 * median, s + ": mean " + mean + ", median " + median);
      }
      ratios += mean / median;
      factors += s.factor();
    }
    double overall = ratios / factors;
    assertTrue(overall > 0.75 && overall < 1.35, "observed / planned factor " + overall);
  }

  /** Through the pipeline's own parsing, redaction and merging: one cluster per family. */
  @Test
  void everyFamilyIsExactlyOneCluster() {
    LogEntryParser parser = new LogEntryParser();
    Redactor redactor = new Redactor(RedactionConfig.DEFAULT);
    FingerprintState state = new FingerprintState();
    List<String[]> seen = new ArrayList<>();
    for (JsonNode n : lines) {
      if (function(n) != null) {
        LogEntry e = ((ParseResult.Parsed) parser.parse(n.toString())).entry();
        seen.add(new String[] {function(n), state.fingerprint(redactor.redact(e)).id()});
      }
    }
    Map<String, Set<String>> idsByFamily = new HashMap<>();
    Map<String, String> familyById = new HashMap<>();
    for (String[] s : seen) {
      String id = state.resolve(s[1]);
      idsByFamily.computeIfAbsent(s[0], k -> new HashSet<>()).add(id);
      String other = familyById.putIfAbsent(id, s[0]);
      assertTrue(other == null || other.equals(s[0]), other + " and " + s[0] + " share " + id);
    }
    assertEquals(truth.families().size(), idsByFamily.size());
    idsByFamily.forEach((f, ids) -> assertEquals(1, ids.size(), f + " split into " + ids));
  }

  /**
   * Without the function to tell them apart, a template miner must still keep the hand-written
   * families apart: one template each, and no two sharing half their constant words.
   */
  @Test
  void handWrittenMessagesAreOneTemplateEachAndShareLittleWording() {
    SplittableRandom rnd = new SplittableRandom(3);
    List<String> templates = new ArrayList<>();
    for (String[] t : TriageTraffic.TEMPLATES) {
      Set<String> forms = new HashSet<>();
      for (int i = 0; i < 40; i++) {
        forms.add(Templater.template(TriageTraffic.fill(rnd, t[1])));
      }
      assertEquals(1, forms.size(), t[1] + " -> " + forms);
      templates.add(forms.iterator().next());
    }
    assertEquals(templates.size(), new HashSet<>(templates).size(), "distinct templates");
    for (int i = 0; i < templates.size(); i++) {
      for (int j = i + 1; j < templates.size(); j++) {
        Set<String> a = words(templates.get(i));
        Set<String> b = words(templates.get(j));
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        Set<String> either = new HashSet<>(a);
        either.addAll(b);
        assertTrue(
            both.size() * 2 < either.size(),
            templates.get(i) + " and " + templates.get(j) + " share " + both);
      }
    }
  }

  private static Set<String> words(String template) {
    Set<String> w = new HashSet<>(Arrays.asList(template.toLowerCase().split("[^a-z_-]+")));
    w.remove("");
    return w;
  }

  @Test
  void poissonHasTheMeanAndVarianceOfItsRate() {
    SplittableRandom rnd = new SplittableRandom(5);
    for (double lambda : new double[] {0.5, 7, 45, 400}) {
      double sum = 0;
      double sq = 0;
      int n = 20_000;
      for (int i = 0; i < n; i++) {
        long x = TriageTraffic.poisson(rnd, lambda);
        sum += x;
        sq += (double) x * x;
      }
      double mean = sum / n;
      double var = sq / n - mean * mean;
      assertEquals(lambda, mean, 4 * Math.sqrt(lambda / n) + 1e-9, "mean at " + lambda);
      assertEquals(lambda, var, 0.05 * lambda + 0.05, "variance at " + lambda);
    }
  }

  // --- the scorer, on hand-made observations ----------------------------------------------

  private static final Instant H = START;
  private static final Duration QUIET = Duration.ofMinutes(30);

  /** A steady family with a spike, a stopped one, a new one, and one in a service gone silent. */
  private static Truth handTruth() {
    return new Truth(
        5,
        H,
        H.plus(Duration.ofHours(12)),
        List.of(
            new Family("a.steady_f00", "svc-a", 10, H.plusSeconds(3), at(11, 59), false, false),
            new Family("b.stops_f01", "svc-a", 10, H.plusSeconds(9), at(5, 2), true, false),
            new Family("c.fresh_f02", "svc-a", 10, at(7, 1), at(11, 58), false, true),
            new Family("d.hushed_f03", "svc-b", 10, H.plusSeconds(1), at(9, 0), false, false)),
        List.of(new Spike("a.steady_f00", List.of(at(4, 0), at(4, 5)), 8.0)),
        List.of(new Silence("svc-b", at(9, 0).plusSeconds(30))));
  }

  private static Instant at(int hours, int minutes) {
    return H.plus(Duration.ofHours(hours)).plus(Duration.ofMinutes(minutes));
  }

  private static Instant windowOf(Instant t) {
    return Instant.ofEpochMilli(t.toEpochMilli() / WINDOW.toMillis() * WINDOW.toMillis());
  }

  /** What a perfect detector writes; {@code flagAll} marks every row a spike. */
  private static List<ClusterObs> perfectRows(Truth t, boolean flagAll, boolean resolve) {
    List<ClusterObs> rows = new ArrayList<>();
    Set<Instant> spike = new HashSet<>(t.spikes().get(0).windows());
    for (Family f : t.families()) {
      Instant last = windowOf(f.last());
      boolean first = true;
      for (Instant w = windowOf(f.first()); !w.isAfter(last); w = w.plus(WINDOW)) {
        boolean isSpike = flagAll || (f.function().startsWith("a.") && spike.contains(w));
        rows.add(
            new ClusterObs(
                f.function(),
                f.service(),
                w,
                isSpike ? 80 : 10,
                isSpike,
                first ? "new" : isSpike ? "spiking" : "ongoing"));
        first = false;
      }
      if (f.stopped() && resolve) {
        rows.add(
            new ClusterObs(
                f.function(), f.service(), last.plus(QUIET).plus(WINDOW), 0, false, "resolved"));
      }
    }
    return rows;
  }

  private static List<ServiceObs> serviceRows(Truth t) {
    List<ServiceObs> rows = new ArrayList<>();
    Instant silent = windowOf(t.silent().get(0).from()).plus(WINDOW);
    for (Instant w = H; w.isBefore(t.end()); w = w.plus(WINDOW)) {
      rows.add(new ServiceObs("svc-a", w, 40, "ok"));
      boolean quiet = !w.isBefore(silent);
      rows.add(new ServiceObs("svc-b", w, quiet ? 0 : 15, quiet ? "silent" : "ok"));
    }
    return rows;
  }

  @Test
  void aPerfectDetectorScoresPerfectly() {
    Truth t = handTruth();
    Score s = TriageScore.score(t, perfectRows(t, false, true), serviceRows(t), QUIET);
    assertEquals(1.0, s.spikeRecall());
    assertEquals(0, s.falseSpikes());
    // Windows with entries: a 144, b 61, c 60, d 109; less a's 2 spike windows and 2 after them.
    assertEquals(144 + 61 + 60 + 109 - 4, s.steadyWindows());
    assertEquals(0.0, s.falseSpikesPerThousand());
    assertEquals(1, s.stops().size());
    assertTrue(s.stops().get(0).inTime(), s.report());
    assertEquals(Duration.ofMinutes(33), s.stops().get(0).delay());
    assertEquals(1, s.newFamiliesCalledNew());
    assertEquals(0, s.falseNewRows());
    assertEquals(1, s.silencesInTime());
    assertEquals(Duration.ofMinutes(4).plusSeconds(30), s.silences().get(0).delay());
    assertEquals(0, s.falseSilentRows());
    assertEquals(0, s.unknownFunctions());
    String report = s.report();
    assertTrue(report.contains("1/1 caught, recall 1.000"), report);
    assertTrue(report.contains("0.00 per 1,000"), report);
    assertFalse(report.contains("MISSING"), report);
  }

  @Test
  void aDetectorThatFlagsEverythingHasAFalseSpikeInEverySteadyWindow() {
    Truth t = handTruth();
    Score s = TriageScore.score(t, perfectRows(t, true, true), serviceRows(t), QUIET);
    assertEquals(1.0, s.spikeRecall());
    assertEquals(s.steadyWindows(), s.falseSpikes());
    assertEquals(1000.0, s.falseSpikesPerThousand());
    assertEquals(144 + 61 + 60 + 109 - 4, s.steadyWindows());
  }

  @Test
  void missedEventsAreReported() {
    Truth t = handTruth();
    List<ClusterObs> rows = new ArrayList<>();
    for (ClusterObs c : perfectRows(t, false, false)) {
      boolean spikeRow = c.isSpike();
      boolean freshFirst = c.function().startsWith("c.") && c.state().equals("new");
      rows.add(
          new ClusterObs(
              c.function(),
              c.service(),
              c.windowStart(),
              c.entryCount(),
              false,
              spikeRow || freshFirst ? "ongoing" : c.state()));
    }
    // A steady family called new in hour 3: one false new row.
    rows.add(new ClusterObs("a.steady_f00", "svc-a", at(3, 0), 10, false, "new"));
    List<ServiceObs> services = new ArrayList<>();
    for (ServiceObs o : serviceRows(t)) {
      services.add(new ServiceObs(o.service(), o.windowStart(), o.entries(), "ok"));
    }
    services.add(new ServiceObs("svc-a", at(2, 0), 0, "silent"));
    Score s = TriageScore.score(t, rows, services, QUIET);
    assertEquals(0.0, s.spikeRecall());
    assertNull(s.stops().get(0).resolvedAt());
    assertFalse(s.stops().get(0).inTime());
    assertEquals(0, s.newFamiliesCalledNew());
    assertEquals("ongoing", s.newFamilies().get(0).firstState());
    assertEquals(1, s.falseNewRows());
    assertEquals(0, s.silencesInTime());
    assertEquals(1, s.falseSilentRows());
    String report = s.report();
    assertTrue(report.contains("0/1 caught"), report);
    assertTrue(report.contains("missed: a.steady_f00@" + at(4, 0)), report);
    assertTrue(report.contains("b.stops_f01: no resolved row (MISSING)"), report);
    assertTrue(report.contains("c.fresh_f02: first row"), report);
    assertTrue(report.contains("svc-b: never flagged (MISSING)"), report);
  }

  @Test
  void aLateResolutionIsLate() {
    Truth t = handTruth();
    List<ClusterObs> rows = new ArrayList<>(perfectRows(t, false, false));
    rows.add(new ClusterObs("b.stops_f01", "svc-a", at(6, 0), 0, false, "resolved"));
    Score s = TriageScore.score(t, rows, serviceRows(t), QUIET);
    assertEquals(Duration.ofMinutes(58), s.stops().get(0).delay());
    assertFalse(s.stops().get(0).inTime());
    assertTrue(s.report().contains("58.0 min (LATE)"), s.report());
  }
}
