package dev.loggardener.logentry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stable hashes: a short SHA-256 for fingerprint ids and user pseudonyms, and 128 bits of MD5
 * for dedup keys.
 */
public final class Digests {
  /** One digest per thread: getInstance looks the provider up on every call. */
  private static final ThreadLocal<MessageDigest> SHA256 = perThread("SHA-256");

  private static final ThreadLocal<MessageDigest> MD5 = perThread("MD5");

  private static ThreadLocal<MessageDigest> perThread(String algorithm) {
    return ThreadLocal.withInitial(
        () -> {
          try {
            return MessageDigest.getInstance(algorithm);
          } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", ex);
          }
        });
  }

  private Digests() {}

  /** The first 8 bytes of SHA-256 over the UTF-8 text, as 16 lower-case hex digits. */
  public static String shortSha256(String text) {
    byte[] d = SHA256.get().digest(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d, 0, 8);
  }

  /** 128 bits of MD5 as two longs: not for security, only a well-spread digest of a key. */
  public static long[] md5(String text) {
    byte[] d = MD5.get().digest(text.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    long l = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (d[i] & 0xff);
      l = (l << 8) | (d[i + 8] & 0xff);
    }
    return new long[] {h, l};
  }
}
