package dev.loggardener.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RecentResultsTest {
  @Test
  void twoTextsOfOneSlotEachGetTheirOwnResult() {
    RecentResults recent = new RecentResults(8, 64, String::toUpperCase);
    String a = "db.pool";
    String b = null;
    for (int i = 0; b == null; i++) {
      String candidate = "worker-" + i;
      if (recent.slot(candidate) == recent.slot(a)) {
        b = candidate;
      }
    }
    recent.put(a, "A");
    assertEquals("A", recent.get(a));
    recent.put(b, "B");
    assertNull(recent.get(a), "b took the slot; a is a miss, not b's result");
    assertEquals("B", recent.get(b));
  }

  @Test
  void anUnchangedResultComesBackAsTheCallersOwnInstance() {
    RecentResults recent = new RecentResults(8, 64, String::toUpperCase);
    String first = new String("cache.redis");
    recent.put(first, first);
    String second = new String("cache.redis");
    assertSame(second, recent.get(second));
  }

  @Test
  void applyComputesEachTextOnceWhileItKeepsItsSlot() {
    java.util.List<String> computed = new java.util.ArrayList<>();
    RecentResults recent =
        new RecentResults(
            8,
            64,
            t -> {
              computed.add(t);
              return t.toUpperCase(java.util.Locale.ROOT);
            });
    assertEquals("CACHE.REDIS", recent.apply("cache.redis"));
    assertEquals("CACHE.REDIS", recent.apply(new String("cache.redis")));
    assertNull(recent.apply(null));
    assertEquals(java.util.List.of("cache.redis"), computed);
  }

  @Test
  void textLongerThanTheLimitIsNotKept() {
    RecentResults recent = new RecentResults(8, 4, String::toUpperCase);
    recent.put("abcde", "x");
    assertNull(recent.get("abcde"));
    recent.put("abcd", "y");
    assertEquals("y", recent.get("abcd"));
  }

  @Test
  void slotsArePowersOfTwo() {
    assertThrows(
        IllegalArgumentException.class, () -> new RecentResults(12, 64, String::toUpperCase));
  }
}
