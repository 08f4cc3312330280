package dev.loggardener.logentry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one short, stable hash: fingerprint ids and user pseudonyms are both made with it. */
public final class Digests {
  /** One digest per thread: getInstance looks the provider up on every call. */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException ex) {
              throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
            }
          });

  private Digests() {}

  /** The first 8 bytes of SHA-256 over the UTF-8 text, as 16 lower-case hex digits. */
  public static String shortSha256(String text) {
    byte[] d = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d, 0, 8);
  }
}
