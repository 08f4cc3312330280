package dev.loggardener.logentry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Bytes of one line, keeping at most {@code cap} of them but counting all: a line too long for the
 * parser still reaches it as a prefix with its true size. Also what both file readers share about
 * the start of a file.
 */
public final class LineBuffer extends ByteArrayOutputStream {
  private final int cap;
  private long size;

  public LineBuffer(int cap) {
    super(1024);
    this.cap = cap;
  }

  public void add(byte[] b, int off, int len) {
    size += len;
    int room = cap - count;
    if (room > 0) {
      write(b, off, Math.min(room, len));
    }
  }

  /** The line's full length in bytes, kept or not. */
  public long fullSize() {
    return size;
  }

  public void stripCarriageReturn() {
    if (size == count && count > 0 && buf[count - 1] == '\r') {
      count--;
      size--;
    }
  }

  /**
   * The kept bytes; the first line of a file loses its UTF-8 byte order mark (and its size with
   * it).
   */
  public byte[] take(boolean firstLine) {
    byte[] bytes = toByteArray();
    if (firstLine && startsWithBom(bytes)) {
      bytes = Arrays.copyOfRange(bytes, 3, bytes.length);
      size -= 3;
    }
    return bytes;
  }

  public void clear() {
    reset();
    size = 0;
  }

  static boolean startsWithBom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
  }

  /**
   * Whether a file is one JSON array (gcloud's format) rather than JSON Lines: its first character
   * after blanks and a byte order mark is '['. Reads at most 32 KiB from {@code in}.
   */
  public static boolean startsJsonArray(InputStream in) throws IOException {
    int c;
    int seen = 0;
    while ((c = in.read()) >= 0 && seen++ < (1 << 15) - 1) {
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != 0xEF && c != 0xBB && c != 0xBF) {
        return c == '[';
      }
    }
    return false;
  }
}
