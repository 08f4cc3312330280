package dev.loggardener.github;

import dev.loggardener.cluster.ClusterRow;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the gardener writes on GitHub: titles, labels, bodies and comments. Everything that comes
 * from a log goes through {@link Inert}; the hidden markers let the gardener find its own issues
 * and comments again.
 */
public final class IssueText {
  private IssueText() {}

  public static final String LABEL = "log-gardener";
  public static final String REGRESSION_LABEL = "regression";
  static final int MAX_SAMPLE_CHARS = 20_000;

  private static final Pattern MARKER =
      Pattern.compile("<!-- log-gardener fingerprint=([0-9a-f]{16}) v=1 -->");

  public static String marker(String fingerprint) {
    return "<!-- log-gardener fingerprint=" + fingerprint + " v=1 -->";
  }

  /**
   * The fingerprint an issue body's marker names, or null. Only a marker the gardener could have
   * written counts: a line of its own, outside any code block (log text is only ever shown in code
   * blocks, where {@link Inert#fenced} also breaks {@code <!--}, or escaped), the last such line. A
   * marker quoted from a log line cannot claim another fingerprint's issue.
   */
  public static String fingerprintIn(String body) {
    String found = null;
    for (String line : markerLines(body)) {
      Matcher m = MARKER.matcher(line);
      if (m.matches()) {
        found = m.group(1);
      }
    }
    return found;
  }

  /** Whether a body or comment carries this marker as the gardener writes it (see above). */
  public static boolean hasMarker(String body, String marker) {
    return markerLines(body).contains(marker);
  }

  /** The lines of a text that could be the gardener's markers: outside code blocks, trimmed. */
  static List<String> markerLines(String body) {
    List<String> out = new ArrayList<>();
    if (body == null) {
      return out;
    }
    char fence = 0;
    int fenceLength = 0;
    for (String raw : body.split("\r?\n", -1)) {
      String line = raw.strip();
      int indent = raw.length() - raw.stripLeading().length();
      if (fence == 0) {
        if (indent <= 3 && (line.startsWith("```") || line.startsWith("~~~"))) {
          fence = line.charAt(0);
          fenceLength = run(line, fence);
        } else if (line.startsWith("<!-- log-gardener ")) {
          out.add(line);
        }
      } else if (run(line, fence) >= fenceLength && run(line, fence) == line.length()) {
        fence = 0;
      }
    }
    return out;
  }

  private static int run(String line, char c) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == c) {
      n++;
    }
    return n;
  }

  /** The marker of a comment about one window of one fingerprint. */
  public static String windowMarker(ClusterRow row) {
    return "<!-- log-gardener window=" + row.fingerprint() + "/" + row.windowStart() + " -->";
  }

  public static String priorityLabel(String priority) {
    return "priority:" + priority;
  }

  public static List<String> labels(ClusterRow row) {
    List<String> l = new ArrayList<>();
    l.add(LABEL);
    l.add(priorityLabel(row.priority()));
    if (row.severity() != null) {
      l.add("severity:" + row.severity().toLowerCase(Locale.ROOT));
    }
    if (row.service() != null && !row.service().isEmpty()) {
      l.add("service:" + plain(row.service(), 40));
    }
    if (row.signal().owner() != null) {
      l.add(teamLabel(row.signal().owner()));
    }
    return l;
  }

  /** The label an owner gets: team:NAME, NAME the team, handle or mailbox. */
  public static String teamLabel(String owner) {
    return "team:" + plain(dev.loggardener.priority.CodeOwners.teamName(owner), 40);
  }

  /** What the fingerprint's history says of this window, as one sentence; empty when nothing. */
  static String signalLine(ClusterRow row) {
    dev.loggardener.cluster.Signal s = row.signal();
    StringBuilder b = new StringBuilder();
    if (s.isNew()) {
      b.append("**New problem**: first seen in this window. ");
    }
    if ("regressed".equals(s.state())) {
      b.append("**Regressed**: back after it was resolved. ");
    }
    if (s.isSpike()) {
      b.append(
          String.format(
              Locale.ROOT,
              "**Spike**: %d entries, %.1f× its baseline of %.1f per window (priority raised one"
                  + " level). ",
              row.entryCount(),
              s.spikeRatio() == null ? Double.NaN : s.spikeRatio(),
              s.baselineCount() == null ? Double.NaN : s.baselineCount()));
    }
    return b.toString().trim();
  }

  /** The seed's convention: GCP-{category}-{priority}-{a short name from the template}. */
  public static String title(ClusterRow row) {
    String category = row.category() == null || row.category().isEmpty() ? "log" : row.category();
    return "GCP-" + plain(category, 30) + "-" + row.priority() + "-" + shortName(row.template());
  }

  /** Up to ten words of the template, without its placeholders or any markup. */
  static String shortName(String template) {
    String firstLine = template == null ? "" : template.split("[\\n⏎]", 2)[0];
    String words = firstLine.replace("<*>", " ");
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (String w : plain(words, 200).trim().split("\\s+")) {
      if (w.isEmpty() || w.chars().noneMatch(Character::isLetter)) {
        continue;
      }
      if (b.length() + w.length() > 70 || n == 10) {
        break;
      }
      b.append(n++ == 0 ? "" : " ").append(w);
    }
    return b.length() == 0 ? "unnamed" : b.toString();
  }

  /** Letters, digits, spaces and a little punctuation only: safe anywhere, even unescaped. */
  static String plain(String s, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c) || c == ' ' || c == '.' || c == '-' || c == ',') {
        b.append(c);
      } else if (c == ':' || c == '/' || c == '_') {
        b.append(c == ':' ? ' ' : '-');
      } else {
        b.append(' ');
      }
    }
    return b.toString().replaceAll("\\s+", " ").trim();
  }

  public static String body(ClusterRow row) {
    StringBuilder b = new StringBuilder();
    b.append("**")
        .append(row.priority())
        .append(' ')
        .append(Inert.inline(row.severity()))
        .append("** in ")
        .append(Inert.inline(row.service()))
        .append(": ")
        .append(row.entryCount())
        .append(" entries between ")
        .append(row.windowStart())
        .append(" and ")
        .append(row.windowEnd())
        .append(" match ")
        .append(Inert.inline(row.template()))
        .append(signalLine(row).isEmpty() ? "" : "\n\n" + signalLine(row))
        .append("\n\n### Representative entry (redacted)\n\n")
        .append(sample(row))
        .append("\n\n### Key details\n\n| | |\n|---|---|\n");
    row("Fingerprint", row.fingerprint(), b);
    row("Service", row.service(), b);
    row("Module", row.module(), b);
    row("Function", row.function(), b);
    row("Source lines", String.join(", ", row.sourceLines()), b);
    row("Revisions", String.join(", ", row.revisions()), b);
    row("Category", row.category(), b);
    row("Rule", row.rule(), b);
    row("Owner", row.signal().owner(), b);
    row("First seen", String.valueOf(row.firstSeen()), b);
    row("Last seen", String.valueOf(row.lastSeen()), b);
    row("Distinct users", String.valueOf(row.distinctUsers()), b);
    b.append("\n### Counts per window\n\n| window | entries | pane |\n|---|---|---|\n")
        .append(windowLine(row))
        .append("\n(later windows are added as comments)\n");
    String link = loggingLink(row);
    if (link != null) {
      b.append("\n[Find these entries in Cloud Logging](").append(link).append(")\n");
    }
    // The window's marker too: a retried bundle then finds this window's evidence already here.
    return Inert.capped(
        b.toString(), "\n" + marker(row.fingerprint()) + "\n" + windowMarker(row) + "\n");
  }

  public static String evidence(ClusterRow row) {
    String signal = signalLine(row);
    return comment(
        row,
        (signal.isEmpty() ? "" : signal + "\n\n")
            + "New evidence: "
            + counted(row)
            + " ("
            + row.paneTiming()
            + (row.isFinal() ? ", final" : "")
            + "), "
            + row.distinctUsers()
            + " distinct users, last seen "
            + row.lastSeen()
            + ". Priority "
            + row.priority()
            + ".");
  }

  /** The comment that closes a resolved fingerprint's issue. */
  public static String resolved(ClusterRow row) {
    return Inert.capped(
        "Resolved: no entries since "
            + row.lastSeen()
            + " (the last occurrence), as of "
            + row.windowStart()
            + ". Closed by Log Gardener (--githubAutoClose); entries after this reopen it as a"
            + " regression.\n",
        "\n" + windowMarker(row) + "\n");
  }

  public static String escalation(ClusterRow row, String from) {
    return comment(
        row,
        "Priority rose from "
            + from
            + " to "
            + row.priority()
            + ": "
            + counted(row)
            + " (rule "
            + Inert.inline(row.rule())
            + ").");
  }

  public static String regression(ClusterRow row, java.time.Instant closedAt) {
    return comment(
        row,
        "Regression: "
            + counted(row)
            + ", after this issue was closed at "
            + closedAt
            + " (last seen "
            + row.lastSeen()
            + ").");
  }

  /** "N entries between START and END". */
  private static String counted(ClusterRow row) {
    return row.entryCount() + " entries between " + row.windowStart() + " and " + row.windowEnd();
  }

  /** A comment: its lead line, the representative entry, and the window's marker at the end. */
  private static String comment(ClusterRow row, String lead) {
    return Inert.capped(lead + "\n\n" + sample(row) + "\n", "\n" + windowMarker(row) + "\n");
  }

  /** The body of a new issue for a regression of a closed one, when reopening is turned off. */
  public static String regressionBody(ClusterRow row, int previous) {
    return "Regression of #" + previous + ".\n\n" + body(row);
  }

  private static void row(String name, String value, StringBuilder b) {
    b.append("| ")
        .append(name)
        .append(" | ")
        .append(value == null || value.isEmpty() ? "" : Inert.inline(value))
        .append(" |\n");
  }

  private static String windowLine(ClusterRow row) {
    return "| " + row.windowStart() + " | " + row.entryCount() + " | " + row.paneTiming() + " |";
  }

  private static String sample(ClusterRow row) {
    String s = row.samples().isEmpty() ? "" : row.samples().get(0);
    return Inert.fenced(s, "json", MAX_SAMPLE_CHARS);
  }

  private static final Pattern PROJECT =
      Pattern.compile("\"logName\"\\s*:\\s*\"projects/([a-z0-9-]+)/");

  /** A Cloud Logging link that finds the cluster's entries: service, severity and a phrase. */
  static String loggingLink(ClusterRow row) {
    return loggingLink(
        row.samples().isEmpty() ? null : row.samples().get(0),
        row.service(),
        row.severity(),
        row.template(),
        null,
        null);
  }

  /**
   * A Cloud Logging link that finds a cluster's entries (service, severity and the template's
   * longest literal phrase) in the project its sample was logged to, over [from, to) when both are
   * given; null when the sample names no project.
   */
  public static String loggingLink(
      String sample,
      String service,
      String severity,
      String template,
      java.time.Instant from,
      java.time.Instant to) {
    String project = project(sample);
    if (project == null) {
      return null;
    }
    StringBuilder q = new StringBuilder();
    if (service != null && !service.isEmpty()) {
      q.append("resource.labels.service_name=\"").append(plain(service, 60)).append("\"\n");
    }
    if (severity != null) {
      q.append("severity>=").append(severity).append('\n');
    }
    String phrase = longestLiteral(template);
    if (!phrase.isEmpty()) {
      q.append('"').append(phrase).append('"');
    }
    return "https://console.cloud.google.com/logs/query;query="
        + urlPart(q.toString())
        + (from == null || to == null ? "" : ";timeRange=" + from + "%2F" + to)
        + "?project="
        + project;
  }

  /** The project a sample was logged to (its logName), or null. */
  public static String project(String sample) {
    if (sample == null) {
      return null;
    }
    Matcher m = PROJECT.matcher(sample);
    return m.find() ? m.group(1) : null;
  }

  /** Cloud Trace's page for a trace id in a project. */
  public static String traceLink(String project, String traceId) {
    return "https://console.cloud.google.com/traces/list?tid="
        + urlPart(traceId)
        + "&project="
        + urlPart(project);
  }

  private static String urlPart(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("-", "%2D"); // so that no GH-123 stands in the text, even in a link
  }

  private static String longestLiteral(String template) {
    String best = "";
    for (String part : (template == null ? "" : template).split("<\\*>|⏎|\\n")) {
      String p = plain(part, 80);
      if (p.length() > best.length()) {
        best = p;
      }
    }
    return best;
  }
}
