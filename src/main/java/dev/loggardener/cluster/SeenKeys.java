package dev.loggardener.cluster;

import dev.loggardener.logentry.Wire;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The keys one dedup state cell has seen, as 128-bit digests in flat arrays (16 bytes a key),
 * because runners copy and encode state often: the DirectRunner copies a cell's state for every
 * bundle that touches it. Two different keys share a digest with probability about n² / 2¹²⁹, which
 * is nil for any real n.
 */
public final class SeenKeys {
  private static final int EMPTY_MIN = 16;

  // A slot is empty when both halves are 0; the digest (0, 0) is stored as (0, 1).
  private long[] hi;
  private long[] lo;
  private int size;

  public SeenKeys() {
    this(EMPTY_MIN);
  }

  private SeenKeys(int capacity) {
    hi = new long[capacity];
    lo = new long[capacity];
  }

  public int size() {
    return size;
  }

  /** Records a key. Returns true if it was new, false if it was already there. */
  public boolean add(String key) {
    long[] d = dev.loggardener.logentry.Digests.md5(key);
    return add(d[0], d[1]);
  }

  private boolean add(long h, long l) {
    if (h == 0 && l == 0) {
      l = 1;
    }
    if ((size + 1) * 2 > hi.length) {
      resize(hi.length * 2);
    }
    int mask = hi.length - 1;
    int i = (int) (l ^ (l >>> 32)) & mask;
    while (true) {
      if (hi[i] == 0 && lo[i] == 0) {
        hi[i] = h;
        lo[i] = l;
        size++;
        return true;
      }
      if (hi[i] == h && lo[i] == l) {
        return false;
      }
      i = (i + 1) & mask;
    }
  }

  private void resize(int capacity) {
    long[] oh = hi;
    long[] ol = lo;
    hi = new long[capacity];
    lo = new long[capacity];
    size = 0;
    for (int i = 0; i < oh.length; i++) {
      if (oh[i] != 0 || ol[i] != 0) {
        add(oh[i], ol[i]);
      }
    }
  }

  private static int capacityFor(int n) {
    int c = EMPTY_MIN;
    while (c < n * 2) {
      c <<= 1;
    }
    return c;
  }

  /**
   * Writes the keys only, in one buffer, for a coder: state is copied often, and per-long writes
   * dominated. {@link #readFrom} reads it back.
   */
  public void writeTo(OutputStream out) throws IOException {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + size * 16);
    b.putInt(size);
    for (int i = 0; i < hi.length; i++) {
      if (hi[i] != 0 || lo[i] != 0) {
        b.putLong(hi[i]).putLong(lo[i]);
      }
    }
    out.write(b.array());
  }

  public static SeenKeys readFrom(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    int n = Wire.count(d);
    byte[] bytes = Wire.bytes(d, n * 16);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
    SeenKeys s = new SeenKeys(capacityFor(n));
    for (int i = 0; i < n; i++) {
      s.add(b.getLong(), b.getLong());
    }
    return s;
  }
}
