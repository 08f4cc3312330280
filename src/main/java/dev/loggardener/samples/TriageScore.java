package dev.loggardener.samples;

import dev.loggardener.samples.TriageTraffic.Family;
import dev.loggardener.samples.TriageTraffic.Silence;
import dev.loggardener.samples.TriageTraffic.Spike;
import dev.loggardener.samples.TriageTraffic.Truth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares a detector's rows with the truth of {@link TriageTraffic}: were the spikes caught, how
 * often does a steady family look like a spike, how soon are stops resolved, are new families
 * called new, and how soon is a silent service flagged. Families are matched by function, which is
 * unique per family in the generated traffic.
 */
public final class TriageScore {
  private TriageScore() {}

  /**
   * One cluster row.
   *
   * @param entryCount 0 for a state-change row (a cluster turning quiet or resolved)
   * @param state new, ongoing, spiking, quiet, resolved or regressed
   */
  public record ClusterObs(
      String function,
      String service,
      Instant windowStart,
      long entryCount,
      boolean isSpike,
      String state) {}

  /** One service row; {@code state} is "silent" when the service was flagged as silent. */
  public record ServiceObs(String service, Instant windowStart, long entries, String state) {}

  public record SpikeResult(String function, Instant firstWindow, double factor, boolean caught) {}

  /**
   * @param resolvedAt window start of the first resolved row after the last entry; null if none
   * @param delay from the last entry to {@code resolvedAt}; null if none
   */
  public record StopResult(
      String function, Instant last, Instant resolvedAt, Duration delay, boolean inTime) {}

  /**
   * @param firstRow window start of the family's first row; null if it has none
   * @param firstState that row's state (any row of that window marked new counts)
   */
  public record NewResult(
      String function, Instant first, Instant firstRow, String firstState, boolean ok) {}

  /**
   * @param flaggedAt window start of the first silent row from the silence's window on
   * @param delay from the silence's start to {@code flaggedAt}; null if never flagged
   */
  public record SilenceResult(
      String service, Instant from, Instant flaggedAt, Duration delay, boolean inTime) {}

  /**
   * @param falseSpikes steady fingerprint-windows flagged as spikes
   * @param steadyWindows fingerprint-windows with entries, outside true spikes and the 2 windows
   *     after one
   * @param falseNewRows rows marked new, after the first hour, of families that are not new
   * @param falseSilentRows silent rows of services that were not silent yet (or ever)
   * @param unknownFunctions functions in the rows that the truth does not know
   */
  public record Score(
      Duration window,
      Duration quiet,
      List<SpikeResult> spikes,
      long falseSpikes,
      long steadyWindows,
      List<StopResult> stops,
      List<NewResult> newFamilies,
      List<SilenceResult> silences,
      long falseNewRows,
      long falseSilentRows,
      long unknownFunctions) {

    public Score {
      spikes = List.copyOf(spikes);
      stops = List.copyOf(stops);
      newFamilies = List.copyOf(newFamilies);
      silences = List.copyOf(silences);
    }

    /** Caught spikes over true spikes; 1 when there are none. */
    public double spikeRecall() {
      return spikes.isEmpty() ? 1 : (double) caught(spikes) / spikes.size();
    }

    public double falseSpikesPerThousand() {
      return steadyWindows == 0 ? 0 : 1000.0 * falseSpikes / steadyWindows;
    }

    public long stopsInTime() {
      return stops.stream().filter(StopResult::inTime).count();
    }

    public long newFamiliesCalledNew() {
      return newFamilies.stream().filter(NewResult::ok).count();
    }

    public long silencesInTime() {
      return silences.stream().filter(SilenceResult::inTime).count();
    }

    public String report() {
      StringBuilder sb = new StringBuilder();
      sb.append(
          String.format(
              Locale.ROOT,
              "spikes: %d/%d caught, recall %.3f (by factor: %s)%n",
              caught(spikes),
              spikes.size(),
              spikeRecall(),
              bands()));
      List<String> missed = new ArrayList<>();
      for (SpikeResult s : spikes) {
        if (!s.caught()) {
          missed.add(
              String.format(Locale.ROOT, "%s@%s x%.1f", s.function(), s.firstWindow(), s.factor()));
        }
      }
      if (!missed.isEmpty()) {
        sb.append("  missed: ").append(limit(missed)).append('\n');
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "false spikes: %d in %d steady fingerprint-windows = %.2f per 1,000%n",
              falseSpikes,
              steadyWindows,
              falseSpikesPerThousand()));
      sb.append(
          String.format(
              Locale.ROOT,
              "stops: %d/%d resolved within quiet + 1 window (%s)%n",
              stopsInTime(),
              stops.size(),
              minutes(quiet.plus(window))));
      for (StopResult s : stops) {
        sb.append("  ")
            .append(s.function())
            .append(": ")
            .append(
                s.delay() == null
                    ? "no resolved row (MISSING)"
                    : minutes(s.delay()) + (s.inTime() ? "" : " (LATE)"))
            .append('\n');
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "new families: %d/%d first row is 'new'; 'new' rows of other families after the"
                  + " first hour: %d%n",
              newFamiliesCalledNew(),
              newFamilies.size(),
              falseNewRows));
      for (NewResult n : newFamilies) {
        if (!n.ok()) {
          sb.append("  ")
              .append(n.function())
              .append(": first row ")
              .append(n.firstRow() == null ? "none" : n.firstRow() + " " + n.firstState())
              .append('\n');
        }
      }
      sb.append(
          String.format(
              Locale.ROOT,
              "silent services: %d/%d flagged within 2 windows; early or false 'silent' rows: %d%n",
              silencesInTime(),
              silences.size(),
              falseSilentRows));
      for (SilenceResult s : silences) {
        sb.append("  ")
            .append(s.service())
            .append(": ")
            .append(
                s.delay() == null
                    ? "never flagged (MISSING)"
                    : minutes(s.delay()) + (s.inTime() ? "" : " (LATE)"))
            .append('\n');
      }
      if (unknownFunctions > 0) {
        sb.append("functions not in the truth: ").append(unknownFunctions).append('\n');
      }
      return sb.toString();
    }

    private String bands() {
      double[][] bands = {{0, 5}, {5, 10}, {10, Double.MAX_VALUE}};
      String[] names = {"<5x", "5-10x", ">=10x"};
      List<String> out = new ArrayList<>();
      for (int i = 0; i < bands.length; i++) {
        int all = 0;
        int got = 0;
        for (SpikeResult s : spikes) {
          if (s.factor() >= bands[i][0] && s.factor() < bands[i][1]) {
            all++;
            got += s.caught() ? 1 : 0;
          }
        }
        out.add(names[i] + " " + got + "/" + all);
      }
      return String.join(", ", out);
    }

    private static long caught(List<SpikeResult> spikes) {
      return spikes.stream().filter(SpikeResult::caught).count();
    }

    private static String limit(List<String> items) {
      return items.size() <= 10
          ? String.join(", ", items)
          : String.join(", ", items.subList(0, 10)) + ", ... (" + items.size() + ")";
    }

    private static String minutes(Duration d) {
      return String.format(Locale.ROOT, "%.1f min", d.toMillis() / 60_000.0);
    }
  }

  /** Windows after a true spike that are not held against the detector (its decay). */
  static final int AFTER_SPIKE_WINDOWS = 2;

  /** A silent service must be flagged within this many windows of going silent. */
  static final int SILENCE_WINDOWS = 2;

  public static Score score(
      Truth t, List<ClusterObs> clusters, List<ServiceObs> services, Duration quiet) {
    Duration window = t.window();
    Map<String, Family> families = new HashMap<>();
    t.families().forEach(f -> families.put(f.function(), f));

    // Rows by function and window: a window may have several rows (panes); any spike flag counts.
    Map<String, TreeMap<Instant, List<ClusterObs>>> rows = new HashMap<>();
    Set<String> unknown = new HashSet<>();
    for (ClusterObs c : clusters) {
      rows.computeIfAbsent(c.function(), k -> new TreeMap<>())
          .computeIfAbsent(c.windowStart(), k -> new ArrayList<>())
          .add(c);
      if (!families.containsKey(c.function())) {
        unknown.add(c.function());
      }
    }

    Map<String, Set<Instant>> excluded = new HashMap<>();
    List<SpikeResult> spikes = new ArrayList<>();
    for (Spike s : t.spikes()) {
      TreeMap<Instant, List<ClusterObs>> r = rows.getOrDefault(s.function(), new TreeMap<>());
      boolean caught = false;
      Set<Instant> ex = excluded.computeIfAbsent(s.function(), k -> new HashSet<>());
      for (Instant w : s.windows()) {
        caught |= r.getOrDefault(w, List.of()).stream().anyMatch(ClusterObs::isSpike);
        ex.add(w);
      }
      Instant last = s.windows().get(s.windows().size() - 1);
      for (int i = 1; i <= AFTER_SPIKE_WINDOWS; i++) {
        ex.add(last.plus(window.multipliedBy(i)));
      }
      spikes.add(new SpikeResult(s.function(), s.windows().get(0), s.factor(), caught));
    }

    long steady = 0;
    long falseSpikes = 0;
    for (Map.Entry<String, TreeMap<Instant, List<ClusterObs>>> f : rows.entrySet()) {
      Set<Instant> ex = excluded.getOrDefault(f.getKey(), Set.of());
      for (Map.Entry<Instant, List<ClusterObs>> w : f.getValue().entrySet()) {
        List<ClusterObs> withEntries =
            w.getValue().stream().filter(c -> c.entryCount() > 0).toList();
        if (withEntries.isEmpty() || ex.contains(w.getKey())) {
          continue;
        }
        steady++;
        if (withEntries.stream().anyMatch(ClusterObs::isSpike)) {
          falseSpikes++;
        }
      }
    }

    List<StopResult> stops = new ArrayList<>();
    for (Family f : t.families()) {
      if (!f.stopped() || f.last() == null) {
        continue;
      }
      Instant resolved = null;
      for (Map.Entry<Instant, List<ClusterObs>> w :
          rows.getOrDefault(f.function(), new TreeMap<>()).tailMap(f.last(), false).entrySet()) {
        if (w.getValue().stream().anyMatch(c -> "resolved".equals(c.state()))) {
          resolved = w.getKey();
          break;
        }
      }
      Duration delay = resolved == null ? null : Duration.between(f.last(), resolved);
      boolean inTime = delay != null && delay.compareTo(quiet.plus(window)) <= 0;
      stops.add(new StopResult(f.function(), f.last(), resolved, delay, inTime));
    }

    List<NewResult> fresh = new ArrayList<>();
    for (Family f : t.families()) {
      if (!f.isNew()) {
        continue;
      }
      TreeMap<Instant, List<ClusterObs>> r = rows.get(f.function());
      if (r == null || r.isEmpty()) {
        fresh.add(new NewResult(f.function(), f.first(), null, null, false));
        continue;
      }
      Map.Entry<Instant, List<ClusterObs>> first = r.firstEntry();
      boolean ok = first.getValue().stream().anyMatch(c -> "new".equals(c.state()));
      String state = ok ? "new" : first.getValue().get(0).state();
      fresh.add(new NewResult(f.function(), f.first(), first.getKey(), state, ok));
    }

    Instant start = t.start();
    if (start == null) {
      start =
          clusters.stream()
              .map(ClusterObs::windowStart)
              .min(Comparator.naturalOrder())
              .orElse(Instant.EPOCH);
    }
    Instant afterFirstHour = start.plus(Duration.ofHours(1));
    long falseNew = 0;
    for (ClusterObs c : clusters) {
      Family f = families.get(c.function());
      if ("new".equals(c.state())
          && (f == null || !f.isNew())
          && !c.windowStart().isBefore(afterFirstHour)) {
        falseNew++;
      }
    }

    Map<String, Instant> silentFrom = new HashMap<>();
    t.silent().forEach(s -> silentFrom.put(s.service(), s.from()));
    List<ServiceObs> byTime = new ArrayList<>(services);
    byTime.sort(Comparator.comparing(ServiceObs::windowStart));
    List<SilenceResult> silences = new ArrayList<>();
    for (Silence s : t.silent()) {
      Instant flagged = null;
      for (ServiceObs o : byTime) {
        if (o.service().equals(s.service())
            && "silent".equals(o.state())
            && o.windowStart().plus(window).isAfter(s.from())) {
          flagged = o.windowStart();
          break;
        }
      }
      Duration delay = flagged == null ? null : Duration.between(s.from(), flagged);
      boolean inTime = delay != null && delay.compareTo(window.multipliedBy(SILENCE_WINDOWS)) <= 0;
      silences.add(new SilenceResult(s.service(), s.from(), flagged, delay, inTime));
    }
    long falseSilent = 0;
    for (ServiceObs o : services) {
      Instant from = silentFrom.get(o.service());
      if ("silent".equals(o.state())
          && (from == null || !o.windowStart().plus(window).isAfter(from))) {
        falseSilent++;
      }
    }

    return new Score(
        window,
        quiet,
        spikes,
        falseSpikes,
        steady,
        stops,
        fresh,
        silences,
        falseNew,
        falseSilent,
        unknown.size());
  }
}
