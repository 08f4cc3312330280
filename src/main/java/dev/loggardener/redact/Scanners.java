package dev.loggardener.redact;

/**
 * Hand-written detectors for the values that occur in nearly every entry (emails, IPv4 addresses),
 * where a regular expression would be tried at every position of every string.
 */
final class Scanners {
  private Scanners() {}

  /** A value found at {@code [start, end)}, to be replaced by {@code replacement}. */
  interface Found {
    String replacement(String text, int start, int end);
  }

  /**
   * Email addresses: local part, '@', dotted domain ending in a label of two or more letters. With
   * {@code keepDomain}, the domain stays: {@code <email>@example.com}.
   */
  static String emails(String s, boolean keepDomain) {
    int at = s.indexOf('@');
    if (at < 0) {
      return s;
    }
    StringBuilder out = null;
    int copied = 0;
    int n = s.length();
    while (at >= 0) {
      int ls = at;
      while (ls > copied && isLocal(s.charAt(ls - 1))) {
        ls--;
      }
      int end = at + 1;
      int lastDot = -1;
      while (end < n && (isAlnum(s.charAt(end)) || s.charAt(end) == '-' || s.charAt(end) == '.')) {
        if (s.charAt(end) == '.') {
          lastDot = end;
        }
        end++;
      }
      // Trailing dots are sentence punctuation; the domain ends at its last letter run.
      while (end > at + 1 && s.charAt(end - 1) == '.') {
        end--;
      }
      lastDot = s.lastIndexOf('.', end - 1);
      boolean ok =
          ls < at && lastDot > at + 1 && end - lastDot - 1 >= 2 && allLetters(s, lastDot + 1, end);
      if (ok) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(s, copied, ls).append("<email>");
        if (keepDomain) {
          out.append('@').append(s, at + 1, end);
        }
        copied = end;
      }
      at = s.indexOf('@', Math.max(end, at + 1));
    }
    return out == null ? s : out.append(s, copied, n).toString();
  }

  /** Dotted-quad IPv4 addresses (no leading zeros), not inside a longer dotted number. */
  static String ipv4(String s) {
    StringBuilder out = null;
    int copied = 0;
    int n = s.length();
    int dot = s.indexOf('.');
    for (int i = 0; i < n; i++) {
      // An address has a dot within its first four characters: jump to the start of the digit
      // run before the next dot, and skip text with no dots at all.
      if (dot >= 0 && dot < i) {
        dot = s.indexOf('.', i);
      }
      if (dot < 0) {
        break;
      }
      if (dot - i > 3) {
        i = Math.max(i, dot - 3);
      }
      char c = s.charAt(i);
      if (!isDigit(c) || (i > 0 && (isWord(s.charAt(i - 1)) || s.charAt(i - 1) == '.'))) {
        continue;
      }
      int end = quad(s, i);
      if (end < 0) {
        // Skip the rest of this number so that its tail is not tried as a start.
        while (i + 1 < n && isDigit(s.charAt(i + 1))) {
          i++;
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(s, copied, i).append("<ip>");
      copied = end;
      i = end - 1;
    }
    return out == null ? s : out.append(s, copied, n).toString();
  }

  /** The end of an IPv4 address starting at {@code i}, or -1. */
  private static int quad(String s, int i) {
    int n = s.length();
    int p = i;
    for (int octet = 0; octet < 4; octet++) {
      int start = p;
      int value = 0;
      while (p < n && isDigit(s.charAt(p)) && p - start < 3) {
        value = value * 10 + (s.charAt(p) - '0');
        p++;
      }
      int len = p - start;
      if (len == 0 || value > 255 || (len > 1 && s.charAt(start) == '0')) {
        return -1;
      }
      if (octet < 3) {
        if (p >= n || s.charAt(p) != '.') {
          return -1;
        }
        p++;
      }
    }
    if (p < n
        && (isWord(s.charAt(p)) || (s.charAt(p) == '.' && p + 1 < n && isDigit(s.charAt(p + 1))))) {
      return -1;
    }
    return p;
  }

  private static boolean allLetters(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLocal(char c) {
    return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c);
  }

  private static boolean isWord(char c) {
    return isAlnum(c) || c == '_';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * JSON Web Tokens: {@code eyJ} at a word boundary, then base64url segments of at least 5 and 5
   * characters after it, separated by dots, and a third (the signature, possibly empty). Linear: a
   * start whose segment ends without a dot is skipped past that end, since every later start inside
   * the same run of characters ends there too (a regular expression backtracks over the run from
   * every start, quadratic on a long run of {@code eyJ...-eyJ...-}).
   */
  static String jwts(String s) {
    int from = 0;
    int copied = 0;
    StringBuilder out = null;
    while (true) {
      int i = s.indexOf("eyJ", from);
      if (i < 0) {
        break;
      }
      if (i > 0 && isWordChar(s.charAt(i - 1))) {
        from = i + 1;
        continue;
      }
      int e1 = base64UrlEnd(s, i + 3);
      if (e1 - (i + 3) < 5 || e1 >= s.length() || s.charAt(e1) != '.') {
        from = Math.max(e1, i + 1);
        continue;
      }
      int e2 = base64UrlEnd(s, e1 + 1);
      if (e2 - (e1 + 1) < 5 || e2 >= s.length() || s.charAt(e2) != '.') {
        from = Math.max(e2, i + 1);
        continue;
      }
      int e3 = base64UrlEnd(s, e2 + 1);
      if (out == null) {
        out = new StringBuilder(s.length());
      }
      out.append(s, copied, i).append("<jwt>");
      copied = e3;
      from = e3;
    }
    return out == null ? s : out.append(s, copied, s.length()).toString();
  }

  private static int base64UrlEnd(String s, int i) {
    while (i < s.length()) {
      char c = s.charAt(i);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '_'
          || c == '-') {
        i++;
      } else {
        break;
      }
    }
    return i;
  }

  private static boolean isWordChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }
}
