package dev.loggardener.logentry;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;

/**
 * Input that could not become a {@link LogEntry}, kept with the reason so that nothing is dropped
 * silently.
 *
 * @param step the stage that rejected it ("parse", ...)
 * @param payload the raw input, truncated to {@link #MAX_PAYLOAD_CHARS}
 * @param receivedAt when the gardener saw it
 */
public record DeadLetter(
    String step,
    Reason reason,
    String detail,
    String payload,
    Map<String, String> attributes,
    Instant receivedAt)
    implements Serializable {

  /** Bound on the kept raw input: enough to see what it was, small enough for a table row. */
  public static final int MAX_PAYLOAD_CHARS = 8 * 1024;

  public DeadLetter {
    attributes = Map.copyOf(attributes);
    if (payload.length() > MAX_PAYLOAD_CHARS) {
      // A token cut in half could slip past its detector (the first 20 characters of a 40
      // character key): the word the cut falls in goes too.
      int cut = MAX_PAYLOAD_CHARS;
      while (cut > MAX_PAYLOAD_CHARS - 1024 && isTokenChar(payload.charAt(cut - 1))) {
        cut--;
      }
      if (Character.isHighSurrogate(payload.charAt(cut - 1))) {
        cut--;
      }
      payload = payload.substring(0, cut) + "…[truncated]";
    }
  }

  private static boolean isTokenChar(char c) {
    return Character.isLetterOrDigit(c) || "-_.~+/=%:@".indexOf(c) >= 0;
  }

  /** Why input was rejected. The code is the stable, queryable part; the detail is for people. */
  public enum Reason {
    EMPTY_LINE("empty_line"),
    INVALID_UTF8("invalid_utf8"),
    TOO_LARGE("too_large"),
    NOT_JSON("not_json"),
    TRUNCATED_JSON("truncated_json"),
    JSON_NULL("json_null"),
    NOT_AN_OBJECT("not_an_object"),
    MISSING_TIMESTAMP("missing_timestamp"),
    BAD_TIMESTAMP("bad_timestamp"),
    BAD_SEVERITY("bad_severity"),
    BAD_FIELD("bad_field"),
    /** A later step failed on an entry that parsed; the detail names the error. */
    INTERNAL_ERROR("internal_error"),
    /** A sink refused a row the pipeline made (BigQuery's failed inserts); not an entry. */
    SINK_REJECTED("sink_rejected");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    /** The reason a table value names. */
    public static Reason fromCode(String code) {
      for (Reason r : values()) {
        if (r.code.equals(code)) {
          return r;
        }
      }
      throw new IllegalArgumentException("unknown dead-letter reason '" + code + "'");
    }
  }
}
