package dev.loggardener.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loggardener.github.Action;
import dev.loggardener.github.Inert;
import dev.loggardener.github.IssueText;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.ParseResult;
import dev.loggardener.priority.Rule;
import dev.loggardener.priority.Rules;
import dev.loggardener.priority.StackFrame;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The seed's worklog, generated from the tables: header, executive summary, one section per
 * cluster, frequency analysis with a chart, recommended actions, GitHub issues processed,
 * cross-cluster relationships and a completion summary. The same data gives the same bytes: there
 * is no clock in it, and everything is in a fixed order.
 */
public final class Worklog {

  /** What to report on. */
  public record Scope(
      Instant from, Instant to, String service, String source, int detailed, String repoUrl) {
    public Scope(Instant from, Instant to, String service, String source, int detailed) {
      this(from, to, service, source, detailed, null);
    }
  }

  /** One cluster over the whole range. */
  record Cluster(
      String fingerprint,
      String name,
      String template,
      String service,
      String module,
      String function,
      Set<String> sourceLines,
      String severity,
      String priority,
      String category,
      String rule,
      long count,
      Instant firstSeen,
      Instant lastSeen,
      Map<Instant, Long> perWindow,
      String sample,
      long peakUsers,
      Set<String> traceIds,
      String firstRevision,
      String sourceFile) {}

  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR_MINUTE =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DAY_HOUR_MINUTE =
      DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Worklog() {}

  public static String render(ReportData data, Rules rules, Scope scope) throws IOException {
    List<ReportData.Window> all = data.windows(scope.from(), scope.to(), scope.service());
    // Quiet and resolved rows carry no entries: they are the summary's, not clusters of the range.
    List<ReportData.Window> windows = all.stream().filter(w -> !w.stateChange()).toList();
    List<ReportData.Window> changes = all.stream().filter(ReportData.Window::stateChange).toList();
    ReportData.DeadLetters deadLetters = data.deadLetters(scope.from(), scope.to());
    StringBuilder md = new StringBuilder();
    header(md, scope, windows, deadLetters);
    if (windows.isEmpty()) {
      md.append("\n## No issues found\n\nNo clusters in this range")
          .append(scope.service() == null ? "" : " for " + Inert.inline(scope.service()))
          .append(". Nothing to triage.\n");
      return md.toString();
    }
    Duration span = Duration.between(scope.from(), scope.to());
    List<ReportData.Window> previous =
        data.windows(scope.from().minus(span), scope.from(), scope.service()).stream()
            .filter(w -> !w.stateChange())
            .toList();
    List<Cluster> clusters = clusters(windows);
    Map<String, Long> before = new TreeMap<>();
    previous.forEach(w -> before.merge(w.fingerprint(), w.count(), Long::sum));
    Map<String, Instant> firstEver =
        data.firstWindow(clusters.stream().map(Cluster::fingerprint).toList());
    List<ReportData.Sync> sync = data.sync(scope.from(), scope.to());
    if (scope.service() != null) {
      // github_sync has no service column: a decision is the service's when its fingerprint is.
      Set<String> ours = new TreeSet<>();
      all.forEach(w -> ours.add(w.fingerprint()));
      sync = sync.stream().filter(s -> ours.contains(s.fingerprint())).toList();
    }
    Map<String, ReportData.Sync> issueOf = new TreeMap<>();
    for (ReportData.Sync s : sync) {
      if (s.issueNumber() != null) {
        issueOf.put(s.fingerprint(), s); // rows are in time order: the last one wins
      }
    }
    Set<String> regressed = new TreeSet<>();
    for (ReportData.Sync s : sync) {
      if (s.action() == Action.REOPENED
          || (s.action() == Action.CREATED
              && s.detail() != null
              && s.detail().startsWith("regression"))) {
        regressed.add(s.fingerprint());
      }
    }
    for (ReportData.Window w : windows) {
      if ("regressed".equals(w.state())) {
        regressed.add(w.fingerprint());
      }
    }
    Set<String> fresh = new TreeSet<>();
    for (Cluster c : clusters) {
      Instant first = firstEver.get(c.fingerprint());
      if ((first == null || !first.isBefore(scope.from()))
          && !regressed.contains(c.fingerprint())) {
        fresh.add(c.fingerprint()); // a regression was seen before, whatever the tables hold
      }
    }
    summary(md, clusters, fresh, regressed);
    signal(md, clusters, windows, changes);
    silences(md, data.silences(scope.from(), scope.to(), scope.service()));
    sections(md, rules, clusters, issueOf, scope);
    frequency(md, scope, clusters, before, fresh, windows);
    actions(md, rules, clusters);
    github(md, sync, clusters);
    relationships(md, clusters, scope);
    completion(md, scope, clusters, fresh, regressed, sync, deadLetters);
    return md.toString();
  }

  // ---------------------------------------------------------------- header and summary

  private static void header(
      StringBuilder md,
      Scope scope,
      List<ReportData.Window> windows,
      ReportData.DeadLetters deadLetters) {
    long entries = windows.stream().mapToLong(ReportData.Window::count).sum();
    Set<String> services = new TreeSet<>();
    Set<String> severities = new TreeSet<>();
    windows.forEach(
        w -> {
          services.add(w.service() == null ? "(none)" : w.service());
          severities.add(w.severity());
        });
    md.append("# GCP Log Gardener worklog: ")
        .append(
            scope.service() != null
                ? Inert.inline(scope.service())
                : services.size() == 1 ? Inert.inline(services.iterator().next()) : "all services")
        .append("\n\n");
    md.append("- **Time range:** ")
        .append(TIME.format(scope.from()))
        .append(" to ")
        .append(TIME.format(scope.to()))
        .append('\n');
    md.append("- **Scope:** ")
        .append(services.isEmpty() ? "no services" : inlineAll(services))
        .append("; severities ")
        .append(severities.isEmpty() ? "none" : String.join(", ", severities))
        .append('\n');
    md.append("- **Entries analysed:** ")
        .append(number(entries))
        .append(" in ")
        .append(windows.stream().map(ReportData.Window::fingerprint).distinct().count())
        .append(" clusters\n");
    md.append("- **Dead letters in this range:** ").append(deadLetterCounts(deadLetters.timed()));
    if (!deadLetters.untimed().isEmpty()) {
      md.append("; and ")
          .append(deadLetterCounts(deadLetters.untimed()))
          .append(" with no time of their own (the input had none that could be read),")
          .append(" received since the range began");
    }
    md.append("\n- **Source:** ").append(Inert.inline(scope.source())).append('\n');
  }

  private static void summary(
      StringBuilder md, List<Cluster> clusters, Set<String> fresh, Set<String> regressed) {
    md.append("\n## Executive summary\n\n| priority | clusters | entries |\n|---|---:|---:|\n");
    Map<String, long[]> byPriority = new TreeMap<>();
    for (Cluster c : clusters) {
      long[] v = byPriority.computeIfAbsent(c.priority(), k -> new long[2]);
      v[0]++;
      v[1] += c.count();
    }
    byPriority.forEach(
        (p, v) ->
            md.append("| ")
                .append(badge(p))
                .append(" | ")
                .append(v[0])
                .append(" | ")
                .append(number(v[1]))
                .append(" |\n"));
    md.append("\n- **New in this range:** ").append(names(clusters, fresh)).append('\n');
    md.append("- **Regressed:** ").append(names(clusters, regressed)).append('\n');
    Cluster top = clusters.get(0);
    md.append("- **Most urgent:** ")
        .append(badge(top.priority()))
        .append(' ')
        .append(top.name())
        .append(" (")
        .append(number(top.count()))
        .append(" entries)\n");
  }

  /**
   * What the fingerprints' history said in the range: spikes, and clusters that went quiet or were
   * resolved (those may have no entries in the range at all).
   */
  private static void signal(
      StringBuilder md,
      List<Cluster> clusters,
      List<ReportData.Window> windows,
      List<ReportData.Window> changes) {
    Set<String> spiking = new TreeSet<>();
    windows.stream().filter(ReportData.Window::isSpike).forEach(w -> spiking.add(w.fingerprint()));
    md.append("- **Spiking:** ").append(names(clusters, spiking)).append('\n');
    for (String state : List.of("quiet", "resolved")) {
      Map<String, ReportData.Window> latest = new TreeMap<>();
      for (ReportData.Window w : changes) {
        if (state.equals(w.state())) {
          latest.put(w.fingerprint(), w);
        }
      }
      md.append("- **").append(state.equals("quiet") ? "Quiet" : "Resolved").append(":** ");
      if (latest.isEmpty()) {
        md.append("none\n");
        continue;
      }
      md.append(
              latest.values().stream()
                  .limit(NAMES_LISTED)
                  .map(
                      w ->
                          name(w.template())
                              + " (`"
                              + w.fingerprint()
                              + "`, last seen "
                              + TIME.format(w.lastSeen())
                              + ")")
                  .collect(Collectors.joining("; ")))
          .append(
              latest.size() > NAMES_LISTED
                  ? "; and " + (latest.size() - NAMES_LISTED) + " more"
                  : "")
          .append('\n');
    }
  }

  /** Services that stopped writing altogether, judged against their own rate. */
  private static void silences(StringBuilder md, List<ReportData.Silence> silences) {
    md.append("- **Silent services:** ");
    if (silences.isEmpty()) {
      md.append("none\n");
      return;
    }
    md.append(
            silences.stream()
                .limit(NAMES_LISTED)
                .map(
                    s ->
                        Inert.inline(s.service())
                            + " wrote nothing from "
                            + TIME.format(s.windowStart())
                            + (s.baseline() == null
                                ? ""
                                : String.format(
                                    Locale.ROOT,
                                    " (usually %.0f entries per window)",
                                    s.baseline())))
                .collect(Collectors.joining("; ")))
        .append('\n');
  }

  // ---------------------------------------------------------------- cluster sections

  private static void sections(
      StringBuilder md,
      Rules rules,
      List<Cluster> clusters,
      Map<String, ReportData.Sync> issueOf,
      Scope scope) {
    md.append("\n## Issue clusters\n");
    int n = 0;
    for (Cluster c : clusters) {
      if (n == scope.detailed()) {
        md.append("\n")
            .append(clusters.size() - scope.detailed())
            .append(" more clusters are in the frequency analysis below.\n");
        break;
      }
      n++;
      Rule rule = rule(rules, c.rule());
      md.append("\n### Cluster ")
          .append(n)
          .append(": ")
          .append(c.name())
          .append(" (")
          .append(badge(c.priority()))
          .append(")\n\n");
      md.append("- **Fingerprint:** `").append(c.fingerprint()).append("`\n");
      md.append("- **Priority:** ")
          .append(c.priority())
          .append(" (rule `")
          .append(Inert.inline(c.rule()))
          .append("`); **severity:** ")
          .append(c.severity())
          .append("; **category:** ")
          .append(Inert.inline(c.category()))
          .append('\n');
      md.append("- **Impact:** ")
          .append(
              rule != null && rule.impact() != null && !rule.impact().isBlank()
                  ? Inert.inline(rule.impact().strip())
                  : "not stated by the rules")
          .append('\n');
      ReportData.Sync issue = issueOf.get(c.fingerprint());
      md.append("- **GitHub issue:** ")
          .append(
              issue == null
                  ? "not synced"
                  : issue.url() == null || issue.url().isEmpty()
                      ? "#" + issue.issueNumber()
                      : "[#" + issue.issueNumber() + "](" + issue.url() + ")")
          .append('\n');
      String logs =
          IssueText.loggingLink(
              c.sample(), c.service(), c.severity(), c.template(), c.firstSeen(), scope.to());
      if (logs != null) {
        md.append("- **Entries in Cloud Logging:** [this cluster's query, ")
            .append(TIME.format(c.firstSeen()))
            .append(" on](")
            .append(logs)
            .append(")\n");
      }
      md.append("\n<details>\n<summary>Representative entry (redacted): ")
          .append(firstLine(c.sample(), c.template()))
          .append("</summary>\n\n")
          .append(Inert.fenced(pretty(c.sample()), "json", 8_000))
          .append("\n\n</details>\n\n**Key details:**\n\n");
      md.append("- Service: ").append(Inert.inline(c.service())).append('\n');
      md.append("- First seen in revision: ").append(orDash(c.firstRevision())).append('\n');
      md.append("- Module: ").append(orDash(c.module())).append('\n');
      md.append("- Function: ").append(orDash(c.function())).append('\n');
      md.append("- Source lines: ")
          .append(c.sourceLines().isEmpty() ? "-" : inlineAll(c.sourceLines()));
      String source = sourceLink(scope.repoUrl(), c);
      if (source != null) {
        md.append(" ([source](").append(source).append("))");
      }
      md.append('\n');
      md.append("- Error text: ").append(Inert.inline(c.template())).append('\n');
      md.append("- First seen: ")
          .append(TIME.format(c.firstSeen()))
          .append("; last seen: ")
          .append(TIME.format(c.lastSeen()))
          .append('\n');
      md.append("- Entries: ")
          .append(number(c.count()))
          .append(" in ")
          .append(c.perWindow().size())
          .append(c.perWindow().size() == 1 ? " window" : " windows")
          .append(
              c.peakUsers() == 0
                  ? "; users unknown (no user id in the entries)\n"
                  : "; up to " + number(c.peakUsers()) + " distinct users in a window\n");
    }
  }

  /**
   * The summary line of a collapsed sample: the first line of its message (redacted, as the sample
   * is), else of the template; inert, at most 120 characters.
   */
  static String firstLine(String sample, String template) {
    String text = sampleMessage(sample);
    if (text == null || text.isBlank()) {
      text = template == null ? "" : template;
    }
    String line = text.strip().split("[\\n⏎]", 2)[0].strip();
    if (line.length() > 120) {
      line = line.substring(0, 119) + "…";
    }
    return line.isEmpty() ? "(empty message)" : Inert.inline(line);
  }

  /**
   * A link to the cluster's source line under {@code --repoUrl} (a repository's blob URL at a
   * branch or commit): its top in-app frame's file, or its logger when that is a path, without a
   * container's working directory (/app/, /srv/, /workspace/, /usr/src/app/). A Java frame gives
   * its package path. Null without a URL or a file.
   */
  static String sourceLink(String repoUrl, Cluster c) {
    if (repoUrl == null || repoUrl.isBlank() || c.sourceFile() == null) {
      return null;
    }
    String file = c.sourceFile().replace('\\', '/');
    // An image's working directory is not in the repository: /app/orders/db.py -> orders/db.py.
    for (String root : List.of("/usr/src/app/", "/app/", "/srv/", "/workspace/")) {
      if (file.startsWith(root)) {
        file = file.substring(root.length());
        break;
      }
    }
    while (file.startsWith("/")) {
      file = file.substring(1);
    }
    String line = c.sourceLines().isEmpty() ? null : c.sourceLines().iterator().next();
    String number = line == null ? null : line.replaceAll(".*?(\\d+)$", "$1");
    StringBuilder url = new StringBuilder(repoUrl.replaceAll("/+$", "")).append('/');
    for (String part : file.split("/")) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        continue; // a path from a log line must not climb out of the repository's URL
      }
      url.append(
              java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8)
                  .replace("+", "%20"))
          .append('/');
    }
    url.setLength(url.length() - 1);
    if (number != null && number.matches("\\d{1,7}")) {
      url.append("#L").append(number);
    }
    return url.toString();
  }

  // ---------------------------------------------------------------- frequency and chart

  private static void frequency(
      StringBuilder md,
      Scope scope,
      List<Cluster> clusters,
      Map<String, Long> before,
      Set<String> fresh,
      List<ReportData.Window> windows) {
    Duration size = Duration.between(windows.get(0).windowStart(), windows.get(0).windowEnd());
    // Shares are of the windows that have data, not of the range: a backfill of three hours in a
    // 24-hour report is not "intermittent" for a cluster in every one of its windows.
    Instant firstData =
        windows.stream().map(ReportData.Window::windowStart).min(Instant::compareTo).orElseThrow();
    Instant lastData =
        windows.stream().map(ReportData.Window::windowStart).max(Instant::compareTo).orElseThrow();
    long slots = Duration.between(firstData, lastData).toMillis() / size.toMillis() + 1;
    md.append("\n## Frequency analysis\n\n")
        .append("Frequency is the share of the ")
        .append(slots)
        .append(slots == 1 ? " window" : " windows")
        .append(" with data (")
        .append(TIME.format(firstData))
        .append(" to ")
        .append(TIME.format(lastData.plus(size)))
        .append(
            ") a cluster appears in: continuous ≥ 80%, recurring ≥ 30%, intermittent below, a"
                + " single burst in one window.\n\n")
        .append(
            "| cluster | priority | occurrences | windows | frequency | previous period | trend |\n")
        .append("|---|---|---:|---:|---|---:|---|\n");
    for (Cluster c : clusters) {
      long prev = before.getOrDefault(c.fingerprint(), 0L);
      md.append("| ")
          .append(c.name())
          .append(" | ")
          .append(c.priority())
          .append(" | ")
          .append(number(c.count()))
          .append(" | ")
          .append(c.perWindow().size())
          .append(" | ")
          .append(frequencyLabel(c.perWindow().size(), slots))
          .append(" | ")
          .append(number(prev))
          .append(" | ")
          .append(trend(c.count(), prev, fresh.contains(c.fingerprint())))
          .append(" |\n");
    }
    chart(md, clusters, windows, size);
  }

  static String frequencyLabel(long present, long slots) {
    double share = (double) present / slots;
    if (present <= 1) {
      return "single burst";
    }
    if (share >= 0.8) {
      return "continuous";
    }
    if (share >= 0.3) {
      return "recurring";
    }
    return "intermittent";
  }

  static String trend(long now, long before, boolean fresh) {
    if (before == 0) {
      return fresh ? "new" : "returned";
    }
    double change = (now - before) * 100.0 / before;
    if (Math.abs(change) < 10) {
      return "steady";
    }
    return (change > 0 ? "▲ +" : "▼ −") + Math.round(Math.abs(change)) + "%";
  }

  static final int CHART_LINES = 5;
  static final int CHART_POINTS = 48;

  /**
   * Mermaid xycharts (GitHub renders them): one per top cluster, titled with its name (xychart has
   * no legend), entries per window on an axis of hours from the first window with data (labels do
   * not crowd, whatever the span). A single window is a bar: a line of one point draws nothing.
   */
  private static void chart(
      StringBuilder md, List<Cluster> clusters, List<ReportData.Window> windows, Duration size) {
    TreeSet<Instant> starts = new TreeSet<>();
    windows.forEach(w -> starts.add(w.windowStart()));
    List<Instant> axis = new ArrayList<>();
    for (Instant t = starts.first(); !t.isAfter(starts.last()); t = t.plus(size)) {
      axis.add(t);
    }
    int per = (axis.size() + CHART_POINTS - 1) / CHART_POINTS; // windows per point
    List<Cluster> top =
        clusters.stream()
            .sorted(
                Comparator.comparingLong(Cluster::count)
                    .reversed()
                    .thenComparing(Cluster::fingerprint))
            .limit(CHART_LINES)
            .toList();
    int points = (axis.size() + per - 1) / per;
    double hours = (double) axis.size() * size.toMillis() / 3_600_000.0;
    md.append("\nEntries per ")
        .append(
            per == 1 ? size.toMinutes() + "-minute window" : per * size.toMinutes() + " minutes")
        .append(" of the top ")
        .append(top.size())
        .append(top.size() == 1 ? " cluster" : " clusters")
        .append(", from ")
        .append(TIME.format(axis.get(0)))
        .append(":\n");
    for (Cluster c : top) {
      List<String> values = new ArrayList<>();
      long max = 0;
      for (int i = 0; i < axis.size(); i += per) {
        long sum = 0;
        for (int k = i; k < Math.min(axis.size(), i + per); k++) {
          sum += c.perWindow().getOrDefault(axis.get(k), 0L);
        }
        max = Math.max(max, sum);
        values.add(Long.toString(sum));
      }
      md.append("\n```mermaid\nxychart-beta\n  title \"")
          .append(chartTitle(rawName(c.template())))
          .append("\"\n");
      if (points == 1) {
        md.append("  x-axis [\"")
            .append(HOUR_MINUTE.format(axis.get(0)))
            .append("\"]\n  y-axis \"entries\" 0 --> ")
            .append(Math.max(1, max))
            .append("\n  bar [")
            .append(values.get(0))
            .append("]\n```\n");
      } else {
        md.append("  x-axis \"hours from ")
            .append(DAY_HOUR_MINUTE.format(axis.get(0)))
            .append(" UTC\" 0 --> ")
            .append(String.format(Locale.ROOT, "%.4g", hours))
            .append("\n  y-axis \"entries\" 0 --> ")
            .append(Math.max(1, max))
            .append("\n  line [")
            .append(String.join(", ", values))
            .append("]\n```\n");
      }
    }
  }

  /**
   * A name inside a Mermaid string: no quotes, brackets or backslashes, which end or break it, and
   * no live mention.
   */
  private static String chartTitle(String name) {
    // A mention stays broken as Inert breaks it, should the chart be shown as its source.
    return name.replaceAll("[\"\\\\`\\[\\]{}<>#;]", " ")
        .replaceAll("\\s+", " ")
        .strip()
        .replace("@", "@\u200B");
  }

  // ---------------------------------------------------------------- actions, GitHub, relations

  static final int ACTIONS_LISTED = 10;

  private static void actions(StringBuilder md, Rules rules, List<Cluster> clusters) {
    md.append("\n## Recommended actions\n");
    Map<String, List<Cluster>> byPriority = new TreeMap<>();
    clusters.forEach(c -> byPriority.computeIfAbsent(c.priority(), k -> new ArrayList<>()).add(c));
    byPriority.forEach(
        (p, cs) -> {
          md.append("\n### ").append(badge(p)).append("\n\n");
          List<String> unmatched = new ArrayList<>();
          for (Cluster c : cs) {
            Rule rule = rule(rules, c.rule());
            if (rule == null || rule.action() == null || rule.action().isBlank()) {
              unmatched.add(c.name());
              continue;
            }
            md.append("- **")
                .append(c.name())
                .append(":** ")
                .append(Inert.inline(rule.action().strip()))
                .append('\n');
          }
          if (!unmatched.isEmpty()) {
            md.append(
                "- **No rule gives an action** (priority follows severity); triage by hand:\n");
            unmatched.stream()
                .limit(ACTIONS_LISTED)
                .forEach(name -> md.append("  - ").append(name).append('\n'));
            if (unmatched.size() > ACTIONS_LISTED) {
              md.append("  - and ")
                  .append(unmatched.size() - ACTIONS_LISTED)
                  .append(" more (see the frequency analysis)\n");
            }
          }
        });
  }

  private static void github(StringBuilder md, List<ReportData.Sync> sync, List<Cluster> clusters) {
    md.append("\n## GitHub issues processed\n\n");
    if (sync.isEmpty()) {
      md.append("No GitHub sync in this range (run with `--githubRepo` to keep issues).\n");
      return;
    }
    Map<String, Long> byAction = new TreeMap<>();
    sync.forEach(s -> byAction.merge(s.action().code(), 1L, Long::sum));
    md.append("| action | decisions |\n|---|---:|\n");
    byAction.forEach((a, n) -> md.append("| ").append(a).append(" | ").append(n).append(" |\n"));
    Map<String, String> names = new TreeMap<>();
    clusters.forEach(c -> names.put(c.fingerprint(), c.name()));
    // One line per issue and action that changed something, in the order they happened.
    Set<String> listed = new TreeSet<>();
    md.append('\n');
    for (ReportData.Sync s : sync) {
      if (!s.action().notable()) {
        continue;
      }
      String key = s.fingerprint() + "/" + s.action();
      if (!listed.add(key)) {
        continue;
      }
      md.append("- **")
          .append(s.action())
          .append("** ")
          .append(s.issueNumber() == null ? "" : "#" + s.issueNumber() + " ")
          .append("for ")
          .append(names.getOrDefault(s.fingerprint(), "`" + s.fingerprint() + "`"))
          .append(s.detail() == null || s.detail().isEmpty() ? "" : ": " + Inert.inline(s.detail()))
          .append('\n');
    }
    if (sync.stream().anyMatch(s -> s.action().skipped())) {
      md.append(
          "\nSkipped decisions (cooldown, muted, closed, already posted) are rows of"
              + " `github_sync`.\n");
    }
  }

  static final int TRACE_LINKS = 3;

  private static void relationships(StringBuilder md, List<Cluster> clusters, Scope scope) {
    md.append("\n## Cross-cluster relationships\n\n");
    List<Relationships.Facts> facts = new ArrayList<>();
    Map<String, String> names = new TreeMap<>();
    for (Cluster c : clusters) {
      facts.add(
          new Relationships.Facts(
              c.fingerprint(), c.traceIds(), c.sample() == null ? List.of() : List.of(c.sample())));
      names.put(c.fingerprint(), c.name());
    }
    List<Relationships.Link> links = Relationships.find(facts);
    if (links.isEmpty()) {
      md.append(
          "None found: no shared trace ids, and no samples close together in one request or for one user.\n");
      return;
    }
    Map<String, Cluster> byId = new TreeMap<>();
    clusters.forEach(c -> byId.put(c.fingerprint(), c));
    for (Relationships.Link l : links) {
      md.append("- ")
          .append(names.get(l.a()))
          .append(" ↔ ")
          .append(names.get(l.b()))
          .append(": ")
          .append(Inert.inline(l.evidence()));
      Set<String> shared = new TreeSet<>(byId.get(l.a()).traceIds());
      shared.retainAll(byId.get(l.b()).traceIds());
      String project = IssueText.project(byId.get(l.a()).sample());
      List<String> traceLinks = new ArrayList<>();
      for (String trace : shared) {
        // Cloud Logging's trace field is projects/P/traces/ID; the page takes the id.
        int at = trace.lastIndexOf("/traces/");
        String id = at < 0 ? trace : trace.substring(at + "/traces/".length());
        String p =
            at > "projects/".length() && trace.startsWith("projects/")
                ? trace.substring("projects/".length(), at)
                : project;
        if (p == null || !id.matches("[0-9A-Za-z]{1,64}") || traceLinks.size() == TRACE_LINKS) {
          continue;
        }
        traceLinks.add(
            "["
                + id.substring(0, Math.min(8, id.length()))
                + "…]("
                + IssueText.traceLink(p, id)
                + ")");
      }
      if (!traceLinks.isEmpty()) {
        md.append(" (Cloud Trace: ").append(String.join(", ", traceLinks)).append(')');
      }
      md.append('\n');
    }
  }

  private static void completion(
      StringBuilder md,
      Scope scope,
      List<Cluster> clusters,
      Set<String> fresh,
      Set<String> regressed,
      List<ReportData.Sync> sync,
      ReportData.DeadLetters deadLetters) {
    md.append("\n## Completion summary\n\n");
    Map<String, Long> byPriority = new TreeMap<>();
    clusters.forEach(c -> byPriority.merge(c.priority(), 1L, Long::sum));
    md.append("- Clusters: ")
        .append(clusters.size())
        .append(" (")
        .append(
            byPriority.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")))
        .append("); new ")
        .append(fresh.size())
        .append(", regressed ")
        .append(regressed.size())
        .append('\n');
    Map<String, Long> issues = new TreeMap<>();
    sync.forEach(s -> issues.merge(s.action().code(), 1L, Long::sum));
    md.append("- GitHub: ")
        .append(
            issues.isEmpty()
                ? "not synced"
                : issues.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")))
        .append('\n');
    md.append("- Dead letters: ")
        .append(number(deadLetters.timed().values().stream().mapToLong(Long::longValue).sum()))
        .append(" in the range");
    if (!deadLetters.untimed().isEmpty()) {
      md.append(", ")
          .append(number(deadLetters.untimed().values().stream().mapToLong(Long::longValue).sum()))
          .append(" without a time");
    }
    md.append('\n');
    md.append("- Report covers ")
        .append(TIME.format(scope.from()))
        .append(" to ")
        .append(TIME.format(scope.to()))
        .append(", from ")
        .append(Inert.inline(scope.source()))
        .append(".\n");
  }

  // ---------------------------------------------------------------- building clusters

  /** Clusters over the range, most urgent first, then most entries. */
  static List<Cluster> clusters(List<ReportData.Window> windows) {
    Map<String, List<ReportData.Window>> by = new TreeMap<>();
    windows.forEach(w -> by.computeIfAbsent(w.fingerprint(), k -> new ArrayList<>()).add(w));
    List<Cluster> out = new ArrayList<>();
    by.forEach(
        (fp, ws) -> {
          ws.sort(Comparator.comparing(ReportData.Window::windowStart));
          ReportData.Window newest = ws.get(ws.size() - 1);
          ReportData.Window worst =
              ws.stream()
                  .min(
                      Comparator.comparing((ReportData.Window w) -> w.priority())
                          .thenComparing(w -> -w.count())
                          .thenComparing(ReportData.Window::windowStart))
                  .orElseThrow();
          Map<Instant, Long> perWindow = new TreeMap<>();
          Set<String> lines = new TreeSet<>();
          Set<String> traces = new TreeSet<>();
          long count = 0;
          long users = 0;
          Instant first = null;
          Instant last = null;
          String severity = null;
          for (ReportData.Window w : ws) {
            perWindow.put(w.windowStart(), w.count());
            lines.addAll(w.sourceLines());
            traces.addAll(w.traceIds());
            count += w.count();
            users = Math.max(users, w.distinctUsers());
            first = first == null || w.firstSeen().isBefore(first) ? w.firstSeen() : first;
            last = last == null || w.lastSeen().isAfter(last) ? w.lastSeen() : last;
            severity =
                severity == null || rankSeverity(w.severity()) > rankSeverity(severity)
                    ? w.severity()
                    : severity;
          }
          String firstRevision =
              ws.stream()
                  .filter(w -> w.revisions() != null && !w.revisions().isEmpty())
                  .map(w -> w.revisions().get(0))
                  .findFirst()
                  .orElse(null);
          String sample = worst.samples().isEmpty() ? null : worst.samples().get(0);
          String module = newest.module();
          String function = newest.function();
          String sourceFile = module != null && module.contains("/") ? module : null;
          // A trace logged as plain text names no module: its top in-app frame does.
          StackFrame frame = StackFrame.top(newest.template());
          if (frame == null && sample != null) {
            String message = sampleMessage(sample);
            frame = StackFrame.top(message == null ? sample : message);
          }
          if (frame != null) {
            sourceFile = frame.file();
            if (module == null || module.isEmpty()) {
              module = frame.file();
              function = frame.function();
              if (lines.isEmpty() && frame.line() != null) {
                lines.add(frame.line());
              }
            }
          }
          out.add(
              new Cluster(
                  fp,
                  name(newest.template()),
                  newest.template(),
                  newest.service(),
                  module,
                  function,
                  lines,
                  severity,
                  worst.priority(),
                  worst.category(),
                  worst.rule(),
                  count,
                  first,
                  last,
                  perWindow,
                  sample,
                  users,
                  traces,
                  firstRevision,
                  sourceFile));
        });
    out.sort(
        Comparator.comparing(Cluster::priority)
            .thenComparing(Comparator.comparingLong(Cluster::count).reversed())
            .thenComparing(Cluster::fingerprint));
    return out;
  }

  private static final List<String> SEVERITIES =
      List.of(
          "DEFAULT",
          "DEBUG",
          "INFO",
          "NOTICE",
          "WARNING",
          "ERROR",
          "CRITICAL",
          "ALERT",
          "EMERGENCY");

  private static int rankSeverity(String s) {
    return SEVERITIES.indexOf(s);
  }

  static final int NAME_CHARS = 60;

  /**
   * A short human name: the template's first line with its variables as "…", trailing punctuation
   * and variables dropped, cut at a word boundary; inert.
   */
  static String name(String template) {
    return Inert.inline(rawName(template));
  }

  /** {@link #name} before it is made inert (for a chart title, which is not Markdown). */
  static String rawName(String template) {
    String[] lines = (template == null ? "" : template).split("\\s*[\\n⏎]");
    String t = lines[0].strip();
    if (t.startsWith("Traceback (most recent call last)")) {
      // Python names the exception last: "psycopg2.OperationalError: connection … failed".
      for (int i = lines.length - 1; i > 0; i--) {
        if (!lines[i].isBlank() && !Character.isWhitespace(lines[i].charAt(0))) {
          t = lines[i].strip();
          break;
        }
      }
    }
    t = t.replace("<*>", "…").replaceAll("…(?:[\\s…]*…)+", "…");
    // "Message loop error: …." reads as "Message loop error": the cause is the sections' job.
    t =
        t.replaceAll("[\\s:;,.]+$", "")
            .replaceAll("\\s*[:=]\\s*…$", "")
            .replaceAll("[\\s:;,]+$", "");
    if (t.length() > NAME_CHARS) {
      int cut = t.lastIndexOf(' ', NAME_CHARS - 1);
      t = (cut >= NAME_CHARS / 2 ? t.substring(0, cut) : t.substring(0, NAME_CHARS - 1));
      t = t.replaceAll("[\\s:;,.=(\\[{\"'…-]+$", "") + "…";
    }
    return t.isEmpty() ? "(empty message)" : t;
  }

  /**
   * Reads samples as the pipeline reads entries. Its clock is the end of BigQuery's range: a sample
   * is never refused as too far ahead, and the report stays free of the wall clock.
   */
  private static final LogEntryParser SAMPLES =
      new LogEntryParser(
          java.time.Clock.fixed(Instant.parse("9999-12-31T23:59:59Z"), ZoneOffset.UTC),
          Duration.ZERO);

  /**
   * A sample entry's message (redacted JSON) as {@link LogEntryParser} finds it, a stack trace in
   * its own field appended; null when the sample is not an entry.
   */
  private static String sampleMessage(String sample) {
    if (sample == null) {
      return null;
    }
    return SAMPLES.parse(sample) instanceof ParseResult.Parsed parsed
        ? parsed.entry().message()
        : null;
  }

  static final int NAMES_LISTED = 5;

  private static String names(List<Cluster> clusters, Set<String> fingerprints) {
    if (fingerprints.isEmpty()) {
      return "none";
    }
    List<String> named =
        clusters.stream()
            .filter(c -> fingerprints.contains(c.fingerprint()))
            .map(c -> c.name() + " (`" + c.fingerprint() + "`)")
            .toList();
    if (named.size() <= NAMES_LISTED) {
      return String.join("; ", named);
    }
    return String.join("; ", named.subList(0, NAMES_LISTED))
        + "; and "
        + (named.size() - NAMES_LISTED)
        + " more (see the frequency analysis)";
  }

  private static Rule rule(Rules rules, String name) {
    for (Rule r : rules.rules()) {
      if (r.name().equals(name)) {
        return r;
      }
    }
    return null;
  }

  private static final Map<String, String> BADGES = new LinkedHashMap<>();

  static {
    BADGES.put("P0", "🔴 P0");
    BADGES.put("P1", "🟠 P1");
    BADGES.put("P2", "🟡 P2");
    BADGES.put("P3", "🔵 P3");
    BADGES.put("P4", "⚪ P4");
  }

  private static String badge(String priority) {
    return BADGES.getOrDefault(priority, priority);
  }

  private static String pretty(String json) {
    if (json == null) {
      return "";
    }
    try {
      return PRETTY.writeValueAsString(PRETTY.readTree(json));
    } catch (IOException e) {
      return json;
    }
  }

  /** "3 (not_json 2, too_large 1)", or "0". */
  private static String deadLetterCounts(Map<String, Long> byReason) {
    long total = byReason.values().stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return "0";
    }
    return number(total)
        + " ("
        + byReason.entrySet().stream()
            .map(e -> e.getKey() + " " + number(e.getValue()))
            .collect(Collectors.joining(", "))
        + ")";
  }

  private static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : Inert.inline(s);
  }

  private static String inlineAll(java.util.Collection<String> values) {
    return values.stream().map(Inert::inline).collect(Collectors.joining(", "));
  }
}
