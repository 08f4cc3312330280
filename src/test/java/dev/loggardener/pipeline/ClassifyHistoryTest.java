package dev.loggardener.pipeline;

import dev.loggardener.cluster.ClusterPane;
import dev.loggardener.cluster.ClusterRow;
import dev.loggardener.cluster.PaneTiming;
import dev.loggardener.logentry.Severity;
import dev.loggardener.priority.History;
import dev.loggardener.priority.Rules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/**
 * The classify step's history in a pipeline: what a row says is decided per fingerprint across
 * windows, and timers mark a fingerprint quiet and resolved with nothing arriving.
 */
class ClassifyHistoryTest {
  static final long W = 5 * 60_000L;
  static final Instant T0 = Instant.parse("2025-09-14T20:00:00Z");
  static final String FP = "4f7be621a8973c22";
  static final String TEMPLATE = "Failed to connect to redis at <*>: <*>";

  static ClusterPane pane(String fp, int window, long count) {
    Instant start = T0.plusMillis(window * W);
    return new ClusterPane(
        fp,
        TEMPLATE,
        "web-backend",
        "netra_backend.redis",
        "connect",
        List.of(),
        List.of(),
        Severity.ERROR,
        count,
        start.plusSeconds(5),
        start.plusSeconds(200),
        start,
        start.plusMillis(W),
        PaneTiming.ON_TIME,
        0,
        true,
        List.of(),
        0,
        0,
        List.of(),
        "Failed to connect to redis at 10.0.0.3:6379: timeout",
        0);
  }

  static TimestampedValue<ClusterPane> at(ClusterPane p) {
    return TimestampedValue.of(p, new org.joda.time.Instant(p.windowEnd().toEpochMilli() - 1));
  }

  static ClassifyPriority classify(boolean fromFiles) {
    return new ClassifyPriority(
        new ClassifyPriority.Settings(
            Rules.bundledText(),
            "bundled",
            null,
            "job-test",
            1,
            new History.Settings(W, 24 * 3_600_000L, 12, 12),
            fromFiles,
            fromFiles ? 1 : 4));
  }

  /** "window-offset state count spike new priority" per row, for exact assertions. */
  static PCollection<String> described(PCollection<ClusterRow> rows) {
    return rows.apply(
        MapElements.into(TypeDescriptors.strings())
            .via(
                r ->
                    r.fingerprint().substring(0, 4)
                        + " w"
                        + (r.windowStart().toEpochMilli() - T0.toEpochMilli()) / W
                        + " "
                        + r.signal().state()
                        + " "
                        + r.entryCount()
                        + (r.signal().isSpike() ? " spike" : "")
                        + (r.signal().isNew() ? " new" : "")
                        + " "
                        + r.priority()));
  }

  static PCollection<String> survivors(TestPipeline p, String... ids) {
    return p.apply("Survivors", Create.of(List.of(ids)).withCoder(StringUtf8Coder.of()));
  }

  /** The rows of {@code s}'s panes, the watermark then to infinity, with merges' survivors. */
  static PCollection<ClusterRow> classified(
      TestPipeline p, TestStream.Builder<ClusterPane> s, boolean fromFiles, String... survivors) {
    return PCollectionTuple.of(ClassifyPriority.PANES, p.apply(s.advanceWatermarkToInfinity()))
        .and(ClassifyPriority.SURVIVORS, survivors(p, survivors))
        .apply(classify(fromFiles));
  }

  /** FP's rows for windows 0 to 13 of 20 entries each, 90 in the last: new, ongoing, a spike. */
  static List<String> spikeAfterThirteenWindows() {
    List<String> rows = new ArrayList<>();
    rows.add("4f7b w0 new 20 new P2");
    for (int w = 1; w < 13; w++) {
      rows.add("4f7b w" + w + " ongoing 20 P2");
    }
    rows.add("4f7b w13 spiking 90 spike P1");
    return rows;
  }

  @Test
  void streamingSpikeQuietResolvedRegressed() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    TestStream.Builder<ClusterPane> s = TestStream.create(Coders.CLUSTER_PANE);
    List<String> expected = spikeAfterThirteenWindows();
    for (int w = 0; w < 14; w++) {
      long count = w == 13 ? 90 : 20;
      s = s.addElements(at(pane(FP, w, count))).advanceWatermarkTo(end(w));
    }
    // Nothing for a day: the timers fire on the watermark alone.
    s = s.advanceWatermarkTo(end(13 + 24 * 12 + 5));
    expected.add("4f7b w" + (14 + 12 * 12) + " quiet 0 P2");
    expected.add("4f7b w" + (14 + 24 * 12) + " resolved 0 P2");
    s = s.addElements(at(pane(FP, 14 + 24 * 12 + 20, 4)));
    expected.add("4f7b w" + (14 + 24 * 12 + 20) + " regressed 4 P2");
    // The end of the stream fires the timers left: these times are long past by the clock.
    expected.add("4f7b w" + (14 + 24 * 12 + 21 + 12 * 12) + " quiet 0 P2");
    expected.add("4f7b w" + (14 + 24 * 12 + 21 + 24 * 12) + " resolved 0 P2");
    PCollection<ClusterRow> rows = classified(p, s, false);
    PAssert.that(described(rows)).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void overFilesPanesAreJudgedInWindowOrderAndTheInputEndIsNow() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    String other = "9a1b2c3d4e5f6071";
    TestStream.Builder<ClusterPane> s = TestStream.create(Coders.CLUSTER_PANE);
    // A runner may hand over a key's panes in any order: the spike comes first here.
    s = s.addElements(at(pane(FP, 13, 90)));
    for (int w = 12; w >= 0; w--) {
      s = s.addElements(at(pane(FP, w, 20)));
    }
    // Another fingerprint keeps the input going for 13 more hours: FP goes quiet, not resolved.
    s = s.addElements(at(pane(other, 13 + 13 * 12, 5)));
    PCollection<ClusterRow> rows = classified(p, s, true, other);
    List<String> expected = spikeAfterThirteenWindows();
    expected.add("4f7b w" + (14 + 12 * 12) + " quiet 0 P2");
    // The survivor of a merge is not new; the input ends before either is resolved.
    expected.add("9a1b w" + (13 + 13 * 12) + " ongoing 5 P2");
    PAssert.that(described(rows)).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  /**
   * Over files every window is judged in one timer (ClassifyPriority#advance): the idle checks that
   * fall between windows must still run between them, or a problem that was resolved and came back
   * would read as ongoing instead of regressed.
   */
  @Test
  void overFilesAQuietResolvedProblemThatReturnsRegresses() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    TestStream.Builder<ClusterPane> s = TestStream.create(Coders.CLUSTER_PANE);
    int back = 14 + 24 * 12 + 20;
    s = s.addElements(at(pane(FP, back, 4)));
    for (int w = 13; w >= 0; w--) {
      s = s.addElements(at(pane(FP, w, w == 13 ? 90 : 20)));
    }
    PCollection<ClusterRow> rows = classified(p, s, true);
    List<String> expected = spikeAfterThirteenWindows();
    expected.add("4f7b w" + (14 + 12 * 12) + " quiet 0 P2");
    expected.add("4f7b w" + (14 + 24 * 12) + " resolved 0 P2");
    // The input ends with the return: its quiet and resolved would come after that, not written.
    expected.add("4f7b w" + back + " regressed 4 P2");
    PAssert.that(described(rows)).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  void aPlateauBecomesTheNewBaseline() {
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    TestStream.Builder<ClusterPane> s = TestStream.create(Coders.CLUSTER_PANE);
    for (int w = 0; w < 60; w++) {
      s = s.addElements(at(pane(FP, w, w < 13 ? 20 : 80))).advanceWatermarkTo(end(w));
    }
    PCollection<ClusterRow> rows = classified(p, s, false);
    PAssert.that(rows)
        .satisfies(
            all -> {
              java.util.TreeMap<Long, ClusterRow> byWindow = new java.util.TreeMap<>();
              all.forEach(
                  r -> {
                    if (r.entryCount() > 0) {
                      byWindow.put(r.windowStart().toEpochMilli(), r);
                    }
                  });
              List<ClusterRow> ordered = new ArrayList<>(byWindow.values());
              org.junit.jupiter.api.Assertions.assertTrue(
                  ordered.get(13).signal().isSpike(), "the jump is a spike");
              int spiking = 0;
              for (ClusterRow r : ordered.subList(13, 60)) {
                spiking += r.signal().isSpike() ? 1 : 0;
              }
              org.junit.jupiter.api.Assertions.assertTrue(
                  spiking < 20, spiking + " windows spiking: the plateau became the baseline");
              ClusterRow last = ordered.get(59);
              org.junit.jupiter.api.Assertions.assertEquals("ongoing", last.signal().state());
              org.junit.jupiter.api.Assertions.assertEquals("P2", last.priority());
              org.junit.jupiter.api.Assertions.assertTrue(last.signal().baselineCount() > 60);
              return null;
            });
    p.run().waitUntilFinish();
  }

  @Test
  void aDrainResolvesNothing() {
    // A drain moves the watermark to the end of time and fires every timer; a timer ahead of the
    // clock is that, not a day without entries.
    TestPipeline p = TestPipeline.create().enableAbandonedNodeEnforcement(false);
    long now = System.currentTimeMillis() / W * W;
    ClusterPane recent =
        new ClusterPane(
            FP,
            TEMPLATE,
            "web-backend",
            null,
            null,
            List.of(),
            List.of(),
            Severity.ERROR,
            3,
            Instant.ofEpochMilli(now),
            Instant.ofEpochMilli(now + 1),
            Instant.ofEpochMilli(now),
            Instant.ofEpochMilli(now + W),
            PaneTiming.ON_TIME,
            0,
            true,
            List.of(),
            0,
            0,
            List.of(),
            "Failed to connect to redis at 10.0.0.3:6379: timeout",
            0);
    PCollection<ClusterRow> rows =
        PCollectionTuple.of(
                ClassifyPriority.PANES,
                p.apply(
                    TestStream.create(Coders.CLUSTER_PANE)
                        .addElements(at(recent))
                        .advanceWatermarkToInfinity()))
            .and(ClassifyPriority.SURVIVORS, survivors(p))
            .apply(classify(false));
    PAssert.that(
            rows.apply(MapElements.into(TypeDescriptors.strings()).via(r -> r.signal().state())))
        .containsInAnyOrder("new");
    p.run().waitUntilFinish();
  }

  static org.joda.time.Instant end(int window) {
    return new org.joda.time.Instant(T0.toEpochMilli() + (window + 1) * W);
  }
}
