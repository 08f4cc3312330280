package dev.loggardener.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.re2j.Pattern;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.ParseResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactorTest {
  private final Redactor redactor = new Redactor(RedactionConfig.DEFAULT);

  private String r(String s) {
    return redactor.redact(s);
  }

  @Test
  void email() {
    assertEquals(
        "Created user <email> from signup form",
        r("Created user alice.smith+test@netrasystems.ai from signup form"));
  }

  @Test
  void emailKeepingTheDomainAsTheSeedDoes() {
    Redactor keep = new Redactor(new RedactionConfig(true, List.of()));
    assertEquals(
        "Created user <email>@netrasystems.ai from JWT",
        keep.redact("Created user bob.jones42@netrasystems.ai from JWT"));
  }

  @Test
  void jwt() {
    String jwt =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ."
            + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    assertEquals(
        "JWT validation failed for token <jwt>: expired",
        r("JWT validation failed for token " + jwt + ": expired"));
  }

  @Test
  void bearerAndBasicAuthorization() {
    assertEquals(
        "Authorization: Bearer <token> rejected",
        r("Authorization: Bearer ya29.a0AfH6SMBx3kLq-8t_Zz9QwErTy rejected"));
    assertEquals("header Basic <token>", r("header Basic dXNlcjpwYXNzd29yZA=="));
  }

  @ParameterizedTest
  @CsvSource({
    "ghp_1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R, <github-token>",
    "gho_16C7e42F292c6912E7710c838347Ae178B4a, <github-token>",
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV, <github-token>",
    "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY, <google-api-key>",
    "AKIAIOSFODNN7EXAMPLE, <aws-access-key>",
    "ASIAY34FZKBOKMUTVV7A, <aws-access-key>",
    "xoxb-2048203190-4826593209-AbCdEfGhIjKlMnOpQrStUv, <slack-token>",
    "xoxp-1234567890-abcdefghij, <slack-token>",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc, <stripe-key>",
    "rk_live_51H8abcdEFGHijklMNOPqrst, <stripe-key>",
  })
  void apiKeys(String key, String replacement) {
    assertEquals("using key " + replacement + " now", r("using key " + key + " now"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "login password=hunter2 ok | login password=<secret> ok",
        "db secret=s3cr3t-value&x=1 | db secret=<secret>&x=1",
        "sent token=abc.def.ghi | sent token=<secret>",
        "api_key=1234abcd | api_key=<secret>",
        "client_secret=zzz, next | client_secret=<secret>, next",
        "X-API-KEY=foo | X-API-KEY=<secret>",
      })
  void secretPairs(String in, String out) {
    assertEquals(out, r(in));
  }

  @Test
  void secretsInsideJsonStrings() {
    assertEquals(
        "payload {\"user\":\"u1\",\"password\":\"<secret>\",\"apiKey\": \"<secret>\"}",
        r("payload {\"user\":\"u1\",\"password\":\"hunter2\",\"apiKey\": \"k-123\"}"));
    // JSON that was itself serialized into a string field (escaped quotes).
    assertEquals("body={\\\"token\\\":\\\"<secret>\\\"}", r("body={\\\"token\\\":\\\"abc123\\\"}"));
  }

  @Test
  void proseWithColonIsNotASecretPair() {
    assertEquals(
        "Failed to refresh token: connection refused",
        r("Failed to refresh token: connection refused"));
  }

  @Test
  void secretsInUrls() {
    assertEquals(
        "GET https://api.example.com/v1/items?api_key=<secret>&page=2 failed",
        r("GET https://api.example.com/v1/items?api_key=9f8e7d6c5b4a&page=2 failed"));
    assertEquals(
        "connecting to postgres://<credentials>@db.internal:5432/app",
        r("connecting to postgres://admin:Sup3rS3cret@db.internal:5432/app"));
    assertEquals(
        "callback https://hooks.example.com/cb?access_token=<secret>",
        r("callback https://hooks.example.com/cb?access_token=ya29.A0ARrdaM"));
  }

  @Test
  void ipv4() {
    assertEquals(
        "Connection closed by <ip> port 38926",
        r("Connection closed by 173.234.31.186 port 38926"));
    assertEquals("redis at <ip>:6379: refused", r("redis at 10.0.3.4:6379: refused"));
    assertEquals("from <ip>.", r("from 192.168.1.20."));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "client 2001:db8:85a3::8a2e:370:7334 denied | client <ip> denied",
        "client 2001:0db8:85a3:0000:0000:8a2e:0370:7334 denied | client <ip> denied",
        "bind ::1 failed | bind <ip> failed",
        "peer fe80::1ff:fe23:4567:890a%eth0 | peer <ip>%eth0",
        "mapped ::ffff:10.0.0.1 | mapped <ip>",
      })
  void ipv6(String in, String out) {
    assertEquals(out, r(in));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "charge 4111111111111111 declined | charge <card> declined",
        "charge 4111 1111 1111 1111 declined | charge <card> declined",
        "card 5500-0000-0000-0004 ok | card <card> ok",
        "amex 378282246310005 ok | amex <card> ok",
        "mc2 2223003122003222 ok | mc2 <card> ok",
      })
  void cardNumbersThatPassLuhn(String in, String out) {
    assertEquals(out, r(in));
  }

  @Test
  void cardShapedNumberFailingLuhnIsLeftAlone() {
    assertEquals("order 4111111111111112 ok", r("order 4111111111111112 ok"));
  }

  @Test
  void customPatternsFromConfig() {
    Redactor custom =
        new Redactor(
            new RedactionConfig(
                false,
                List.of(
                    new RedactionConfig.CustomPattern(
                        "employee-id", Pattern.compile("EMP-\\d{6}")))));
    assertEquals("badge <employee-id> denied", custom.redact("badge EMP-004211 denied"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Thread 3f2b9c1e-7a4d-4e5f-9b8a-1c2d3e4f5a6b not found",
        "deployed commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
        "deployed commit 9fceb02",
        "at 2025-09-14T22:44:48.690097+00:00 the job ran",
        "epoch 1757890000000 ms",
        "epoch nanos 1757890000123456789",
        "upgraded beam to 2.73.0 and java 17.0.15",
        "version v1.2.3 released",
        "took 22:44:48 to finish",
        "std::vector resized",
        "the token expired",
        "user_id: 10812417",
        "SessionMiddleware must be installed to access request.session",
      })
  void harmlessValuesAreLeftAlone(String text) {
    assertSame(text, r(text));
  }

  @Test
  void entryRedactionCoversMessageUrlLabelsAndUserAndTheSampleRedactsTheWholeEntry() {
    String json =
        "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"labels\":{\"owner\":\"carol@example.com\"},"
            + "\"httpRequest\":{\"requestMethod\":\"GET\",\"requestUrl\":\"https://x.io/a?token=abc\","
            + "\"status\":500},\"jsonPayload\":{\"message\":\"login by carol@example.com\","
            + "\"user_id\":\"carol@example.com\",\"nested\":{\"ip\":\"10.1.2.3\"}}}";
    LogEntry e = ((ParseResult.Parsed) new LogEntryParser().parse(json)).entry();
    LogEntry red = redactor.redact(e);
    assertEquals("login by <email>", red.message());
    assertEquals("https://x.io/a?token=<secret>", red.httpRequest().url());
    assertEquals("<email>", red.labels().get("owner"));
    // The whole entry is read only through a redactor, as the pipeline does for samples.
    String sample = red.rawJson().redactedBy(redactor::redactJson);
    assertFalse(sample.contains("carol"), sample);
    assertFalse(sample.contains("10.1.2.3"), sample);
    assertTrue(sample.contains("\"ip\":\"<ip>\""), sample);
    assertFalse(red.rawJson().toString().contains("carol"), "toString never shows the text");
    assertTrue(red.user().startsWith("u_"));
    assertFalse(red.user().contains("carol"));
    assertEquals(red.user(), redactor.redact(e).user(), "same user, same pseudonym");
    assertNotEquals(red.user(), Redactor.pseudonym("dave@example.com"));
  }

  @Test
  void rememberedNamesAndUsersAreRedactedOnEveryEntryNotOnlyTheFirst() {
    // Loggers, functions, source lines, labels and users are remembered between entries; each
    // entry must still come out as if redacted afresh, whichever came before it in the slots.
    List<String> names =
        List.of(
            "carol@example.com",
            "worker.ya29.a0AfH6SMBx7Jq2n4Kp9Lw3Zt5Vy8Ue1Rd",
            "cache.redis",
            "token=hunter22",
            "app/handlers.py:42",
            "10.1.2.3");
    for (int round = 0; round < 3; round++) {
      for (String name : names) {
        String json =
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"labels\":{\"owner\":\""
                + name
                + "\"},\"sourceLocation\":{\"file\":\""
                + name
                + "\",\"line\":\"7\"},\"jsonPayload\":{\"message\":\"boom\",\"logger\":\""
                + name
                + "\",\"function\":\""
                + name
                + "\",\"user_id\":\""
                + name
                + "\"}}";
        LogEntry e = ((ParseResult.Parsed) new LogEntryParser().parse(json)).entry();
        LogEntry red = redactor.redact(e);
        String expected = r(name);
        assertEquals(expected, red.logger(), name);
        assertEquals(expected, red.function(), name);
        assertEquals(expected, red.labels().get("owner"), name);
        assertEquals(r(e.sourceLine()), red.sourceLine(), name);
        assertEquals(Redactor.pseudonym(name), red.user(), name);
      }
    }
    assertEquals("<email>", redactor.redact(entryWithLogger("carol@example.com")).logger());
  }

  @Test
  void aCleanEntryKeepsItsOwnLabelsWhenItsValuesWereSeenBefore() {
    LogEntry first = entryWithLogger("cache.redis");
    redactor.redact(first);
    LogEntry again = entryWithLogger("cache.redis");
    LogEntry red = redactor.redact(again);
    assertSame(again.labels(), red.labels(), "nothing changed, nothing copied");
    assertSame(again.logger(), red.logger());
  }

  private static LogEntry entryWithLogger(String logger) {
    String json =
        "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"labels\":{\"env\":\"staging\"},"
            + "\"jsonPayload\":{\"message\":\"boom\",\"logger\":\""
            + logger
            + "\"}}";
    return ((ParseResult.Parsed) new LogEntryParser().parse(json)).entry();
  }

  @Test
  void rawJsonWithUnicodeEscapesIsRedactedValueByValue() throws Exception {
    // \u0040 is '@': a text scan would not see this email; the parsed value does.
    String json = "{\"m\":\"mail bob\\u0040example.com now\"}";
    String red = redactor.redactJson(json);
    assertEquals(
        "mail <email> now",
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(red).get("m").asText());
  }

  @Test
  void escapedSlashesDoNotHideUrlCredentials() throws Exception {
    // PHP's json_encode writes "/" as "\/" by default: "https:\/\/" is not "://" as text.
    String json = "{\"m\":\"db at https:\\/\\/admin:Sup3r@db.example.com\\/app\"}";
    String red = redactor.redactJson(json);
    assertFalse(red.contains("Sup3r"), red);
    assertEquals(
        "db at https://<credentials>@db.example.com/app",
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(red).get("m").asText());
  }

  @Test
  void aPatternThatWouldCrossAQuoteFallsBackToTheTree() throws Exception {
    Redactor custom =
        new Redactor(
            new RedactionConfig(
                false,
                List.of(
                    new RedactionConfig.CustomPattern("ticket", Pattern.compile("T-\\d+\"?")))));
    String red = custom.redactJson("{\"a\":\"T-1\",\"b\":\"ok\"}");
    com.fasterxml.jackson.databind.JsonNode n =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(red);
    assertEquals("<ticket>", n.get("a").asText());
    assertEquals("ok", n.get("b").asText(), "the document is still valid JSON with its keys");
  }

  @Test
  void fastTextPathAgreesWithTheTreeWalk() throws Exception {
    String json =
        "{\"insertId\":\"x1\",\"jsonPayload\":{\"message\":\"Login failed for carol@example.com from"
            + " 10.1.2.3: token=abc123 (card 4111 1111 1111 1111)\",\"ip\":\"2001:db8::1\",\"n\":42},"
            + "\"httpRequest\":{\"requestUrl\":\"https://u:p@h.io/a?api_key=k9\"}}";
    com.fasterxml.jackson.databind.ObjectMapper m =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode fast = m.readTree(redactor.redactJson(json));
    com.fasterxml.jackson.databind.JsonNode tree = m.readTree(json);
    assertEquals(
        "Login failed for <email> from <ip>: token=<secret> (card <card>)",
        fast.get("jsonPayload").get("message").asText());
    assertEquals("<ip>", fast.get("jsonPayload").get("ip").asText());
    assertEquals(
        "https://<credentials>@h.io/a?api_key=<secret>",
        fast.get("httpRequest").get("requestUrl").asText());
    assertEquals(tree.get("insertId"), fast.get("insertId"));
    assertEquals(42, fast.get("jsonPayload").get("n").asInt());
  }

  @Test
  void luhn() {
    assertTrue(Cards.luhn("79927398713"));
    assertFalse(Cards.luhn("79927398710"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "projects/shop-prod-1/traces/4bf92f3577b34da6a3ce929d0e0e4736",
        "projects/p1/traces/4bf92f3577b34da6",
        "projects/a-b/traces/0123456789abcdef0123456789abcdef"
      })
  void cloudTraceIdsAreRecognisedAndKept(String trace) {
    assertTrue(Redactor.isTraceId(trace));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "projects/shop-prod-1/traces/4BF92F3577B34DA6A3CE929D0E0E4736", // upper-case hex
        "projects/shop-prod-1/traces/4bf92f3577b34da6a3ce929d0e0e473g", // g is not hex
        "projects/shop_prod/traces/4bf92f3577b34da6a3ce929d0e0e4736", // _ in a project id
        "projects/shöp/traces/4bf92f3577b34da6a3ce929d0e0e4736", // not ASCII
        "projects/shop/traces/4bf92f3577b34da6a3ce929d0e0e4736é",
        "projects/shop/traces/4bf92f3577b34d", // 14 hex digits: too short
        "projects/shop/traces/4bf92f3577b34da6a3ce929d0e0e4736aa", // 34: too long
        "projects/shop/traces/4bf92f3577b34da6?token=abc",
        "projects//traces/4bf92f3577b34da6a3ce929d0e0e4736",
        "traces/4bf92f3577b34da6a3ce929d0e0e4736"
      })
  void anythingElseInTheTraceFieldIsNotATraceId(String trace) {
    assertFalse(Redactor.isTraceId(trace));
  }

  @Test
  void aPseudonymIsKeptAndOnlyItsExactShapeCountsAsOne() {
    String p = Redactor.pseudonym("dave@example.com");
    assertEquals(p, Redactor.pseudonym(p), "redacting twice changes nothing");
    for (String lookalike :
        List.of(
            "u_0123456789ABCDEF", // upper-case hex
            "u_0123456789abcdeg", // g is not hex
            "u_0123456789abcde", // 15 hex digits
            "u_0123456789abcdef0",
            "v_0123456789abcdef")) {
      assertNotEquals(lookalike, Redactor.pseudonym(lookalike), lookalike);
    }
  }
}
