package dev.loggardener.redact;

import java.util.function.UnaryOperator;

/**
 * The last results of a pure function of short strings, in a fixed number of slots: a logger,
 * function, source line, label value or user repeats on entry after entry, and looking it up costs
 * a hash and an equals where running every detector costs a scan per detector. Bounded: {@code
 * slots} pairs of strings of at most {@code maxLength} characters.
 *
 * <p>Safe to share between threads: a slot holds an immutable pair that is read and replaced whole,
 * so a reader sees either the old pair or the new one, never half of each; a lost write only costs
 * a later miss.
 */
final class RecentResults {
  private record Pair(String in, String out) {}

  private final Pair[] slots;
  private final int maxLength;
  private final UnaryOperator<String> function;

  /**
   * @param slots a power of two
   * @param function the pure function whose results are remembered
   */
  RecentResults(int slots, int maxLength, UnaryOperator<String> function) {
    if (Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two: " + slots);
    }
    this.slots = new Pair[slots];
    this.maxLength = maxLength;
    this.function = function;
  }

  /** The function's result for {@code in} (null for null), remembered or computed and kept. */
  String apply(String in) {
    if (in == null) {
      return null;
    }
    String known = get(in);
    if (known != null) {
      return known;
    }
    String out = function.apply(in);
    put(in, out);
    return out;
  }

  /**
   * The result remembered for {@code in}, or null when there is none. A result that was its own
   * input comes back as {@code in} itself, so that callers can still tell "unchanged" by identity.
   */
  String get(String in) {
    if (in.length() > maxLength) {
      return null;
    }
    Pair p = slots[slot(in)];
    if (p == null || !p.in.equals(in)) {
      return null;
    }
    return p.out == p.in ? in : p.out;
  }

  /** Remembers {@code out} as the result for {@code in}, in place of whatever shared its slot. */
  void put(String in, String out) {
    if (in.length() <= maxLength) {
      slots[slot(in)] = new Pair(in, out);
    }
  }

  int slot(String in) {
    int h = in.hashCode();
    return (h ^ (h >>> 16)) & (slots.length - 1);
  }
}
