package dev.loggardener.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The id of a run over files: SHA-256 over the SHA-256 of each matched file's contents, sorted, so
 * that the same files give the same id whatever their names, order or location. Reads every byte
 * once on the launcher (about a second per GB); {@code --runId} skips it.
 */
final class InputDigest {
  private InputDigest() {}

  static String of(String pattern) {
    try {
      List<String> files = new ArrayList<>();
      MatchResult m = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      for (MatchResult.Metadata f : m.metadata()) {
        MessageDigest d = sha256();
        try (InputStream in = Channels.newInputStream(FileSystems.open(f.resourceId()))) {
          byte[] buf = new byte[1 << 16];
          for (int n; (n = in.read(buf)) > 0; ) {
            d.update(buf, 0, n);
          }
        }
        files.add(HexFormat.of().formatHex(d.digest()));
      }
      files.sort(null);
      MessageDigest all = sha256();
      for (String f : files) {
        all.update(f.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      return HexFormat.of().formatHex(all.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + pattern + " for its digest", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
