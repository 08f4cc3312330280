package dev.loggardener.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Controls that act on a terminal or on a reader's eye are shown, not obeyed. */
class InertTest {
  /** A service name that clears a terminal line, and a message whose bidi override hides code. */
  static final String ANSI = "web\u001B[2K\u001B[1Gadmin-backend";

  static final String BIDI = "access denied \u202E}; return true; /*\u2066 for user";

  @Test
  void terminalEscapesAndBidiControlsBecomeVisible() {
    assertEquals("web<U+001B>[2K<U+001B>[1Gadmin-backend", Inert.visible(ANSI));
    assertEquals("access denied <U+202E>}; return true; /*<U+2066> for user", Inert.visible(BIDI));
    assertEquals("two\nlines\ttab", Inert.visible("two\nlines\ttab"));
    assertEquals("caf\u00e9 \u65e5\u672c", Inert.visible("caf\u00e9 \u65e5\u672c"));
  }

  @Test
  void gitHubAndWorklogTextCarryNone() {
    for (String s : new String[] {ANSI, BIDI, "a\u0085b\u009Bc\u007Fd\u200Fe\u061Cf\rg"}) {
      for (String out : new String[] {Inert.inline(s), Inert.fenced(s, "json", 1000)}) {
        assertTrue(
            out.chars()
                .noneMatch(
                    c ->
                        (c < 0x20 && c != '\n' && c != '\t')
                            || (c >= 0x7F && c <= 0x9F)
                            || (c >= 0x202A && c <= 0x202E)
                            || (c >= 0x2066 && c <= 0x2069)
                            || c == 0x200E
                            || c == 0x200F
                            || c == 0x061C),
            out);
      }
    }
    assertFalse(Inert.fenced("<!-- log-gardener fingerprint=0 -->", null, 100).contains("<!--"));
  }
}
