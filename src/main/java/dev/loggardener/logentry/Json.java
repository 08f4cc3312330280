package dev.loggardener.logentry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson configuration for log input. */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  /** For reading one value at a time out of a stream, where more values follow. */
  private static final ObjectMapper STREAMING =
      MAPPER.copy().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  static ObjectMapper streamingMapper() {
    return STREAMING;
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The text of a field, or null when it is absent, null or not a scalar. */
  static String text(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || v.isContainerNode()) {
      return null;
    }
    return wellFormed(v.asText());
  }

  /**
   * The text with every lone UTF-16 surrogate (JSON allows {@code "\ud800"} on its own) replaced by
   * U+FFFD, as a UTF-8 decoder shows a broken sequence. Left alone, a lone surrogate becomes {@code
   * ?} on the way to UTF-8, and two different names could become one.
   */
  public static String wellFormed(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && !Character.isSurrogate(s.charAt(i))) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n).append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        sb.append('\uFFFD');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The first of the fields that holds non-empty text, or null. */
  static String firstText(JsonNode node, String... fields) {
    if (node == null || !node.isObject()) {
      return null;
    }
    for (String f : fields) {
      String v = text(node, f);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }
}
