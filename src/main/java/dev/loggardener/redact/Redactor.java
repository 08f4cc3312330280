package dev.loggardener.redact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.loggardener.logentry.HttpRequestInfo;
import dev.loggardener.logentry.Json;
import dev.loggardener.logentry.LogEntry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets and personal data from log text. Each detector names what it replaced ({@code
 * <email>}, {@code <jwt>}, ...), so a reader still sees what kind of value stood there. Every
 * detector has a cheap pre-check so that clean text costs a few {@code indexOf} scans.
 */
public final class Redactor {

  private final List<Detector> detectors;

  public Redactor(RedactionConfig config) {
    List<Detector> d = new ArrayList<>();
    // Order matters: specific shapes first, so that a generic one does not eat part of them.
    d.add(
        new Detector(
            "url-credentials",
            t -> t.contains("://"),
            Pattern.compile("\\b([a-zA-Z][a-zA-Z0-9+.-]*://)[^/\\s:@<>\"']+:[^/\\s@<>\"']+@"),
            m -> m.group(1) + "<credentials>@"));
    d.add(
        new Detector(
            "jwt",
            t -> t.contains("eyJ"),
            Pattern.compile("\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
            m -> "<jwt>"));
    d.add(
        new Detector(
            "bearer",
            t -> t.contains("earer") || t.contains("asic "),
            Pattern.compile("(?i)\\b(bearer|basic)\\s+(?!<[a-z-]+>)[A-Za-z0-9._~+/=-]{8,}"),
            m -> m.group(1) + " <token>"));
    d.add(
        new Detector(
            "github-token",
            t -> t.contains("gh") || t.contains("github_pat_"),
            Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})"),
            m -> "<github-token>"));
    d.add(
        new Detector(
            "google-api-key",
            t -> t.contains("AIza"),
            Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}"),
            m -> "<google-api-key>"));
    d.add(
        new Detector(
            "aws-access-key",
            t -> t.contains("AKIA") || t.contains("ASIA"),
            Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"),
            m -> "<aws-access-key>"));
    d.add(
        new Detector(
            "slack-token",
            t -> t.contains("xox"),
            Pattern.compile("\\bxox[abposr]-[0-9A-Za-z-]{10,}"),
            m -> "<slack-token>"));
    d.add(
        new Detector(
            "stripe-key",
            t -> t.contains("_live_"),
            Pattern.compile("\\b(?:sk|rk)_live_[0-9A-Za-z]{16,}"),
            m -> "<stripe-key>"));
    // password=..., "api_key": "...": the name stays, the value goes. A bare "token: x" in prose
    // is left alone; only the quoted-key form counts with a colon.
    d.add(
        new Detector(
            "secret-pair",
            t -> t.indexOf('=') >= 0 || t.indexOf(':') >= 0,
            Pattern.compile(
                "(?i)(?<![A-Za-z0-9])([A-Za-z0-9_.-]*?"
                    + "(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key"
                    + "|private[_-]?key|credentials?|signature|session[_-]?id|cookie))"
                    + "(=|[\"']\\s*:\\s*[\"']?|\\\\\"\\s*:\\s*\\\\\")"
                    + "(?!<[a-z-]+>)([^\\s&\"',;}\\\\]+)"),
            m -> m.group(1) + m.group(2) + "<secret>"));
    d.add(
        new Detector(
            "email",
            t -> t.indexOf('@') >= 0,
            Pattern.compile(
                "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\\.)+[A-Za-z]{2,})\\b"),
            config.keepEmailDomain() ? m -> "<email>@" + m.group(1) : m -> "<email>"));
    d.add(
        new Detector(
            "ipv6",
            t -> t.contains("::") || count(t, ':') >= 7,
            Pattern.compile(
                "(?<![\\w:.])(?:"
                    + "(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
                    + "|(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?"
                    + "|::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})"
                    + ")(?::\\d{1,3}(?:\\.\\d{1,3}){3})?(?![\\w:]|\\.\\d)"),
            m -> "<ip>"));
    d.add(
        new Detector(
            "ipv4",
            t -> t.indexOf('.') >= 0,
            Pattern.compile(
                "(?<![\\w.])(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
                    + "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(?![\\w]|\\.\\d)"),
            m -> "<ip>"));
    d.add(
        new Detector(
            "card",
            Redactor::hasThirteenDigits,
            Pattern.compile("(?<![\\w-])[2-6]\\d(?:[ -]?\\d){11,17}(?![\\w])(?!-\\w)"),
            m -> Cards.isCardNumber(m.group()) ? "<card>" : null));
    for (RedactionConfig.CustomPattern p : config.patterns()) {
      String replacement = "<" + p.name() + ">";
      d.add(new Detector(p.name(), t -> true, p.regex(), m -> replacement));
    }
    this.detectors = List.copyOf(d);
  }

  /** The text with every detected value replaced. Returns the same instance when clean. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String t = text;
    for (Detector d : detectors) {
      t = d.apply(t);
    }
    return t;
  }

  /**
   * The entry with its message, request URL, labels and raw JSON redacted, and its user replaced by
   * a stable hash (distinct-user counts need no raw id).
   */
  public LogEntry redact(LogEntry e) {
    HttpRequestInfo h = e.httpRequest();
    HttpRequestInfo http =
        h == null
            ? null
            : new HttpRequestInfo(h.method(), redact(h.url()), h.status(), h.latency());
    Map<String, String> labels = new LinkedHashMap<>();
    e.labels().forEach((k, v) -> labels.put(k, redact(v)));
    return e.withText(
        redact(e.message()), http, labels, pseudonym(e.user()), redactJson(e.rawJson()));
  }

  /** Every string value in a JSON document, redacted; the document is re-written compactly. */
  public String redactJson(String json) {
    if (json == null || json.isEmpty()) {
      return json;
    }
    try {
      JsonNode node = Json.mapper().readTree(json);
      return Json.mapper().writeValueAsString(redactNode(node));
    } catch (JsonProcessingException ex) {
      return redact(json);
    }
  }

  private JsonNode redactNode(JsonNode n) {
    if (n.isTextual()) {
      String r = redact(n.asText());
      return r.equals(n.asText()) ? n : TextNode.valueOf(r);
    }
    if (n.isObject()) {
      ObjectNode o = (ObjectNode) n;
      Iterator<Map.Entry<String, JsonNode>> it = o.fields();
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
      it.forEachRemaining(fields::add);
      for (Map.Entry<String, JsonNode> f : fields) {
        o.set(f.getKey(), redactNode(f.getValue()));
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

  /** A stable stand-in for a user id: the same user maps to the same value, in every process. */
  static String pseudonym(String user) {
    if (user == null) {
      return null;
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] d = sha.digest(("log-gardener-user\0" + user).getBytes(StandardCharsets.UTF_8));
      return "u_" + HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException ex) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
    }
  }

  private static int count(String s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }

  private static boolean hasThirteenDigits(String s) {
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++run >= 13) {
          return true;
        }
      } else if (c != ' ' && c != '-') {
        run = 0;
      }
    }
    return false;
  }

  /** One kind of sensitive value. The replacement may return null to keep a match as it is. */
  private record Detector(
      String name,
      Predicate<String> mightMatch,
      Pattern pattern,
      java.util.function.Function<Matcher, String> replacement) {

    String apply(String text) {
      if (!mightMatch.test(text)) {
        return text;
      }
      Matcher m = pattern.matcher(text);
      if (!m.find()) {
        return text;
      }
      StringBuilder sb = new StringBuilder(text.length());
      int last = 0;
      do {
        String r = replacement.apply(m);
        if (r != null) {
          sb.append(text, last, m.start()).append(r);
          last = m.end();
        }
      } while (m.find());
      if (last == 0) {
        return text;
      }
      return sb.append(text, last, text.length()).toString();
    }
  }
}
