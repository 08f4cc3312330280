package dev.loggardener.priority;

import java.util.Locale;

/**
 * Where a fingerprint stands in its history, as the {@code state} column writes it: the words
 * Sentry's users know (new, ongoing, escalating as {@code spiking}, resolved, regressed), and
 * {@code quiet} for one that has stopped but not yet for long enough to be resolved.
 */
public enum ClusterState {
  /** Its first window: never seen before, under this id or an id merged into it. */
  NEW,
  /** Seen before, at about its usual rate. */
  ONGOING,
  /** This window's count is a spike against its baseline. */
  SPIKING,
  /** No entries for half the quiet time. */
  QUIET,
  /** No entries for the whole quiet time. */
  RESOLVED,
  /** Entries again after it was resolved, in the window they came back. */
  REGRESSED;

  /** The column's value: the name in lower case. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ClusterState fromLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT));
  }
}
