package dev.loggardener.priority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A fingerprint's history, window by window, as the classify step feeds it. */
class HistoryTest {
  static final long W = 5 * 60_000L;
  static final long T0 = Instant.parse("2025-09-14T20:00:00Z").toEpochMilli();
  static final History.Settings S = new History.Settings(W, 24 * 3_600_000L, 12, 12);
  static final Rules.Spikes SPIKES = new Rules.Spikes(2.5, 10L);

  static History.Verdict at(History h, int window, long count) {
    return h.observe(T0 + window * W, count, T0 + window * W + 1_000, SPIKES, S);
  }

  @Test
  void theFirstWindowIsNewAndWarmUpCallsNoSpike() {
    History h = new History();
    History.Verdict first = at(h, 0, 30);
    assertTrue(first.isNew());
    assertEquals(ClusterState.NEW, first.state());
    assertTrue(Double.isNaN(first.baseline()), "no baseline yet");
    for (int w = 1; w < 12; w++) {
      History.Verdict v = at(h, w, w == 5 ? 300 : 30);
      assertFalse(v.spike(), "window " + w + " is in the warm-up");
      assertFalse(v.isNew());
    }
  }

  @Test
  void aSpikeIsAMultipleOfTheBaselineAboveTheMinimum() {
    History h = new History();
    for (int w = 0; w < 24; w++) {
      assertFalse(at(h, w, 20).spike());
    }
    History.Verdict steady = at(h, 24, 45);
    assertEquals(20.0, steady.baseline(), 1e-9);
    assertFalse(steady.spike(), "2.25x is below the multiplier");
    History h2 = new History();
    for (int w = 0; w < 24; w++) {
      at(h2, w, 20);
    }
    History.Verdict spike = at(h2, 24, 50);
    assertTrue(spike.spike());
    assertEquals(ClusterState.SPIKING, spike.state());
    assertEquals(2.5, spike.spikeRatio(), 1e-9);

    History small = new History();
    for (int w = 0; w < 24; w++) {
      at(small, w, 1);
    }
    assertFalse(at(small, 24, 9).spike(), "9x, but below minCount");
    assertTrue(at(small, 25, 10).spike());
  }

  @Test
  void aPlateauBecomesTheNewBaseline() {
    History h = new History();
    for (int w = 0; w < 24; w++) {
      at(h, w, 20);
    }
    int spiking = 0;
    for (int w = 24; w < 60; w++) {
      if (at(h, w, 100).spike()) {
        spiking++;
      }
    }
    assertTrue(spiking >= 1 && spiking <= 24, "spiking for " + spiking + " windows, then not");
    History.Verdict later = at(h, 60, 100);
    assertFalse(later.spike());
    assertEquals(ClusterState.ONGOING, later.state());
    assertTrue(later.baseline() > 40, "baseline " + later.baseline());
  }

  @Test
  void quietThenResolvedThenRegressed() {
    History h = new History();
    for (int w = 0; w < 5; w++) {
      at(h, w, 3);
    }
    long end = T0 + 5 * W;
    assertEquals(end + 12 * 3_600_000L, h.nextIdleCheck(S));
    assertNull(h.idle(end + 3_600_000L, S), "an hour without entries is nothing yet");
    assertEquals(ClusterState.QUIET, h.idle(end + 12 * 3_600_000L, S));
    assertEquals(end + 24 * 3_600_000L, h.nextIdleCheck(S));
    assertEquals(ClusterState.RESOLVED, h.idle(end + 24 * 3_600_000L, S));
    assertNull(h.nextIdleCheck(S), "resolved waits for entries, not time");
    int back = 5 + 24 * 12 + 10;
    History.Verdict v = at(h, back, 2);
    assertEquals(ClusterState.REGRESSED, v.state());
    assertFalse(v.isNew());
    assertEquals(ClusterState.ONGOING, at(h, back + 1, 2).state(), "regressed in one window");
  }

  @Test
  void entriesAfterQuietAreOngoing() {
    History h = new History();
    at(h, 0, 3);
    h.idle(T0 + W + 13 * 3_600_000L, S);
    assertEquals(ClusterState.QUIET, h.state());
    assertEquals(ClusterState.ONGOING, at(h, 200, 3).state());
  }

  @Test
  void theSurvivorOfAMergeIsNotNew() {
    History h = new History();
    h.inherit();
    History.Verdict v = at(h, 7, 12);
    assertFalse(v.isNew());
    assertEquals(ClusterState.ONGOING, v.state());
  }

  @Test
  void aLatePaneOfAnOlderWindowChangesNothing() {
    History h = new History();
    for (int w = 0; w < 20; w++) {
      at(h, w, 10);
    }
    History.Verdict late = at(h, 3, 500);
    assertTrue(late.spike(), "judged against the baseline");
    History.Verdict next = at(h, 20, 10);
    assertEquals(10.0, next.baseline(), 1e-9, "the late pane did not move the baseline");
    assertEquals(ClusterState.ONGOING, next.state());
  }

  @Test
  void windowsOfTheLastDayAreCounted() {
    History h = new History();
    at(h, 0, 1);
    at(h, 2, 1);
    assertEquals(3, at(h, 4, 1).windowsLastDay());
    assertEquals(1, at(h, 4 + 288, 1).windowsLastDay(), "a day later the others have aged out");
  }

  @Test
  void emptyWindowsLowerTheBaseline() {
    History h = new History();
    for (int w = 0; w < 24; w++) {
      at(h, w, 40);
    }
    History.Verdict afterGap = at(h, 24 + 12, 40);
    assertEquals(20.0, afterGap.baseline(), 0.01, "twelve empty windows: one half-life");
  }

  @Test
  void historyRoundTrips() throws Exception {
    History h = new History();
    for (int w = 0; w < 30; w++) {
      at(h, w, 7 + w % 3);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    h.writeTo(new DataOutputStream(bytes));
    History back =
        History.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(at(h, 31, 9), at(back, 31, 9));
    assertTrue(bytes.size() < 120, bytes.size() + " bytes: bounded whatever the traffic");
  }
}
