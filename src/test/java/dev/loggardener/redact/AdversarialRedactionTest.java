package dev.loggardener.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Worst-case lines for the detectors, each near the 256 KiB an entry may have: every one is
 * redacted in bounded time. The bound (10 s a line) is far above what a linear detector takes
 * (milliseconds); it is there to fail instead of hanging when a detector turns quadratic, as the
 * JWT regex did (16.5 s for 180 KB of "eyJaaaaa-").
 */
class AdversarialRedactionTest {
  private static final int SIZE = 250 * 1024;

  /** The JWT detector before it was a scanner. */
  private static final java.util.regex.Pattern JWT_REGEX =
      java.util.regex.Pattern.compile(
          "\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");

  private static String repeat(String unit) {
    return unit.repeat(SIZE / unit.length());
  }

  static Map<String, String> lines() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("jwt run", repeat("eyJaaaaa-"));
    m.put("jwt quoted", repeat("\"eyJaaaaa-\""));
    m.put("jwt dots", repeat("eyJaaaaa.aaaa"));
    m.put("jwt tokens", repeat("x eyJhbGciOi.eyJzdWIiOiIx.sig-_ eyJ.a x-eyJabcdef.ghijkl."));
    m.put("url credentials", repeat("a+b.c-d") + "://");
    m.put("url credentials colons", "x://" + repeat("a:b"));
    m.put("bearer", repeat("bearer "));
    m.put("ipv6", repeat("1:2:3:4:"));
    m.put("card digits", repeat("4 1-"));
    m.put("email", repeat("a.") + "@" + repeat("b."));
    m.put("ipv4", repeat("1.2.3."));
    m.put("secret pairs", repeat("password=\"") + "x");
    m.put("github", repeat("ghp_"));
    m.put("phone plus", repeat("+1 2-3 (4) "));
    m.put("phone parens", repeat("(415) 555-"));
    m.put("aws secret runs", repeat("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLE1 "));
    m.put("quoted secret without end", repeat("password is \"") + "x");
    m.put("quoted secret pairs", repeat("\"token\", '"));
    return m;
  }

  @Test
  void everyWorstCaseLineRedactsInBoundedTime() {
    Redactor redactor = new Redactor(RedactionConfig.DEFAULT);
    long slowest = 0;
    String which = null;
    for (Map.Entry<String, String> e : lines().entrySet()) {
      long start = System.nanoTime();
      String out =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10), () -> redactor.redact(e.getValue()), e.getKey());
      long took = System.nanoTime() - start;
      if (took > slowest) {
        slowest = took;
        which = e.getKey();
      }
      if (e.getKey().startsWith("jwt")) {
        // The linear scanner finds what the regular expression it replaced found.
        String prefix = e.getValue().substring(0, 2048);
        assertEquals(
            JWT_REGEX.matcher(prefix).replaceAll("<jwt>"), Scanners.jwts(prefix), e.getKey());
      }
    }
    System.out.printf("slowest worst-case line: %s, %.1f ms%n", which, slowest / 1e6);
  }

  @Test
  void aPathologicalUserPatternRedactsInBoundedTime() {
    // (a+)+$ backtracks exponentially in java.util.regex on "aaaa…b"; on RE2/J it is linear.
    Redactor custom =
        new Redactor(
            new RedactionConfig(
                false,
                java.util.List.of(
                    new RedactionConfig.CustomPattern(
                        "nested", com.google.re2j.Pattern.compile("(a+)+$")),
                    new RedactionConfig.CustomPattern(
                        "alternation", com.google.re2j.Pattern.compile("(x|x)*y")))));
    String line = "a".repeat(SIZE) + "b " + "x".repeat(SIZE);
    long start = System.nanoTime();
    String out = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> custom.redact(line));
    System.out.printf(
        "pathological user patterns on %d characters: %.1f ms%n",
        line.length(), (System.nanoTime() - start) / 1e6);
    assertEquals(line, out);
  }
}
