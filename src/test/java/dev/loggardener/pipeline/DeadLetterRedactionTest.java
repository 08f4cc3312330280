package dev.loggardener.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parts of a dead letter that are not its payload leave redacted too. */
class DeadLetterRedactionTest {
  private static final String TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
  private final Redactor redactor = new Redactor(RedactionConfig.DEFAULT);

  @Test
  void aTokenThatTheCutFallsInIsDroppedWhole() {
    // Before: the payload kept "ghp_a1B2c3D4e5F6g7H8", which no detector knows as a token.
    String payload = "x".repeat(DeadLetter.MAX_PAYLOAD_CHARS - 20) + " " + TOKEN + " tail";
    DeadLetter d =
        new DeadLetter("parse", DeadLetter.Reason.TOO_LARGE, "", payload, Map.of(), Instant.EPOCH);
    String written = (String) GardenerPipeline.deadLetterColumns(d, redactor).get("payload");
    assertFalse(written.contains("a1B2c3D4e5F6"), written.substring(written.length() - 60));
    assertTrue(written.endsWith(" …[truncated]"), written.substring(written.length() - 60));
  }

  @Test
  void pubsubAttributesAreRedacted() {
    DeadLetter d =
        new DeadLetter(
            "parse",
            DeadLetter.Reason.NOT_JSON,
            "",
            "x",
            Map.of("note", "from alice@example.com with " + TOKEN),
            Instant.EPOCH);
    assertEquals(
        "{\"note\":\"from <email> with <github-token>\"}",
        GardenerPipeline.deadLetterColumns(d, redactor).get("attributes"));
  }
}
