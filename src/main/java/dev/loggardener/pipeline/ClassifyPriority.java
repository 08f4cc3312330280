package dev.loggardener.pipeline;

import dev.loggardener.cluster.ClusterPane;
import dev.loggardener.cluster.ClusterRow;
import dev.loggardener.cluster.PaneTiming;
import dev.loggardener.priority.Classification;
import dev.loggardener.priority.ClusterState;
import dev.loggardener.priority.CodeOwners;
import dev.loggardener.priority.History;
import dev.loggardener.priority.PaneClassifier;
import dev.loggardener.priority.Rules;
import java.io.Serializable;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Each pane becomes a {@link ClusterRow}: the rules classify it ({@link PaneClassifier}) and its
 * fingerprint's {@link History}, kept in Beam state, says whether it is new, a spike, or back after
 * it was resolved. An event-time timer marks a fingerprint quiet, then resolved, when no entries
 * come: it fires whether or not anything arrives, and writes a row with no entries in the window
 * where the state changed. Histories are kept per shard of fingerprints (a map each), one idle
 * timer per shard set for its earliest deadline.
 *
 * <p>In streaming, panes arrive in window order and are judged as they come (an early pane is not
 * held back). Over files, a runner may hand a key its panes in any order, so they wait in state
 * until the watermark passes them and are judged in window order. "Now" is then the end of the
 * input's event time: a quiet or resolved row after the last window any fingerprint had is not
 * written, so a problem still active when the input ends is not resolved because it ended.
 *
 * <p>Merges reach the history too: a fingerprint that became the surviving id of others seen before
 * it is not new.
 */
public final class ClassifyPriority extends PTransform<PCollectionTuple, PCollection<ClusterRow>> {

  /** The panes to classify: in their windows. */
  public static final TupleTag<ClusterPane> PANES = new TupleTag<>() {};

  /** Surviving ids of merges: each is the survivor of others seen before it. */
  public static final TupleTag<String> SURVIVORS = new TupleTag<>() {};

  /** What the step needs, resolved on the launcher. */
  public record Settings(
      String rulesYaml,
      String rulesSource,
      String codeOwners,
      String runId,
      long attempt,
      History.Settings history,
      boolean fromFiles,
      int shards)
      implements Serializable {}

  private final Settings settings;

  public ClassifyPriority(Settings settings) {
    this.settings = settings;
  }

  @Override
  public PCollection<ClusterRow> expand(PCollectionTuple in) {
    // Per fingerprint across windows: its history outlives any one window.
    PCollection<ClusterPane> panes = in.get(PANES).apply("AcrossWindows", acrossWindows());
    int shards = settings.shards();
    PCollection<KV<Integer, KV<String, ClusterPane>>> keyed =
        PCollectionList.of(
                panes
                    .apply(
                        "KeyByFingerprint",
                        MapElements.into(KEYED)
                            .via((ClusterPane p) -> keyed(p.fingerprint(), p, shards)))
                    .setCoder(KV_CODER))
            .and(
                in.get(SURVIVORS)
                    .apply("SurvivorsAcrossWindows", acrossWindows())
                    .apply(
                        "KeySurvivors",
                        MapElements.into(KEYED).via((String id) -> keyed(id, null, shards)))
                    .setCoder(KV_CODER))
            .apply("PanesAndMerges", Flatten.pCollections())
            .setCoder(KV_CODER);
    TupleTag<ClusterRow> rows = new TupleTag<>() {};
    TupleTag<ClusterRow> changes = new TupleTag<>() {};
    PCollectionTuple out =
        keyed.apply(
            "Classify",
            ParDo.of(new ClassifyFn(settings, rows, changes))
                .withOutputTags(rows, TupleTagList.of(changes)));
    out.get(rows).setCoder(Coders.CLUSTER_ROW);
    out.get(changes).setCoder(Coders.CLUSTER_ROW);
    if (!settings.fromFiles()) {
      return PCollectionList.of(out.get(rows))
          .and(out.get(changes))
          .apply("WithStateChanges", Flatten.pCollections())
          .setCoder(Coders.CLUSTER_ROW);
    }
    PCollectionView<Long> inputEnd =
        InWindowOrder.inputEnd(
            panes.apply(
                "WindowEnds",
                MapElements.into(TypeDescriptors.longs())
                    .via((ClusterPane p) -> p.windowEnd().toEpochMilli())));
    PCollection<ClusterRow> kept =
        out.get(changes)
            .apply(
                "BeforeInputEnd",
                ParDo.of(
                        new DoFn<ClusterRow, ClusterRow>() {
                          @ProcessElement
                          public void process(ProcessContext c) {
                            if (c.element().windowStart().toEpochMilli() < c.sideInput(inputEnd)) {
                              c.output(c.element());
                            }
                          }
                        })
                    .withSideInputs(inputEnd))
            .setCoder(Coders.CLUSTER_ROW);
    return PCollectionList.of(out.get(rows))
        .and(kept)
        .apply("WithStateChanges", Flatten.pCollections())
        .setCoder(Coders.CLUSTER_ROW);
  }

  /**
   * The global window, each element passed on as it comes: both inputs state the same trigger
   * (Flatten requires it), the panes' continuation of the count's trigger would not match.
   */
  static <T> Window<T> acrossWindows() {
    return Window.<T>into(new GlobalWindows())
        .triggering(
            org.apache.beam.sdk.transforms.windowing.Repeatedly.forever(
                org.apache.beam.sdk.transforms.windowing.AfterPane.elementCountAtLeast(1)))
        .withAllowedLateness(org.joda.time.Duration.ZERO)
        .discardingFiredPanes();
  }

  private static final org.apache.beam.sdk.values.TypeDescriptor<
          KV<Integer, KV<String, ClusterPane>>>
      KEYED = new org.apache.beam.sdk.values.TypeDescriptor<>() {};

  /**
   * Keyed by a shard of fingerprints, as the count is in batch: one key per fingerprint would make
   * a runner hand each fingerprint's rows to the sinks as a bundle of its own.
   */
  static KV<Integer, KV<String, ClusterPane>> keyed(String fp, ClusterPane p, int shards) {
    return KV.of(shards <= 1 ? 0 : Math.floorMod(fp.hashCode(), shards), KV.of(fp, p));
  }

  static final KvCoder<Integer, KV<String, ClusterPane>> KV_CODER =
      KvCoder.of(
          VarIntCoder.of(),
          KvCoder.of(StringUtf8Coder.of(), NullableCoder.of(Coders.CLUSTER_PANE)));

  static final class ClassifyFn extends DoFn<KV<Integer, KV<String, ClusterPane>>, ClusterRow> {
    private final Settings settings;
    private final TupleTag<ClusterRow> rows;
    private final TupleTag<ClusterRow> changes;
    private final Counter rowsOut =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.CLUSTER_ROWS);
    private transient PaneClassifier classifier;

    @StateId("history")
    private final StateSpec<MapState<String, History>> historySpec =
        StateSpecs.map(StringUtf8Coder.of(), Coders.HISTORY);

    /**
     * Each fingerprint's latest pane, without its samples: what a quiet or resolved row repeats.
     */
    @StateId("identity")
    private final StateSpec<MapState<String, ClusterPane>> identitySpec =
        StateSpecs.map(StringUtf8Coder.of(), Coders.CLUSTER_PANE);

    /** Over files: panes waiting for the watermark, to be judged in window order. */
    @StateId("pending")
    private final StateSpec<BagState<ClusterPane>> pendingSpec =
        StateSpecs.bag(Coders.CLUSTER_PANE);

    @StateId("flushAt")
    private final StateSpec<ValueState<Long>> flushAtSpec = StateSpecs.value(VarLongCoder.of());

    /**
     * When the idle timer is set for: the earliest quiet or resolved time of the shard, or sooner.
     */
    @StateId("idleAt")
    private final StateSpec<ValueState<Long>> idleAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("flush")
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("idle")
    private final TimerSpec idleSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    ClassifyFn(Settings settings, TupleTag<ClusterRow> rows, TupleTag<ClusterRow> changes) {
      this.settings = settings;
      this.rows = rows;
      this.changes = changes;
    }

    @Setup
    public void setUp() {
      classifier =
          new PaneClassifier(
              Rules.parse(settings.rulesYaml(), settings.rulesSource()),
              settings.codeOwners() == null ? null : CodeOwners.parse(settings.codeOwners()));
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, KV<String, ClusterPane>> e,
        @org.apache.beam.sdk.transforms.DoFn.Timestamp org.joda.time.Instant timestamp,
        @StateId("history") MapState<String, History> history,
        @StateId("identity") MapState<String, ClusterPane> identity,
        @StateId("pending") BagState<ClusterPane> pending,
        @StateId("flushAt") ValueState<Long> flushAt,
        @StateId("idleAt") ValueState<Long> idleAt,
        @TimerId("flush") Timer flush,
        @TimerId("idle") Timer idle,
        MultiOutputReceiver out) {
      String fp = e.getValue().getKey();
      ClusterPane pane = e.getValue().getValue();
      if (pane == null) {
        History h = read(history, fp);
        h.inherit();
        history.put(fp, h);
        return;
      }
      if (!settings.fromFiles()) {
        scheduleIdle(
            earliest(judge(List.of(pane), history, identity, out), idleAt.read()), idleAt, idle);
        return;
      }
      InWindowOrder.hold(InWindowOrder.Flush.LATEST, pane, timestamp, pending, flushAt, flush);
    }

    @OnTimer("flush")
    public void onFlush(
        OnTimerContext c,
        @StateId("history") MapState<String, History> history,
        @StateId("identity") MapState<String, ClusterPane> identity,
        @StateId("pending") BagState<ClusterPane> pending,
        @StateId("flushAt") ValueState<Long> flushAt,
        @StateId("idleAt") ValueState<Long> idleAt,
        @TimerId("flush") Timer flush,
        @TimerId("idle") Timer idle,
        MultiOutputReceiver out) {
      advance(
          c.timestamp().getMillis(), history, identity, pending, flushAt, idleAt, flush, idle, out);
    }

    @OnTimer("idle")
    public void onIdle(
        OnTimerContext c,
        @StateId("history") MapState<String, History> history,
        @StateId("identity") MapState<String, ClusterPane> identity,
        @StateId("pending") BagState<ClusterPane> pending,
        @StateId("flushAt") ValueState<Long> flushAt,
        @StateId("idleAt") ValueState<Long> idleAt,
        @TimerId("flush") Timer flush,
        @TimerId("idle") Timer idle,
        MultiOutputReceiver out) {
      long now = c.timestamp().getMillis();
      if (settings.fromFiles()) {
        advance(now, history, identity, pending, flushAt, idleAt, flush, idle, out);
        return;
      }
      if (InWindowOrder.aheadOfClock(now)) {
        idleAt.clear();
        return;
      }
      scheduleIdle(idleChecks(now, history, identity, out), idleAt, idle);
    }

    /**
     * Over files: everything up to {@code now}, in event-time order, in this one timer. The panes
     * of each window the watermark has passed are judged in window order, and the idle checks due
     * between them run where their timers would have fired (a check at a window's end comes after
     * that window's panes, whose timer is 1 ms earlier). The flush timer waits for the latest
     * waiting window, so a file's run judges its windows in one bundle, not one per window: a
     * runner copies the step's state (every waiting pane, every history) for each timer's bundle.
     * Either timer firing first is fine: both advance to their own time.
     */
    private void advance(
        long now,
        MapState<String, History> history,
        MapState<String, ClusterPane> identity,
        BagState<ClusterPane> pending,
        ValueState<Long> flushAt,
        ValueState<Long> idleAt,
        Timer flush,
        Timer idle,
        MultiOutputReceiver out) {
      List<ClusterPane> due =
          InWindowOrder.due(
              InWindowOrder.Flush.LATEST,
              now,
              pending,
              flushAt,
              flush,
              p -> p.windowEnd().toEpochMilli() - 1,
              Comparator.comparing(ClusterPane::windowStart)
                  .thenComparingLong(ClusterPane::paneIndex));
      Long next = idleAt.read();
      int i = 0;
      while (i < due.size()) {
        long end = due.get(i).windowEnd().toEpochMilli();
        int j = i + 1;
        while (j < due.size() && due.get(j).windowEnd().toEpochMilli() == end) {
          j++;
        }
        while (next != null && next < end) {
          next = idleChecks(next, history, identity, out);
        }
        next = earliest(next, judge(due.subList(i, j), history, identity, out));
        i = j;
      }
      while (next != null && next <= now) {
        next = idleChecks(next, history, identity, out);
      }
      scheduleIdle(next, idleAt, idle);
    }

    /** The idle timer set for {@code next} (unless it already is), or no idle time kept if null. */
    private static void scheduleIdle(Long next, ValueState<Long> idleAt, Timer idle) {
      if (next == null) {
        idleAt.clear();
      } else if (!next.equals(idleAt.read())) {
        idle.set(new org.joda.time.Instant(next));
        idleAt.write(next);
      }
    }

    /** The earlier of two times, either of which may be null (none). */
    private static Long earliest(Long a, Long b) {
      if (a == null) {
        return b;
      }
      if (b == null) {
        return a;
      }
      return Math.min(a, b);
    }

    /**
     * The idle checks due at {@code now}: a quiet or resolved row for each history that changed.
     *
     * @return the next time any history of the shard may change, or null
     */
    private Long idleChecks(
        long now,
        MapState<String, History> history,
        MapState<String, ClusterPane> identity,
        MultiOutputReceiver out) {
      long size = settings.history().windowMillis();
      Long next = null;
      for (Map.Entry<String, History> e : history.entries().read()) {
        History h = e.getValue();
        Long check = h.nextIdleCheck(settings.history());
        if (check != null && check <= now) {
          ClusterState changed = h.idle(now, settings.history());
          ClusterPane last = identity.get(e.getKey()).read();
          if (changed != null && last != null) {
            long start = Math.floorDiv(now, size) * size;
            ClusterPane marker = stateChange(last, h, Instant.ofEpochMilli(start), size);
            out.get(changes)
                .output(
                    classifier
                        .classify(
                            marker,
                            classifier.rule(marker),
                            new History.Verdict(Double.NaN, Double.NaN, false, false, changed, 0))
                        .withRun(settings.runId(), settings.attempt()));
            rowsOut.inc();
          }
          history.put(e.getKey(), h);
          check = h.nextIdleCheck(settings.history());
        }
        next = earliest(next, check);
      }
      return next;
    }

    /**
     * Judges panes in order against their histories.
     *
     * @return the earliest time one of their histories may go quiet or resolved, or null
     */
    private Long judge(
        List<ClusterPane> panes,
        MapState<String, History> history,
        MapState<String, ClusterPane> identity,
        MultiOutputReceiver out) {
      Map<String, History> touched = new HashMap<>();
      Map<String, ClusterPane> latest = new HashMap<>();
      for (ClusterPane p : panes) {
        History h = touched.computeIfAbsent(p.fingerprint(), fp -> read(history, fp));
        Classification c = classifier.rule(p);
        History.Verdict v =
            h.observe(
                p.windowStart().toEpochMilli(),
                p.entryCount(),
                p.lastSeen().toEpochMilli(),
                c.spikes(),
                settings.history());
        out.get(rows)
            .output(classifier.classify(p, c, v).withRun(settings.runId(), settings.attempt()));
        rowsOut.inc();
        latest.merge(
            p.fingerprint(), p, (a, b) -> b.windowStart().isBefore(a.windowStart()) ? a : b);
      }
      Long next = null;
      for (Map.Entry<String, History> t : touched.entrySet()) {
        history.put(t.getKey(), t.getValue());
        identity.put(t.getKey(), trimmed(latest.get(t.getKey())));
        next = earliest(next, t.getValue().nextIdleCheck(settings.history()));
      }
      return next;
    }

    private static History read(MapState<String, History> state, String fp) {
      History h = state.get(fp).read();
      return h == null ? new History() : h;
    }
  }

  /** A pane's identity without what only its own window had. */
  static ClusterPane trimmed(ClusterPane p) {
    return new ClusterPane(
        p.fingerprint(),
        p.template(),
        p.service(),
        p.module(),
        p.function(),
        List.of(),
        List.of(),
        p.severity(),
        p.entryCount(),
        p.firstSeen(),
        p.lastSeen(),
        p.windowStart(),
        p.windowEnd(),
        p.paneTiming(),
        p.paneIndex(),
        p.isFinal(),
        List.of(),
        0,
        0,
        List.of(),
        p.message(),
        p.httpStatus());
  }

  /** The row of a state change: no entries, in the window where it changed; last seen kept. */
  static ClusterPane stateChange(ClusterPane last, History h, Instant windowStart, long size) {
    Instant lastSeen = h.lastSeen() == null ? last.lastSeen() : h.lastSeen();
    return new ClusterPane(
        last.fingerprint(),
        last.template(),
        last.service(),
        last.module(),
        last.function(),
        List.of(),
        List.of(),
        last.severity(),
        0,
        lastSeen,
        lastSeen,
        windowStart,
        windowStart.plusMillis(size),
        PaneTiming.ON_TIME,
        0,
        true,
        List.of(),
        0,
        0,
        List.of(),
        last.message(),
        last.httpStatus());
  }
}
