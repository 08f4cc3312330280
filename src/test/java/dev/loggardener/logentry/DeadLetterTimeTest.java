package dev.loggardener.logentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A dead letter's own time, where its input still says it. */
class DeadLetterTimeTest {
  static final String ATTRIBUTE = "logging.googleapis.com/timestamp";

  private static DeadLetter dead(
      DeadLetter.Reason reason, String payload, Map<String, String> attributes) {
    return new DeadLetter(
        "parse", reason, "d", payload, attributes, Instant.parse("2026-12-04T10:00:00Z"));
  }

  @Test
  void fromTheEntrysTimestampEvenWhenTheRestIsBroken() {
    assertEquals(
        Instant.parse("2025-09-14T22:31:00Z"),
        DeadLetterTime.of(
            dead(
                DeadLetter.Reason.BAD_SEVERITY,
                "{\"timestamp\":\"2025-09-14T22:31:00Z\",\"severity\":\"LOUD\"}",
                Map.of()),
            ATTRIBUTE));
    assertEquals(
        Instant.parse("2025-09-14T22:31:00.250Z"),
        DeadLetterTime.of(
            dead(
                DeadLetter.Reason.TRUNCATED_JSON,
                "{\"insertId\":\"a\",\"timestamp\": \"2025-09-14T22:31:00.25Z\",\"jsonPay",
                Map.of()),
            ATTRIBUTE));
  }

  @Test
  void theSinksAttributeFirst() {
    assertEquals(
        Instant.parse("2025-09-14T22:00:00Z"),
        DeadLetterTime.of(
            dead(DeadLetter.Reason.NOT_JSON, "garbage", Map.of(ATTRIBUTE, "2025-09-14T22:00:00Z")),
            ATTRIBUTE));
  }

  @Test
  void noTimeOrABadOneIsNoTime() {
    assertNull(DeadLetterTime.of(dead(DeadLetter.Reason.NOT_JSON, "garbage", Map.of()), ATTRIBUTE));
    assertNull(
        DeadLetterTime.of(
            dead(
                DeadLetter.Reason.BAD_TIMESTAMP,
                "{\"timestamp\":\"2025-09-14T22:31:00Z\"}",
                Map.of()),
            ATTRIBUTE));
    assertNull(
        DeadLetterTime.of(
            dead(DeadLetter.Reason.NOT_JSON, "{\"timestamp\":\"yesterday\"}", Map.of()),
            ATTRIBUTE));
  }
}
