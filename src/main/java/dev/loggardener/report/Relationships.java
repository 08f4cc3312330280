package dev.loggardener.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Clusters that go together: they share trace ids (one request failed in both ways), or their
 * sample entries come within a few seconds of each other in the same request or for the same user.
 * This is how the seed linked its WebSocket connection errors to the message-ack errors.
 */
public final class Relationships {
  private Relationships() {}

  static final Duration NEAR = Duration.ofSeconds(5);

  /** The facts one cluster brings: its trace ids and its sample entries. */
  public record Facts(String fingerprint, Set<String> traceIds, List<String> samples) {}

  /** A link between two clusters, with what shows it. */
  public record Link(String a, String b, String evidence) {}

  private record Sample(Instant at, String trace, Set<String> users) {}

  private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern TRACE = Pattern.compile("\"trace\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern USER = Pattern.compile("\\bu_[0-9a-f]{16}\\b");

  public static List<Link> find(List<Facts> clusters) {
    List<Link> out = new ArrayList<>();
    Map<String, List<Sample>> samples = new TreeMap<>();
    for (Facts f : clusters) {
      samples.put(f.fingerprint(), parse(f.samples()));
    }
    for (int i = 0; i < clusters.size(); i++) {
      for (int j = i + 1; j < clusters.size(); j++) {
        Facts a = clusters.get(i);
        Facts b = clusters.get(j);
        TreeSet<String> shared = new TreeSet<>(a.traceIds());
        shared.retainAll(b.traceIds());
        if (!shared.isEmpty()) {
          out.add(
              new Link(
                  a.fingerprint(),
                  b.fingerprint(),
                  shared.size()
                      + " shared trace id"
                      + (shared.size() == 1 ? "" : "s")
                      + ", e.g. "
                      + shared.first()));
          continue;
        }
        String near = near(samples.get(a.fingerprint()), samples.get(b.fingerprint()));
        if (near != null) {
          out.add(new Link(a.fingerprint(), b.fingerprint(), near));
        }
      }
    }
    return out;
  }

  /** Evidence that two clusters' samples come together, or null. */
  private static String near(List<Sample> as, List<Sample> bs) {
    for (Sample x : as) {
      for (Sample y : bs) {
        if (x.at() == null || y.at() == null) {
          continue;
        }
        long gap = Math.abs(Duration.between(x.at(), y.at()).toMillis());
        if (gap > NEAR.toMillis()) {
          continue;
        }
        if (x.trace() != null && x.trace().equals(y.trace())) {
          return "same request (" + x.trace() + ") " + gap + " ms apart";
        }
        TreeSet<String> users = new TreeSet<>(x.users());
        users.retainAll(y.users());
        if (!users.isEmpty()) {
          return "same user (" + users.first() + ") " + gap + " ms apart";
        }
      }
    }
    return null;
  }

  private static List<Sample> parse(List<String> samples) {
    List<Sample> out = new ArrayList<>();
    for (String s : samples) {
      Matcher t = TIMESTAMP.matcher(s);
      Instant at = null;
      if (t.find()) {
        try {
          at = Instant.parse(t.group(1));
        } catch (java.time.format.DateTimeParseException e) {
          at = null;
        }
      }
      Matcher tr = TRACE.matcher(s);
      Set<String> users = new TreeSet<>();
      Matcher u = USER.matcher(s);
      while (u.find()) {
        users.add(u.group());
      }
      out.add(new Sample(at, tr.find() ? tr.group(1) : null, users));
    }
    return out;
  }
}
