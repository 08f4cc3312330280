package dev.loggardener.cluster;

import dev.loggardener.logentry.Severity;

/** Observations as the fingerprint step emits them, for the counting tests. */
public final class Observations {
  private Observations() {}

  /**
   * A worker's "Task 17 failed" error of its own fingerprint ({@code fingerprint} hex digits, or
   * any key), in a service, at an event time.
   */
  public static Observation taskFailure(
      String fingerprint, String service, long timestampMillis, String insertId) {
    return new Observation(
        fingerprint,
        "Task <*> failed " + fingerprint,
        service,
        service + "-00042-xyz",
        "worker",
        "run",
        null,
        Severity.ERROR,
        timestampMillis,
        insertId,
        null,
        null,
        "Task 17 failed " + fingerprint,
        0,
        null);
  }
}
