package dev.loggardener.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The per-service cap holds however a pane's fingerprints arrived: added one by one, merged from
 * partial counts, or decoded from a state cell (the ways the counting step builds one).
 */
class PaneStatsTest {
  private static final long T = 1_757_887_200_000L; // 2025-09-14T22:00:00Z

  private static Observation entry(String fingerprint, String service, int i) {
    return Observations.taskFailure(fingerprint, service, T + i, "i-" + fingerprint + "-" + i);
  }

  /** Each key and its count, sorted. */
  private static Map<String, Long> counts(PaneStats p) {
    Map<String, Long> out = new TreeMap<>();
    p.byFingerprint().forEach((k, v) -> out.put(k, v.count));
    return out;
  }

  private static PaneStats decoded(PaneStats p) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    p.writeTo(new DataOutputStream(bytes));
    return PaneStats.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
  }

  /** billing's fingerprints b1..b{n} from {@code first}, one entry each; web's w1 twice. */
  private static PaneStats billing(int first, int n) {
    PaneStats p = new PaneStats();
    for (int i = first; i < first + n; i++) {
      p.add(entry("b" + i, "billing", i));
    }
    p.add(entry("w1", "web", 0));
    p.add(entry("w1", "web", 1));
    return p;
  }

  @Test
  void aServiceOverTheCapKeepsItsSmallestIdsWhetherAddedMergedOrDecoded() throws IOException {
    Map<String, Long> expected =
        Map.of("b1", 1L, "b2", 1L, "b3", 1L, "overflow:billing", 3L, "w1", 2L);

    PaneStats added = billing(1, 6);
    added.capPerService(3);
    assertEquals(expected, counts(added));

    PaneStats merged = billing(4, 3);
    PaneStats rest = new PaneStats();
    for (int i = 1; i <= 3; i++) {
      rest.add(entry("b" + i, "billing", i));
    }
    merged.merge(rest);
    merged.capPerService(3);
    assertEquals(expected, counts(merged));

    PaneStats fromState = decoded(billing(1, 6));
    fromState.capPerService(3);
    assertEquals(expected, counts(fromState));
  }

  @Test
  void aCappedServiceThatGainsFingerprintsIsCappedAgain() throws IOException {
    PaneStats p = billing(5, 4); // b5..b8
    p.capPerService(3);
    assertEquals(Map.of("b5", 1L, "b6", 1L, "b7", 1L, "overflow:billing", 1L, "w1", 2L), counts(p));

    // Two smaller ids arrive, one in a decoded partial: b5..b7 were at the cap, so two are over.
    p.add(entry("b1", "billing", 1));
    PaneStats partial = new PaneStats();
    partial.add(entry("b2", "billing", 2));
    p.merge(decoded(partial));
    p.capPerService(3);
    assertEquals(Map.of("b1", 1L, "b2", 1L, "b5", 1L, "overflow:billing", 3L, "w1", 2L), counts(p));
  }

  @Test
  void servicesAtTheCapTogetherAreNotCapped() {
    PaneStats p = billing(1, 3);
    p.add(entry("w2", "web", 2));
    p.add(entry("w3", "web", 3));
    p.capPerService(3); // six fingerprints, three per service
    assertEquals(Map.of("b1", 1L, "b2", 1L, "b3", 1L, "w1", 2L, "w2", 1L, "w3", 1L), counts(p));
  }

  @Test
  void mergingWithTheCapFoldsAsMergingThenCappingDoesInAnyOrder() throws IOException {
    // Partial counts of two services' fingerprints, each capped as the counting step's partials
    // are, merged in shuffled orders with some states decoded in between (a runner's state copy):
    // the same keys and counts as one pane that saw every entry and was capped once.
    java.util.Random random = new java.util.Random(15);
    for (int round = 0; round < 200; round++) {
      int cap = 1 + random.nextInt(6);
      java.util.List<PaneStats> partials = new java.util.ArrayList<>();
      PaneStats all = new PaneStats();
      for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
        PaneStats partial = new PaneStats();
        for (int j = 0, m = random.nextInt(12); j < m; j++) {
          String service = random.nextBoolean() ? "billing" : "web";
          Observation o = entry(service.charAt(0) + "" + random.nextInt(20), service, j);
          partial.add(o);
          all.add(o);
        }
        partial.capPerService(cap);
        partials.add(partial);
      }
      all.capPerService(cap);
      java.util.Collections.shuffle(partials, random);
      PaneStats merged = new PaneStats();
      for (PaneStats partial : partials) {
        merged.merge(partial, cap);
        if (random.nextInt(3) == 0) {
          merged = decoded(merged);
        }
      }
      assertEquals(counts(all), counts(merged), "round " + round + ", cap " + cap);
    }
  }
}
