package dev.loggardener.cluster;

import java.util.Arrays;

/**
 * A k-minimum-values sketch of distinct 64-bit hashes: the {@code k} smallest, in a sorted array.
 * Exact while it holds fewer than {@code k}; after that, (k - 1) / (k-th smallest hash as a
 * fraction of the hash space) estimates the distinct count within a few percent. Merging keeps the
 * k smallest of both, so any merge order gives the same sketch, as a Combine needs. A flat array
 * keeps a partial count small: runners copy and hold many of them.
 */
final class Kmv {
  private final int k;
  private long[] values = new long[4];
  private int size;

  Kmv(int k) {
    this.k = k;
  }

  int size() {
    return size;
  }

  long get(int i) {
    return values[i];
  }

  void add(long h) {
    if (size == k && h >= values[size - 1]) {
      return;
    }
    int at = Arrays.binarySearch(values, 0, size, h);
    if (at >= 0) {
      return;
    }
    at = -at - 1;
    if (size == k) {
      size--; // the largest falls off
    }
    if (size == values.length) {
      values = Arrays.copyOf(values, Math.min(k, size * 2));
    }
    System.arraycopy(values, at, values, at + 1, size - at);
    values[at] = h;
    size++;
  }

  void merge(Kmv other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  /** The sketch's values, smallest first: a count then the values. */
  void writeTo(java.io.DataOutput d) throws java.io.IOException {
    d.writeInt(size);
    for (int i = 0; i < size; i++) {
      d.writeLong(values[i]);
    }
  }

  /** Adds the values {@link #writeTo} wrote. */
  void readFrom(java.io.DataInput d) throws java.io.IOException {
    int n = dev.loggardener.logentry.Wire.count(d);
    for (int i = 0; i < n; i++) {
      add(d.readLong());
    }
  }

  long estimate() {
    if (size < k) {
      return size;
    }
    double kth = (values[k - 1] - (double) Long.MIN_VALUE) / Math.pow(2, 64);
    return Math.round((k - 1) / kth);
  }
}
