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
 * window order: one event-time timer, set for the earliest waiting element.
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

  /** Holds an element stamped {@code timestamp} until the watermark passes it. */
  static <T> void hold(
      T element, Instant timestamp, BagState<T> pending, ValueState<Long> flushAt, Timer flush) {
    keep(element, timestamp, pending, flushAt, flush, false);
  }

  /**
   * Holds an element stamped {@code timestamp} until the watermark passes the latest element
   * waiting: one timer for all of them, where {@link #hold} sets it for the earliest. For a step
   * that takes every due element in one timer and orders its own work in between
   * (ClassifyPriority).
   */
  static <T> void holdForLatest(
      T element, Instant timestamp, BagState<T> pending, ValueState<Long> flushAt, Timer flush) {
    keep(element, timestamp, pending, flushAt, flush, true);
  }

  private static <T> void keep(
      T element,
      Instant timestamp,
      BagState<T> pending,
      ValueState<Long> flushAt,
      Timer flush,
      boolean latest) {
    pending.add(element);
    Long at = flushAt.read();
    if (at == null || (latest ? timestamp.getMillis() > at : timestamp.getMillis() < at)) {
      flush.set(timestamp);
      flushAt.write(timestamp.getMillis());
    }
  }

  /**
   * The waiting elements stamped {@code now} or earlier, in order; the rest wait on, the timer set
   * for the latest of them (see {@link #holdForLatest}).
   */
  static <T> List<T> dueForLatest(
      long now,
      BagState<T> pending,
      ValueState<Long> flushAt,
      Timer flush,
      ToLongFunction<T> timestampOf,
      Comparator<T> order) {
    return take(now, pending, flushAt, flush, timestampOf, order, true);
  }

  /**
   * The waiting elements the watermark ({@code now}, the flush timer's time) has passed, in order;
   * the rest wait on, the timer set for the earliest of them.
   */
  static <T> List<T> due(
      long now,
      BagState<T> pending,
      ValueState<Long> flushAt,
      Timer flush,
      ToLongFunction<T> timestampOf,
      Comparator<T> order) {
    return take(now, pending, flushAt, flush, timestampOf, order, false);
  }

  private static <T> List<T> take(
      long now,
      BagState<T> pending,
      ValueState<Long> flushAt,
      Timer flush,
      ToLongFunction<T> timestampOf,
      Comparator<T> order,
      boolean latest) {
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
      next = next == null ? t : latest ? Math.max(next, t) : Math.min(next, t);
    }
    if (next != null) {
      flush.set(new Instant(next));
      flushAt.write(next);
    }
    due.sort(order);
    return due;
  }
}
