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
    String out = emails(s, keepDomain, "@");
    // URL-encoded, as in a query string: alice%40example.com.
    return out.contains("%40") ? emails(out, keepDomain, "%40") : out;
  }

  private static String emails(String s, boolean keepDomain, String sep) {
    int at = s.indexOf(sep);
    if (at < 0) {
      return s;
    }
    int w = sep.length();
    StringBuilder out = null;
    int copied = 0;
    int n = s.length();
    while (at >= 0) {
      int ls = at;
      while (ls > copied && isLocal(s.charAt(ls - 1))) {
        ls--;
      }
      int end = at + w;
      while (end < n && (isAlnum(s.charAt(end)) || s.charAt(end) == '-' || s.charAt(end) == '.')) {
        end++;
      }
      // Trailing dots are sentence punctuation; the domain ends at its last letter run.
      while (end > at + w && s.charAt(end - 1) == '.') {
        end--;
      }
      int lastDot = s.lastIndexOf('.', end - 1);
      boolean ok =
          ls < at && lastDot > at + w && end - lastDot - 1 >= 2 && allLetters(s, lastDot + 1, end);
      if (ok) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(s, copied, ls).append("<email>");
        if (keepDomain) {
          out.append(sep).append(s, at + w, end);
        }
        copied = end;
      }
      at = s.indexOf(sep, Math.max(end, at + 1));
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

  /**
   * PEM private keys, whole: from {@code -----BEGIN ... PRIVATE KEY-----} to the matching END line,
   * or to the end of the text when it was cut off. Also inside JSON strings, where the line breaks
   * are {@code \\n}.
   */
  static String privateKeys(String s) {
    int from = 0;
    int copied = 0;
    StringBuilder out = null;
    while (true) {
      int begin = s.indexOf("-----BEGIN ", from);
      if (begin < 0) {
        break;
      }
      int labelEnd = s.indexOf("-----", begin + 11);
      if (labelEnd < 0
          || labelEnd - begin > 64
          || !isPrivateKeyLabel(s.substring(begin + 11, labelEnd))) {
        from = begin + 11;
        continue;
      }
      int end = s.indexOf("-----END ", labelEnd + 5);
      int stop;
      if (end < 0) {
        stop = s.length();
      } else {
        int close = s.indexOf("-----", end + 9);
        stop = close < 0 ? s.length() : close + 5;
      }
      if (out == null) {
        out = new StringBuilder(s.length());
      }
      out.append(s, copied, begin).append("<private-key>");
      copied = stop;
      from = stop;
    }
    return out == null ? s : out.append(s, copied, s.length()).toString();
  }

  /** Headers whose value is a credential, in any case, written as {@code Name: value}. */
  private static final String[] SECRET_HEADERS = {
    "proxy-authorization",
    "authorization",
    "x-api-key",
    "api-key",
    "x-auth-token",
    "x-access-token",
    "x-goog-api-key",
    "x-amz-security-token",
    "set-cookie",
    "cookie"
  };

  /**
   * The values of credential headers ({@code Authorization: Token abc}, {@code X-Api-Key: abc},
   * {@code Cookie: connect.sid=...}) up to the end of the line, a quote or a backslash: the name
   * stays. A value already redacted ({@code <token>}) is left as it is.
   */
  static String secretHeaders(String s) {
    int colon = s.indexOf(':');
    if (colon < 0) {
      return s;
    }
    StringBuilder out = null;
    int copied = 0;
    for (; colon >= 0; colon = s.indexOf(':', colon + 1)) {
      if (colon == 0 || !mayEndHeaderName(s.charAt(colon - 1))) {
        continue; // "File.java:123", "error: …": most colons follow no header name
      }
      String name = null;
      for (String h : SECRET_HEADERS) {
        int start = colon - h.length();
        if (start >= 0
            && s.regionMatches(true, start, h, 0, h.length())
            && (start == 0 || !isHeaderChar(Character.toLowerCase(s.charAt(start - 1))))) {
          name = h;
          break;
        }
      }
      if (name == null) {
        continue;
      }
      int v = colon + 1;
      while (v < s.length() && s.charAt(v) == ' ') {
        v++;
      }
      boolean cookie = name.endsWith("cookie");
      if (name.endsWith("authorization")) {
        // Keep the scheme (Bearer, Token, Digest, ...); the credential after it goes.
        int w = v;
        while (w < s.length() && Character.isLetter(s.charAt(w))) {
          w++;
        }
        if (w > v && w < s.length() && s.charAt(w) == ' ') {
          v = w + 1;
          while (v < s.length() && s.charAt(v) == ' ') {
            v++;
          }
        }
      }
      int e = v;
      while (e < s.length()) {
        char c = s.charAt(e);
        if (c == '\n'
            || c == '\r'
            || c == '"'
            || c == '\\'
            || c == '\''
            || (!cookie && (c == ' ' || c == ',' || c == ';'))) {
          break;
        }
        e++;
      }
      if (e == v || s.charAt(v) == '<') {
        continue; // empty, or already redacted
      }
      // Prose ("authorization: denied for bob") is not a credential: a credential is one run of
      // at least 8 characters, a cookie has a name=value.
      if (cookie ? s.indexOf('=', v) < 0 || s.indexOf('=', v) >= e : e - v < 8) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length());
      }
      out.append(s, copied, v).append(name.endsWith("authorization") ? "<token>" : "<secret>");
      copied = e;
      colon = e - 1;
    }
    return out == null ? s : out.append(s, copied, s.length()).toString();
  }

  /**
   * Whether a header name of {@link #SECRET_HEADERS} may end in {@code c}: they end in n, y or e
   * (any case); a non-ASCII letter is left to the full, case-insensitive comparison.
   */
  private static boolean mayEndHeaderName(char c) {
    char lower = (char) (c | 0x20);
    return lower == 'n' || lower == 'y' || lower == 'e' || c >= 128;
  }

  private static boolean isHeaderChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  /** URL query parameters that carry credentials. */
  private static final String[] URL_SECRETS = {
    "code",
    "sig",
    "signature",
    "token",
    "access_token",
    "id_token",
    "refresh_token",
    "key",
    "api_key",
    "apikey",
    "client_secret",
    "password",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential"
  };

  /** {@code ?code=...&sig=...}: the parameter stays, its value becomes {@code <secret>}. */
  static String urlSecrets(String s) {
    int from = 0;
    int copied = 0;
    StringBuilder out = null;
    while (true) {
      int q = nextQueryStart(s, from);
      if (q < 0) {
        break;
      }
      int eq = s.indexOf('=', q + 1);
      int nameEnd = q + 1;
      while (nameEnd < s.length() && isHeaderChar(Character.toLowerCase(s.charAt(nameEnd)))) {
        nameEnd++;
      }
      from = q + 1;
      if (eq != nameEnd) {
        continue;
      }
      boolean secret = false;
      for (String n : URL_SECRETS) {
        secret |= n.length() == eq - q - 1 && s.regionMatches(true, q + 1, n, 0, n.length());
      }
      if (!secret) {
        continue;
      }
      int e = eq + 1;
      while (e < s.length() && "&#\"' <>\\\n\r".indexOf(s.charAt(e)) < 0) {
        e++;
      }
      if (e == eq + 1) {
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length());
      }
      out.append(s, copied, eq + 1).append("<secret>");
      copied = e;
      from = e;
    }
    return out == null ? s : out.append(s, copied, s.length()).toString();
  }

  private static int nextQueryStart(String s, int from) {
    int a = s.indexOf('?', from);
    int b = s.indexOf('&', from);
    if (a < 0) {
      return b;
    }
    return b < 0 ? a : Math.min(a, b);
  }

  /**
   * "PRIVATE KEY" labels of PEM and PGP blocks ({@code RSA PRIVATE KEY}, {@code PGP PRIVATE KEY
   * BLOCK}).
   */
  private static boolean isPrivateKeyLabel(String label) {
    return label.endsWith("PRIVATE KEY") || label.endsWith("PRIVATE KEY BLOCK");
  }

  /**
   * Phone numbers: international ones written with a plus ({@code +44 20 7946 0958}, {@code
   * +14155550123}: 8 to 15 digits, or at least 10 without separators), and the North American forms
   * {@code (415) 555-0132}, {@code 415-555-0132} and {@code 415.555.0132}. Digits that touch a
   * word, another digit or a dot are part of something else (a version, an id, a decimal). Each
   * start is parsed at most {@link #PHONE_MAX} characters far, so the scan is linear.
   */
  static String phones(String s) {
    int n = s.length();
    StringBuilder out = null;
    int copied = 0;
    PhoneCandidates candidates = new PhoneCandidates(s);
    int i = candidates.next(0);
    while (i >= 0 && i < n) {
      char c = s.charAt(i);
      int end = -1;
      if ((c == '+' || c == '(' || isDigit(c)) && (i == 0 || !touchesNumber(s.charAt(i - 1)))) {
        end = c == '+' ? internationalPhoneEnd(s, i) : northAmericanPhoneEnd(s, i);
      }
      if (end < 0) {
        i = candidates.next(i + 1);
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(s, copied, i).append("<phone>");
      copied = end;
      i = candidates.next(end);
    }
    return out == null ? s : out.append(s, copied, n).toString();
  }

  /**
   * Where a phone number could start: a '+' or '(' before a digit, or three digits before a '-' or
   * '.' that three digits and the same separator follow. Each kind keeps its own cursor, which only
   * moves forward, so the text is scanned once per kind however many candidates fail.
   */
  private static final class PhoneCandidates {
    private final String s;
    private final int[] cursor = new int[4]; // next candidate of each kind, or -1 for none left

    PhoneCandidates(String s) {
      this.s = s;
      for (int k = 0; k < 4; k++) {
        cursor[k] = find(k, 0);
      }
    }

    /** The first candidate at or after {@code from}, or -1. */
    int next(int from) {
      int best = -1;
      for (int k = 0; k < 4; k++) {
        if (cursor[k] >= 0 && cursor[k] < from) {
          cursor[k] = find(k, from);
        }
        if (cursor[k] >= 0 && (best < 0 || cursor[k] < best)) {
          best = cursor[k];
        }
      }
      return best;
    }

    private int find(int kind, int from) {
      int n = s.length();
      if (kind < 2) {
        char c = kind == 0 ? '+' : '(';
        for (int p = s.indexOf(c, from); p >= 0; p = s.indexOf(c, p + 1)) {
          if (p + 1 < n && isDigit(s.charAt(p + 1))) {
            return p;
          }
        }
        return -1;
      }
      char sep = kind == 2 ? '-' : '.';
      for (int p = s.indexOf(sep, from + 3); p >= 0; p = s.indexOf(sep, p + 1)) {
        if (p + 4 < n
            && s.charAt(p + 4) == sep
            && isDigit(s.charAt(p - 1))
            && isDigit(s.charAt(p - 2))
            && isDigit(s.charAt(p - 3))
            && isDigit(s.charAt(p + 1))) {
          return p - 3;
        }
      }
      return -1;
    }
  }

  private static final int PHONE_MAX = 24;

  private static boolean touchesNumber(char c) {
    return isWord(c) || c == '.' || c == '-' || c == '+' || c == '/';
  }

  /** Whether a number that ended just before {@code end} stops there (no word, digit or .5). */
  private static boolean phoneStops(String s, int end) {
    if (end >= s.length()) {
      return true;
    }
    char c = s.charAt(end);
    if (isWord(c)) {
      return false;
    }
    return !((c == '.' || c == '-' || c == '/')
        && end + 1 < s.length()
        && isWord(s.charAt(end + 1)));
  }

  private static int internationalPhoneEnd(String s, int plus) {
    int limit = Math.min(s.length(), plus + PHONE_MAX);
    int i = plus + 1;
    int digits = 0;
    int separators = 0;
    int pending = 0;
    int lastDigitEnd = -1;
    while (i < limit) {
      char c = s.charAt(i);
      if (isDigit(c)) {
        digits++;
        separators += pending;
        pending = 0;
        i++;
        lastDigitEnd = i;
        continue;
      }
      boolean separator = c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
      // A separator, or two (") ", " ("), between digits; never first.
      if (!separator || lastDigitEnd < 0 || pending == 2) {
        break;
      }
      pending++;
      i++;
    }
    if (lastDigitEnd < 0) {
      return -1;
    }
    boolean ok = separators == 0 ? digits >= 10 && digits <= 15 : digits >= 8 && digits <= 15;
    return ok && phoneStops(s, lastDigitEnd) ? lastDigitEnd : -1;
  }

  private static int northAmericanPhoneEnd(String s, int start) {
    int i = start;
    int n = s.length();
    boolean paren = s.charAt(i) == '(';
    if (paren) {
      i++;
    }
    if (!digitsAt(s, i, 3)) {
      return -1;
    }
    i += 3;
    char sep;
    if (paren) {
      if (i >= n || s.charAt(i) != ')') {
        return -1;
      }
      i++;
      if (i < n && s.charAt(i) == ' ') {
        i++;
      }
      if (!digitsAt(s, i, 3) || i + 3 >= n || s.charAt(i + 3) != '-') {
        return -1;
      }
      sep = '-';
    } else {
      if (i >= n || (s.charAt(i) != '-' && s.charAt(i) != '.')) {
        return -1;
      }
      sep = s.charAt(i);
      i++;
      if (!digitsAt(s, i, 3) || i + 3 >= n || s.charAt(i + 3) != sep) {
        return -1;
      }
    }
    i += 4;
    if (!digitsAt(s, i, 4)) {
      return -1;
    }
    i += 4;
    return phoneStops(s, i) && (i >= n || !isDigit(s.charAt(i))) ? i : -1;
  }

  private static boolean digitsAt(String s, int at, int count) {
    if (at + count > s.length()) {
      return false;
    }
    for (int k = at; k < at + count; k++) {
      if (!isDigit(s.charAt(k))) {
        return false;
      }
    }
    return true;
  }

  /**
   * AWS secret access keys written bare: a run of exactly 40 base64 characters ({@code
   * wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY}) that stands alone, holds upper and lower case
   * letters and digits, and has at least 20 distinct characters (random, not a path or a word). A
   * 40-digit hexadecimal hash (a git commit) has no upper case and stays.
   */
  static String awsSecretKeys(String s) {
    int n = s.length();
    if (n < 40) {
      return s;
    }
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i + 40 <= n) {
      // A run of 40 starting at i needs s[i + 39] and everything before it to be base64: look
      // from the window's end, so ordinary text is skipped many characters at a time.
      int k = i + 39;
      while (k >= i && isBase64(s.charAt(k))) {
        k--;
      }
      if (k >= i) {
        i = k + 1;
        continue;
      }
      while (i > 0 && isBase64(s.charAt(i - 1))) {
        i--; // the run may have started before the window
      }
      int j = i + 40;
      while (j < n && isBase64(s.charAt(j))) {
        j++;
      }
      if (j - i == 40
          && s.charAt(i) != '/'
          && (i == 0 || !isTokenChar(s.charAt(i - 1)))
          && (j == n
              || !(isTokenChar(s.charAt(j)) || s.charAt(j) == '=')
                  && !(s.charAt(j) == '.' && j + 1 < n && isAlnum(s.charAt(j + 1))))
          && looksRandom(s, i, j)) {
        if (out == null) {
          out = new StringBuilder(n);
        }
        out.append(s, copied, i).append("<aws-secret-key>");
        copied = j;
      }
      i = j;
    }
    return out == null ? s : out.append(s, copied, n).toString();
  }

  private static final boolean[] BASE64 = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      BASE64[c] = isAlnum(c) || c == '/' || c == '+';
    }
  }

  private static boolean isBase64(char c) {
    return c < 128 && BASE64[c];
  }

  private static boolean isTokenChar(char c) {
    return isBase64(c) || c == '_' || c == '-' || c == '.';
  }

  private static boolean looksRandom(String s, int from, int to) {
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    long seenLow = 0;
    long seenHigh = 0;
    int distinct = 0;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= isDigit(c);
      if (c < 64) {
        if ((seenLow & (1L << c)) == 0) {
          seenLow |= 1L << c;
          distinct++;
        }
      } else if ((seenHigh & (1L << (c - 64))) == 0) {
        seenHigh |= 1L << (c - 64);
        distinct++;
      }
    }
    return upper && lower && digit && distinct >= 20;
  }
}
