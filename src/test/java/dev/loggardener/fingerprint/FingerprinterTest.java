package dev.loggardener.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.ParseResult;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FingerprinterTest {
  private final LogEntryParser parser = new LogEntryParser();
  private final Redactor redactor = new Redactor(new RedactionConfig(true, List.of()));

  private Fingerprint fp(String json) {
    LogEntry e = ((ParseResult.Parsed) parser.parse(json)).entry();
    return Fingerprinter.fingerprint(redactor.redact(e));
  }

  static List<String> seedEntries() throws IOException {
    try (InputStream in =
        FingerprinterTest.class.getResourceAsStream("/seed/representative.jsonl")) {
      return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    }
  }

  private static String seedLike(String user, String line) {
    return "{\"jsonPayload\":{\"context\":{\"name\":\"netra_backend.app.websocket_core.ssot_validation_enhancer\","
        + "\"service\":\"netra-service\"},\"labels\":{\"function\":\"validate_manager_creation\",\"line\":\""
        + line
        + "\",\"module\":\"netra_backend.app.websocket_core.ssot_validation_enhancer\"},\"message\":"
        + "\"SSOT validation issues (non-blocking): ['Multiple manager instances for user "
        + user
        + " - potential duplication']\",\"timestamp\":\"2025-09-14T22:44:48.610858+00:00\"},\"severity\":\"WARNING\"}";
  }

  @Test
  void theSeedsFiveRepresentativeEntriesAreFiveClusters() throws IOException {
    Set<String> ids = new HashSet<>();
    for (String line : seedEntries()) {
      ids.add(fp(line).id());
    }
    assertEquals(5, ids.size());
  }

  @Test
  void sourceLineIsNotPartOfTheFingerprint() {
    // The seed's cluster 2 spans lines 118 and 137 of one function.
    assertEquals(
        fp(seedLike("demo-user-001", "118")).id(), fp(seedLike("demo-user-001", "137")).id());
  }

  @Test
  void entriesThatDifferOnlyInValuesShareAFingerprint() {
    String base =
        "{\"timestamp\":\"%s\",\"severity\":\"WARNING\",\"resource\":{\"type\":\"k8s_container\","
            + "\"labels\":{\"container_name\":\"auth-service\"}},\"jsonPayload\":{\"logger\":\"auth.login\","
            + "\"message\":\"Login failed for %s (user %s, request %s) from %s after %d ms\"}}";
    List<String> variants = new ArrayList<>();
    variants.add(
        String.format(
            base,
            "2025-09-14T22:00:00Z",
            "alice@example.com",
            "user-0042",
            "3f2b9c1e-7a4d-4e5f-9b8a-1c2d3e4f5a6b",
            "10.0.0.1",
            12));
    variants.add(
        String.format(
            base,
            "2025-09-14T23:59:59.999Z",
            "bob.jones@corp.example.org",
            "user-7",
            "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
            "172.16.4.20",
            30512));
    Set<String> ids = new HashSet<>();
    for (String v : variants) {
      ids.add(fp(v).id());
    }
    assertEquals(1, ids.size(), ids.toString());
  }

  @Test
  void sameTemplateFromDifferentLoggersIsTwoClusters() {
    String a =
        "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"jsonPayload\":{\"logger\":\"worker.scheduler\",\"message\":\"Item 4 not found\"}}";
    String b = a.replace("worker.scheduler", "auth.users");
    assertNotEquals(fp(a).id(), fp(b).id());
  }

  @Test
  void emptyMessagesClusterPerServiceAndLogger() {
    String a =
        "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\",\"jsonPayload\":{\"logger\":\"billing.reconcile\",\"message\":\"\"}}";
    assertEquals("<empty>", fp(a).template());
    assertEquals(fp(a).id(), fp(a.replace("22:00:00", "22:05:00")).id());
    assertNotEquals(fp(a).id(), fp(a.replace("billing.reconcile", "billing.export")).id());
  }

  @Test
  void requestLogsClusterByMethodMaskedPathAndStatus() {
    String a =
        "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\",\"httpRequest\":{\"requestMethod\":\"GET\","
            + "\"requestUrl\":\"https://web-abc-uc.a.run.app/api/v1/orders/42?trace=1\",\"status\":502}}";
    assertEquals("GET /api/v1/orders/<*> 502", fp(a).template());
    assertEquals(fp(a).id(), fp(a.replace("/42?", "/977?")).id());
    assertNotEquals(fp(a).id(), fp(a.replace("502", "503")).id());
    assertNotEquals(fp(a).id(), fp(a.replace("GET", "POST")).id());
  }

  /**
   * Ids are part of the product's contract: GitHub issues carry them. The expected values were
   * computed outside Java (Python's hashlib over the same key); if this test fails, the algorithm
   * changed and {@link Fingerprinter#VERSION} must too.
   */
  @Test
  void idsAreStableAcrossProcessesAndReleases() {
    assertEquals(
        "9c8b1e080873ee02", Fingerprinter.id("web", "cache.redis", "connect", "Failed <*>"));
    assertEquals("63a1642e90786bb4", Fingerprinter.id("web", null, null, "<empty>"));
    assertEquals(16, Fingerprinter.id("", "", "", "").length());
  }

  @Test
  void fieldBoundariesCannotBeForged() {
    assertNotEquals(Fingerprinter.id("a", "b", "", "t"), Fingerprinter.id("a", "", "b", "t"));
    assertNotEquals(Fingerprinter.id("ab", "", "", "t"), Fingerprinter.id("a", "b", "", "t"));
  }
}
