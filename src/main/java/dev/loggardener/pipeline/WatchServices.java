package dev.loggardener.pipeline;

import dev.loggardener.cluster.ClusterPane;
import dev.loggardener.cluster.PaneTiming;
import dev.loggardener.cluster.ServiceWindow;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.Severity;
import dev.loggardener.priority.History;
import dev.loggardener.priority.Rules;
import java.io.Serializable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A row per service and window ({@code service_windows}): all its entries, those out of scope, its
 * distinct fingerprints. Keyed by service across windows, the service's own baseline of entries per
 * window says when it has gone silent: a window with no entries at all from a service that writes
 * at least {@link #SILENT_MIN_RATE} per window is a {@code silent} row, written when that window
 * ends (an event-time timer, so it fires when nothing arrives). That is the outage a
 * per-fingerprint view cannot see: nothing fails, everything stops.
 *
 * <p>Late entries (after their window closed) are not in these counts; the cluster counts have
 * them.
 */
public final class WatchServices extends PTransform<PCollectionTuple, PCollection<ServiceWindow>> {
  public static final TupleTag<List<TimestampedValue<LogEntry>>> ENTRIES = new TupleTag<>() {};
  public static final TupleTag<ClusterPane> PANES = new TupleTag<>() {};

  /**
   * Entries per window under which an empty window is not remarkable: at 10, a Poisson source is
   * empty in a window with probability e^-10, about 1 in 22,000.
   */
  static final double SILENT_MIN_RATE = 10;

  /** What the step needs, resolved on the launcher. */
  public record Settings(
      Duration window,
      Severity minSeverity,
      Set<String> services,
      History.Settings history,
      boolean fromFiles,
      String runId,
      long attempt)
      implements Serializable {}

  private final Settings settings;

  public WatchServices(Settings settings) {
    this.settings = settings;
  }

  /** entries, out of scope, fingerprints. */
  static final KvCoder<String, List<Long>> COUNTS =
      KvCoder.of(StringUtf8Coder.of(), ListCoder.of(VarLongCoder.of()));

  private static final TypeDescriptor<KV<String, List<Long>>> COUNTS_TYPE =
      new TypeDescriptor<>() {};

  @Override
  public PCollection<ServiceWindow> expand(PCollectionTuple in) {
    FixedWindows windows = FixedWindows.of(settings.window());
    PCollection<KV<String, List<Long>>> entries =
        in.get(ENTRIES)
            .apply(
                "EntriesPerService",
                ParDo.of(new CountFn(windows, settings.minSeverity(), settings.services())))
            .setCoder(COUNTS);
    PCollection<KV<String, List<Long>>> fingerprints =
        in.get(PANES)
            .apply(
                "OnTimePanes",
                Filter.by(
                    (ClusterPane p) -> p.paneTiming() == PaneTiming.ON_TIME && p.entryCount() > 0))
            .apply(
                "FingerprintPerService",
                MapElements.into(COUNTS_TYPE)
                    .via((ClusterPane p) -> KV.of(p.service(), List.of(0L, 0L, 1L))))
            .setCoder(COUNTS);
    Window<KV<String, List<Long>>> perWindow =
        Window.<KV<String, List<Long>>>into(windows)
            .triggering(DefaultTrigger.of())
            .withAllowedLateness(Duration.ZERO)
            .discardingFiredPanes();
    PCollection<ServiceWindow> counted =
        PCollectionList.of(entries.apply("EntriesPerWindow", perWindow))
            .and(fingerprints.apply("FingerprintsPerWindow", perWindow))
            .apply("EntriesAndFingerprints", Flatten.pCollections())
            .apply("PerServiceAndWindow", Combine.perKey(new Sum()))
            .apply("AsRows", ParDo.of(new AsRowFn()))
            .setCoder(Coders.SERVICE_WINDOW)
            .apply("AcrossWindows", ClassifyPriority.<ServiceWindow>acrossWindows());
    PCollection<ServiceWindow> watched =
        counted
            .apply(
                "ByService",
                MapElements.into(
                        TypeDescriptors.kvs(
                            TypeDescriptors.strings(), TypeDescriptor.of(ServiceWindow.class)))
                    .via((ServiceWindow w) -> KV.of(w.service(), w)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), Coders.SERVICE_WINDOW))
            .apply("DetectSilence", ParDo.of(new SilenceFn(settings)))
            .setCoder(Coders.SERVICE_WINDOW);
    if (!settings.fromFiles()) {
      return watched;
    }
    // Over files, the end of the input's event time is "now": the services still writing when
    // it ends are not silent because it ended.
    PCollectionView<Long> inputEnd =
        InWindowOrder.inputEnd(
            counted.apply(
                "WindowEnds",
                MapElements.into(TypeDescriptors.longs())
                    .via((ServiceWindow w) -> w.windowEnd().toEpochMilli())));
    return watched
        .apply(
            "BeforeInputEnd",
            ParDo.of(
                    new DoFn<ServiceWindow, ServiceWindow>() {
                      @ProcessElement
                      public void process(ProcessContext c) {
                        ServiceWindow w = c.element();
                        if (w.entries() > 0
                            || w.windowEnd().toEpochMilli() <= c.sideInput(inputEnd)) {
                          c.output(w);
                        }
                      }
                    })
                .withSideInputs(inputEnd))
        .setCoder(Coders.SERVICE_WINDOW);
  }

  /** Sums the three counts. */
  static final class Sum implements SerializableFunction<Iterable<List<Long>>, List<Long>> {
    @Override
    public List<Long> apply(Iterable<List<Long>> counts) {
      long[] s = new long[3];
      for (List<Long> c : counts) {
        for (int i = 0; i < 3; i++) {
          s[i] += c.get(i);
        }
      }
      return List.of(s[0], s[1], s[2]);
    }
  }

  /**
   * A bundle's entries counted per service and window, emitted when the bundle finishes, each count
   * stamped with its earliest entry's event time (as the cluster count's partial counts are): one
   * element per service and window of a bundle, not one per entry.
   */
  static final class CountFn
      extends DoFn<List<TimestampedValue<LogEntry>>, KV<String, List<Long>>> {
    private final long size;
    private final Severity minSeverity;
    private final Set<String> services;

    /** A service in a window, within the window the input element was in. */
    private record Cell(String service, long windowStart, BoundedWindow inputWindow) {}

    private transient Map<Cell, long[]> cells;
    private transient long[] last;
    private transient long lastStart;
    private transient BoundedWindow lastInput;
    private transient String lastService;

    CountFn(FixedWindows windows, Severity minSeverity, Set<String> services) {
      this.size = windows.getSize().getMillis();
      this.minSeverity = minSeverity;
      this.services = services;
    }

    @StartBundle
    public void startBundle() {
      cells = new HashMap<>();
      last = null;
    }

    @ProcessElement
    public void process(
        @Element List<TimestampedValue<LogEntry>> batch, BoundedWindow inputWindow) {
      for (TimestampedValue<LogEntry> v : batch) {
        LogEntry e = v.getValue();
        long t = v.getTimestamp().getMillis();
        long start = Math.floorDiv(t, size) * size;
        long[] c = last;
        // Entries come in runs of one service and window: look the cell up only when that changes.
        if (c == null
            || start != lastStart
            || inputWindow != lastInput
            || !e.service().equals(lastService)) {
          c =
              cells.computeIfAbsent(
                  new Cell(e.service(), start, inputWindow),
                  k -> new long[] {0, 0, Long.MAX_VALUE});
          last = c;
          lastStart = start;
          lastInput = inputWindow;
          lastService = e.service();
        }
        c[0]++;
        if (!FilterScope.inScope(e, minSeverity, services)) {
          c[1]++;
        }
        c[2] = Math.min(c[2], t);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Map.Entry<Cell, long[]> cell : cells.entrySet()) {
        long[] c = cell.getValue();
        context.output(
            KV.of(cell.getKey().service(), List.of(c[0], c[1], 0L)),
            new Instant(c[2]),
            cell.getKey().inputWindow());
      }
      cells = null;
      last = null;
    }
  }

  static final class AsRowFn extends DoFn<KV<String, List<Long>>, ServiceWindow> {
    @ProcessElement
    public void process(
        @Element KV<String, List<Long>> e,
        BoundedWindow window,
        OutputReceiver<ServiceWindow> out) {
      IntervalWindow w = (IntervalWindow) window;
      List<Long> c = e.getValue();
      out.output(
          new ServiceWindow(
              e.getKey(),
              java.time.Instant.ofEpochMilli(w.start().getMillis()),
              java.time.Instant.ofEpochMilli(w.end().getMillis()),
              c.get(0),
              c.get(1),
              c.get(2),
              null,
              ServiceWindow.ACTIVE,
              "",
              0));
    }
  }

  /** Per service: its baseline, and a timer at the end of the window after its latest. */
  static final class SilenceFn extends DoFn<KV<String, ServiceWindow>, ServiceWindow> {
    private final Settings settings;

    @StateId("history")
    private final StateSpec<ValueState<History>> historySpec = StateSpecs.value(Coders.HISTORY);

    @StateId("latest")
    private final StateSpec<ValueState<ServiceWindow>> latestSpec =
        StateSpecs.value(Coders.SERVICE_WINDOW);

    @StateId("pending")
    private final StateSpec<BagState<ServiceWindow>> pendingSpec =
        StateSpecs.bag(Coders.SERVICE_WINDOW);

    @StateId("flushAt")
    private final StateSpec<ValueState<Long>> flushAtSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("flush")
    private final TimerSpec flushSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("silence")
    private final TimerSpec silenceSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    SilenceFn(Settings settings) {
      this.settings = settings;
    }

    @ProcessElement
    public void process(
        @Element KV<String, ServiceWindow> e,
        @Timestamp Instant timestamp,
        @StateId("history") ValueState<History> history,
        @StateId("latest") ValueState<ServiceWindow> latest,
        @StateId("pending") BagState<ServiceWindow> pending,
        @StateId("flushAt") ValueState<Long> flushAt,
        @TimerId("flush") Timer flush,
        @TimerId("silence") Timer silence,
        OutputReceiver<ServiceWindow> out) {
      if (settings.fromFiles()) {
        InWindowOrder.hold(
            InWindowOrder.Flush.EARLIEST, e.getValue(), timestamp, pending, flushAt, flush);
      } else {
        judge(List.of(e.getValue()), history, latest, silence, out);
      }
    }

    @OnTimer("flush")
    public void onFlush(
        OnTimerContext c,
        @StateId("history") ValueState<History> history,
        @StateId("latest") ValueState<ServiceWindow> latest,
        @StateId("pending") BagState<ServiceWindow> pending,
        @StateId("flushAt") ValueState<Long> flushAt,
        @TimerId("flush") Timer flush,
        @TimerId("silence") Timer silence,
        OutputReceiver<ServiceWindow> out) {
      List<ServiceWindow> due =
          InWindowOrder.due(
              InWindowOrder.Flush.EARLIEST,
              c.timestamp().getMillis(),
              pending,
              flushAt,
              flush,
              w -> w.windowEnd().toEpochMilli() - 1,
              Comparator.comparing(ServiceWindow::windowStart));
      judge(due, history, latest, silence, out);
    }

    private void judge(
        List<ServiceWindow> windows,
        ValueState<History> history,
        ValueState<ServiceWindow> latest,
        Timer silence,
        OutputReceiver<ServiceWindow> out) {
      if (windows.isEmpty()) {
        return;
      }
      History h = history.read();
      h = h == null ? new History() : h;
      ServiceWindow newest = latest.read();
      for (ServiceWindow w : windows) {
        History.Verdict v =
            h.observe(
                w.windowStart().toEpochMilli(),
                w.entries(),
                w.windowEnd().toEpochMilli() - 1,
                Rules.Spikes.DEFAULT,
                settings.history());
        out.output(
            new ServiceWindow(
                w.service(),
                w.windowStart(),
                w.windowEnd(),
                w.entries(),
                w.outOfScope(),
                w.fingerprints(),
                Double.isNaN(v.baseline()) ? null : Math.round(v.baseline() * 1000) / 1000.0,
                ServiceWindow.ACTIVE,
                settings.runId(),
                settings.attempt()));
        if (newest == null || w.windowStart().isAfter(newest.windowStart())) {
          newest = w;
        }
      }
      history.write(h);
      latest.write(newest);
      // The end of the window after the newest: if nothing came in it, the service was silent.
      silence.set(new Instant(newest.windowEnd().toEpochMilli() + settings.window().getMillis()));
    }

    @OnTimer("silence")
    public void onSilence(
        OnTimerContext c,
        @StateId("history") ValueState<History> history,
        @StateId("latest") ValueState<ServiceWindow> latest,
        OutputReceiver<ServiceWindow> out) {
      long now = c.timestamp().getMillis();
      if (!settings.fromFiles() && InWindowOrder.aheadOfClock(now)) {
        return;
      }
      History h = history.read();
      ServiceWindow newest = latest.read();
      if (h == null || newest == null) {
        return;
      }
      double rate = h.rate(settings.history());
      if (!(rate >= SILENT_MIN_RATE)) {
        return;
      }
      java.time.Instant start = newest.windowEnd();
      out.outputWithTimestamp(
          new ServiceWindow(
              newest.service(),
              start,
              start.plusMillis(settings.window().getMillis()),
              0,
              0,
              0,
              Math.round(rate * 1000) / 1000.0,
              ServiceWindow.SILENT,
              settings.runId(),
              settings.attempt()),
          c.timestamp());
    }
  }
}
