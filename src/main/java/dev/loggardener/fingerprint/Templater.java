package dev.loggardener.fingerprint;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Masks the variable parts of a log message and keeps its constant words: the template that entries
 * of one problem share. Masks become {@code <*>}, as in the Loghub benchmark.
 *
 * <p>Token rules, in order (a token is a run of non-blank characters; leading brackets and quotes
 * and trailing punctuation stay outside the value):
 *
 * <ol>
 *   <li>an empty pair ({@code ()}, {@code []}, {@code ""}, ...) is a value;
 *   <li>a URL or a path is a value as a whole;
 *   <li>{@code key=value}: the key stays, a non-empty value is masked;
 *   <li>a token with a digit is a value as a whole ({@code user-0042}, {@code 30ms}, a UUID, an
 *       IP);
 *   <li>long hex strings, email addresses and host names are values;
 *   <li>everything else is a constant word.
 * </ol>
 *
 * Stack-frame lines (Java, Python, Go, Node) keep their files and functions; only line numbers and
 * addresses are masked.
 */
public final class Templater {
  public static final String MASK = "<*>";

  /** Messages longer than this are templated on their first part only. */
  static final int MAX_INPUT_CHARS = 16 * 1024;

  static final int MAX_TEMPLATE_CHARS = 4096;

  private static final Set<String> TLDS =
      Set.of(
          "com",
          "net",
          "org",
          "edu",
          "gov",
          "mil",
          "int",
          "io",
          "ai",
          "dev",
          "cloud",
          "internal",
          "local",
          "localdomain",
          "lan",
          "corp",
          "home",
          "arpa",
          "info",
          "biz",
          "co",
          "me",
          "us",
          "uk",
          "de",
          "fr",
          "nl",
          "se",
          "ch",
          "it",
          "es",
          "pl",
          "ru",
          "br",
          "in",
          "au",
          "ca",
          "jp",
          "kr",
          "tw",
          "sg",
          "hk",
          "cn",
          "eu",
          "tv",
          "xyz",
          "site",
          "online",
          "tech");

  private static final Pattern HEX_ADDRESS = Pattern.compile("0x[0-9a-fA-F]+");
  private static final Pattern LINE_NUMBER = Pattern.compile("(?<=:|line )\\d+");

  private Templater() {}

  public static String template(String message) {
    String m = message.length() > MAX_INPUT_CHARS ? message.substring(0, MAX_INPUT_CHARS) : message;
    StringBuilder out = new StringBuilder(Math.min(m.length() + 8, MAX_TEMPLATE_CHARS + 8));
    if (m.indexOf('\n') < 0) {
      maskLine(out, m, 0, m.length());
    } else {
      boolean goroutines = m.contains("goroutine ");
      int start = 0;
      boolean first = true;
      while (start <= m.length() && out.length() < MAX_TEMPLATE_CHARS) {
        int nl = m.indexOf('\n', start);
        int end = nl < 0 ? m.length() : nl;
        String line = m.substring(start, end).strip();
        if (!line.isEmpty()) {
          if (!first) {
            out.append('\n');
          }
          first = false;
          if (isFrame(line, goroutines)) {
            out.append("  ").append(normalizeFrame(line));
          } else {
            maskLine(out, line, 0, line.length());
          }
        }
        if (nl < 0) {
          break;
        }
        start = nl + 1;
      }
    }
    if (out.length() > MAX_TEMPLATE_CHARS) {
      out.setLength(MAX_TEMPLATE_CHARS);
      out.append('…');
    }
    return out.toString();
  }

  /** A request path with its ids masked segment by segment: /api/orders/<*>/items. */
  public static String maskPath(String path) {
    StringBuilder out = new StringBuilder(path.length());
    int i = 0;
    int n = path.length();
    while (i < n) {
      int slash = path.indexOf('/', i);
      int end = slash < 0 ? n : slash;
      if (end > i) {
        boolean id =
            (hasDigit(path, i, end) && !isApiVersion(path, i, end))
                || isLongHex(path, i, end)
                || end - i > 40;
        if (id) {
          out.append(MASK);
        } else {
          out.append(path, i, end);
        }
      }
      if (slash < 0) {
        break;
      }
      out.append('/');
      i = slash + 1;
    }
    return out.toString();
  }

  private static void maskLine(StringBuilder out, String s, int from, int to) {
    int i = from;
    boolean first = true;
    while (i < to) {
      while (i < to && isBlank(s.charAt(i))) {
        i++;
      }
      if (i >= to) {
        break;
      }
      int start = i;
      while (i < to && !isBlank(s.charAt(i))) {
        i++;
      }
      if (!first) {
        out.append(' ');
      }
      first = false;
      maskToken(out, s, start, i);
    }
  }

  private static void maskToken(StringBuilder out, String s, int start, int end) {
    if (end - start == 2 && isEmptyPair(s.charAt(start), s.charAt(start + 1))) {
      out.append(MASK);
      return;
    }
    int ps = start;
    while (ps < end && isOpen(s.charAt(ps))) {
      ps++;
    }
    int pe = end;
    while (pe > ps && isClose(s.charAt(pe - 1))) {
      pe--;
    }
    if (ps == pe) {
      out.append(s, start, end);
      return;
    }
    if (isPathOrUrl(s, ps, pe)) {
      out.append(s, start, ps).append(MASK).append(s, pe, end);
      return;
    }
    int eq = indexOf(s, '=', ps, pe);
    if (eq > ps) {
      out.append(s, start, eq + 1);
      if (eq + 1 < pe) {
        out.append(MASK);
      }
      out.append(s, pe, end);
      return;
    }
    if (isValue(s, ps, pe)) {
      out.append(s, start, ps).append(MASK).append(s, pe, end);
    } else {
      out.append(s, start, end);
    }
  }

  private static boolean isValue(String s, int from, int to) {
    if (isCodeName(s, from, to)) {
      return false;
    }
    if (hasDigit(s, from, to) || isLongHex(s, from, to)) {
      return true;
    }
    int at = indexOf(s, '@', from, to);
    if (at >= from && indexOf(s, '.', at, to) > at) {
      return true;
    }
    return isHostName(s, from, to);
  }

  /**
   * An exception or class name, which is the most telling word of an error even with a digit in it:
   * psycopg2.OperationalError, Http2Exception. A qualified name whose last part is a capitalised
   * identifier without digits, or an identifier ending in Error, Exception or Warning.
   */
  private static boolean isCodeName(String s, int from, int to) {
    int lastDot = -1;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (i == from || i == to - 1 || s.charAt(i - 1) == '.') {
          return false;
        }
        lastDot = i;
      } else if (!Character.isLetterOrDigit(c) && c != '_' && c != '$') {
        return false;
      }
    }
    int last = lastDot + 1 > from ? lastDot + 1 : from;
    char first = s.charAt(last);
    if (first >= '0' && first <= '9') {
      return false;
    }
    if (s.startsWith("Error", to - 5)
        || s.startsWith("Exception", to - 9)
        || s.startsWith("Warning", to - 7)) {
      return to - last > 7;
    }
    return lastDot > from && first >= 'A' && first <= 'Z' && !hasDigit(s, last, to);
  }

  private static boolean isPathOrUrl(String s, int from, int to) {
    char c = s.charAt(from);
    if ((c == '/' && to - from > 1) || c == '~' && to - from > 1 && s.charAt(from + 1) == '/') {
      return true;
    }
    int slashes = 0;
    for (int i = from; i < to; i++) {
      char ch = s.charAt(i);
      if (ch == '/') {
        slashes++;
      } else if (ch == '\\') {
        return true;
      } else if (ch == ':' && i + 2 < to && s.charAt(i + 1) == '/' && s.charAt(i + 2) == '/') {
        return true;
      }
    }
    return slashes >= 2;
  }

  /** Lower-case dotted names that end in a known top-level domain: api.example.com. */
  private static boolean isHostName(String s, int from, int to) {
    int lastDot = -1;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (i == from || i == lastDot + 1) {
          return false;
        }
        lastDot = i;
      } else if (!((c >= 'a' && c <= 'z') || c == '-')) {
        return false;
      }
    }
    return lastDot > from && lastDot < to - 1 && TLDS.contains(s.substring(lastDot + 1, to));
  }

  private static boolean isFrame(String line, boolean goroutines) {
    if (line.startsWith("at ") && (line.endsWith(")") || line.contains(":"))) {
      return true;
    }
    if (line.startsWith("File \"") && line.contains(", line ")) {
      return true;
    }
    if (line.charAt(0) == '/' && line.contains(".go:")) {
      return true;
    }
    if (goroutines && line.endsWith(")")) {
      int paren = line.indexOf('(');
      int space = line.indexOf(' ');
      return paren > 0 && (space < 0 || space > paren);
    }
    return false;
  }

  private static String normalizeFrame(String line) {
    String l = HEX_ADDRESS.matcher(line).replaceAll(MASK);
    return LINE_NUMBER.matcher(l).replaceAll(MASK);
  }

  private static boolean hasDigit(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        return true;
      }
    }
    return false;
  }

  /** "v1", "v2beta1": a constant API version segment in a path, not an id. */
  private static boolean isApiVersion(String s, int from, int to) {
    if (to - from < 2 || to - from > 8 || s.charAt(from) != 'v') {
      return false;
    }
    char c = s.charAt(from + 1);
    if (c < '0' || c > '9') {
      return false;
    }
    for (int i = from + 2; i < to; i++) {
      char ch = s.charAt(i);
      if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isLongHex(String s, int from, int to) {
    if (to - from < 8) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(String s, char c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\u000B';
  }

  private static boolean isEmptyPair(char a, char b) {
    return (a == '(' && b == ')')
        || (a == '[' && b == ']')
        || (a == '{' && b == '}')
        || (a == '"' && b == '"')
        || (a == '\'' && b == '\'');
  }

  private static boolean isOpen(char c) {
    return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == '`';
  }

  private static boolean isClose(char c) {
    return c == ')' || c == ']' || c == '}' || c == '"' || c == '\'' || c == '`' || c == ','
        || c == ';' || c == ':' || c == '.' || c == '!' || c == '?';
  }
}
