package dev.loggardener.logentry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogEntryParserTest {
  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
  private final LogEntryParser parser = new LogEntryParser(Clock.fixed(NOW, ZoneOffset.UTC));

  private LogEntry parsed(String json) {
    ParseResult r = parser.parse(json.getBytes(StandardCharsets.UTF_8));
    if (r instanceof ParseResult.Dead d) {
      throw new AssertionError("dead letter: " + d.deadLetter());
    }
    return ((ParseResult.Parsed) r).entry();
  }

  private DeadLetter dead(byte[] bytes) {
    return assertInstanceOf(ParseResult.Dead.class, parser.parse(bytes)).deadLetter();
  }

  private DeadLetter dead(String text) {
    return dead(text.getBytes(StandardCharsets.UTF_8));
  }

  // --- the seed's shapes ---------------------------------------------------------------------

  @Test
  void seedEntryGivesModuleFunctionLineAndMessage() {
    LogEntry e =
        parsed(
            "{\"jsonPayload\":{\"context\":{\"name\":\"netra_backend.app.routes.websocket_ssot\","
                + "\"service\":\"netra-service\"},\"labels\":{\"function\":\"_main_message_loop\","
                + "\"line\":\"1490\",\"module\":\"netra_backend.app.routes.websocket_ssot\"},"
                + "\"message\":\"[MAIN MODE] Message loop error: WebSocket is not connected.\","
                + "\"timestamp\":\"2025-09-14T22:44:48.690097+00:00\"},\"severity\":\"ERROR\","
                + "\"timestamp\":\"2025-09-14T22:44:48.695754Z\"}");
    assertEquals(Instant.parse("2025-09-14T22:44:48.695754Z"), e.timestamp());
    assertEquals(Severity.ERROR, e.severity());
    assertEquals("netra_backend.app.routes.websocket_ssot", e.logger());
    assertEquals("_main_message_loop", e.function());
    assertEquals("1490", e.sourceLine());
    assertEquals("netra-service", e.service());
    assertEquals(PayloadKind.JSON, e.payloadKind());
    assertEquals("[MAIN MODE] Message loop error: WebSocket is not connected.", e.message());
  }

  @Test
  void entryWithoutTopLevelTimestampTakesThePayloadsAsCloudLoggingDoes() {
    LogEntry e =
        parsed(
            "{\"jsonPayload\":{\"message\":\"x\",\"timestamp\":\"2025-09-14T22:44:46.966424+00:00\"},"
                + "\"severity\":\"WARNING\"}");
    assertEquals(Instant.parse("2025-09-14T22:44:46.966424Z"), e.timestamp());
  }

  // --- fields --------------------------------------------------------------------------------

  @Test
  void cloudRunEntryResolvesServiceRevisionAndKeepsAllFields() {
    LogEntry e =
        parsed(
            "{\"insertId\":\"abc123\",\"timestamp\":\"2025-09-14T22:00:00.5Z\","
                + "\"receiveTimestamp\":\"2025-09-14T22:00:01Z\",\"severity\":\"ERROR\","
                + "\"logName\":\"projects/p/logs/run.googleapis.com%2Fstderr\","
                + "\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":{\"service_name\":\"web\","
                + "\"revision_name\":\"web-00042-xyz\",\"location\":\"us-central1\"}},"
                + "\"labels\":{\"instanceId\":\"00bf4b\"},\"trace\":\"projects/p/traces/0af7\","
                + "\"spanId\":\"b7ad\",\"operation\":{\"id\":\"op-1\",\"first\":true},"
                + "\"sourceLocation\":{\"file\":\"app/db.py\",\"line\":\"88\",\"function\":\"fetch\"},"
                + "\"textPayload\":\"boom\"}");
    assertEquals("abc123", e.insertId());
    assertEquals(Instant.parse("2025-09-14T22:00:01Z"), e.receiveTimestamp());
    assertEquals("projects/p/logs/run.googleapis.com%2Fstderr", e.logName());
    assertEquals("cloud_run_revision", e.resourceType());
    assertEquals("us-central1", e.resourceLabels().get("location"));
    assertEquals("web", e.service());
    assertEquals("web-00042-xyz", e.revision());
    assertEquals(Map.of("instanceId", "00bf4b"), e.labels());
    assertEquals("projects/p/traces/0af7", e.trace());
    assertEquals("b7ad", e.spanId());
    assertEquals("op-1", e.operationId());
    assertEquals("app/db.py", e.logger());
    assertEquals("fetch", e.function());
    assertEquals("88", e.sourceLine());
    assertEquals(PayloadKind.TEXT, e.payloadKind());
  }

  @ParameterizedTest
  @CsvSource({
    "k8s_container, container_name, billing-worker",
    "cloud_function, function_name, thumbnailer",
    "gae_app, module_id, legacy-admin",
    "cloud_run_job, job_name, nightly-export",
  })
  void serviceComesFromTheResourceLabelOfEachType(String type, String label, String value) {
    LogEntry e =
        parsed(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"resource\":{\"type\":\""
                + type
                + "\",\"labels\":{\""
                + label
                + "\":\""
                + value
                + "\",\"project_id\":\"p\"}},\"textPayload\":\"x\"}");
    assertEquals(value, e.service());
  }

  @Test
  void serviceFallsBackToErrorReportingServiceContextThenLogId() {
    assertEquals(
        "checkout",
        parsed(
                "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"jsonPayload\":{\"message\":\"x\","
                    + "\"serviceContext\":{\"service\":\"checkout\",\"version\":\"1.4\"}}}")
            .service());
    assertEquals(
        "run.googleapis.com/stderr",
        parsed(
                "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"x\","
                    + "\"logName\":\"projects/p/logs/run.googleapis.com%2Fstderr\"}")
            .service());
    assertEquals(
        "unknown",
        parsed("{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"x\"}").service());
  }

  @ParameterizedTest
  @CsvSource({
    "'\"ERROR\"', ERROR",
    "'\"warning\"', WARNING",
    "'\"WARN\"', WARNING",
    "'\"FATAL\"', CRITICAL",
    "500, ERROR",
    "0, DEFAULT",
    "800, EMERGENCY",
    "450, WARNING",
    // A number written as text, as some loggers do; Cloud Logging reads it as the number.
    "'\"500\"', ERROR",
    "'\" 400 \"', WARNING",
  })
  void severityFromNamesAndNumbers(String json, Severity expected) {
    assertEquals(
        expected,
        parsed(
                "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":"
                    + json
                    + ",\"textPayload\":\"x\"}")
            .severity());
  }

  @Test
  void missingSeverityIsDefault() {
    assertEquals(
        Severity.DEFAULT,
        parsed("{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"x\"}").severity());
  }

  @ParameterizedTest
  @CsvSource({"'\"SUPER_BAD\"'", "900", "-1", "true"})
  void unknownSeverityIsADeadLetterNotAHiddenEntry(String json) {
    DeadLetter d =
        dead(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":"
                + json
                + ",\"textPayload\":\"x\"}");
    assertEquals(DeadLetter.Reason.BAD_SEVERITY, d.reason());
  }

  // --- payloads ------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({"msg", "error", "exception", "event"})
  void jsonPayloadMessageFromCommonFields(String field) {
    assertEquals(
        "disk full",
        parsed(
                "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"jsonPayload\":{\""
                    + field
                    + "\":\"disk full\"}}")
            .message());
  }

  @Test
  void errorObjectAndSeparateStackTraceFieldAreJoined() {
    LogEntry e =
        parsed(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"jsonPayload\":{\"error\":{\"type\":\"ValueError\","
                + "\"message\":\"bad input\"},\"stack_trace\":\"Traceback (most recent call last):\\n"
                + "  File \\\"/app/x.py\\\", line 3, in f\"}}");
    assertEquals(
        "ValueError bad input\nTraceback (most recent call last):\n  File \"/app/x.py\", line 3, in f",
        e.message());
  }

  @Test
  void multiLineTextPayloadStackTraceIsKeptWhole() {
    String trace =
        "java.lang.IllegalStateException: Session 7f not found\\n\\tat com.example.Store.get(Store.java:142)";
    LogEntry e =
        parsed(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\",\"textPayload\":\""
                + trace
                + "\"}");
    assertEquals(
        "java.lang.IllegalStateException: Session 7f not found\n\tat com.example.Store.get(Store.java:142)",
        e.message());
  }

  @Test
  void auditLogUsesStatusMessageMethodAndPrincipal() {
    LogEntry e =
        parsed(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\",\"protoPayload\":{"
                + "\"@type\":\"type.googleapis.com/google.cloud.audit.AuditLog\",\"status\":{\"code\":7,"
                + "\"message\":\"Permission denied\"},\"serviceName\":\"storage.googleapis.com\","
                + "\"methodName\":\"storage.objects.get\",\"resourceName\":\"projects/_/buckets/b/objects/o\","
                + "\"authenticationInfo\":{\"principalEmail\":\"ci@p.iam.gserviceaccount.com\"}}}");
    assertEquals(PayloadKind.PROTO, e.payloadKind());
    assertEquals("Permission denied", e.message());
    assertEquals("storage.googleapis.com", e.logger());
    assertEquals("storage.objects.get", e.function());
    assertEquals("ci@p.iam.gserviceaccount.com", e.user());
  }

  @Test
  void auditLogWithoutStatusIsDescribedByMethodAndResource() {
    LogEntry e =
        parsed(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"protoPayload\":{\"methodName\":\"v1.compute.instances.delete\","
                + "\"resourceName\":\"projects/p/zones/z/instances/vm-1\"}}");
    assertEquals("v1.compute.instances.delete projects/p/zones/z/instances/vm-1", e.message());
  }

  @Test
  void requestLogWithoutMessageIsDescribedByItsRequest() {
    LogEntry e =
        parsed(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\",\"httpRequest\":{"
                + "\"requestMethod\":\"GET\",\"requestUrl\":\"https://web.a.run.app/api/orders/42?x=1\","
                + "\"status\":502,\"latency\":\"1.2s\"}}");
    assertEquals(PayloadKind.HTTP_REQUEST, e.payloadKind());
    assertEquals(502, e.httpRequest().status());
    assertEquals("/api/orders/42", e.httpRequest().path());
    assertEquals("GET https://web.a.run.app/api/orders/42?x=1 502", e.message());
  }

  @Test
  void emptyMessageIsKeptAsAnEmptyEntry() {
    LogEntry e =
        parsed(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\",\"jsonPayload\":{\"message\":\"\","
                + "\"logger\":\"billing.reconcile\"}}");
    assertEquals(PayloadKind.EMPTY, e.payloadKind());
    assertEquals("", e.message());
    assertEquals("billing.reconcile", e.logger());
  }

  @Test
  void entryWithNoPayloadAtAllIsKept() {
    LogEntry e = parsed("{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\"}");
    assertEquals(PayloadKind.EMPTY, e.payloadKind());
  }

  @Test
  void timestampAsProtobufObjectIsAccepted() {
    LogEntry e =
        parsed("{\"timestamp\":{\"seconds\":1757890000,\"nanos\":5},\"textPayload\":\"x\"}");
    assertEquals(Instant.ofEpochSecond(1757890000, 5), e.timestamp());
  }

  @Test
  void userComesFromPayloadForDistinctCounts() {
    assertEquals(
        "u-17",
        parsed(
                "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"jsonPayload\":{\"message\":\"x\",\"user_id\":\"u-17\"}}")
            .user());
  }

  /**
   * Each list of names (loggers, functions, lines, users, stack traces) takes the first name on the
   * list that holds text, wherever the members stand in the object; an empty, null or object value
   * is passed over.
   */
  @Test
  void eachFieldListTakesTheFirstNameOnItWithText() {
    LogEntry e =
        parsed(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"jsonPayload\":{\"email\":\"a@b.c\","
                + "\"module\":\"app.mod\",\"traceback\":\"tb\",\"lineNumber\":7,\"func\":\"f2\","
                + "\"message\":\"x\",\"user\":\"\",\"uid\":\"u-3\",\"loggerName\":{\"k\":1},"
                + "\"logger_name\":\"app.named\",\"lineno\":\"12\",\"method\":\"f4\","
                + "\"stack\":\"st\",\"funcName\":null,\"stack_trace\":\"\",\"line\":\"\"}}");
    assertEquals("u-3", e.user());
    assertEquals("app.named", e.logger());
    assertEquals("f2", e.function());
    assertEquals("12", e.sourceLine());
    assertEquals("x\nst", e.message());

    LogEntry labelled =
        parsed(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"labels\":{\"userId\":\"u-9\",\"module\":\"m\","
                + "\"user_id\":\"u-1\",\"logger\":\"\"},\"textPayload\":\"t\"}");
    assertEquals("u-1", labelled.user());
    assertEquals("m", labelled.logger());
  }

  // --- bad input: one test per kind ----------------------------------------------------------

  @Test
  void notJson() {
    DeadLetter d = dead("2025-09-14 22:44:48 ERROR worker crashed");
    assertEquals(DeadLetter.Reason.NOT_JSON, d.reason());
    assertEquals("2025-09-14 22:44:48 ERROR worker crashed", d.payload());
    assertEquals("parse", d.step());
    assertEquals(NOW, d.receivedAt());
  }

  @Test
  void trailingGarbageAfterAnObjectIsNotJson() {
    assertEquals(
        DeadLetter.Reason.NOT_JSON,
        dead("{\"timestamp\":\"2025-09-14T22:00:00Z\"} trailing").reason());
  }

  @Test
  void truncatedJson() {
    DeadLetter d = dead("{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"conn");
    assertEquals(DeadLetter.Reason.TRUNCATED_JSON, d.reason());
    assertTrue(d.detail().contains("end-of-input"), d.detail());
  }

  @Test
  void jsonNull() {
    assertEquals(DeadLetter.Reason.JSON_NULL, dead("null").reason());
  }

  @ParameterizedTest
  @CsvSource({"'[1,2]'", "'\"a string\"'", "42", "true"})
  void notAnObject(String json) {
    assertEquals(DeadLetter.Reason.NOT_AN_OBJECT, dead(json).reason());
  }

  @ParameterizedTest
  @CsvSource({"''", "'   '", "'\t'"})
  void emptyLine(String text) {
    assertEquals(DeadLetter.Reason.EMPTY_LINE, dead(text).reason());
  }

  @Test
  void missingTimestamp() {
    DeadLetter d = dead("{\"severity\":\"ERROR\",\"textPayload\":\"x\"}");
    assertEquals(DeadLetter.Reason.MISSING_TIMESTAMP, d.reason());
  }

  @ParameterizedTest
  @CsvSource({"'\"yesterday\"'", "'\"2025-13-45T99:00:00Z\"'", "12345", "'{\"seconds\":\"x\"}'"})
  void unparseableTimestamp(String json) {
    DeadLetter d = dead("{\"timestamp\":" + json + ",\"textPayload\":\"x\"}");
    assertEquals(DeadLetter.Reason.BAD_TIMESTAMP, d.reason());
  }

  /** Each of these stopped the job before: ArithmeticException, or a window past Beam's end. */
  @ParameterizedTest
  @CsvSource({
    "'\"+999999999-12-31T23:59:59Z\"'",
    "'\"-000001-01-01T00:00:00Z\"'",
    "'\"+10000-01-01T00:00:00Z\"'",
    "'{\"seconds\":10000000000000}'",
    "'{\"seconds\":-100000000000}'",
    "'{\"seconds\":1e13}'",
    "'{\"seconds\":9223372036854775807}'",
  })
  void timestampsNoTableCanHoldAreDeadLetters(String json) {
    DeadLetter d =
        dead("{\"timestamp\":" + json + ",\"severity\":\"ERROR\",\"textPayload\":\"x\"}");
    assertEquals(DeadLetter.Reason.BAD_TIMESTAMP, d.reason(), d.detail());
  }

  @Test
  void aYear9999EntryIsADeadLetterNotTheNewestOfAll() {
    DeadLetter d =
        dead(
            "{\"timestamp\":\"9999-12-31T23:59:59Z\",\"severity\":\"ERROR\",\"textPayload\":\"x\"}");
    assertEquals(DeadLetter.Reason.BAD_TIMESTAMP, d.reason());
    assertTrue(d.detail().contains("ahead of 2026-01-02T03:04:05Z"), d.detail());
  }

  @Test
  void theFutureSkewIsADayByDefaultAndConfigurable() {
    String inTwelveHours =
        "{\"timestamp\":\"2026-01-02T15:04:05Z\",\"severity\":\"ERROR\",\"textPayload\":\"x\"}";
    String inTwoDays =
        "{\"timestamp\":\"2026-01-04T03:04:05Z\",\"severity\":\"ERROR\",\"textPayload\":\"x\"}";
    assertEquals(Instant.parse("2026-01-02T15:04:05Z"), parsed(inTwelveHours).timestamp());
    assertEquals(DeadLetter.Reason.BAD_TIMESTAMP, dead(inTwoDays).reason());
    LogEntryParser strict =
        new LogEntryParser(Clock.fixed(NOW, ZoneOffset.UTC), java.time.Duration.ofHours(1));
    assertInstanceOf(
        ParseResult.Dead.class, strict.parse(inTwelveHours.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aLeapSecondIsTheLastInstantOfItsMinute() {
    LogEntry e =
        parsed(
            "{\"timestamp\":\"2016-12-31T23:59:60Z\",\"severity\":\"ERROR\",\"textPayload\":\"x\"}");
    assertEquals(Instant.parse("2016-12-31T23:59:59.999999999Z"), e.timestamp());
  }

  @Test
  void loneSurrogatesBecomeReplacementCharactersNotQuestionMarks() {
    LogEntry e =
        parsed(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\","
                + "\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":"
                + "{\"service_name\":\"web\\ud800-backend\"}},"
                + "\"jsonPayload\":{\"message\":\"bad \\udc00 byte, fine \\ud83d\\ude00\"}}");
    assertEquals("web\uFFFD-backend", e.service());
    assertEquals("bad \uFFFD byte, fine \uD83D\uDE00", e.message());
  }

  /**
   * The message skips its surrogate scan only when it came from valid UTF-8 without a \\u escape;
   * text handed over as a Java string (which may hold a lone surrogate itself) is scanned.
   */
  @Test
  void aMessageIsScannedForLoneSurrogatesUnlessItsBytesCannotHoldOne() {
    String head = "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\",";
    assertEquals(
        "fine \uD83D\uDE00 here",
        parsed(head + "\"jsonPayload\":{\"message\":\"fine \uD83D\uDE00 here\"}}").message());
    ParseResult fromText =
        parser.parse(head + "\"jsonPayload\":{\"message\":\"bad \uD800 here\"}}");
    assertEquals("bad \uFFFD here", ((ParseResult.Parsed) fromText).entry().message());
    ParseResult textPayload = parser.parse(head + "\"textPayload\":\"x \uDC00\"}");
    assertEquals("x \uFFFD", ((ParseResult.Parsed) textPayload).entry().message());
  }

  @Test
  void entryLargerThanCloudLoggingsLimit() {
    String big =
        "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\""
            + "x".repeat(256 * 1024)
            + "\"}";
    DeadLetter d = dead(big);
    assertEquals(DeadLetter.Reason.TOO_LARGE, d.reason());
    assertTrue(d.payload().length() < 9000, "payload is truncated to a bound");
    assertTrue(d.payload().endsWith("[truncated]"));
  }

  @Test
  void entryExactlyAtTheLimitIsAccepted() {
    String head = "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"";
    String tail = "\"}";
    String body = "y".repeat(LogEntryParser.MAX_ENTRY_BYTES - head.length() - tail.length());
    assertInstanceOf(
        ParseResult.Parsed.class,
        parser.parse((head + body + tail).getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void invalidUtf8() {
    byte[] ok =
        "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"caf\"}"
            .getBytes(StandardCharsets.UTF_8);
    byte[] bad = new byte[ok.length + 1];
    int at = ok.length - 2;
    System.arraycopy(ok, 0, bad, 0, at);
    bad[at] = (byte) 0xC3; // a lead byte followed by '"', not by a continuation byte
    System.arraycopy(ok, at, bad, at + 1, 2);
    DeadLetter d = dead(bad);
    assertEquals(DeadLetter.Reason.INVALID_UTF8, d.reason());
    assertTrue(d.detail().contains("byte " + at), d.detail());
  }

  /** Broken UTF-8 is found at every offset, and a U+FFFD the entry holds itself is kept. */
  @Test
  void aByteAbove0x7fIsSeenWhereverItStands() {
    String ok = "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"caf\"}";
    int text = ok.indexOf("caf");
    for (int pad = 0; pad < 16; pad++) {
      String padded = ok.substring(0, text) + "x".repeat(pad) + ok.substring(text);
      byte[] bytes = padded.getBytes(StandardCharsets.UTF_8);
      for (int at = text; at < text + pad + 3; at++) {
        byte[] bad = bytes.clone();
        bad[at] = (byte) 0xFF; // never valid in UTF-8
        assertEquals(DeadLetter.Reason.INVALID_UTF8, dead(bad).reason(), padded + " at " + at);
        byte[] latin = bytes.clone();
        latin[at] = (byte) 0xE9; // é in Latin-1: a lead byte without its continuation
        assertEquals(DeadLetter.Reason.INVALID_UTF8, dead(latin).reason(), padded + " at " + at);
      }
      byte[] surrogate = padded.replace("caf", "ca\u0000").getBytes(StandardCharsets.UTF_8);
      int nul = text + pad + 2;
      byte[] encoded = new byte[surrogate.length + 2]; // U+D800 written as UTF-8: not valid
      System.arraycopy(surrogate, 0, encoded, 0, nul);
      encoded[nul] = (byte) 0xED;
      encoded[nul + 1] = (byte) 0xA0;
      encoded[nul + 2] = (byte) 0x80;
      System.arraycopy(surrogate, nul + 1, encoded, nul + 3, surrogate.length - nul - 1);
      assertEquals(DeadLetter.Reason.INVALID_UTF8, dead(encoded).reason(), padded);
      String replacement = padded.replace("caf", "caf\uFFFD"); // a U+FFFD of the entry's own
      ParseResult own = parser.parse(replacement.getBytes(StandardCharsets.UTF_8));
      assertEquals("x".repeat(pad) + "caf\uFFFD", ((ParseResult.Parsed) own).entry().message());
      String accented = padded.replace("caf", "café");
      ParseResult r = parser.parse(accented.getBytes(StandardCharsets.UTF_8));
      assertEquals("x".repeat(pad) + "café", ((ParseResult.Parsed) r).entry().message());
    }
  }

  @Test
  void deepNestingIsADeadLetterNotAStackOverflow() {
    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertEquals(DeadLetter.Reason.NOT_JSON, dead(deep).reason());
  }

  @Test
  void deadLetterKeepsAttributes() {
    ParseResult r =
        parser.parse(
            "nope".getBytes(StandardCharsets.UTF_8),
            Map.of("logging.googleapis.com/timestamp", "t"));
    DeadLetter d = ((ParseResult.Dead) r).deadLetter();
    assertEquals("t", d.attributes().get("logging.googleapis.com/timestamp"));
  }

  @Test
  void labelsIterateInKeyOrderInEveryJvm() {
    LogEntry e =
        parsed(
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"x\",\"labels\":"
                + "{\"zeta\":\"1\",\"alpha\":\"2\",\"mid\":\"3\"}}");
    assertEquals(
        java.util.List.of("alpha", "mid", "zeta"), new java.util.ArrayList<>(e.labels().keySet()));
    assertEquals(e.labels(), LogEntry.labels(e.labels()));
  }

  @Test
  void nonAsciiEntriesDecodeAsUtf8() {
    LogEntry e =
        parsed("{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"[\uD83D\uDD11] café\"}");
    assertEquals("[\uD83D\uDD11] café", e.message());
  }

  @Test
  void validEntryHasNoOptionalFieldsInvented() {
    LogEntry e = parsed("{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"x\"}");
    assertNull(e.insertId());
    assertNull(e.trace());
    assertNull(e.httpRequest());
    assertNull(e.logger());
  }
}
