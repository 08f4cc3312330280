package dev.loggardener.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The gates only skip work: on any text, the redactor with its gates writes what every detector run
 * in full writes. A gate that asked for a character some match does not hold would leak that match,
 * and these tests would see it.
 */
class RedactorGatesTest {
  private final Redactor redactor = new Redactor(RedactionConfig.DEFAULT);

  @Test
  void everyBuiltInDetectorHasAGateAndEveryGateADetector() {
    List<String> names = redactor.detectorNames();
    assertEquals(new HashSet<>(names), Redactor.GATES.keySet());
  }

  /** Texts made of the characters the detectors start from, around real secrets' shapes. */
  @Test
  void gatedAndUngatedAgreeOnRandomTextNearEverySecretShape() {
    String[] pieces = {
      "https://",
      "user:pw@",
      "@",
      "%40",
      "alice",
      ".example.com",
      "eyJ",
      "hbGciOi",
      "Bearer ",
      "basic ",
      "Authorization: ",
      "X-Api-Key: ",
      "ghp_",
      "github_pat_",
      "AIza",
      "AKIA",
      "ASIA",
      "xoxb-",
      "xapp-",
      "sk_live_",
      "rk_prod_",
      "sk_test_",
      "whsec_",
      "sk-",
      "npm_",
      "ya29.",
      "hooks.slack.com/services/",
      "?token=",
      "&sig=",
      "password=",
      "\"api_key\": \"",
      " is ",
      " was ",
      "::",
      "fe80:",
      "10.0.",
      "4111",
      " 1111",
      "-",
      "+44 ",
      "(415) ",
      "555-",
      "0132",
      "-----BEGIN ",
      "PRIVATE KEY-----",
      "wJalrXUtnFEMI/K7MDENG/",
      "bPxRfiCYzEXAMPLE12",
      " ",
      "0123456789",
      "abcdefghijklmnop",
      "ABCDEFGHIJKLMNOP",
      "\"",
      "'",
      "\\",
      ",",
      ":",
      "=",
      "/",
      "."
    };
    Random random = new Random(20261204L);
    int checked = 0;
    for (int i = 0; i < 40_000; i++) {
      StringBuilder t = new StringBuilder();
      int parts = 1 + random.nextInt(12);
      for (int p = 0; p < parts; p++) {
        t.append(pieces[random.nextInt(pieces.length)]);
        if (random.nextInt(4) == 0) {
          t.append((char) ('0' + random.nextInt(10)));
        }
      }
      String text = t.toString();
      assertEquals(redactor.redactUngated(text), redactor.redact(text), text);
      checked++;
    }
    assertTrue(checked > 0);
  }

  /** Every line of the bundled sample and of the development corpus, as whole JSON text. */
  @Test
  void gatedAndUngatedAgreeOnTheBundledLogs() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(Path.of("samples/staging-2025-09-14.jsonl"));
    files.add(Path.of("src/test/resources/devbench/corpus/entries.jsonl"));
    int changed = 0;
    for (Path f : files) {
      String all = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      for (String line : all.split("\n")) {
        String gated = redactor.redact(line);
        assertEquals(redactor.redactUngated(line), gated, line);
        if (!gated.equals(line)) {
          changed++;
        }
      }
    }
    assertTrue(changed > 50, "the bundled logs hold secrets to redact: " + changed);
  }
}
