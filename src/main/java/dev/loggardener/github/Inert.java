package dev.loggardener.github;

/**
 * Makes log text inert before it reaches GitHub. Log text is written by whoever can make a service
 * log, so it must not mention people or teams, link issues, render HTML or links, or break out of
 * the code block it is shown in. Redaction has already removed secrets; this is about what GitHub
 * would do with the rest.
 */
public final class Inert {
  private Inert() {}

  /** GitHub rejects bodies over 65,536 characters; everything the gardener writes stays under. */
  public static final int MAX_BODY = 60_000;

  private static final char ZWSP = '\u200B';

  /**
   * Text with its invisible controls made visible: C0 and C1 control characters (except newline and
   * tab), which carry terminal escape sequences, and the Unicode bidirectional controls, which
   * reorder what a reader sees ("Trojan Source"), become {@code <U+XXXX>}. For every text a person
   * reads: GitHub, the worklog, the run's table.
   */
  public static String visible(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean hidden =
          (c < 0x20 && c != '\n' && c != '\t')
              || (c >= 0x7F && c <= 0x9F)
              || (c >= 0x202A && c <= 0x202E)
              || (c >= 0x2066 && c <= 0x2069)
              || c == 0x200E
              || c == 0x200F
              || c == 0x061C;
      if (hidden && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (hidden) {
          b.append(String.format("<U+%04X>", (int) c));
        } else {
          b.append(c);
        }
      }
    }
    return b == null ? s : b.toString();
  }

  /**
   * Text to show outside a code block: mentions, issue references and autolinks are broken with a
   * zero-width space, and markup characters are escaped, so it renders as the same plain text.
   */
  public static String inline(String raw) {
    if (raw == null) {
      return "";
    }
    String s = visible(raw.replace('\r', ' '));
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '@' -> b.append('@').append(ZWSP);
        case '#' -> b.append('#').append(ZWSP);
        case '\n', '\r' -> b.append(' ');
        case '\\', '`', '*', '_', '[', ']', '(', ')', '!', '|', '~', '{', '}' ->
            b.append('\\').append(c);
        case ':' -> {
          b.append(':');
          if (s.startsWith("//", i + 1)) {
            b.append(ZWSP); // no autolink for scheme://
          }
        }
        case '-' -> {
          // GH-123 is an issue reference too.
          if (i >= 2
              && (s.charAt(i - 1) == 'H' || s.charAt(i - 1) == 'h')
              && (s.charAt(i - 2) == 'G' || s.charAt(i - 2) == 'g')) {
            b.append(ZWSP);
          }
          b.append('-');
        }
        default -> {
          // www. autolinks
          if ((c == 'w' || c == 'W') && s.regionMatches(true, i, "www.", 0, 4)) {
            b.append(c).append(ZWSP);
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  /**
   * A fenced code block holding the text as it is: the fence is longer than any run of backticks or
   * tildes in the text, so nothing in it can close the block. Inside a code block GitHub renders no
   * mentions, references, links or HTML.
   */
  public static String fenced(String s, String language, int maxChars) {
    String text = s == null ? "" : visible(s.replace("\r\n", "\n"));
    if (text.length() > maxChars) {
      text = text.substring(0, maxChars) + "\n… (" + (s.length() - maxChars) + " more characters)";
    }
    // Nothing quoted can read as one of the gardener's hidden markers (IssueText.fingerprintIn).
    text = text.replace("<!--", "<" + ZWSP + "!--");
    int longest = 0;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '`') {
        longest = Math.max(longest, ++run);
      } else {
        run = 0;
      }
    }
    String fence = "`".repeat(Math.max(3, longest + 1));
    return fence + (language == null ? "" : language) + "\n" + text + "\n" + fence;
  }

  /** Caps a body or comment well under GitHub's limit, keeping the hidden markers at its end. */
  public static String capped(String body, String trailer) {
    int room = MAX_BODY - trailer.length() - 64;
    if (body.length() > room) {
      body = body.substring(0, room) + "\n\n… (truncated)\n";
    }
    return body + trailer;
  }
}
