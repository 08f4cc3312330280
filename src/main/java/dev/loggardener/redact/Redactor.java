package dev.loggardener.redact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.Digests;
import dev.loggardener.logentry.HttpRequestInfo;
import dev.loggardener.logentry.Json;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.RawJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets and personal data from log text. Each detector names what it replaced ({@code
 * <email>}, {@code <jwt>}, ...), so a reader still sees what kind of value stood there. Every
 * detector has a cheap pre-check so that clean text costs a few {@code indexOf} scans.
 */
public final class Redactor {

  private final List<Detector> detectors;
  private final Gate[] gates;

  /**
   * {@link #redact(String)} of loggers, functions, source lines and label values: few distinct
   * values, on every entry.
   */
  private final RecentResults recentNames = new RecentResults(512, 160, this::redact);

  /** {@link #pseudonym(String)} (a SHA-256 each) of users: a user's requests come in runs. */
  private final RecentResults recentUsers = new RecentResults(512, 160, Redactor::pseudonym);

  public Redactor(RedactionConfig config) {
    List<Detector> d = new ArrayList<>();
    // Order matters: specific shapes first, so that a generic one does not eat part of them.
    d.add(
        new Detector(
            "url-credentials",
            Redactor::urlCredentialsStart,
            Pattern.compile(
                "\\b([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\\s:@<>\"'\\\\]+:[^/\\s@<>\"'\\\\]+@"),
            m -> m.group(1) + "<credentials>@"));
    d.add(Detector.scanner("private-key", Scanners::privateKeys));
    d.add(Detector.scanner("jwt", Scanners::jwts));
    d.add(
        new Detector(
            "bearer",
            (t, from) -> first(t.indexOf("earer", from) - 1, t.indexOf("asic ", from) - 1),
            Pattern.compile("(?i)\\b(bearer|basic)\\s+(?!<[a-z-]+>)[A-Za-z0-9._~+/=-]{8,}"),
            m -> m.group(1) + " <token>"));
    d.add(Detector.scanner("secret-header", Scanners::secretHeaders));
    d.add(
        new Detector(
            "github-token",
            Redactor::githubStart,
            Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})"),
            m -> "<github-token>"));
    d.add(
        new Detector(
            "google-api-key",
            (t, from) -> t.indexOf("AIza", from),
            Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"),
            m -> "<google-api-key>"));
    d.add(
        new Detector(
            "aws-access-key",
            (t, from) -> first(t.indexOf("AKIA", from), t.indexOf("ASIA", from)),
            Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),
            m -> "<aws-access-key>"));
    d.add(Detector.scanner("aws-secret-key", Scanners::awsSecretKeys));
    d.add(
        new Detector(
            "slack-token",
            (t, from) -> first(t.indexOf("xox", from), t.indexOf("xapp-", from)),
            Pattern.compile("\\b(?:xox[abposre]|xapp)-[0-9A-Za-z-]{10,}"),
            m -> "<slack-token>"));
    d.add(
        new Detector(
            "stripe-key",
            (t, from) -> {
              int i = first(t.indexOf("_live_", from), t.indexOf("_prod_", from));
              return i < 0 ? -1 : Math.max(from, i - 2);
            },
            Pattern.compile("\\b(?:sk|rk)_(?:live|prod)_[0-9A-Za-z]{10,}"),
            m -> "<stripe-key>"));
    // Vendor token formats, after gitleaks' rules (github.com/gitleaks/gitleaks,
    // config/gitleaks.toml
    // v8.x: stripe-access-token, openai-api-key, npm-access-token, slack-webhook-url,
    // gcp-oauth access tokens): the prefix finds them, the length keeps prose out.
    d.add(
        new Detector(
            "stripe-test-key",
            (t, from) -> {
              int i = first(t.indexOf("_test_", from), t.indexOf("whsec_", from));
              return i < 0 ? -1 : Math.max(from, i - 2);
            },
            Pattern.compile("\\b(?:(?:sk|rk|pk)_test_[0-9A-Za-z]{16,}|whsec_[0-9A-Za-z]{24,})"),
            m -> "<stripe-key>"));
    d.add(
        new Detector(
            "openai-key",
            (t, from) -> t.indexOf("sk-", from),
            Pattern.compile("\\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"),
            m -> "<openai-key>"));
    d.add(
        new Detector(
            "npm-token",
            (t, from) -> t.indexOf("npm_", from),
            Pattern.compile("\\bnpm_[A-Za-z0-9]{36}\\b"),
            m -> "<npm-token>"));
    d.add(
        new Detector(
            "google-oauth-token",
            (t, from) -> t.indexOf("ya29.", from),
            Pattern.compile("\\bya29\\.[0-9A-Za-z_-]{20,}"),
            m -> "<google-oauth-token>"));
    d.add(
        new Detector(
            "slack-webhook",
            (t, from) -> t.indexOf("hooks.slack.com/", from),
            Pattern.compile(
                "hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{10,}"),
            m -> "hooks.slack.com/<slack-webhook>"));
    d.add(Detector.scanner("url-secret", Scanners::urlSecrets));
    // password=..., "api_key": "...": the name stays, the value goes. A bare "token: x" in prose
    // is left alone; only the quoted-key form counts with a colon.
    d.add(Detector.scanner("secret-pair", SecretPairs::redact));
    boolean keepDomain = config.keepEmailDomain();
    d.add(Detector.scanner("email", t -> Scanners.emails(t, keepDomain)));
    d.add(
        new Detector(
            "ipv6",
            Redactor::ipv6Start,
            Pattern.compile(
                "(?<![\\w:.])(?:"
                    + "(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
                    + "|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?"
                    + "|::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})"
                    + ")(?::\\d{1,3}(?:\\.\\d{1,3}){3})?(?![\\w:]|\\.\\d)"),
            m -> "<ip>"));
    d.add(Detector.scanner("ipv4", Scanners::ipv4));
    d.add(
        new Detector(
            "card",
            CARD_RUNS,
            Pattern.compile("(?<![\\w-])[2-6]\\d(?:[ -]?\\d){11,17}(?![\\w])(?!-\\w)"),
            m -> Cards.isCardNumber(m.group()) ? "<card>" : null));
    d.add(Detector.scanner("phone", Scanners::phones));
    for (RedactionConfig.CustomPattern p : config.patterns()) {
      d.add(Detector.userPattern(p.name(), p.regex()));
    }
    this.detectors = List.copyOf(d);
    this.gates = new Gate[detectors.size()];
    for (int k = 0; k < gates.length; k++) {
      Detector det = detectors.get(k);
      gates[k] =
          det.userRegex() != null ? Gate.ALWAYS : GATES.getOrDefault(det.name(), Gate.ALWAYS);
    }
  }

  /** The text with every detected value replaced. Returns the same instance when clean. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    return redact(text, new boolean[1]);
  }

  private String redact(String text, boolean[] crossed) {
    return redact(text, crossed, true);
  }

  private String redact(String text, boolean[] crossed, boolean gated) {
    String t = text;
    TextShape shape = new TextShape(t);
    for (int k = 0; k < detectors.size(); k++) {
      if (gated && !gates[k].mayMatch(shape)) {
        continue; // the text lacks a character every match of this detector holds
      }
      String r = detectors.get(k).apply(t, crossed);
      if (r != t) {
        t = r;
        shape = new TextShape(t); // a replacement brings characters of its own: <credentials>@
      }
    }
    return t;
  }

  /** Every detector on the text, none skipped by its gate: what the gates must agree with. */
  String redactUngated(String text) {
    return redact(text, new boolean[1], false);
  }

  /** The names of the detectors, in the order they run. */
  List<String> detectorNames() {
    return detectors.stream().map(Detector::name).toList();
  }

  /**
   * What a text holds, in one scan: which of the characters the detectors look for, how many ASCII
   * digits, and its length. A detector's {@link Gate} reads it to skip text it cannot match.
   */
  static final class TextShape {
    /** The characters a gate can ask for; bit i of {@link #chars} is TRACKED.charAt(i). */
    static final String TRACKED = ":/@-J_zIxk9.%?&=, a";

    /** Bit 63 marks an ASCII digit; the others are the TRACKED bits. */
    private static final long DIGIT = 1L << 63;

    private static final long[] BIT = new long[128];

    static {
      for (int i = 0; i < TRACKED.length(); i++) {
        BIT[TRACKED.charAt(i)] = 1L << i;
      }
      for (char ch = '0'; ch <= '9'; ch++) {
        BIT[ch] |= DIGIT;
      }
    }

    final long chars;
    final int digits;
    final int length;

    TextShape(String t) {
      // One table look-up per character, no branch on what it is: digits are counted from the
      // table's top bit, which is cleared from the character bits at the end.
      long c = 0;
      int d = 0;
      int n = t.length();
      for (int i = 0; i < n; i++) {
        char ch = t.charAt(i);
        long b = ch < 128 ? BIT[ch] : 0;
        c |= b;
        d += (int) (b >>> 63);
      }
      this.chars = c & ~DIGIT;
      this.digits = d;
      this.length = n;
    }

    static long bits(String chars) {
      long b = 0;
      for (int i = 0; i < chars.length(); i++) {
        int at = TRACKED.indexOf(chars.charAt(i));
        if (at < 0) {
          throw new IllegalArgumentException("not tracked: " + chars.charAt(i));
        }
        b |= 1L << at;
      }
      return b;
    }
  }

  /**
   * A necessary condition for a detector to change a text: every character of {@code all}, one of
   * {@code any} (when given), at least {@code minDigits} ASCII digits and {@code minLength}
   * characters. Each is read off the detector's own first check (the literal its candidates look
   * for, the separator it jumps to, the digits its shortest match has), so it never skips a text
   * the detector would have changed; it only saves the scan.
   */
  record Gate(long all, long any, int minDigits, int minLength) {
    static final Gate ALWAYS = new Gate(0, 0, 0, 0);

    static Gate of(String all, String any, int minDigits, int minLength) {
      return new Gate(TextShape.bits(all), TextShape.bits(any), minDigits, minLength);
    }

    boolean mayMatch(TextShape s) {
      return (s.chars & all) == all
          && (any == 0 || (s.chars & any) != 0)
          && s.digits >= minDigits
          && s.length >= minLength;
    }
  }

  /** Each built-in detector's gate; a detector not named here (a user's pattern) always runs. */
  static final Map<String, Gate> GATES =
      Map.ofEntries(
          Map.entry("url-credentials", Gate.of(":/@", "", 0, 0)), // "://" then '@'
          Map.entry("private-key", Gate.of("-", "", 0, 0)), // "-----BEGIN "
          Map.entry("jwt", Gate.of("J", "", 0, 0)), // "eyJ"
          Map.entry("bearer", Gate.of("a", "", 0, 0)), // "earer", "asic "
          Map.entry("secret-header", Gate.of(":", "", 0, 0)), // "Authorization:"
          Map.entry("github-token", Gate.of("_", "", 0, 0)), // "ghp_", "github_pat_"
          Map.entry("google-api-key", Gate.of("z", "", 0, 0)), // "AIza"
          Map.entry("aws-access-key", Gate.of("I", "", 0, 0)), // "AKIA", "ASIA"
          Map.entry("aws-secret-key", Gate.of("", "", 0, 40)), // a run of 40
          Map.entry("slack-token", Gate.of("x", "", 0, 0)), // "xox", "xapp-"
          Map.entry("stripe-key", Gate.of("_", "", 0, 0)), // "_live_", "_prod_"
          Map.entry("stripe-test-key", Gate.of("_", "", 0, 0)), // "_test_", "whsec_"
          Map.entry("openai-key", Gate.of("k-", "", 0, 0)), // "sk-"
          Map.entry("npm-token", Gate.of("_", "", 0, 0)), // "npm_"
          Map.entry("google-oauth-token", Gate.of("9.", "", 0, 0)), // "ya29."
          Map.entry("slack-webhook", Gate.of("/.", "", 0, 0)), // "hooks.slack.com/"
          Map.entry("url-secret", Gate.of("", "?&", 0, 0)), // a query's '?' or '&'
          Map.entry("secret-pair", Gate.of("", "=:, ", 0, 0)), // =, :, ',', " is ", " was "
          Map.entry("email", Gate.of("", "@%", 0, 0)), // '@' or "%40"
          Map.entry("ipv6", Gate.of(":", "", 0, 0)),
          Map.entry("ipv4", Gate.of(".", "", 4, 0)), // four numbers and their dots
          Map.entry("card", Gate.of("", "", 13, 0)), // 13 digits at least
          Map.entry("phone", Gate.of("", "", 8, 0))); // 8 digits at least (+ and separators)

  /**
   * The entry with its message, request URL, labels, logger and function redacted (the raw JSON is
   * redacted where it is read), and its user replaced by a stable hash (distinct-user counts need
   * no raw id).
   */
  public LogEntry redact(LogEntry e) {
    return redact(e, e.rawJson());
  }

  /**
   * The entry with its whole JSON redacted too, so nothing of it is raw any more (what {@code
   * --redactAtParse} keeps from the parse step on).
   */
  public LogEntry redactWhole(LogEntry e) {
    return redact(
        e, e.rawJson() == null ? null : RawJson.of(e.rawJson().redactedBy(this::redactJson)));
  }

  /**
   * A dead letter with its detail, payload (value by value where it is JSON, so that a unicode
   * escape cannot hide a value) and Pub/Sub attributes redacted.
   */
  public DeadLetter redact(DeadLetter d) {
    return new DeadLetter(
        d.step(),
        d.reason(),
        d.detail() == null ? null : redact(d.detail()),
        redactJson(d.payload()),
        redact(d.attributes()),
        d.receivedAt());
  }

  /** Pub/Sub attributes, names and values redacted, sorted by name. */
  public java.util.SortedMap<String, String> redact(Map<String, String> attributes) {
    java.util.TreeMap<String, String> out = new java.util.TreeMap<>();
    attributes.forEach((k, v) -> out.put(redact(k), redact(v)));
    return out;
  }

  private LogEntry redact(LogEntry e, RawJson raw) {
    HttpRequestInfo h = e.httpRequest();
    HttpRequestInfo http =
        h == null
            ? null
            : new HttpRequestInfo(h.method(), redact(h.url()), h.status(), h.latency());
    // Labels are copied only when one of them changes, and each value is redacted once.
    java.util.TreeMap<String, String> redacted = null;
    for (Map.Entry<String, String> l : e.labels().entrySet()) {
      String value = recentNames.apply(l.getValue());
      if (redacted == null && value != l.getValue()) {
        redacted = new java.util.TreeMap<>(e.labels());
      }
      if (redacted != null) {
        redacted.put(l.getKey(), value);
      }
    }
    Map<String, String> labels = redacted == null ? e.labels() : LogEntry.labelsOwned(redacted);
    // The whole entry (rawJson) stays as it is unless redactWhole asked otherwise: it can only be
    // read through a redactor, which the pipeline applies to the few entries it keeps as samples.
    // Logger and function names reach titles and the fingerprint's identity: a logger named after
    // a request (or an attacker's choice) can carry a secret too. Source lines and trace ids are
    // written to the tables; they are whatever the entry says, so they are redacted as text.
    return e.withText(
        redact(e.message()),
        recentNames.apply(e.logger()),
        recentNames.apply(e.function()),
        recentNames.apply(e.sourceLine()),
        isTraceId(e.trace()) ? e.trace() : redact(e.trace()),
        http,
        labels,
        recentUsers.apply(e.user()),
        raw);
  }

  /**
   * Every string value in a JSON document, redacted. The fast path redacts the text as it stands:
   * no replacement ever holds a quote or a backslash, so the document stays valid JSON. Where the
   * text has \\u or \\/ escapes (which could hide a value from a text scan) or a match would cross
   * a quote or backslash (a user's own pattern might), each string value is redacted in a parsed
   * tree instead and the document re-written compactly.
   */
  public String redactJson(String json) {
    if (json == null || json.isEmpty()) {
      return json;
    }
    // \\u and \\/ escapes can hide a value from a text scan ("https:\\/\\/user:pw@host"); such
    // documents are redacted value by value.
    if (json.indexOf("\\u") < 0 && json.indexOf("\\/") < 0) {
      boolean[] crossed = new boolean[1];
      String fast = redact(json, crossed);
      // A replacement that left the document no longer JSON (a card number or a secret written
      // as a JSON number becomes an unquoted <card> or <secret>) sends it through the tree, which
      // writes a string instead. Only changed documents are checked, and few change.
      if (!crossed[0] && (fast == json || parses(fast))) {
        return fast;
      }
    }
    try {
      JsonNode node = Json.mapper().readTree(json);
      return Json.mapper().writeValueAsString(redactNode(node));
    } catch (JsonProcessingException ex) {
      // Not JSON (a dead letter's cut or broken document): its escapes are decoded first, so that
      // "alice\u0040example.com" cannot pass as text either.
      return redact(unescape(json));
    }
  }

  private static boolean parses(String json) {
    try {
      Json.mapper().readTree(json);
      return true;
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  /** The text with JSON's \\uXXXX and \\/ escapes decoded; other escapes stay as written. */
  static String unescape(String s) {
    if (s.indexOf("\\u") < 0 && s.indexOf("\\/") < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < n) {
        char e = s.charAt(i + 1);
        if (e == '/') {
          out.append('/');
          i++;
          continue;
        }
        if (e == 'u' && i + 6 <= n) {
          int v = hex4(s, i + 2);
          if (v >= 0) {
            out.append((char) v);
            i += 5;
            continue;
          }
        }
        if (e == '\\') {
          out.append("\\\\");
          i++;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static int hex4(String s, int at) {
    int v = 0;
    for (int k = at; k < at + 4; k++) {
      int d = Character.digit(s.charAt(k), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v;
  }

  private JsonNode redactNode(JsonNode n) {
    if (n.isTextual()) {
      String r = redact(n.asText());
      return r.equals(n.asText()) ? n : TextNode.valueOf(r);
    }
    if (n.isIntegralNumber()) {
      String digits = n.asText();
      return digits.length() >= 13 && digits.length() <= 19 && Cards.isCardNumber(digits)
          ? TextNode.valueOf("<card>")
          : n;
    }
    if (n.isObject()) {
      // Keys are text too (an address used as a key); a secret-named key's value goes whatever
      // its type ("pin_password": 8391), as the text scan does for "password": "...".
      ObjectNode o = (ObjectNode) n;
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(o.properties());
      o.removeAll();
      for (Map.Entry<String, JsonNode> f : fields) {
        JsonNode v = f.getValue();
        boolean secret =
            SecretPairs.isSecretKey(f.getKey())
                && v.isValueNode()
                && !v.isNull()
                && !v.asText().isEmpty()
                && !SecretPairs.isPlaceholder(v.asText(), 0);
        o.set(redact(f.getKey()), secret ? TextNode.valueOf("<secret>") : redactNode(v));
      }
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = (ArrayNode) n;
      for (int i = 0; i < a.size(); i++) {
        a.set(i, redactNode(a.get(i)));
      }
    }
    return n;
  }

  /**
   * Cloud Trace's shape, {@code projects/PROJECT/traces/HEX}: nothing in it can be a secret, so it
   * skips the detectors.
   */
  static boolean isTraceId(String trace) {
    if (trace == null || !trace.startsWith("projects/")) {
      return trace == null;
    }
    int slash = trace.indexOf("/traces/", 9);
    if (slash < 10 || trace.length() - slash - 8 < 16 || trace.length() - slash - 8 > 32) {
      return false;
    }
    return only(trace, 9, slash, PROJECT_ID) && only(trace, slash + 8, trace.length(), LOWER_HEX);
  }

  /** Whether every character of [from, to) is of {@code kind} ({@link #ID_CHARS}). */
  private static boolean only(String s, int from, int to, int kind) {
    int all = kind;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      all &= c < 128 ? ID_CHARS[c] : 0; // no branch on the character: ids are random
    }
    return all == kind;
  }

  /**
   * Characters of a project id (a-z, 0-9, -) and of lower-case hex (0-9, a-f: trace ids,
   * pseudonyms), as bits.
   */
  private static final int PROJECT_ID = 1;

  private static final int LOWER_HEX = 2;

  private static final byte[] ID_CHARS = new byte[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      ID_CHARS[c] = (byte) (PROJECT_ID | (c <= 'f' ? LOWER_HEX : 0));
    }
    for (char c = '0'; c <= '9'; c++) {
      ID_CHARS[c] = PROJECT_ID | LOWER_HEX;
    }
    ID_CHARS['-'] = PROJECT_ID;
  }

  /** A stable stand-in for a user id: the same user maps to the same value, in every process. */
  static String pseudonym(String user) {
    if (user == null || isPseudonym(user)) {
      return user; // redacting twice (--redactAtParse, then fingerprinting) changes nothing
    }
    return "u_" + Digests.shortSha256("log-gardener-user\0" + user);
  }

  private static boolean isPseudonym(String user) {
    if (user.length() != 18 || !user.startsWith("u_")) {
      return false;
    }
    return only(user, 2, 18, LOWER_HEX);
  }

  /** The smaller of two indexes that are not -1; -1 when both are. */
  private static int first(int a, int b) {
    if (a < 0) {
      return b < 0 ? -1 : b;
    }
    return b < 0 ? a : Math.min(a, b);
  }

  /**
   * Where "scheme://user:password@" starts: an '@' after "://" and before the next '/' or space;
   * the scheme is the letters before "://".
   */
  private static int urlCredentialsStart(String s, int from) {
    for (int i = s.indexOf("://", from); i >= 0; i = s.indexOf("://", i + 3)) {
      for (int j = i + 3; j < s.length(); j++) {
        char c = s.charAt(j);
        if (c == '@') {
          int start = i;
          while (start > 0
              && (Character.isLetterOrDigit(s.charAt(start - 1))
                  || s.charAt(start - 1) == '+'
                  || s.charAt(start - 1) == '.'
                  || s.charAt(start - 1) == '-')) {
            start--;
          }
          return start;
        }
        if (c == '/' || c == ' ' || c == '"' || c == '\'') {
          break;
        }
      }
    }
    return -1;
  }

  /** Where ghp_, gho_, ghu_, ghs_, ghr_ or github_pat_ first occurs. */
  private static int githubStart(String s, int from) {
    int pat = s.indexOf("github_pat_", from);
    for (int i = s.indexOf("gh", from); i >= 0 && i + 3 < s.length(); i = s.indexOf("gh", i + 2)) {
      char c = s.charAt(i + 2);
      if ((c == 'p' || c == 'o' || c == 'u' || c == 's' || c == 'r') && s.charAt(i + 3) == '_') {
        return first(i, pat);
      }
    }
    return pat;
  }

  /**
   * "::", or a chain of five colons each with a hex digit on both sides and at most four characters
   * apart: the shape of a full IPv6 address. Jumps from colon to colon.
   */
  private static int ipv6Start(String s, int from) {
    int dd = s.indexOf("::", from);
    if (dd >= 0) {
      // Back to the start of the hex-and-colon run that holds "::".
      int start = dd;
      while (start > from && (isHex(s.charAt(start - 1)) || s.charAt(start - 1) == ':')) {
        start--;
      }
      return start;
    }
    int chain = 0;
    int chainStart = -1;
    int previous = -10;
    for (int c = s.indexOf(':', from); c >= 0; c = s.indexOf(':', c + 1)) {
      boolean hexAround =
          c > 0 && c + 1 < s.length() && isHex(s.charAt(c - 1)) && isHex(s.charAt(c + 1));
      if (!hexAround) {
        chain = 0;
      } else {
        chain = c - previous <= 5 ? chain + 1 : 1;
        if (chain == 1) {
          chainStart = Math.max(from, c - 4);
        }
        if (chain >= 5) {
          return chainStart;
        }
      }
      previous = c;
    }
    return -1;
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * A run of at least 13 digits, spaces and dashes that holds 13 digits. Windows of 13 characters
   * are checked from their end, so ordinary text is skipped 13 characters at a time.
   */
  private static int cardRunStart(String s, int from) {
    int n = s.length();
    int i = from;
    while (i + 13 <= n) {
      int j = i + 12;
      while (j >= i && isCardChar(s.charAt(j))) {
        j--;
      }
      if (j >= i) {
        i = j + 1;
        continue;
      }
      int digits = 0;
      int k = i;
      while (k < n && isCardChar(s.charAt(k))) {
        if (isDigit(s.charAt(k)) && ++digits >= 13) {
          return i;
        }
        k++;
      }
      i = k + 1;
    }
    return -1;
  }

  private static boolean isCardChar(char c) {
    return isDigit(c) || c == ' ' || c == '-';
  }

  /** Where a detector's regex could match next, and how far its search need go. */
  private interface Candidates {
    /** The first position at or after {@code from} where a match could start, or -1. */
    int next(String text, int from);

    /** Where the search from a candidate may stop; the text's end unless a detector knows. */
    default int end(String text, int start) {
      return text.length();
    }
  }

  /** Card numbers: candidates are runs of digits, spaces and dashes that hold 13 digits. */
  private static final Candidates CARD_RUNS =
      new Candidates() {
        @Override
        public int next(String text, int from) {
          return cardRunStart(text, from);
        }

        @Override
        public int end(String text, int start) {
          int e = start;
          while (e < text.length() && isCardChar(text.charAt(e))) {
            e++;
          }
          return e;
        }
      };

  /** One kind of sensitive value. The replacement may return null to keep a match as it is. */
  private record Detector(
      String name,
      Candidates candidates,
      Pattern pattern,
      java.util.function.Function<Matcher, String> replacement,
      java.util.function.UnaryOperator<String> scanner,
      com.google.re2j.Pattern userRegex,
      String userReplacement) {

    Detector(
        String name,
        Candidates candidates,
        Pattern pattern,
        java.util.function.Function<Matcher, String> replacement) {
      this(name, candidates, pattern, replacement, null, null, null);
    }

    /** A hand-written detector; its replacements never hold a quote or a backslash. */
    static Detector scanner(String name, java.util.function.UnaryOperator<String> scanner) {
      return new Detector(name, (t, from) -> from, null, null, scanner, null, null);
    }

    private String applyUser(String text, boolean[] crossed) {
      com.google.re2j.Matcher m = userRegex.matcher(text);
      StringBuilder sb = null;
      int last = 0;
      while (m.find()) {
        if (m.end() == m.start()) {
          continue; // an empty match replaces nothing
        }
        for (int i = m.start(); i < m.end() && !crossed[0]; i++) {
          char c = text.charAt(i);
          crossed[0] = c == '"' || c == '\\';
        }
        if (sb == null) {
          sb = new StringBuilder(text.length());
        }
        sb.append(text, last, m.start()).append(userReplacement);
        last = m.end();
      }
      return sb == null ? text : sb.append(text, last, text.length()).toString();
    }

    /**
     * A user's pattern from the rules file, on RE2/J (linear time whatever the pattern): each match
     * becomes {@code <name>}.
     */
    static Detector userPattern(String name, com.google.re2j.Pattern regex) {
      String replacement = "<" + name + ">";
      return new Detector(name, null, null, null, null, regex, replacement);
    }

    /** The text with matches replaced; {@code crossed[0]} is set if a match held " or \. */
    String apply(String text, boolean[] crossed) {
      if (scanner != null) {
        return scanner.apply(text);
      }
      if (userRegex != null) {
        return applyUser(text, crossed);
      }
      // The regex runs only from each candidate on: most of these patterns begin with a
      // look-behind or \b, which the engine would otherwise try at every position of the text.
      int n = text.length();
      int start = candidates.next(text, 0);
      if (start < 0) {
        return text; // the common case: no candidate, and no matcher allocated
      }
      Matcher m = pattern.matcher(text);
      m.useTransparentBounds(true).useAnchoringBounds(false);
      StringBuilder sb = null;
      int last = 0;
      int pos = 0;
      while (pos <= n) {
        if (pos > 0) {
          start = candidates.next(text, pos);
        }
        if (start < 0) {
          break;
        }
        int end = candidates.end(text, start);
        m.region(start, end);
        if (!m.find()) {
          if (end == n) {
            break; // searched to the end: nothing later can match
          }
          pos = end;
          continue;
        }
        String r = replacement.apply(m);
        if (r != null) {
          for (int i = m.start(); i < m.end() && !crossed[0]; i++) {
            char c = text.charAt(i);
            crossed[0] = c == '"' || c == '\\';
          }
          if (sb == null) {
            sb = new StringBuilder(n);
          }
          sb.append(text, last, m.start()).append(r);
          last = m.end();
        }
        pos = Math.max(m.end(), start + 1);
      }
      return sb == null ? text : sb.append(text, last, n).toString();
    }
  }

  /**
   * A redactor that travels with a pipeline step: the config is serialized, the redactor is not.
   */
  public static final class Holder implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final RedactionConfig config;
    private transient Redactor redactor;

    public Holder(RedactionConfig config) {
      this.config = config;
    }

    public Redactor get() {
      if (redactor == null) {
        redactor = new Redactor(config);
      }
      return redactor;
    }
  }
}
