package dev.loggardener.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kinds of secret that had no detector: each example is redacted to the expected text (the examples
 * are made up in the formats gitleaks' rules describe, not real credentials).
 */
class SecretKindsTest {
  private final Redactor redactor = new Redactor(RedactionConfig.DEFAULT);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          key -----BEGIN RSA PRIVATE KEY-----\\nMIIEowIBAAKCAQEAx7Q\\n-----END RSA PRIVATE KEY----- loaded | key <private-key> loaded
          cut -----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq | cut <private-key>
          "private_key_id": "3f1c0e9d2b7a4c5e8f6a1b2c3d4e5f60718293a4" | "private_key_id": "<secret>"
          Authorization: Token 9f8e7d6c5b4a39281706f5e4d3c2b1a0 | Authorization: Token <token>
          authorization: denied for bob | authorization: denied for bob
          X-Api-Key: 4d3c2b1a09f8e7d6c5b4a392 sent | X-Api-Key: <secret> sent
          Cookie: connect.sid=s%3Aabc123.def456; session=xyz | Cookie: <secret>
          Set-Cookie: session=eyJ1c2VyIjoiYWxpY2UifQ; Path=/ | Set-Cookie: <secret>
          GET /cb?code=4/0AbCdEf123456&state=ok 302 | GET /cb?code=<secret>&state=ok 302
          https://bucket.s3.amazonaws.com/o?X-Amz-Signature=abcdef0123456789&X-Amz-Date=1 | https://bucket.s3.amazonaws.com/o?X-Amz-Signature=<secret>&X-Amz-Date=1
          /download?sig=AbC123xYz%2B%3D&se=2025 | /download?sig=<secret>&se=2025
          GET /orders?status_code=500&id=7 | GET /orders?status_code=500&id=7
          posting to https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/abcdefghijklmnopqrstuvwx | posting to https://hooks.slack.com/<slack-webhook>
          SECRET_KEY=django-insecure-4f5g6h7j8k | SECRET_KEY=<secret>
          passphrase=correct-horse-battery | passphrase=<secret>
          stripe sk_test_4eC39HqLyjWDarjtT1zdp7dc | stripe <stripe-key>
          webhook whsec_MfKQ9r8GKYqrTwjUPD8ILPZIK2LWEm5i | webhook <stripe-key>
          npm npm_abcdefghijklmnopqrstuvwxyz0123456789 ok | npm <npm-token> ok
          key sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz012345 | key <openai-key>
          oauth ya29.a0AfH6SMBx7Q2abcdefghijklmnop | oauth <google-oauth-token>
          GET /reset?email=alice.smith%40example.com 500 | GET /reset?email=<email> 500
          call (415) 555-0132 back | call <phone> back
          sms to 415-555-0199 failed | sms to <phone> failed
          sms to 415.555.0199 failed | sms to <phone> failed
          sms to +44 20 7946 0958 failed | sms to <phone> failed
          twilio to=+14155550123 failed | twilio to=<phone> failed
          Rückruf an +49 (30) 901820 fehlgeschlagen | Rückruf an <phone> fehlgeschlagen
          aws s3 cp failed with wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE12 as key | aws s3 cp failed with <aws-secret-key> as key
          the password is "wombat quartz 42" for staging | the password is "<secret>" for staging
          {"password": "correct horse battery staple", "user": "carol"} | {"password": "<secret>", "user": "carol"}
          DB_PASSWORD = 'plum-Velvet-77' | DB_PASSWORD = '<secret>'
          os.getenv("api_token", "dafa7817-e246-48f3") | os.getenv("api_token", "<secret>")
          genericToken = "Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB" | genericToken = "<secret>"
          bot xapp-1-A052FGTS2DL-5171572773297-610b6a11f4b7eb8 | bot <slack-token>
          refresh xoxe-1-My0xLTMxNzcwMjQ0MTcxMy01MTU4 | refresh <slack-token>
          key rk_prod_51OuEMLAlTWGaDypquDn9 | key <stripe-key>
          -----BEGIN PGP PRIVATE KEY BLOCK-----\\nlQWGBGSVV4YBDAClvRnx\\n-----END PGP PRIVATE KEY BLOCK----- | <private-key>
          """)
  void isRedacted(String in, String out) {
    assertEquals(out.replace("\\n", "\n"), redactor.redact(in.replace("\\n", "\n")));
  }

  /** Numbers and words that look like the new kinds but are not (each stays as it is). */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "deployed 2025-09-14T22:00:00+05:30 took 1234 ms",
        "build 2025.09.14 version 10.2.3.4567 ok",
        "order 415-555-01329 and id 1415-555-0132",
        "retry +3 of 10, delta +1.5, size +12345678",
        "commit 3f1c0e9d2b7a4c5e8f6a1b2c3d4e5f60718293a4 deployed",
        "path /usr/local/lib/python3.11/site-packages/app/handlers.py failed",
        "the password is incorrect for carol",
        "the token is expired, refresh token: connection refused",
        "if (token, retries) exceeded",
        "GET /static/js/main.Abcdefghij0123456789KLMNOPQRstuvwxyz.js 404",
      })
  void lookAlikesStay(String text) {
    assertEquals(text, redactor.redact(text));
  }

  @org.junit.jupiter.api.Test
  void loggerAndFunctionNamesAreRedactedToo() {
    String token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
    String json =
        "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\","
            + "\"jsonPayload\":{\"message\":\"failed\",\"logger\":\"sync."
            + token
            + "\",\"function\":\"call_alice@example.com\"}}";
    dev.loggardener.logentry.LogEntry e =
        ((dev.loggardener.logentry.ParseResult.Parsed)
                new dev.loggardener.logentry.LogEntryParser().parse(json))
            .entry();
    dev.loggardener.logentry.LogEntry r = redactor.redact(e);
    assertEquals("sync.<github-token>", r.logger());
    assertEquals("<email>", r.function()); // the local part takes "call_" too
  }

  @org.junit.jupiter.api.Test
  void aCardNumberWrittenAsAJsonNumberBecomesAStringAndTheDocumentStaysJson() throws Exception {
    // Before: the text scan left {"n":<card>} (not JSON), and with a unicode escape in the document
    // the value-by-value path skipped numbers, so the card number stayed.
    assertEquals(
        "{\"n\":\"<card>\",\"m\":\"card <card>\"}",
        redactor.redactJson("{\"n\":4111111111111111,\"m\":\"card 4111 1111 1111 1111\"}"));
    String escaped = redactor.redactJson("{\"n\":4111111111111111,\"m\":\"caf\\u00e9\"}");
    assertEquals(
        "<card>", dev.loggardener.logentry.Json.mapper().readTree(escaped).path("n").asText());
    assertEquals(
        "{\"order\":1234567890123}",
        redactor.redactJson("{\"order\":1234567890123}"),
        "a number that is not a card number stays");
  }
}
