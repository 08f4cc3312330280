package dev.loggardener.logentry;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The byte primitives of the project's own encodings, plain Java: the pipeline's coders and the
 * model classes that write their state with them share one form for a string, an instant, a map.
 * Lengths are checked on reading, so corrupt bytes fail with an exception instead of a huge array.
 */
public final class Wire {
  /** Bound on one string or byte array: far above any entry the parser lets through. */
  public static final int MAX_BYTES = 64 << 20;

  private Wire() {}

  /** A UTF-8 string as its byte length then its bytes; null as length -1. */
  public static void string(DataOutput d, String s) throws IOException {
    if (s == null) {
      d.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.writeInt(b.length);
    d.write(b);
  }

  public static String string(DataInput d) throws IOException {
    int n = d.readInt();
    if (n < 0) {
      return null;
    }
    return new String(bytes(d, n), StandardCharsets.UTF_8);
  }

  /**
   * {@code n} bytes, after checking that {@code n} is a length this encoding could have written.
   */
  public static byte[] bytes(DataInput d, int n) throws IOException {
    if (n < 0 || n > MAX_BYTES) {
      throw new UTFDataFormatException("length " + n + " out of range");
    }
    byte[] b = new byte[n];
    d.readFully(b);
    return b;
  }

  /** A nullable instant: present flag, seconds, nanoseconds. */
  public static void instant(DataOutput d, Instant t) throws IOException {
    d.writeBoolean(t != null);
    if (t != null) {
      d.writeLong(t.getEpochSecond());
      d.writeInt(t.getNano());
    }
  }

  public static Instant instant(DataInput d) throws IOException {
    return d.readBoolean() ? Instant.ofEpochSecond(d.readLong(), d.readInt()) : null;
  }

  /** A string map in its own iteration order: callers pass sorted maps where order matters. */
  public static void map(DataOutput d, Map<String, String> m) throws IOException {
    d.writeInt(m.size());
    for (Map.Entry<String, String> e : m.entrySet()) {
      string(d, e.getKey());
      string(d, e.getValue());
    }
  }

  /** A map written by {@link #map(DataOutput, Map)}, as a sorted label map. */
  public static Map<String, String> map(DataInput d) throws IOException {
    int n = count(d);
    if (n == 0) {
      return LogEntry.NO_LABELS;
    }
    TreeMap<String, String> m = new TreeMap<>();
    readEntries(d, n, m);
    return LogEntry.labelsOwned(m);
  }

  /** Puts the entries of a map written by {@link #map(DataOutput, Map)} into {@code into}. */
  public static void readInto(DataInput d, Map<String, String> into) throws IOException {
    readEntries(d, count(d), into);
  }

  private static void readEntries(DataInput d, int n, Map<String, String> into) throws IOException {
    for (int i = 0; i < n; i++) {
      into.put(string(d), string(d));
    }
  }

  /** Strings as a count then each string. */
  public static void strings(DataOutput d, Collection<String> c) throws IOException {
    d.writeInt(c.size());
    for (String v : c) {
      string(d, v);
    }
  }

  public static List<String> strings(DataInput d) throws IOException {
    int n = count(d);
    List<String> out = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      out.add(string(d));
    }
    return out;
  }

  /** A count of items that follow: never negative. */
  public static int count(DataInput d) throws IOException {
    int n = d.readInt();
    if (n < 0) {
      throw new UTFDataFormatException("count " + n + " out of range");
    }
    return n;
  }
}
