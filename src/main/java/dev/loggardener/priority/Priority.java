package dev.loggardener.priority;

import com.fasterxml.jackson.annotation.JsonCreator;
import dev.loggardener.logentry.Severity;

/** P0 (drop everything) to P4 (informational). A lower number is more urgent. */
public enum Priority {
  P0,
  P1,
  P2,
  P3,
  P4;

  @JsonCreator
  public static Priority parse(String s) {
    for (Priority p : values()) {
      if (p.name().equalsIgnoreCase(s.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown priority \"" + s + "\" (expected one of P0, P1, P2, P3, P4)");
  }

  /** Raised by some levels, never past P0. */
  public Priority raise(int levels) {
    return values()[Math.max(0, ordinal() - levels)];
  }

  public boolean atLeast(Priority other) {
    return ordinal() <= other.ordinal();
  }

  /** The fallback when no rule matches. */
  public static Priority fromSeverity(Severity s) {
    if (s.atLeast(Severity.CRITICAL)) {
      return P1;
    }
    if (s.atLeast(Severity.ERROR)) {
      return P2;
    }
    if (s.atLeast(Severity.WARNING)) {
      return P3;
    }
    return P4;
  }
}
