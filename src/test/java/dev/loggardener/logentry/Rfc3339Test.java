package dev.loggardener.logentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Rfc3339Test {
  /** The fast parser agrees with java.time on every shape it accepts. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2025-09-14T22:44:48.695754Z",
        "2025-09-14T22:44:48Z",
        "2025-09-14T22:44:48.1Z",
        "2025-09-14T22:44:48.123456789Z",
        "2025-09-14T22:44:48.690097+00:00",
        "2025-09-14T23:44:48.5+01:00",
        "2025-09-14T17:14:48-05:30",
        "2024-02-29T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "2025-12-31T23:59:59.999999999-12:00",
      })
  void agreesWithJavaTime(String s) {
    assertEquals(OffsetDateTime.parse(s).toInstant(), Rfc3339.parse(s));
  }

  /** Shapes it does not take are left to java.time, which decides (null here, not a guess). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2025-02-30T00:00:00Z",
        "2025-13-01T00:00:00Z",
        "2025-09-14T24:00:00Z",
        "2025-09-14T22:60:00Z",
        "2025-09-14 22:44:48Z",
        "2025-09-14T22:44:48",
        "2025-09-14T22:44:48.Z",
        "2025-09-14T22:44:48.1234567891Z",
        "2025-09-14T22:44:48+0100",
        "yesterday at noon!!",
      })
  void rejectsWhatItDoesNotKnow(String s) {
    assertNull(Rfc3339.parse(s));
  }
}
