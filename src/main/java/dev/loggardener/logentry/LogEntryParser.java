package dev.loggardener.logentry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Turns one Cloud Logging LogEntry (REST v2 JSON, as a log sink publishes it or {@code gcloud
 * logging read --format=json} prints it) into a {@link LogEntry}. Bad input becomes a {@link
 * DeadLetter}; no input makes it throw.
 */
public final class LogEntryParser {
  /** Cloud Logging's own limit on one entry. */
  public static final int MAX_ENTRY_BYTES = 256 * 1024;

  static final String STEP = "parse";

  private static final ObjectMapper MAPPER = Json.mapper();

  /** Payload fields that hold the message, in the order logging libraries prefer them. */
  private static final String[] MESSAGE_FIELDS = {
    "message", "msg", "error", "err", "exception", "error_message", "errorMessage", "event"
  };

  private static final String[] STACK_FIELDS = {"stack_trace", "stackTrace", "stack", "traceback"};
  private static final String[] LOGGER_FIELDS = {"logger", "logger_name", "loggerName", "module"};
  private static final String[] FUNCTION_FIELDS = {"function", "funcName", "func", "method"};
  private static final String[] LINE_FIELDS = {"line", "lineno", "lineNumber"};
  private static final String[] USER_FIELDS = {"user_id", "userId", "uid", "user", "email"};

  /** Resource labels that name the service, across resource types (Cloud Run, GKE, ...). */
  private static final String[] SERVICE_LABELS = {
    "service_name", "job_name", "function_name", "container_name", "module_id", "service", "app"
  };

  private static final String[] REVISION_LABELS = {"revision_name", "version_id"};

  /** Cloud Logging's own limit: it refuses entries stamped more than a day ahead. */
  public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofDays(1);

  /** The range a BigQuery TIMESTAMP holds, and so every table: years 1 to 9999. */
  static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  private final Clock clock;
  private final Duration maxFutureSkew;

  public LogEntryParser() {
    this(Clock.systemUTC());
  }

  /** With the clock that stamps dead letters' receivedAt and tells how far ahead is too far. */
  public LogEntryParser(Clock clock) {
    this(clock, DEFAULT_MAX_FUTURE_SKEW);
  }

  /**
   * @param maxFutureSkew how far past the clock's now an entry's timestamp may be; later ones are
   *     dead letters ({@code bad_timestamp}), as Cloud Logging refuses them
   */
  public LogEntryParser(Clock clock, Duration maxFutureSkew) {
    this.clock = clock;
    this.maxFutureSkew = maxFutureSkew;
  }

  public ParseResult parse(byte[] bytes) {
    return parse(bytes, Map.of());
  }

  /** One entry as raw bytes: a Pub/Sub message body or one line of a JSON Lines file. */
  public ParseResult parse(byte[] bytes, Map<String, String> attributes) {
    if (bytes.length > MAX_ENTRY_BYTES) {
      return tooLarge(bytes, bytes.length, attributes);
    }
    // The common case: the JDK's decoder (vectorised for ASCII) writes U+FFFD for every broken
    // sequence, so text without one came from valid UTF-8. Text with one is decoded again,
    // strictly, to tell a broken sequence (a dead letter) from a U+FFFD the entry itself holds.
    String lenient = new String(bytes, StandardCharsets.UTF_8);
    if (lenient.indexOf('\uFFFD') < 0) {
      return parse(lenient, bytes, attributes);
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      return reject(
          DeadLetter.Reason.INVALID_UTF8,
          "invalid UTF-8 at byte " + in.position(),
          lossy(bytes, bytes.length),
          attributes);
    }
    decoder.flush(out);
    out.flip();
    return parse(out.toString(), bytes, attributes);
  }

  /** One entry as already-decoded text. */
  public ParseResult parse(String text) {
    long size = text.length() > MAX_ENTRY_BYTES / 4 ? utf8Length(text) : text.length();
    if (size > MAX_ENTRY_BYTES) {
      return reject(DeadLetter.Reason.TOO_LARGE, tooLargeDetail(size), text, Map.of());
    }
    return parse(text, null, Map.of());
  }

  /** A line or body larger than {@link #MAX_ENTRY_BYTES}, of which only a prefix was kept. */
  public ParseResult tooLarge(byte[] prefix, long size, Map<String, String> attributes) {
    return reject(
        DeadLetter.Reason.TOO_LARGE,
        tooLargeDetail(size),
        lossy(prefix, Math.min(prefix.length, DeadLetter.MAX_PAYLOAD_CHARS + 1)),
        attributes);
  }

  /** Text already within the size limit; {@code bytes} is its UTF-8 form when the caller has it. */
  private ParseResult parse(String text, byte[] bytes, Map<String, String> attributes) {
    if (text.isBlank()) {
      return reject(DeadLetter.Reason.EMPTY_LINE, "no content", text, attributes);
    }
    long size = bytes != null ? bytes.length : text.length();
    JsonNode node;
    try {
      // Jackson's byte parser is its fastest; text is read only when there are no bytes.
      node = bytes != null ? MAPPER.readTree(bytes) : MAPPER.readTree(text);
    } catch (JsonEOFException e) {
      return reject(DeadLetter.Reason.TRUNCATED_JSON, e.getOriginalMessage(), text, attributes);
    } catch (JsonProcessingException e) {
      return reject(DeadLetter.Reason.NOT_JSON, e.getOriginalMessage(), text, attributes);
    } catch (java.io.IOException e) {
      // Reading from memory does no I/O; kept so that the parser never throws.
      return reject(DeadLetter.Reason.NOT_JSON, String.valueOf(e.getMessage()), text, attributes);
    }
    // Valid UTF-8 (checked above) decodes to pairs only: without a \\u escape in the text, no
    // string of the tree holds a lone surrogate, and the message need not be scanned for one.
    boolean pairsOnly = bytes != null && text.indexOf("\\u") < 0;
    return parse(node, size, text, attributes, pairsOnly);
  }

  /**
   * An entry already read as a JSON tree (an element of a JSON array file).
   *
   * @param size the element's size in bytes in its source
   * @param raw the element as text, kept as the entry's rawJson or the dead letter's payload
   */
  public ParseResult parse(JsonNode node, long size, String raw, Map<String, String> attributes) {
    return parse(node, size, raw, attributes, false);
  }

  private ParseResult parse(
      JsonNode node, long size, String raw, Map<String, String> attributes, boolean pairsOnly) {
    if (size > MAX_ENTRY_BYTES) {
      return reject(DeadLetter.Reason.TOO_LARGE, tooLargeDetail(size), raw, attributes);
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return reject(DeadLetter.Reason.JSON_NULL, "JSON null, not a log entry", raw, attributes);
    }
    if (!node.isObject()) {
      return reject(
          DeadLetter.Reason.NOT_AN_OBJECT,
          "a JSON "
              + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
              + ", not an object",
          raw,
          attributes);
    }
    try {
      return fromObject(node, raw, attributes, pairsOnly);
    } catch (BadField e) {
      return reject(e.reason, e.getMessage(), raw, attributes);
    }
  }

  private ParseResult fromObject(
      JsonNode e, String raw, Map<String, String> attributes, boolean pairsOnly) throws BadField {
    JsonNode json = objectOrNull(e.get("jsonPayload"));
    JsonNode proto = objectOrNull(e.get("protoPayload"));
    JsonNode jsonLabels = json == null ? null : objectOrNull(json.get("labels"));
    JsonNode context = json == null ? null : objectOrNull(json.get("context"));
    JsonNode source = objectOrNull(e.get("sourceLocation"));
    JsonNode resource = objectOrNull(e.get("resource"));
    Map<String, String> resourceLabels =
        stringMap(resource == null ? null : resource.get("labels"));
    Map<String, String> labels = stringMap(e.get("labels"));

    Instant receiveTimestamp = lenientInstant(Json.text(e, "receiveTimestamp"));
    Instant timestamp = inRange(timestamp(e, json, receiveTimestamp));
    Severity severity = severity(e, json);
    HttpRequestInfo http = httpRequest(objectOrNull(e.get("httpRequest")));

    String message;
    PayloadKind kind;
    String logger = null;
    String function = null;
    String user = null;
    String text = Json.text(e, "textPayload");
    if (json != null) {
      message = jsonMessage(json);
      kind = PayloadKind.JSON;
      logger = firstNonNull(Json.firstText(jsonLabels, LOGGER_FIELDS), Json.text(context, "name"));
      logger = firstNonNull(logger, Json.firstText(json, LOGGER_FIELDS));
      function =
          firstNonNull(
              Json.firstText(jsonLabels, FUNCTION_FIELDS), Json.firstText(json, FUNCTION_FIELDS));
      user =
          firstNonNull(
              Json.firstText(json, USER_FIELDS),
              Json.firstText(context, USER_FIELDS),
              Json.firstText(jsonLabels, USER_FIELDS));
    } else if (proto != null) {
      JsonNode status = objectOrNull(proto.get("status"));
      String method = Json.text(proto, "methodName");
      String statusMessage = Json.text(status, "message");
      message =
          statusMessage != null && !statusMessage.isEmpty()
              ? statusMessage
              : join(method, Json.text(proto, "resourceName"));
      kind = PayloadKind.PROTO;
      logger = Json.text(proto, "serviceName");
      function = method;
      JsonNode auth = objectOrNull(proto.get("authenticationInfo"));
      user = Json.text(auth, "principalEmail");
    } else if (text != null) {
      message = text;
      kind = PayloadKind.TEXT;
    } else {
      message = "";
      kind = PayloadKind.EMPTY;
    }
    if (message.isEmpty()) {
      if (http != null) {
        kind = PayloadKind.HTTP_REQUEST;
        message = join(http.method(), http.url()) + " " + http.status();
      } else {
        kind = PayloadKind.EMPTY;
      }
    }

    logger = firstNonNull(logger, Json.firstText(e.get("labels"), LOGGER_FIELDS));
    logger = firstNonNull(logger, Json.text(source, "file"));
    function = firstNonNull(function, Json.text(source, "function"));
    String line =
        firstNonNull(
            Json.firstText(jsonLabels, LINE_FIELDS),
            json == null ? null : Json.firstText(json, LINE_FIELDS),
            Json.text(source, "line"));
    user = firstNonNull(user, Json.firstText(e.get("labels"), USER_FIELDS));

    JsonNode serviceContext = json == null ? null : objectOrNull(json.get("serviceContext"));
    String service =
        firstNonNull(
            firstValue(resourceLabels, SERVICE_LABELS),
            Json.text(serviceContext, "service"),
            Json.text(context, "service"),
            json == null ? null : Json.text(json, "service"),
            firstValue(labels, SERVICE_LABELS));
    if (service == null) {
      // Decoding the log id costs more than the rest; only entries with no service need it.
      service = firstNonNull(logId(Json.text(e, "logName")), "unknown");
    }
    String revision =
        firstNonNull(
            firstValue(resourceLabels, REVISION_LABELS), Json.text(serviceContext, "version"));

    JsonNode operation = objectOrNull(e.get("operation"));
    LogEntry entry =
        new LogEntry(
            Json.text(e, "insertId"),
            timestamp,
            receiveTimestamp,
            severity,
            Json.text(e, "logName"),
            resource == null ? null : Json.text(resource, "type"),
            resourceLabels,
            service,
            revision,
            labels,
            Json.text(e, "trace"),
            Json.text(e, "spanId"),
            logger,
            function,
            line,
            http,
            Json.text(operation, "id"),
            kind,
            // Payload text is read in several ways above; one pass here makes all of it valid.
            pairsOnly ? message : Json.wellFormed(message),
            user,
            RawJson.of(raw));
    return new ParseResult.Parsed(entry);
  }

  /** The message of a jsonPayload, with a separate stack trace field appended. */
  private static String jsonMessage(JsonNode json) {
    String message = null;
    for (String field : MESSAGE_FIELDS) {
      JsonNode v = json.get(field);
      if (v == null || v.isNull()) {
        continue;
      }
      if (v.isObject()) {
        // {"error": {"type": "...", "message": "..."}} as several error libraries write it.
        message = join(Json.text(v, "type"), Json.firstText(v, "message", "msg"));
      } else if (!v.isContainerNode()) {
        message = v.asText();
      }
      if (message != null && !message.isEmpty()) {
        break;
      }
    }
    if (message == null) {
      message = "";
    }
    String stack = Json.firstText(json, STACK_FIELDS);
    if (stack != null && !message.contains(stack)) {
      message = message.isEmpty() ? stack : message + "\n" + stack;
    }
    return message;
  }

  /**
   * The timestamp, if the tables can hold it and it is not too far ahead: a year-9999 entry would
   * otherwise become the newest of everything, and one beyond Beam's range would stop the job.
   */
  private Instant inRange(Instant t) throws BadField {
    if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
      throw new BadField(
          DeadLetter.Reason.BAD_TIMESTAMP, "timestamp " + t + " is outside years 1 to 9999");
    }
    Instant now = clock.instant();
    if (Duration.between(now, t).compareTo(maxFutureSkew) > 0) {
      throw new BadField(
          DeadLetter.Reason.BAD_TIMESTAMP,
          "timestamp " + t + " is more than " + maxFutureSkew + " ahead of " + now);
    }
    return t;
  }

  private static Instant timestamp(JsonNode e, JsonNode json, Instant received) throws BadField {
    JsonNode ts = e.get("timestamp");
    if (ts != null && !ts.isNull()) {
      Instant t = instant(ts);
      if (t == null) {
        throw new BadField(
            DeadLetter.Reason.BAD_TIMESTAMP, "timestamp is not RFC 3339: " + clip(ts.toString()));
      }
      return t;
    }
    // Cloud Logging takes a structured payload's own timestamp when the entry has none.
    for (String field : new String[] {"timestamp", "time"}) {
      JsonNode inner = json == null ? null : json.get(field);
      if (inner != null && !inner.isNull()) {
        Instant t = instant(inner);
        if (t == null) {
          throw new BadField(
              DeadLetter.Reason.BAD_TIMESTAMP,
              "jsonPayload." + field + " is not RFC 3339: " + clip(inner.toString()));
        }
        return t;
      }
    }
    if (received != null) {
      return received;
    }
    throw new BadField(DeadLetter.Reason.MISSING_TIMESTAMP, "no timestamp or receiveTimestamp");
  }

  private static Instant instant(JsonNode v) {
    if (v.isTextual()) {
      return lenientInstant(v.asText());
    }
    if (v.isObject() && v.has("seconds")) {
      // google.protobuf.Timestamp in its JSON-object form.
      JsonNode s = v.get("seconds");
      JsonNode n = v.get("nanos");
      if ((s.isNumber() || s.isTextual()) && (n == null || n.isNumber())) {
        try {
          return Instant.ofEpochSecond(Long.parseLong(s.asText()), n == null ? 0 : n.asLong());
        } catch (NumberFormatException | java.time.DateTimeException ex) {
          return null;
        }
      }
    }
    return null;
  }

  static Instant lenientInstant(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    Instant fast = Rfc3339.parse(s);
    if (fast != null) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException ex) {
      return null;
    }
  }

  private static Severity severity(JsonNode e, JsonNode json) throws BadField {
    JsonNode v = e.get("severity");
    if ((v == null || v.isNull()) && json != null) {
      v = json.get("severity");
      if (v == null || v.isNull()) {
        v = json.get("level");
      }
    }
    if (v == null || v.isNull()) {
      return Severity.DEFAULT;
    }
    java.util.Optional<Severity> s =
        v.isIntegralNumber()
            ? Severity.fromNumber(v.asLong())
            : v.isTextual() ? Severity.fromText(v.asText()) : java.util.Optional.empty();
    if (s.isEmpty()) {
      throw new BadField(DeadLetter.Reason.BAD_SEVERITY, "unknown severity " + clip(v.toString()));
    }
    return s.get();
  }

  private static HttpRequestInfo httpRequest(JsonNode h) {
    if (h == null) {
      return null;
    }
    JsonNode status = h.get("status");
    int code = status != null && status.canConvertToInt() ? status.asInt() : 0;
    if (code == 0 && status != null && status.isTextual()) {
      try {
        code = Integer.parseInt(status.asText());
      } catch (NumberFormatException ex) {
        code = 0;
      }
    }
    return new HttpRequestInfo(
        Json.text(h, "requestMethod"), Json.text(h, "requestUrl"), code, Json.text(h, "latency"));
  }

  /** A dead letter from this parser's step, stamped with its clock. */
  public ParseResult.Dead reject(
      DeadLetter.Reason reason, String detail, String payload, Map<String, String> attributes) {
    return new ParseResult.Dead(
        new DeadLetter(
            STEP,
            reason,
            detail == null ? reason.code() : detail,
            payload,
            attributes,
            clock.instant()));
  }

  private static JsonNode objectOrNull(JsonNode n) {
    return n != null && n.isObject() ? n : null;
  }

  private static Map<String, String> stringMap(JsonNode n) {
    if (n == null || !n.isObject() || n.isEmpty()) {
      return LogEntry.NO_LABELS;
    }
    java.util.TreeMap<String, String> m = new java.util.TreeMap<>();
    for (Map.Entry<String, JsonNode> f : n.properties()) {
      if (!f.getValue().isNull()) {
        m.put(
            Json.wellFormed(f.getKey()),
            Json.wellFormed(
                f.getValue().isContainerNode() ? f.getValue().toString() : f.getValue().asText()));
      }
    }
    return LogEntry.labelsOwned(m);
  }

  private static String firstValue(Map<String, String> m, String[] keys) {
    for (String k : keys) {
      String v = m.get(k);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  /** "projects/p/logs/run.googleapis.com%2Fstderr" → "run.googleapis.com/stderr". */
  private static String logId(String logName) {
    if (logName == null) {
      return null;
    }
    int i = logName.lastIndexOf("/logs/");
    String id = i < 0 ? logName : logName.substring(i + "/logs/".length());
    return id.isEmpty() ? null : java.net.URLDecoder.decode(id, StandardCharsets.UTF_8);
  }

  @SafeVarargs
  private static <T> T firstNonNull(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String join(String a, String b) {
    if (a == null || a.isEmpty()) {
      return b == null ? "" : b;
    }
    return b == null || b.isEmpty() ? a : a + " " + b;
  }

  private static String tooLargeDetail(long size) {
    return size + " bytes; Cloud Logging's limit is " + MAX_ENTRY_BYTES;
  }

  private static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  private static String lossy(byte[] bytes, int length) {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  private static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** A field that makes the whole entry unusable. */
  private static final class BadField extends Exception {
    private static final long serialVersionUID = 1L;
    final DeadLetter.Reason reason;

    BadField(DeadLetter.Reason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }
  }
}
