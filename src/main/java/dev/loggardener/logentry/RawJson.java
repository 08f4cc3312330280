package dev.loggardener.logentry;

import java.io.Serializable;
import java.util.function.UnaryOperator;

/**
 * An entry's whole text, as it arrived: unredacted. It has no accessor for its text. The only way
 * to read it is {@link #redactedBy}, which takes the redactor, so code that would put raw log text
 * into a table, an issue or a message does not compile.
 *
 * <p>This lets the pipeline redact the whole entry only for the few entries kept as samples (at
 * most 3 per cluster per window), not for every entry. Every entry's message, labels, URL and user,
 * which triage reads, are still redacted as the entry is fingerprinted.
 */
public final class RawJson implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Redacts the string values of a JSON document; {@code Redactor::redactJson} is one. */
  @FunctionalInterface
  public interface Redaction extends UnaryOperator<String> {}

  private final String text;

  private RawJson(String text) {
    this.text = text;
  }

  public static RawJson of(String text) {
    return text == null ? null : new RawJson(text);
  }

  /** The text with every string value redacted: the only way out. */
  public String redactedBy(Redaction redaction) {
    return redaction.apply(text);
  }

  /** A digest of the text, to tell two entries apart without reading them. */
  public String digest() {
    return Digests.shortSha256(text);
  }

  public int length() {
    return text.length();
  }

  /** For coders: writes the text, which stays inside the pipeline's own encoding. */
  public void writeTo(java.io.DataOutput out) throws java.io.IOException {
    byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  /** For coders: reads what {@link #writeTo} wrote. */
  public static RawJson readFrom(java.io.DataInput in) throws java.io.IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new RawJson(new String(b, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawJson r && r.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** Never the text: a log line printed by accident stays unread. */
  @Override
  public String toString() {
    return "RawJson[" + text.length() + " chars, unredacted]";
  }
}
