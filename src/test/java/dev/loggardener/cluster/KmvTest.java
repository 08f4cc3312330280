package dev.loggardener.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KmvTest {
  private static long[] contents(Kmv k) {
    long[] out = new long[k.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = k.get(i);
    }
    return out;
  }

  @Test
  void exactBelowItsSizeAndRepeatsDoNotCount() {
    Kmv k = new Kmv(256);
    for (int rep = 0; rep < 3; rep++) {
      for (int i = 0; i < 200; i++) {
        k.add(ClusterStats.hash("user-" + i));
      }
    }
    assertEquals(200, k.estimate());
  }

  @Test
  void estimatesALargeCountWithinAFewPercent() {
    Kmv k = new Kmv(256);
    for (int i = 0; i < 100_000; i++) {
      k.add(ClusterStats.hash("trace-" + i));
    }
    long e = k.estimate();
    assertTrue(Math.abs(e - 100_000) < 15_000, "estimate " + e);
  }

  @Test
  void mergesToTheSameSketchInAnyOrder() {
    List<Kmv> parts = new ArrayList<>();
    Kmv whole = new Kmv(16);
    for (int p = 0; p < 5; p++) {
      Kmv part = new Kmv(16);
      for (int i = 0; i < 40; i++) {
        long h = ClusterStats.hash("v-" + (p * 25 + i)); // parts overlap
        part.add(h);
        whole.add(h);
      }
      parts.add(part);
    }
    Kmv forward = new Kmv(16);
    parts.forEach(forward::merge);
    Kmv backward = new Kmv(16);
    for (int i = parts.size() - 1; i >= 0; i--) {
      backward.merge(parts.get(i));
    }
    assertEquals(
        java.util.Arrays.toString(contents(whole)), java.util.Arrays.toString(contents(forward)));
    assertEquals(
        java.util.Arrays.toString(contents(whole)), java.util.Arrays.toString(contents(backward)));
  }
}
