package dev.loggardener.redact;

/**
 * Values of secret-named keys: {@code password=...}, {@code SECRET_KEY = '...'}, {@code "token":
 * "..."}, {@code getenv("api_token", "...")}, {@code password is "..."}, also inside JSON that was
 * serialized into a string ({@code \"secret\":\"...\"}). The key stays, the value becomes {@code
 * <secret>}; a quoted value ends at its closing quote, so "correct horse battery" goes whole. A
 * name followed by a colon, a comma or "is" counts only in its quoted or quoting form, so prose
 * such as "failed to refresh token: connection refused" or "the token is expired" is left alone.
 * One pass, no regex: it runs on every string of every entry.
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
    "creds",
    "auth",
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

  /** What separates a key from its value. */
  private static final String[] SEPARATORS = {"=", ":", ",", " is ", " was "};

  private SecretPairs() {}

  static String redact(String text) {
    StringBuilder out = null;
    int copied = 0;
    int n = text.length();
    int[] next = new int[SEPARATORS.length];
    for (int k = 0; k < next.length; k++) {
      next[k] = text.indexOf(SEPARATORS[k]);
    }
    Quotes quotes = null; // made when a quoted value is first met
    int i = 0;
    while (i < n) {
      // Jump to the nearest separator: most text holds few of them.
      int k = -1;
      for (int j = 0; j < next.length; j++) {
        if (next[j] >= 0 && next[j] < i) {
          next[j] = text.indexOf(SEPARATORS[j], i);
        }
        if (next[j] >= 0 && (k < 0 || next[j] < next[k])) {
          k = j;
        }
      }
      if (k < 0) {
        break;
      }
      int at = next[k];
      i = at + 1;
      int keyEnd = at;
      boolean keyQuoted = false;
      // The key: before spaces; a closing quote (or \") around it.
      int q = at - 1;
      while (q >= 0 && text.charAt(q) == ' ' && at - q < 8) {
        q--;
      }
      if (q >= 0 && (text.charAt(q) == '"' || text.charAt(q) == '\'')) {
        keyQuoted = true;
        keyEnd = q > 0 && text.charAt(q - 1) == '\\' ? q - 1 : q;
      } else {
        keyEnd = q + 1;
      }
      // ":" and "," need a quoted key ("token": ..., f("api_token", ...)); "is" a bare word.
      if ((k == 1 || k == 2) && !keyQuoted) {
        continue;
      }
      if (!secretKeyEndsAt(text, keyEnd)) {
        continue;
      }
      int valueStart = at + SEPARATORS[k].length();
      while (valueStart < n && text.charAt(valueStart) == ' ' && valueStart - at < 8) {
        valueStart++;
      }
      if (valueStart >= n) {
        continue;
      }
      int valueEnd;
      char c = text.charAt(valueStart);
      if (c == '\\' && valueStart + 1 < n && text.charAt(valueStart + 1) == '"') {
        valueStart += 2;
        quotes = quotes == null ? new Quotes(text) : quotes;
        valueEnd = quotes.next("\\\"", valueStart);
      } else if (c == '"' || c == '\'') {
        valueStart++;
        quotes = quotes == null ? new Quotes(text) : quotes;
        valueEnd = quotes.next(c == '"' ? "\"" : "'", valueStart);
      } else if (k >= 2) {
        continue; // a comma or "is" is followed by a quoted value, or it is prose
      } else {
        valueEnd = -1;
      }
      if (valueStart >= n || isPlaceholder(text, valueStart)) {
        continue;
      }
      if (valueEnd < 0) {
        valueEnd = valueStart;
        while (valueEnd < n && !endsValue(text.charAt(valueEnd))) {
          valueEnd++;
        }
      } else {
        // A quoted value ends at its quote, but never past the end of its line.
        int line = quotes.next("\n", valueStart);
        valueEnd = Math.min(valueEnd, line);
      }
      if (valueEnd == valueStart) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(text, copied, valueStart).append(REPLACEMENT);
      copied = valueEnd;
      i = valueEnd;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  /**
   * The next closing quote of each kind, remembered: a run of opening quotes without closing ones
   * would otherwise search to the end of the text once per opening quote.
   */
  private static final class Quotes {
    private final String text;
    private final java.util.Map<String, Integer> found = new java.util.HashMap<>(4);

    Quotes(String text) {
      this.text = text;
    }

    /** The next occurrence of {@code quote} at or after {@code from}; the text's end if none. */
    int next(String quote, int from) {
      Integer known = found.get(quote);
      if (known == null || (known < from && known < text.length())) {
        int i = text.indexOf(quote, from);
        known = i < 0 ? text.length() : i;
        found.put(quote, known);
      }
      return known < from ? text.length() : known;
    }
  }

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

  /** Whether a JSON key such as {@code "pin_password"} names a secret. */
  static boolean isSecretKey(String key) {
    return secretKeyEndsAt(key, key.length());
  }

  /** An already redacted value such as {@code <jwt>}. */
  static boolean isPlaceholder(String text, int at) {
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
