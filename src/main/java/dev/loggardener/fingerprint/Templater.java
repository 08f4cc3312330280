package dev.loggardener.fingerprint;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * Masks the variable parts of a log message and keeps its constant words: the template that entries
 * of one problem share. Masks become {@code <*>}, as in the Loghub benchmark. One pass over the
 * tokens (runs of non-blank characters), no regular expressions; leading brackets and quotes and
 * trailing punctuation stay outside the value.
 *
 * <p>Token rules, in order:
 *
 * <ol>
 *   <li>an empty pair is a value and keeps its brackets: {@code ()} → {@code (<*>)};
 *   <li>a URL or a path is a value as a whole;
 *   <li>{@code key=value} keeps the key; {@code key:value} in one token keeps an alphabetic key;
 *   <li>a redaction placeholder ({@code <ip>}, {@code <email>}) is a value;
 *   <li>an exception or class name stays, even with a digit ({@code psycopg2.OperationalError});
 *   <li>a token with a digit is a value as a whole ({@code user-0042}, {@code 30ms}, a UUID); so
 *       are booleans, long hex strings, email addresses and host names;
 *   <li>everything else is a constant word.
 * </ol>
 *
 * Across tokens: the word after "user" is a value; weekday, month and zone names next to a number
 * are part of a date; a number joins its unit, and a parenthesised value joins the value before it
 * ({@code 1143 bytes (1.11 KB)} → {@code <*>}). Runs of values are not collapsed. Stack-frame lines
 * (Java, Python, Go, Node) keep their files and functions; only line numbers and addresses are
 * masked. The README's "Fingerprints" section has examples.
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

  /** Words that belong to a written-out date when a number stands next to them. */
  private static final Set<String> DATE_WORDS =
      Set.of(
          "Mon",
          "Tue",
          "Wed",
          "Thu",
          "Fri",
          "Sat",
          "Sun",
          "Jan",
          "Feb",
          "Mar",
          "Apr",
          "May",
          "Jun",
          "Jul",
          "Aug",
          "Sep",
          "Oct",
          "Nov",
          "Dec",
          "Monday",
          "Tuesday",
          "Wednesday",
          "Thursday",
          "Friday",
          "Saturday",
          "Sunday",
          "January",
          "February",
          "March",
          "April",
          "June",
          "July",
          "August",
          "September",
          "October",
          "November",
          "December",
          "UTC",
          "GMT",
          "EST",
          "EDT",
          "CST",
          "CDT",
          "MST",
          "MDT",
          "PST",
          "PDT",
          "CET",
          "CEST",
          "BST",
          "IST",
          "JST");

  /** Units that make one value with the number before them: "1143 bytes", "30 ms". */
  private static final Set<String> UNITS =
      Set.of(
          "B", "KB", "MB", "GB", "TB", "KiB", "MiB", "GiB", "TiB", "kB", "bytes", "byte", "ns",
          "us", "µs", "ms", "s", "sec", "secs", "second", "seconds", "min", "mins", "minute",
          "minutes", "h", "hr", "hrs", "hour", "hours", "day", "days", "%", "percent");

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
      boolean afterLabel = false;
      String head = null;
      while (start <= m.length() && out.length() < MAX_TEMPLATE_CHARS) {
        int nl = m.indexOf('\n', start);
        int end = nl < 0 ? m.length() : nl;
        String line = m.substring(start, end).strip();
        boolean label = false;
        if (!line.isEmpty()) {
          if (!first) {
            out.append('\n');
          }
          if (first) {
            head = line;
          }
          first = false;
          if (isFrame(line, goroutines)) {
            out.append("  ").append(normalizeFrame(line));
          } else if (head != null && repeatsHead(line, head)) {
            // "KeyError: <the logged message>": the exception's type, and its message as above.
            out.append(line, 0, line.length() - head.length()).append(AS_ABOVE);
          } else if (afterLabel && isShortValueLine(line)) {
            out.append(MASK);
          } else {
            maskLine(out, line, 0, line.length());
            label = line.endsWith(":");
          }
        }
        afterLabel = label;
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

  /**
   * Whether the word before position {@code i} announces a name there: a lower-case word such as
   * relation, table or volume, and a word after it that is not a verb's form.
   */
  static boolean announcesName(String[] tokens, int i) {
    String word = tokens[i - 1];
    int[] core = core(word);
    if (core[1] <= core[0]
        || !Character.isLowerCase(word.charAt(core[0]))
        || !isNamer(word, core[0], core[1] - core[0])) {
      return false; // "Instance destroyed successfully": a capitalised subject, then its verb
    }
    String next = tokens[i];
    int[] nextCore = core(next);
    // Not "volume attached", "pod pending"; and a bare word only: "partition dlq." generalized
    // would lose its full stop, which "partition <*>." (masked by shape) keeps, and two clusters
    // would come of one problem in some orders.
    return !next.endsWith("ed")
        && !next.endsWith("ing")
        && nextCore[0] == 0
        && nextCore[1] == next.length();
  }

  /** A mask, alone or with the brackets, quotes and punctuation the syntax kept around it. */
  static boolean isMaskToken(String token) {
    int[] core = core(token);
    return core[1] - core[0] == MASK.length() && token.startsWith(MASK, core[0]);
  }

  /** The word with its core masked: "prod:" → "<*>:", "'orders'" → "'<*>'". */
  static String maskKeepingPunctuation(String word) {
    int[] core = core(word);
    return word.substring(0, core[0]) + MASK + word.substring(core[1]);
  }

  /**
   * Whether a word may stand where a mask token is: any word for a bare mask, else the same marks.
   */
  static boolean fillsMask(String maskToken, String word) {
    return maskToken.equals(MASK) || maskKeepingPunctuation(word).equals(maskToken);
  }

  /** What stands for an exception's message that repeats the line logged with it. */
  static final String AS_ABOVE = "(as above)";

  /**
   * "KeyError: got None for field sku" after "got None for field sku": Python's logger.exception
   * and Java's log.error(message, e) print the message, then the exception whose message it often
   * is. The repeat carries nothing, and varies with every value of the message.
   */
  private static boolean repeatsHead(String line, String head) {
    int type = line.length() - head.length() - 2;
    return type > 0
        && line.endsWith(head)
        && line.startsWith(": ", type)
        && isCodeName(line, 0, type)
        && !head.isEmpty();
  }

  /** The most words a line after a label line may have to be its value. */
  private static final int MAX_VALUE_LINE_WORDS = 4;

  /**
   * "The full contents of the message body was:" then "'Yoga Mat'" on the next line: a short line
   * right after a line that ends in a colon is that label's value, whole. Not a line that is a
   * label itself ("Traceback (most recent call last):").
   */
  private static boolean isShortValueLine(String line) {
    if (line.endsWith(":")) {
      return false;
    }
    int words = 1;
    for (int i = 0; i < line.length(); i++) {
      if (isBlank(line.charAt(i)) && ++words > MAX_VALUE_LINE_WORDS) {
        return false;
      }
    }
    return true;
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

  /**
   * Masks one line. Each token gets a masked range: {@code mask[2t]} to {@code mask[2t+1]} within
   * the line is replaced by {@code <*>}, or nothing when {@code mask[2t]} is -1. Output is written
   * straight from the line, so a constant word is never copied into a string of its own.
   */
  private static void maskLine(StringBuilder out, String s, int from, int to) {
    int[] bounds = new int[32];
    int n = 0;
    int i = from;
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
      if (2 * n + 2 > bounds.length) {
        bounds = Arrays.copyOf(bounds, bounds.length * 2);
      }
      bounds[2 * n] = start;
      bounds[2 * n + 1] = i;
      n++;
    }
    int[] mask = new int[2 * n];
    for (int t = 0; t < n; t++) {
      maskToken(s, bounds[2 * t], bounds[2 * t + 1], mask, t);
    }
    maskDates(s, bounds, mask, n);
    maskUserNames(s, bounds, mask, n);
    maskQuoted(s, bounds, mask, n);
    maskNamed(s, bounds, mask, n);
    maskPrefixName(s, bounds, mask, n);
    WrappedErrors.mask(s, bounds, mask, n);
    maskRequestLine(s, bounds, mask, n);
    // "1143 bytes (1.11 KB)" is one value: first each number joins its unit, then a
    // parenthesised value joins the value before it.
    int startLength = out.length();
    boolean lastIsValue = false;
    for (int t = 0; t < n; t++) {
      int start = bounds[2 * t];
      int end = bounds[2 * t + 1];
      int ms = mask[2 * t];
      if (ms == DROP) {
        continue; // a later word of a quoted value already masked as one
      }
      if (ms == ROUTE) {
        appendSpace(out, startLength);
        int q = indexOf(s, '?', start, end);
        out.append(maskPath(s.substring(start, q < 0 ? end : q)));
        if (q >= 0) {
          out.append('?').append(MASK);
          int close = end;
          while (close > q + 1 && (isClose(s.charAt(close - 1)) || s.charAt(close - 1) == '"')) {
            close--;
          }
          out.append(s, close, end);
        }
        lastIsValue = false;
        continue;
      }
      if (ms < 0) {
        appendSpace(out, startLength);
        out.append(s, start, end);
        lastIsValue = false;
        continue;
      }
      // Output is s[start, ms) + <*> + s[suffixStart, suffixEnd).
      int suffixStart = mask[2 * t + 1];
      int suffixEnd = end;
      if (suffixStart == end && t + 1 < n && isUnit(s, bounds[2 * t + 2], bounds[2 * t + 3])) {
        t++;
        suffixEnd = bounds[2 * t + 1];
        suffixStart = suffixEnd;
        while (suffixStart > bounds[2 * t] && isClose(s.charAt(suffixStart - 1))) {
          suffixStart--;
        }
      }
      boolean parenthesised =
          ms == start + 1
              && s.charAt(start) == '('
              && suffixStart < suffixEnd
              && s.charAt(suffixStart) == ')'
              && isPunctuation(s, suffixStart + 1, suffixEnd);
      if (lastIsValue && parenthesised) {
        out.append(s, suffixStart + 1, suffixEnd);
        lastIsValue = suffixStart + 1 == suffixEnd;
        continue;
      }
      appendSpace(out, startLength);
      out.append(s, start, ms).append(MASK).append(s, suffixStart, suffixEnd);
      lastIsValue = suffixStart == suffixEnd;
    }
  }

  private static void appendSpace(StringBuilder out, int startLength) {
    if (out.length() > startLength) {
      out.append(' ');
    }
  }

  /** Weekday, month and zone names next to a number are part of a date: "Fri Jun 24 18:55:11". */
  private static void maskDates(String s, int[] bounds, int[] mask, int n) {
    for (int t = 0; t < n; t++) {
      int end = bounds[2 * t + 1];
      int start = bounds[2 * t];
      while (start < end && isOpen(s.charAt(start))) {
        start++;
      }
      char first = start < end ? s.charAt(start) : ' ';
      if (first < 'A' || first > 'Z') {
        continue; // most words: no date word starts so
      }
      int core = end;
      while (core > start && isClose(s.charAt(core - 1))) {
        core--;
      }
      int len = core - start;
      if (len < 3 || len > 9 || !DATE_WORDS.contains(s.substring(start, core))) {
        continue;
      }
      boolean nearNumber = false;
      for (int k = Math.max(0, t - 1); k <= Math.min(n - 1, t + 2) && !nearNumber; k++) {
        nearNumber = k != t && hasDigit(s, bounds[2 * k], bounds[2 * k + 1]);
      }
      if (nearNumber) {
        mask[2 * t] = start;
        mask[2 * t + 1] = core;
      }
    }
  }

  private static final Set<String> HTTP_METHODS =
      Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "CONNECT", "TRACE");

  /** One capitalised word of letters: {@code Active}. */
  /** Letters, '_' and '.' only, starting with a letter: tasks.build_invoice, Worker. */
  private static boolean isCodePath(String s, int from, int to) {
    if (!Character.isLetter(s.charAt(from))) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!Character.isLetter(c) && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /**
   * An identifier in camelCase (findByEmail) or a capitalised word or name (Active, CartService,
   * com.shop.CartService, KeyError): code or an enumerated state, which name the event.
   */
  private static boolean isCodeWord(String s, int from, int to) {
    if (isTitleWord(s, from, to) || isCodeName(s, from, to)) {
      return true;
    }
    if (to - from < 3 || !Character.isLetter(s.charAt(from))) {
      return false;
    }
    boolean upper = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        return false;
      }
      upper |= i > from && Character.isUpperCase(c);
    }
    return upper && Character.isLowerCase(s.charAt(to - 1));
  }

  /**
   * Whether a template's word is identity, never a variable however many others stand in its place:
   * a code word (KeyError, com.shop.CartService, findByEmail, 'Active'), a word that names a kind
   * of thing (relation, column, volume…), or the word after "task" (a task's name).
   */
  static boolean isIdentity(String[] tokens, int i) {
    String w = tokens[i];
    if (w.startsWith("\n  ")) {
      return true; // a stack frame
    }
    int[] core = core(w);
    if (core[1] <= core[0]) {
      return false;
    }
    if (isCodeWord(w, core[0], core[1]) || isNamer(w, core[0], core[1] - core[0])) {
      return true;
    }
    int bracket = w.indexOf('[', core[0]);
    int end = bracket > core[0] && bracket < core[1] ? bracket : core[1];
    return isQualifiedFunction(w, core[0], end)
        || i > 0 && tokens[i - 1].equalsIgnoreCase("task") && isCodePath(w, core[0], end);
  }

  /**
   * tasks.build_invoice, billing.jobs.send_receipt: a Python function by its qualified name, a
   * dotted path of lower-case identifiers whose last part has an underscore (a topic such as
   * orders.created has none).
   */
  private static boolean isQualifiedFunction(String s, int from, int to) {
    int dot = s.lastIndexOf('.', to - 1);
    if (dot <= from || dot >= to - 1 || s.indexOf('_', dot) < 0 || s.indexOf('_', dot) >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z') && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a plain word may join a template that has a mask in its place on the evidence of that
   * one template ({@link TemplateBucket}): not identity, with a letter, and not an upper-case word
   * (HTTPS, SOCKS5's neighbour; YES, SAM: enumerated constants that need more evidence).
   */
  static boolean mayJoinMask(String[] tokens, int i) {
    String w = tokens[i];
    int[] core = core(w);
    return core[1] > core[0]
        && hasLetter(w, core[0], core[1])
        && !isUpperWord(w, core[0], core[1])
        && !isIdentity(tokens, i);
  }

  /** A token without its quotes, brackets and trailing punctuation: {from, to}. */
  private static int[] core(String w) {
    int from = 0;
    int to = w.length();
    while (from < to && (isOpen(w.charAt(from)) || isQuote(w.charAt(from)))) {
      from++;
    }
    while (to > from
        && (isClose(w.charAt(to - 1))
            || isQuote(w.charAt(to - 1))
            || ".,;:!?".indexOf(w.charAt(to - 1)) >= 0)) {
      to--;
    }
    return new int[] {from, to};
  }

  /** HTTPS, YES, OOM: an upper-case word is a constant of its format (a protocol, a state). */
  private static boolean isUpperWord(String s, int from, int to) {
    if (to - from < 2) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= 'A' && c <= 'Z') && !(i > from && c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasLetter(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Character.isLetter(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * A whole token that is a mask or has a host's or a resource's shape: a digit or a hyphen between
   * letters (redis-master, etcd-0), which code identifiers (kern_open_file, Class::method) never
   * have.
   */
  static boolean isValueShaped(String token) {
    if (token.equals(MASK)) {
      return true;
    }
    if (token.isEmpty() || !Character.isLetterOrDigit(token.charAt(0))) {
      return false;
    }
    boolean hyphen = false;
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (!Character.isLetterOrDigit(c) && c != '-' && c != '.' && c != '_') {
        return false;
      }
      hyphen |= c == '-' && i > 0 && i < token.length() - 1;
    }
    return hyphen || hasDigit(token, 0, token.length());
  }

  static boolean isQuote(char c) {
    return c == '"' || c == '\'' || c == '`';
  }

  static boolean isTitleWord(String s, int from, int to) {
    if (to - from < 2 || s.charAt(from) < 'A' || s.charAt(from) > 'Z') {
      return false;
    }
    for (int i = from + 1; i < to; i++) {
      if (s.charAt(i) < 'a' || s.charAt(i) > 'z') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHttpMethod(String s, int from, int to) {
    // Checked for every token of every line (a request line can be anywhere): the substring only
    // for an upper-case word of the right length.
    return to - from >= 3
        && to - from <= 7
        && s.charAt(from) >= 'A'
        && s.charAt(from) <= 'Z'
        && s.charAt(to - 1) >= 'A'
        && s.charAt(to - 1) <= 'Z'
        && HTTP_METHODS.contains(s.substring(from, to));
  }

  /** A request's path after its method: written with {@link #maskPath}, the route kept. */
  private static final int ROUTE = -3;

  /**
   * "GET /api/orders/42/items?page=2 500": a request's route is its identity, so after an HTTP
   * method the path keeps its segments (ids masked segment by segment, the query as one value), and
   * a status code right after it stays: GET /api/cart 500 and GET /api/search 500 are two problems,
   * GET /users/<*>/profile 500 one.
   */
  private static void maskRequestLine(String s, int[] bounds, int[] mask, int n) {
    for (int t = 0; t + 1 < n; t++) {
      int ms = bounds[2 * t];
      int me = bounds[2 * t + 1];
      while (ms < me && (s.charAt(ms) == '"' || s.charAt(ms) == '\'')) {
        ms++;
      }
      if (!isHttpMethod(s, ms, me) || mask[2 * t + 2] == DROP) {
        continue;
      }
      int ps = bounds[2 * t + 2];
      if (ps + 1 >= bounds[2 * t + 3] || s.charAt(ps) != '/') {
        continue;
      }
      mask[2 * t + 2] = ROUTE;
      if (t + 2 < n
          && mask[2 * t + 4] != DROP
          && isStatus(s, bounds[2 * t + 4], bounds[2 * t + 5])) {
        mask[2 * t + 4] = -1;
      }
      t++;
    }
  }

  /** Keys whose value is a state or a kind: reason, status, state, phase, type, kind, mode. */
  private static final Set<String> STATE_KEYS =
      Set.of("reason", "status", "state", "phase", "type", "kind", "mode", "result", "cause");

  private static boolean isStateKey(String s, int from, int to) {
    return to - from <= 6 && STATE_KEYS.contains(s.substring(from, to).toLowerCase(Locale.ROOT));
  }

  /** Upper-case letters, a v or a slash, then a version: TLSv1.2, SSLv3, SOCKS5, HTTP/1.1. */
  private static boolean isProtocolVersion(String s, int from, int to) {
    int i = from;
    while (i < to && (s.charAt(i) >= 'A' && s.charAt(i) <= 'Z')) {
      i++;
    }
    if (i - from < 2 || i >= to) {
      return false;
    }
    if (s.charAt(i) == 'v' || s.charAt(i) == '/') {
      i++;
    }
    if (i >= to || !isDigit(s.charAt(i))) {
      return false;
    }
    for (; i < to; i++) {
      if (!isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        return false;
      }
    }
    return s.charAt(to - 1) != '.';
  }

  /** Three digits from 100 to 599, an HTTP status (a trailing comma allowed). */
  private static boolean isStatus(String s, int from, int to) {
    if (to > from && s.charAt(to - 1) == ',') {
      to--;
    }
    return to - from == 3
        && s.charAt(from) >= '1'
        && s.charAt(from) <= '5'
        && isDigit(s.charAt(from + 1))
        && isDigit(s.charAt(from + 2));
  }

  /** A token that is part of the value masked in the token before it: not written at all. */
  static final int DROP = -2;

  /** The most words a quoted value may have and still be one value. */
  private static final int MAX_QUOTED_WORDS = 4;

  /**
   * A quoted value is a value by its syntax, whatever its letters: {@code relation "orders"},
   * {@code for field 'customer_id'}, {@code 'Yoga Mat'} (up to four words, which become one {@code
   * <*>} so that the template's length does not depend on the value). The quotes and the
   * punctuation around them stay.
   */
  private static void maskQuoted(String s, int[] bounds, int[] mask, int n) {
    for (int t = 0; t < n; t++) {
      int start = bounds[2 * t];
      int end = bounds[2 * t + 1];
      int open = start;
      while (open < end && (s.charAt(open) == '(' || s.charAt(open) == '[')) {
        open++;
      }
      if (open >= end) {
        continue;
      }
      char q = s.charAt(open);
      if (q != '"' && q != '\'' && q != '`') {
        continue;
      }
      // The closing quote: in this token or one of the next few, before trailing punctuation.
      for (int k = t; k < n && k < t + MAX_QUOTED_WORDS; k++) {
        int ks = k == t ? open + 1 : bounds[2 * k];
        int ke = bounds[2 * k + 1];
        int close = ke;
        while (close > ks && ".,;:)]!?".indexOf(s.charAt(close - 1)) >= 0) {
          close--;
        }
        if (close > ks && s.charAt(close - 1) == q && (k > t || close - 1 > open)) {
          int valueEnd = close - 1;
          if (k == t && valueEnd == open + 1) {
            break; // "" is no value
          }
          if (k == t && isPlaceholder(s, open + 1, valueEnd)) {
            break;
          }
          if (k == t && isCodeWord(s, open + 1, valueEnd)) {
            break; // 'Active', 'KeyError', 'findByEmail': a state or code names the event
          }
          if (k > t && isHttpMethod(s, open + 1, bounds[2 * t + 1])) {
            break; // "GET /v2/servers/detail HTTP/1.1": a request line, masked part by part
          }
          // One mask for the whole value: token t now reaches to the end of token k, and its
          // output is its opening part, <*>, and token k's closing quote and what follows.
          mask[2 * t] = open + 1;
          mask[2 * t + 1] = valueEnd;
          bounds[2 * t + 1] = bounds[2 * k + 1];
          for (int d = t + 1; d <= k; d++) {
            mask[2 * d] = DROP;
          }
          t = k;
          break;
        }
        if (k > t && ke > ks && (s.charAt(ks) == '"' || s.charAt(ks) == '\'')) {
          break; // another quoted value starts: this quote is not closed nearby
        }
      }
    }
  }

  /**
   * Words after which comes a name, as in {@code relation audit_log}, {@code volume
   * db-credentials}, {@code partition payments.settled}: the next word is masked when it has an
   * identifier's shape.
   */
  private static final Set<String> NAMERS =
      Set.of(
          "relation",
          "table",
          "column",
          "database",
          "schema",
          "index",
          "role",
          "constraint",
          "sequence",
          "volume",
          "secret",
          "pod",
          "container",
          "namespace",
          "topic",
          "queue",
          "partition",
          "bucket",
          "dataset",
          "pool",
          "replica",
          "broker",
          "member",
          "instance",
          "disk",
          "snapshot",
          "cluster",
          "node",
          "module",
          "topics",
          "id",
          "named");

  /**
   * "HikariPool-1 - Connection is not available": a line that starts with one word and a lone dash
   * names its sender first (a pool, a client, a component), as several Java libraries log. The name
   * is a value; what follows the dash is the message.
   */
  private static void maskPrefixName(String s, int[] bounds, int[] mask, int n) {
    // "[shop-prod:us-central1:orders-db] connection aborted": a bracketed name first, whole
    // (a part of it may already be masked as a value).
    if (n >= 2) {
      int b = bounds[0];
      int e = bounds[1];
      if (e > b && s.charAt(e - 1) == ':') {
        e--;
      }
      if (e - b > 2
          && s.charAt(b) == '['
          && s.charAt(e - 1) == ']'
          && isIdentifierShaped(s, b + 1, e - 1)) {
        mask[0] = b + 1;
        mask[1] = e - 1;
        return;
      }
    }
    if (n >= 3
        && mask[0] == -1
        && bounds[3] - bounds[2] == 1
        && s.charAt(bounds[2]) == '-'
        && Character.isLetter(s.charAt(bounds[0]))) {
      mask[0] = bounds[0];
      mask[1] = bounds[1];
    }
  }

  private static void maskNamed(String s, int[] bounds, int[] mask, int n) {
    for (int t = 0; t + 1 < n; t++) {
      if (mask[2 * t] != -1 || mask[2 * t + 2] != -1) {
        continue;
      }
      int start = bounds[2 * t];
      int len = bounds[2 * t + 1] - start;
      if (len < 2 || len > 10 || !isNamer(s, start, len)) {
        continue;
      }
      int ps = bounds[2 * t + 2];
      int pe = bounds[2 * t + 3];
      while (ps < pe && isOpen(s.charAt(ps))) {
        ps++;
      }
      while (pe > ps && (isClose(s.charAt(pe - 1)) || ".,;:".indexOf(s.charAt(pe - 1)) >= 0)) {
        pe--;
      }
      // A plain word is weak evidence ("schema mismatch", "index kalo", "instance destroyed"):
      // only an identifier's shape (audit_log, db-credentials, payments.settled, cart-1) is
      // taken as a name.
      if (pe > ps && Character.isLetterOrDigit(s.charAt(ps)) && isIdentifierShaped(s, ps, pe)) {
        mask[2 * t + 2] = ps;
        mask[2 * t + 3] = pe;
        t++;
      }
    }
  }

  /** {@link #NAMERS} by length then first letter, so most words are turned away by one look-up. */
  private static final String[][][] NAMERS_BY_SHAPE = new String[11][][];

  static {
    for (int len = 0; len < NAMERS_BY_SHAPE.length; len++) {
      int length = len;
      NAMERS_BY_SHAPE[len] = byInitial(NAMERS.stream().filter(w -> w.length() == length).toList());
    }
  }

  /**
   * Lower-case words grouped by their first letter a to z: index 0 holds the words in a, and a
   * letter no word starts with has null.
   */
  static String[][] byInitial(java.util.Collection<String> words) {
    String[][] out = new String[26][];
    for (String w : words) {
      int initial = w.charAt(0) - 'a';
      String[] old = out[initial];
      String[] grown = old == null ? new String[1] : Arrays.copyOf(old, old.length + 1);
      grown[grown.length - 1] = w;
      out[initial] = grown;
    }
    return out;
  }

  private static boolean isNamer(String s, int start, int len) {
    if (len >= NAMERS_BY_SHAPE.length) {
      return false;
    }
    int initial = (s.charAt(start) | 0x20) - 'a';
    if (initial < 0 || initial >= 26) {
      return false;
    }
    String[] candidates = NAMERS_BY_SHAPE[len][initial];
    if (candidates == null) {
      return false;
    }
    for (String w : candidates) {
      if (s.regionMatches(true, start, w, 0, len)) {
        return true;
      }
    }
    return false;
  }

  /** Letters or digits joined by '_', '-', '.' or ':', or a word with a digit. */
  private static boolean isIdentifierShaped(String s, int from, int to) {
    boolean joiner = false;
    boolean digit = false;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '_' || c == '-' || c == '.' || c == ':') {
        joiner |= i > from && i < to - 1;
      } else if (c >= '0' && c <= '9') {
        digit = true;
      } else if (!Character.isLetter(c)) {
        return false;
      }
    }
    return joiner || digit;
  }

  /** The word after "user" or "username" is a user name: a value, and personal data. */
  private static void maskUserNames(String s, int[] bounds, int[] mask, int n) {
    for (int t = 0; t + 1 < n; t++) {
      int start = bounds[2 * t];
      int end = bounds[2 * t + 1];
      if (end > start && s.charAt(end - 1) == ':') {
        end--;
      }
      int len = end - start;
      if ((len == 4 && s.regionMatches(true, start, "user", 0, 4))
          || (len == 8 && s.regionMatches(true, start, "username", 0, 8))) {
        int ns = bounds[2 * t + 2];
        int ne = bounds[2 * t + 3];
        int ps = ns;
        while (ps < ne && isOpen(s.charAt(ps))) {
          ps++;
        }
        int pe = ne;
        while (pe > ps && isClose(s.charAt(pe - 1))) {
          pe--;
        }
        if (pe > ps && indexOf(s, '=', ps, pe) < 0) {
          mask[2 * t + 2] = ps;
          mask[2 * t + 3] = pe;
          t++; // the name itself may be "user"
        }
      }
    }
  }

  private static final int MARK_DIGIT = 1;
  private static final int MARK_BRACKET = 2;
  private static final int MARK_KEY = 4;
  private static final int MARK_SLASH = 8;
  private static final int MARK_COLON = 16;
  private static final int MARK_LT = 32;
  private static final int MARK_AT_OR_DOT = 64;

  /** For each ASCII character, the mark {@link #maskToken} looks for that it is, if any. */
  private static final byte[] MARKS = new byte[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      MARKS[c] = MARK_DIGIT;
    }
    MARKS['['] = MARK_BRACKET;
    MARKS['='] = MARK_KEY;
    MARKS['/'] = MARK_SLASH;
    MARKS['\\'] = MARK_SLASH;
    MARKS[':'] = MARK_COLON;
    MARKS['<'] = MARK_LT;
    MARKS['@'] = MARK_AT_OR_DOT;
    MARKS['.'] = MARK_AT_OR_DOT;
  }

  /** Sets token t's masked range in {@code mask}, or -1 when the token stays as written. */
  private static void maskToken(String s, int start, int end, int[] mask, int t) {
    mask[2 * t] = -1;
    if (end - start == 2 && isEmptyPair(s.charAt(start), s.charAt(start + 1))) {
      mask[2 * t] = start + 1;
      mask[2 * t + 1] = start + 1;
      return;
    }
    int ps = start;
    while (ps < end && isOpen(s.charAt(ps))) {
      ps++;
    }
    int pe = coreEnd(s, ps, end);
    if (ps == pe) {
      return;
    }
    int letters = lettersOnly(s, ps, pe);
    if (letters != NOT_LETTERS) {
      // The common case, a plain word: of all the rules only booleans and long hex can apply.
      if (isBoolean(s, ps, pe)
          || (letters == HEX_LETTERS && pe - ps >= 8 && !isCodeName(s, ps, pe))) {
        mask[2 * t] = ps;
        mask[2 * t + 1] = pe;
      }
      return;
    }
    int ms = -1;
    // One scan for the marks the rules below look for; a rule whose mark is missing is not run.
    int bracket = -1;
    int key = -1;
    int marks = 0;
    for (int i = ps; i < pe; i++) {
      char c = s.charAt(i);
      int m = c < 128 ? MARKS[c] : 0;
      if ((m & (MARK_BRACKET | MARK_KEY)) != 0) {
        if (c == '[') {
          bracket = bracket < 0 ? i : bracket;
        } else {
          key = key < 0 ? i : key;
        }
      }
      marks |= m;
    }
    boolean digit = (marks & MARK_DIGIT) != 0;
    boolean slash = (marks & MARK_SLASH) != 0;
    boolean colon = (marks & MARK_COLON) != 0;
    boolean lt = (marks & MARK_LT) != 0;
    boolean atOrDot = (marks & MARK_AT_OR_DOT) != 0;
    if (bracket > ps
        && bracket + 1 < pe
        && isCodePath(s, ps, bracket)
        && hasDigit(s, bracket + 1, pe)) {
      // tasks.build_invoice[4f1c…]: a name and its instance's id
      mask[2 * t] = bracket + 1;
      mask[2 * t + 1] = s.charAt(pe - 1) == ']' ? pe - 1 : pe;
      return;
    }
    if (key > ps && key + 1 < pe && lettersOnly(s, ps, key) != NOT_LETTERS) {
      if (isStateKey(s, ps, key) && isCodeWord(s, key + 1, pe)) {
        return; // reason=OOMKilled, reason=Error: a state names the problem
      }
      ms = key + 1; // url='/api/cart': the key stays whatever its value's shape
    } else if (digit && isProtocolVersion(s, ps, pe)) {
      return; // TLSv1.2 and TLSv1.3, IPv6, SOCKS5: a protocol is not a value
    } else if (slash && isPathOrUrl(s, ps, pe)) {
      ms = ps;
    } else {
      if (key > ps) {
        ms = key + 1 < pe ? key + 1 : -1;
      } else {
        int keyColon = colon ? keyColon(s, ps, pe) : -1;
        if (keyColon > 0 && isValue(s, keyColon + 1, pe)) {
          ms = keyColon + 1;
        } else if ((lt && isPlaceholder(s, ps, pe))
            // Not letters only, so a value here has a digit (long hex too), an @ or a dot.
            || ((digit || atOrDot) && isValue(s, ps, pe))) {
          ms = ps;
        }
      }
    }
    if (ms >= 0) {
      mask[2 * t] = ms;
      mask[2 * t + 1] = pe;
    }
  }

  /**
   * Where a token's core ends once trailing punctuation is set aside. A closing bracket whose
   * opening bracket is inside the token belongs to it: "LOCAL(0)," has the core "LOCAL(0)".
   */
  private static int coreEnd(String s, int from, int end) {
    int pe = end;
    while (pe > from && isClose(s.charAt(pe - 1))) {
      char c = s.charAt(pe - 1);
      char open = c == ')' ? '(' : c == ']' ? '[' : c == '}' ? '{' : 0;
      if (open != 0 && indexOf(s, open, from, pe - 1) >= 0) {
        break;
      }
      pe--;
    }
    return pe;
  }

  private static final int NOT_LETTERS = 0;
  private static final int LETTERS = 1;
  private static final int HEX_LETTERS = 2;

  /** Whether [from, to) is ASCII letters only, and whether they are all hex digits (a-f). */
  private static int lettersOnly(String s, int from, int to) {
    int kind = HEX_LETTERS;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      kind = Math.min(kind, c < 128 ? LETTER_KIND[c] : NOT_LETTERS);
      if (kind == NOT_LETTERS) {
        return NOT_LETTERS;
      }
    }
    return kind;
  }

  /** For each ASCII character: HEX_LETTERS (a-f, A-F), LETTERS (other letters) or NOT_LETTERS. */
  private static final byte[] LETTER_KIND = new byte[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      LETTER_KIND[c] = (byte) (c <= 'f' ? HEX_LETTERS : LETTERS);
      LETTER_KIND[Character.toUpperCase(c)] = LETTER_KIND[c];
    }
  }

  /** A value the redactor already replaced: {@code <ip>}, {@code <email>,<ip>}. */
  private static boolean isPlaceholder(String s, int from, int to) {
    int lt = indexOf(s, '<', from, to);
    if (lt < 0) {
      return false;
    }
    int gt = indexOf(s, '>', lt, to);
    if (gt < lt + 2) {
      return false;
    }
    for (int i = lt + 1; i < gt; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isUnit(String s, int start, int end) {
    if (isOpen(s.charAt(start))) {
      return false;
    }
    int core = end;
    while (core > start && isClose(s.charAt(core - 1))) {
      core--;
    }
    return core > start && core - start <= 7 && UNITS.contains(s.substring(start, core));
  }

  private static boolean isPunctuation(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isClose(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** In "index:0" or "ret:false", the colon after an alphabetic key; -1 otherwise. */
  private static int keyColon(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == ':') {
        return i - from >= 2 && i + 1 < to ? i : -1;
      }
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-')) {
        return -1;
      }
    }
    return -1;
  }

  private static boolean isValue(String s, int from, int to) {
    if (isCodeName(s, from, to)) {
      return false;
    }
    if (isBoolean(s, from, to)) {
      return true;
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
  static boolean isCodeName(String s, int from, int to) {
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
    char end = s.charAt(to - 1);
    if ((end == 'r' && s.startsWith("Error", to - 5))
        || (end == 'n' && s.startsWith("Exception", to - 9))
        || (end == 'g' && s.startsWith("Warning", to - 7))) {
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

  /**
   * Masks addresses (0x1d) and line numbers (after ':' or "line ") in a stack frame, after {@link
   * #withoutBuild} has taken out what changes from build to build.
   */
  private static String normalizeFrame(String frame) {
    String line = withoutBuild(frame);
    StringBuilder out = new StringBuilder(line.length());
    int n = line.length();
    int i = 0;
    while (i < n) {
      char c = line.charAt(i);
      if (c == '0' && i + 2 < n && line.charAt(i + 1) == 'x' && isHexDigit(line.charAt(i + 2))) {
        int j = i + 2;
        while (j < n && isHexDigit(line.charAt(j))) {
          j++;
        }
        out.append(MASK);
        i = j;
      } else if (c >= '0' && c <= '9' && followsColonOrLine(line, i)) {
        int j = i;
        while (j < n && line.charAt(j) >= '0' && line.charAt(j) <= '9') {
          j++;
        }
        out.append(MASK);
        i = j;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Where installed packages live: a frame's path is named from what follows. */
  private static final String[] PACKAGE_ROOTS = {"/site-packages/", "/dist-packages/", "/pkg/mod/"};

  /** Generated class-name parts whose suffix is a per-build number or hash. */
  private static final String[] GENERATED = {
    "$$EnhancerBySpringCGLIB$$",
    "$$FastClassBySpringCGLIB$$",
    "$$SpringCGLIB$$",
    "$HibernateProxy$",
    "$$Lambda$",
    "GeneratedMethodAccessor",
    "GeneratedConstructorAccessor",
    "GeneratedSerializationConstructorAccessor",
    "/chunks/",
  };

  /**
   * A frame without what differs between two builds of the same code: the install prefix of a
   * package (interpreter version, virtualenv, Go module version), the Python standard library's and
   * Go's root, and generated class-name or bundle-chunk numbers. What stays is what names the code:
   * module, file, class and function.
   */
  static String withoutBuild(String line) {
    String l = line;
    // A path: from the last package root on, or the standard library's own part.
    for (String root : PACKAGE_ROOTS) {
      int at = l.lastIndexOf(root);
      if (at >= 0) {
        int start = pathStart(l, at);
        l = l.substring(0, start) + l.substring(at + root.length());
      }
    }
    int py = l.indexOf("/python3.");
    if (py >= 0) {
      int slash = l.indexOf('/', py + 1);
      if (slash > 0) {
        l = l.substring(0, pathStart(l, py)) + l.substring(slash + 1);
      }
    }
    int goSrc = l.indexOf("/src/");
    if (goSrc >= 0 && l.indexOf(".go:") > goSrc && isGoRoot(l, pathStart(l, goSrc), goSrc)) {
      l = l.substring(0, pathStart(l, goSrc)) + l.substring(goSrc + 5);
    }
    int version = l.indexOf("@v");
    if (version > 0 && l.indexOf(".go:") > version) {
      int end = l.indexOf('/', version);
      if (end > 0) {
        l = l.substring(0, version) + "@" + MASK + l.substring(end);
      }
    }
    for (String g : GENERATED) {
      for (int at = l.indexOf(g); at >= 0; at = l.indexOf(g, at + g.length())) {
        int from = at + g.length();
        int end = from;
        while (end < l.length() && isHexDigit(l.charAt(end))) {
          end++;
        }
        if (end > from && (end - from > 1 || isDigit(l.charAt(from)))) {
          l = l.substring(0, from) + MASK + l.substring(end);
        }
      }
    }
    return l;
  }

  /** Where the path that holds {@code at} begins: after a quote, a space or a parenthesis. */
  private static int pathStart(String s, int at) {
    int i = at;
    while (i > 0
        && s.charAt(i - 1) != '"'
        && s.charAt(i - 1) != ' '
        && s.charAt(i - 1) != '('
        && s.charAt(i - 1) != '\t') {
      i--;
    }
    return i;
  }

  /** {@code /usr/local/go}, {@code /usr/lib/go-1.22}, {@code /opt/go}: Go's own sources. */
  private static boolean isGoRoot(String s, int from, int to) {
    // The last path segment: "go", "goroot", or "go" with a version ("go1.22", "go-1.22").
    int segment = s.lastIndexOf('/', to - 1) + 1;
    if (segment <= from || !s.startsWith("go", segment)) {
      return false;
    }
    if (s.regionMatches(segment, "goroot", 0, 6) && to - segment == 6) {
      return true;
    }
    int i = segment + 2;
    if (i < to && s.charAt(i) == '-') {
      i++;
    }
    for (; i < to; i++) {
      char c = s.charAt(i);
      if (!isDigit(c) && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean followsColonOrLine(String s, int i) {
    return (i > 0 && s.charAt(i - 1) == ':') || (i >= 5 && s.startsWith("line ", i - 5));
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
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

  private static boolean isBoolean(String s, int from, int to) {
    int len = to - from;
    if (len < 4 || len > 5) {
      return false;
    }
    char first = s.charAt(from);
    int lower = first | 0x20;
    if (first < 128 && lower != 't' && lower != 'n' && lower != 'f') {
      return false; // most words: neither true, null nor false (any case)
    }
    return (len == 4
            && (s.regionMatches(true, from, "true", 0, 4)
                || s.regionMatches(true, from, "null", 0, 4)))
        || (len == 5 && s.regionMatches(true, from, "false", 0, 5));
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

  static int indexOf(String s, char c, int from, int to) {
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
