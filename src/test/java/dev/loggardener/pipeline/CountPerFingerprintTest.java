package dev.loggardener.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loggardener.cluster.ClusterPane;
import dev.loggardener.cluster.Observation;
import dev.loggardener.logentry.Severity;
import dev.loggardener.redact.RedactionConfig;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The counting step's panes, one case a test, as Beam's LeaderBoardTest does: five-minute windows,
 * ten minutes of allowed lateness, early and late panes a minute of processing time after their
 * first entry. Each pane is written as "window-start TIMING #index [final] count=N".
 */
class CountPerFingerprintTest {
  private static final Duration WINDOW = Duration.standardMinutes(5);
  private static final Duration LATENESS = Duration.standardMinutes(10);
  private static final Duration EARLY = Duration.standardSeconds(60);
  private static final Duration PANE_DELAY = Duration.standardSeconds(61);

  private static Instant at(String time) {
    return Instant.parse("2025-09-14T" + time + "Z");
  }

  /** One Redis failure at an event time, as a batch of one, stamped with its event time. */
  private static TimestampedValue<List<TimestampedValue<Observation>>> refused(String... times) {
    TimestampedValue<Observation>[] batch = new TimestampedValue[times.length];
    for (int i = 0; i < times.length; i++) {
      Instant t = at(times[i]);
      batch[i] =
          TimestampedValue.of(
              new Observation(
                  "9a1b2c3d4e5f6071",
                  "Failed to connect to redis at <*>: connection refused",
                  "web-backend",
                  "web-backend-00042-xyz",
                  "api.handlers",
                  "handle",
                  null,
                  Severity.ERROR,
                  t.getMillis(),
                  "r-" + times[i],
                  null,
                  null,
                  "Failed to connect to redis at 10.0.0.1:6379: connection refused",
                  0,
                  null),
              t);
    }
    Instant earliest =
        Arrays.stream(batch).map(TimestampedValue::getTimestamp).min(Instant::compareTo).get();
    return TimestampedValue.of(List.of(batch), earliest);
  }

  private static TestStream.Builder<List<TimestampedValue<Observation>>> stream() {
    return TestStream.create(Batches.OBSERVATIONS).advanceWatermarkTo(at("22:00:00"));
  }

  private static void assertPanes(
      TestStream<List<TimestampedValue<Observation>>> events,
      Duration lateness,
      Duration early,
      String... panes) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> out =
        p.apply(events)
            .apply(
                new CountPerFingerprint(
                    WINDOW, lateness, early, RedactionConfig.DEFAULT, 1, 10_000))
            .apply(
                MapElements.into(TypeDescriptors.strings()).via(CountPerFingerprintTest::describe));
    PAssert.that(out).containsInAnyOrder(panes);
    p.run().waitUntilFinish();
  }

  private static String describe(ClusterPane c) {
    return c.windowStart().toString().substring(11, 19)
        + " "
        + c.paneTiming()
        + " #"
        + c.paneIndex()
        + (c.isFinal() ? " final" : "")
        + " count="
        + c.entryCount();
  }

  @Test
  void onTime() {
    assertPanes(
        stream()
            .addElements(refused("22:01:00"))
            .advanceWatermarkTo(at("22:06:00"))
            .advanceWatermarkToInfinity(),
        LATENESS,
        EARLY,
        "22:00:00 ON_TIME #0 count=1",
        // Expiry always fires a last pane, so that a reader knows the window is closed.
        "22:00:00 LATE #1 final count=1");
  }

  @Test
  void early() {
    assertPanes(
        stream()
            .addElements(refused("22:01:00"))
            .advanceProcessingTime(PANE_DELAY)
            .addElements(refused("22:02:00"))
            .advanceWatermarkTo(at("22:06:00"))
            .advanceWatermarkToInfinity(),
        LATENESS,
        EARLY,
        "22:00:00 EARLY #0 count=1",
        "22:00:00 ON_TIME #1 count=2",
        "22:00:00 LATE #2 final count=2");
  }

  @Test
  void lateButWithinAllowedLateness() {
    assertPanes(
        stream()
            .addElements(refused("22:01:00"))
            .advanceWatermarkTo(at("22:06:00"))
            .addElements(refused("22:03:00"))
            .advanceProcessingTime(PANE_DELAY)
            .advanceWatermarkToInfinity(),
        LATENESS,
        EARLY,
        "22:00:00 ON_TIME #0 count=1",
        "22:00:00 LATE #1 count=2",
        "22:00:00 LATE #2 final count=2");
  }

  @Test
  void tooLateIsNotCounted() {
    assertPanes(
        stream()
            .addElements(refused("22:01:00"))
            .advanceWatermarkTo(at("22:06:00"))
            .advanceWatermarkTo(at("22:20:00")) // 22:05 + 10 min of lateness has passed
            .addElements(refused("22:04:00"))
            .advanceProcessingTime(PANE_DELAY)
            .advanceWatermarkToInfinity(),
        LATENESS,
        EARLY,
        "22:00:00 ON_TIME #0 count=1",
        "22:00:00 LATE #1 final count=1");
  }

  @Test
  void lateEntriesFireALatePaneWithoutEarlyFiring() {
    assertPanes(
        stream()
            .addElements(refused("22:01:00"))
            .advanceWatermarkTo(at("22:06:00"))
            .addElements(refused("22:03:00"))
            .advanceWatermarkToInfinity(),
        LATENESS,
        Duration.ZERO,
        "22:00:00 ON_TIME #0 count=1",
        "22:00:00 LATE #1 count=2",
        "22:00:00 LATE #2 final count=2");
  }

  /**
   * Batch: no lateness, no early firing, one final pane per window. A batch's entries are counted
   * in the windows of their own event times, split at the window's exact bound.
   */
  @Test
  void batchGivesOneFinalPanePerWindow() {
    assertPanes(
        stream()
            .addElements(refused("22:01:00", "22:04:59.999", "22:05:00"))
            .addElements(refused("22:09:00"))
            .advanceWatermarkToInfinity(),
        Duration.ZERO,
        Duration.ZERO,
        "22:00:00 ON_TIME #0 final count=2",
        "22:05:00 ON_TIME #0 final count=2");
  }

  /** An entry of its own fingerprint: {@code fp} hex digits, in a service, at an event time. */
  private static TimestampedValue<Observation> of(String fp, String service, String time) {
    Instant t = at(time);
    return TimestampedValue.of(
        dev.loggardener.cluster.Observations.taskFailure(
            fp, service, t.getMillis(), "i-" + fp + "-" + time),
        t);
  }

  @Test
  void aServicesFingerprintsBeyondTheCapAreCountedInItsOverflowRowWhateverTheOrder() {
    // Batch (no lateness, no early panes), a cap of 3: billing has 8 fingerprints, 2 entries
    // each; web has 2. Delivered in two orders and batch splits.
    List<TimestampedValue<Observation>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(of("b" + i + "00000000000000", "billing", "22:01:0" + i));
      all.add(of("b" + i + "00000000000000", "billing", "22:02:0" + i));
    }
    all.add(of("a100000000000000", "web", "22:03:00"));
    all.add(of("a200000000000000", "web", "22:03:01"));
    String overflow = dev.loggardener.cluster.ClusterPane.overflowId("billing");
    String[] expected = {
      "b000000000000000 billing 2",
      "b100000000000000 billing 2",
      "b200000000000000 billing 2",
      overflow + " billing 10",
      "a100000000000000 web 1",
      "a200000000000000 web 1"
    };
    List<TimestampedValue<Observation>> reversed = new java.util.ArrayList<>(all);
    java.util.Collections.reverse(reversed);
    for (List<TimestampedValue<Observation>> order : List.of(all, reversed)) {
      Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
      TestStream<List<TimestampedValue<Observation>>> events =
          stream()
              .addElements(batchOf(order.subList(0, 7)))
              .addElements(batchOf(order.subList(7, 12)), batchOf(order.subList(12, 18)))
              .advanceWatermarkToInfinity();
      PCollection<String> out =
          p.apply(events)
              .apply(
                  new CountPerFingerprint(
                      WINDOW, Duration.ZERO, Duration.ZERO, RedactionConfig.DEFAULT, 1, 3))
              .apply(
                  MapElements.into(TypeDescriptors.strings())
                      .via(c -> c.fingerprint() + " " + c.service() + " " + c.entryCount()));
      PAssert.that(out).containsInAnyOrder(expected);
      p.run().waitUntilFinish();
    }
  }

  @Test
  void mergingAccumulatorsSumsThemWhicheverIsLargestAndCaps() {
    // The DirectRunner copies a state cell as merge(empty, clone); partial counts merge as they
    // come. A cap of 2: billing's b3 and b4 go to its overflow.
    dev.loggardener.cluster.PaneStats big = new dev.loggardener.cluster.PaneStats();
    for (int i = 1; i <= 3; i++) {
      big.add(of("b" + i + "00000000000000", "billing", "22:01:0" + i).getValue());
    }
    dev.loggardener.cluster.PaneStats small = new dev.loggardener.cluster.PaneStats();
    small.add(of("b1" + "00000000000000", "billing", "22:02:00").getValue());
    small.add(of("b4" + "00000000000000", "billing", "22:02:01").getValue());
    CountPerFingerprint.MergeFn fn = new CountPerFingerprint.MergeFn(2);
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    fn.mergeAccumulators(List.of(fn.createAccumulator(), small, big))
        .byFingerprint()
        .forEach((k, v) -> counts.put(k, v.count()));
    assertEquals(
        java.util.Map.of("b100000000000000", 2L, "b200000000000000", 1L, "overflow:billing", 2L),
        counts);
    assertEquals(0, fn.mergeAccumulators(List.of()).size());
  }

  @Test
  void inStreamingTheFirstFingerprintsOfAWindowAreAdmittedAndTheRestOverflow() {
    // Streaming (lateness, early panes), a cap of 3: billing's first three fingerprints by arrival
    // count on their own; its other five, and their later entries, count in its overflow row.
    List<TimestampedValue<Observation>> first = new java.util.ArrayList<>();
    List<TimestampedValue<Observation>> second = new java.util.ArrayList<>();
    for (int i = 7; i >= 0; i--) { // b7 arrives first
      first.add(of("b" + i + "00000000000000", "billing", "22:01:0" + i));
      second.add(of("b" + i + "00000000000000", "billing", "22:02:0" + i));
    }
    first.add(of("a100000000000000", "web", "22:03:00"));
    String overflow = dev.loggardener.cluster.ClusterPane.overflowId("billing");
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    TestStream<List<TimestampedValue<Observation>>> events =
        stream()
            .addElements(batchOf(first))
            .addElements(batchOf(second))
            // The next window starts a new set: b0 is admitted there.
            .addElements(batchOf(List.of(of("b000000000000000", "billing", "22:06:00"))))
            .advanceWatermarkToInfinity();
    PCollection<String> out =
        p.apply(events)
            .apply(new CountPerFingerprint(WINDOW, LATENESS, EARLY, RedactionConfig.DEFAULT, 1, 3))
            .apply(org.apache.beam.sdk.transforms.Filter.by(ClusterPane::isFinal))
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        c ->
                            c.windowStart().toString().substring(11, 16)
                                + " "
                                + c.fingerprint()
                                + " "
                                + c.entryCount()));
    PAssert.that(out)
        .containsInAnyOrder(
            "22:00 b700000000000000 2",
            "22:00 b600000000000000 2",
            "22:00 b500000000000000 2",
            "22:00 " + overflow + " 10",
            "22:00 a100000000000000 1",
            "22:05 b000000000000000 1");
    p.run().waitUntilFinish();
  }

  private static TimestampedValue<List<TimestampedValue<Observation>>> batchOf(
      List<TimestampedValue<Observation>> entries) {
    Instant earliest =
        entries.stream().map(TimestampedValue::getTimestamp).min(Instant::compareTo).get();
    return TimestampedValue.of(List.copyOf(entries), earliest);
  }
}
