package dev.loggardener.redact;

/**
 * Values of secret-named keys: {@code password=...}, {@code api_key=...}, {@code "token": "..."},
 * also inside JSON that was serialized into a string ({@code \"secret\":\"...\"}). The key stays,
 * the value becomes {@code <secret>}. A name followed by a colon counts only in its quoted form, so
 * prose such as "failed to refresh token: connection refused" is left alone. One pass, no regex: it
 * runs on every string of every entry.
 */
final class SecretPairs {
  /** A key is secret when it ends with one of these, in any case. */
  private static final String[] SECRET_WORDS = {
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "api_key",
    "api-key",
    "apikey",
    "access_key",
    "access-key",
    "accesskey",
    "private_key",
    "private-key",
    "privatekey",
    "credential",
    "credentials",
    "signature",
    "session_id",
    "session-id",
    "sessionid",
    "cookie",
    "secret_key",
    "secret-key",
    "secretkey",
    "passphrase",
    "private_key_id"
  };

  private static final String REPLACEMENT = "<secret>";

  private SecretPairs() {}

  static String redact(String text) {
    StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    int nextEq = text.indexOf('=');
    int nextColon = text.indexOf(':');
    for (int i = 0; i < n; i++) {
      // Jump from one '=' or ':' to the next: most text holds few of them.
      if (nextEq >= 0 && nextEq < i) {
        nextEq = text.indexOf('=', i);
      }
      if (nextColon >= 0 && nextColon < i) {
        nextColon = text.indexOf(':', i);
      }
      if (nextEq < 0 && nextColon < 0) {
        break;
      }
      i = nextEq < 0 ? nextColon : nextColon < 0 ? nextEq : Math.min(nextEq, nextColon);
      char c = text.charAt(i);
      int keyEnd;
      int valueStart;
      if (c == '=') {
        keyEnd = i;
        valueStart = i + 1;
      } else if (c == ':') {
        int q = i - 1;
        while (q >= 0 && text.charAt(q) == ' ') {
          q--;
        }
        if (q < 0 || (text.charAt(q) != '"' && text.charAt(q) != '\'')) {
          continue;
        }
        keyEnd = q > 0 && text.charAt(q - 1) == '\\' ? q - 1 : q;
        valueStart = i + 1;
        while (valueStart < n && text.charAt(valueStart) == ' ') {
          valueStart++;
        }
        if (valueStart + 1 < n
            && text.charAt(valueStart) == '\\'
            && text.charAt(valueStart + 1) == '"') {
          valueStart += 2;
        } else if (valueStart < n
            && (text.charAt(valueStart) == '"' || text.charAt(valueStart) == '\'')) {
          valueStart++;
        }
      } else {
        continue;
      }
      if (!secretKeyEndsAt(text, keyEnd) || valueStart >= n || isPlaceholder(text, valueStart)) {
        continue;
      }
      int valueEnd = valueStart;
      while (valueEnd < n && !endsValue(text.charAt(valueEnd))) {
        valueEnd++;
      }
      if (valueEnd == valueStart) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(text, copied, valueStart).append(REPLACEMENT);
      copied = valueEnd;
      i = valueEnd - 1;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  /** The key that ends at {@code end} ends with a secret word (and is a whole word). */
  /**
   * Secret words grouped by their last letter: a key is compared only with words it could end in.
   */
  private static final String[][] BY_LAST_LETTER = new String[26][];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      final char last = c;
      BY_LAST_LETTER[c - 'a'] =
          java.util.Arrays.stream(SECRET_WORDS)
              .filter(w -> w.charAt(w.length() - 1) == last)
              .toArray(String[]::new);
    }
  }

  /** The key that ends at {@code end} ends with a secret word (and is a whole word). */
  private static boolean secretKeyEndsAt(String text, int end) {
    if (end < 3) {
      return false;
    }
    char last = Character.toLowerCase(text.charAt(end - 1));
    if (last < 'a' || last > 'z' || BY_LAST_LETTER[last - 'a'].length == 0) {
      return false;
    }
    int start = end;
    while (start > 0 && isKeyChar(text.charAt(start - 1))) {
      start--;
    }
    for (String w : BY_LAST_LETTER[last - 'a']) {
      int from = end - w.length();
      if (from >= start && text.regionMatches(true, from, w, 0, w.length())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-'
        || c == '.';
  }

  private static boolean endsValue(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '&' || c == '"' || c == '\''
        || c == ',' || c == ';' || c == '}' || c == '\\';
  }

  /** An already redacted value such as {@code <jwt>}. */
  private static boolean isPlaceholder(String text, int at) {
    if (text.charAt(at) != '<') {
      return false;
    }
    int i = at + 1;
    while (i < text.length()
        && ((text.charAt(i) >= 'a' && text.charAt(i) <= 'z') || text.charAt(i) == '-')) {
      i++;
    }
    return i > at + 1 && i < text.length() && text.charAt(i) == '>';
  }
}
