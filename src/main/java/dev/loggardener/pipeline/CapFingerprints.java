package dev.loggardener.pipeline;

import dev.loggardener.cluster.Observation;
import dev.loggardener.cluster.PaneStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SetCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Streaming only: at most {@code cap} fingerprints per service and window reach the count; the
 * entries of the others are counted under the service's overflow key ({@link
 * PaneStats#OVERFLOW_PREFIX}), as in batch. In streaming every fingerprint is a key of the count,
 * so the cap has to be decided before it: here, keyed by service, the first {@code cap}
 * fingerprints of a window are admitted (first come, unlike batch's smallest ids: a stream has no
 * end to wait for). A window's admitted set is dropped once the window can no longer take entries.
 */
final class CapFingerprints
    extends PTransform<
        PCollection<List<TimestampedValue<Observation>>>,
        PCollection<List<TimestampedValue<Observation>>>> {
  private final FixedWindows windows;
  private final Duration allowedLateness;
  private final int cap;

  CapFingerprints(FixedWindows windows, Duration allowedLateness, int cap) {
    this.windows = windows;
    this.allowedLateness = allowedLateness;
    this.cap = cap;
  }

  @Override
  public PCollection<List<TimestampedValue<Observation>>> expand(
      PCollection<List<TimestampedValue<Observation>>> batches) {
    return batches
        .apply("ByService", ParDo.of(new ByServiceFn()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), Batches.OBSERVATIONS))
        .apply("Admit", ParDo.of(new AdmitFn(windows, allowedLateness, cap)))
        .setCoder(Batches.OBSERVATIONS);
  }

  /** A batch split by service, each part at its earliest event time. */
  static final class ByServiceFn
      extends DoFn<
          List<TimestampedValue<Observation>>, KV<String, List<TimestampedValue<Observation>>>> {
    @ProcessElement
    public void process(
        @Element List<TimestampedValue<Observation>> batch,
        OutputReceiver<KV<String, List<TimestampedValue<Observation>>>> out) {
      Map<String, List<TimestampedValue<Observation>>> byService = new HashMap<>();
      for (TimestampedValue<Observation> v : batch) {
        byService.computeIfAbsent(v.getValue().service(), k -> new ArrayList<>()).add(v);
      }
      byService.forEach((service, part) -> out.output(KV.of(service, part)));
    }
  }

  static final class AdmitFn
      extends DoFn<
          KV<String, List<TimestampedValue<Observation>>>, List<TimestampedValue<Observation>>> {
    private final FixedWindows windows;
    private final Duration allowedLateness;
    private final int cap;

    /** Window start (epoch ms) to the fingerprints admitted in that window. */
    @StateId("admitted")
    private final StateSpec<MapState<Long, Set<String>>> admittedSpec =
        StateSpecs.map(VarLongCoder.of(), SetCoder.of(StringUtf8Coder.of()));

    /** When the earliest window in "admitted" can be dropped. */
    @StateId("expiry")
    private final StateSpec<ValueState<Long>> expirySpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("drop")
    private final TimerSpec dropSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    AdmitFn(FixedWindows windows, Duration allowedLateness, int cap) {
      this.windows = windows;
      this.allowedLateness = allowedLateness;
      this.cap = cap;
    }

    @ProcessElement
    public void process(
        @Element KV<String, List<TimestampedValue<Observation>>> element,
        @StateId("admitted") MapState<Long, Set<String>> admitted,
        @StateId("expiry") ValueState<Long> expiry,
        @TimerId("drop") Timer drop,
        OutputReceiver<List<TimestampedValue<Observation>>> out) {
      Map<Long, Set<String>> touched = new HashMap<>();
      List<TimestampedValue<Observation>> kept = new ArrayList<>(element.getValue().size());
      long earliestEnd = Long.MAX_VALUE;
      for (TimestampedValue<Observation> v : element.getValue()) {
        IntervalWindow w = windows.assignWindow(v.getTimestamp());
        long start = w.start().getMillis();
        earliestEnd = Math.min(earliestEnd, w.end().getMillis());
        Set<String> set =
            touched.computeIfAbsent(
                start,
                s -> {
                  Set<String> stored = admitted.get(s).read();
                  return stored == null ? new HashSet<>() : new HashSet<>(stored);
                });
        Observation o = v.getValue();
        if (set.contains(o.fingerprint()) || (set.size() < cap && set.add(o.fingerprint()))) {
          kept.add(v);
        } else {
          kept.add(
              TimestampedValue.of(
                  o.withFingerprint(PaneStats.OVERFLOW_PREFIX + o.service()), v.getTimestamp()));
        }
      }
      touched.forEach(admitted::put);
      // Drop a window's set once the count no longer takes its entries.
      long dropAt = earliestEnd + allowedLateness.getMillis();
      Long current = expiry.read();
      if (current == null || dropAt < current) {
        expiry.write(dropAt);
        drop.withNoOutputTimestamp().set(new Instant(dropAt));
      }
      out.output(kept);
    }

    @OnTimer("drop")
    public void onDrop(
        OnTimerContext c,
        @StateId("admitted") MapState<Long, Set<String>> admitted,
        @StateId("expiry") ValueState<Long> expiry,
        @TimerId("drop") Timer drop) {
      long now = c.timestamp().getMillis();
      long size = windows.getSize().getMillis();
      long next = Long.MAX_VALUE;
      for (Long start : admitted.keys().read()) {
        long dropAt = start + size + allowedLateness.getMillis();
        if (dropAt <= now) {
          admitted.remove(start);
        } else {
          next = Math.min(next, dropAt);
        }
      }
      if (next == Long.MAX_VALUE) {
        expiry.clear();
      } else {
        expiry.write(next);
        drop.withNoOutputTimestamp().set(new Instant(next));
      }
    }
  }
}
