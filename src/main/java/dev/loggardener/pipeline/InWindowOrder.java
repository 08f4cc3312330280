package dev.loggardener.pipeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Over files, a runner may hand a stateful step a key's windows in any order (Dataflow batch closes
 * every window at once). Elements wait in a bag until the watermark passes them, then are taken in
 * window order: one event-time timer, set for the earliest or the latest waiting element ({@link
 * Flush}).
 */
final class InWindowOrder {
  private InWindowOrder() {}

  /** How far ahead of the clock a streaming timer may fire and still be real time. */
  static final long DRAIN_MARGIN_MILLIS = 3_600_000L;

  /**
   * A streaming watermark ahead of the clock: a drain (which fires every timer) or a replacement
   * job's end. Nothing went quiet or silent then; the next job's state decides.
   */
  static boolean aheadOfClock(long timerMillis) {
    return timerMillis > System.currentTimeMillis() + DRAIN_MARGIN_MILLIS;
  }

  /**
   * The latest window end in {@code windowEnds}, as a side input once the input has ended (over
   * files). A paced read is unbounded, which needs a trigger stated: one pane, at the end.
   */
  static PCollectionView<Long> inputEnd(PCollection<Long> windowEnds) {
    return windowEnds
        .apply(
            "AtInputEnd",
            Window.<Long>configure()
                .triggering(AfterWatermark.pastEndOfWindow())
                .withAllowedLateness(Duration.ZERO)
                .discardingFiredPanes())
        .apply("InputEnd", Combine.globally(Max.ofLongs()).asSingletonView());
  }

  /** Which waiting element the one flush timer is set for. */
  enum Flush {
    /** The earliest: each window's elements are taken in a timer of their own. */
    EARLIEST {
      @Override
      boolean prefers(long a, long b) {
        return a < b;
      }
    },
    /**
     * The latest: every element is taken in one timer, for a step that orders its own work in
     * between (ClassifyPriority).
     */
    LATEST {
      @Override
      boolean prefers(long a, long b) {
        return a > b;
      }
    };

    /** Whether the timer is rather for time {@code a} than for {@code b}. */
    abstract boolean prefers(long a, long b);
  }

  /**
   * Holds an element stamped {@code timestamp} until the watermark passes it, the timer set for the
   * earliest or the latest element waiting.
   */
  static <T> void hold(
      Flush timer,
      T element,
      Instant timestamp,
      BagState<T> pending,
      ValueState<Long> flushAt,
      Timer flush) {
    pending.add(element);
    Long at = flushAt.read();
    if (at == null || timer.prefers(timestamp.getMillis(), at)) {
      flush.set(timestamp);
      flushAt.write(timestamp.getMillis());
    }
  }

  /**
   * The waiting elements the watermark ({@code now}, a timer's time) has passed, in order; the rest
   * wait on, the timer set for the earliest or the latest of them.
   */
  static <T> List<T> due(
      Flush timer,
      long now,
      BagState<T> pending,
      ValueState<Long> flushAt,
      Timer flush,
      ToLongFunction<T> timestampOf,
      Comparator<T> order) {
    List<T> due = new ArrayList<>();
    List<T> later = new ArrayList<>();
    for (T e : pending.read()) {
      (timestampOf.applyAsLong(e) <= now ? due : later).add(e);
    }
    pending.clear();
    flushAt.clear();
    Long next = null;
    for (T e : later) {
      pending.add(e);
      long t = timestampOf.applyAsLong(e);
      if (next == null || timer.prefers(t, next)) {
        next = t;
      }
    }
    if (next != null) {
      flush.set(new Instant(next));
      flushAt.write(next);
    }
    due.sort(order);
    return due;
  }
}
