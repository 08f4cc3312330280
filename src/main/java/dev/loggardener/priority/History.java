package dev.loggardener.priority;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * A fingerprint's history: all the classification step keeps for it between windows, a few dozen
 * bytes whatever its traffic. An exponentially weighted baseline of entries per window (empty
 * windows count as zero, so it is a rate), the first and latest window with entries, which of the
 * last day's windows had entries, and the state.
 *
 * <p>Panes of one window replace each other (they accumulate), so the latest window's count is held
 * apart and folded into the baseline only when a later window arrives: a spike is judged against
 * the windows before it. A pane of a window older than the latest (a late pane) is judged against
 * the same baseline and changes nothing.
 */
public final class History {

  /**
   * How history is kept.
   *
   * @param warmupWindows windows (from the first, empty ones included) before a spike can be
   *     called: until then the baseline is the plain mean of what was seen
   * @param halfLifeWindows windows after which a window's weight in the baseline has halved
   */
  public record Settings(
      long windowMillis, long quietMillis, int warmupWindows, int halfLifeWindows)
      implements Serializable {
    public Settings {
      if (windowMillis <= 0 || quietMillis < windowMillis) {
        throw new IllegalArgumentException("the quiet time must be at least one window");
      }
      if (warmupWindows < 1 || halfLifeWindows < 1) {
        throw new IllegalArgumentException("warm-up and half-life must be at least one window");
      }
    }

    double alpha() {
      return 1 - Math.pow(0.5, 1.0 / halfLifeWindows);
    }

    int windowsPerDay() {
      return (int) Math.max(1, 86_400_000L / windowMillis);
    }
  }

  /**
   * What the history says of one pane.
   *
   * @param baseline entries per window expected before this window; NaN during warm-up
   * @param spikeRatio this pane's count over the baseline; NaN during warm-up or on a zero baseline
   * @param windowsLastDay windows of the last day (this one included) that had entries
   */
  public record Verdict(
      double baseline,
      double spikeRatio,
      boolean spike,
      boolean isNew,
      ClusterState state,
      int windowsLastDay) {}

  private static final long NONE = Long.MIN_VALUE;

  private long first = NONE;
  private long current = NONE;
  private long currentCount;
  private long lastSeen = NONE;
  private double baseline;
  private int folded;
  private long[] recent = new long[0];
  private ClusterState state;
  private long regressedIn = NONE;
  private boolean inherited;

  /** Whether any pane has been seen. */
  public boolean seen() {
    return current != NONE;
  }

  public ClusterState state() {
    return state;
  }

  /** The latest time an entry was seen, or null before any. */
  public java.time.Instant lastSeen() {
    return lastSeen == NONE ? null : java.time.Instant.ofEpochMilli(lastSeen);
  }

  /**
   * Marks the fingerprint as one that stands for others seen before it (a merge made it their
   * surviving id): its first window is not new.
   */
  public void inherit() {
    inherited = true;
  }

  /** Takes in a pane: {@code count} entries in the window starting at {@code windowStart}. */
  public Verdict observe(
      long windowStart, long count, long lastSeenMillis, Rules.Spikes spikes, Settings s) {
    if (recent.length == 0) {
      recent = new long[(s.windowsPerDay() + 63) / 64];
    }
    lastSeen = Math.max(lastSeen, lastSeenMillis);
    if (current == NONE) {
      first = windowStart;
      current = windowStart;
    } else if (windowStart > current) {
      advance(windowStart, s);
    } else if (windowStart < current) {
      mark(windowStart, s);
      return judge(windowStart, count, spikes, s, state);
    }
    currentCount = count;
    mark(windowStart, s);
    ClusterState base;
    if (windowStart == first && !inherited) {
      base = ClusterState.NEW;
    } else if (windowStart == regressedIn) {
      base = ClusterState.REGRESSED;
    } else {
      base = ClusterState.ONGOING;
    }
    Verdict v = judge(windowStart, count, spikes, s, base);
    state = v.state();
    return v;
  }

  private Verdict judge(
      long windowStart, long count, Rules.Spikes spikes, Settings s, ClusterState base) {
    boolean warm = folded >= s.warmupWindows();
    double b = warm ? baseline : Double.NaN;
    double ratio = warm && baseline > 0 ? count / baseline : Double.NaN;
    boolean spike = warm && count >= spikes.minCount() && count >= spikes.multiplier() * baseline;
    ClusterState st = spike && base == ClusterState.ONGOING ? ClusterState.SPIKING : base;
    return new Verdict(b, ratio, spike, windowStart == first && !inherited, st, windowsLastDay());
  }

  /**
   * Entries per window expected now, the latest window included; NaN during warm-up. What a window
   * with no entries at all is judged against.
   */
  public double rate(Settings s) {
    if (current == NONE || folded + 1 < s.warmupWindows()) {
      return Double.NaN;
    }
    return baseline + Math.max(s.alpha(), 1.0 / (folded + 1)) * (currentCount - baseline);
  }

  /** Folds the latest window and the empty ones after it into the baseline. */
  private void advance(long windowStart, Settings s) {
    fold(currentCount, s);
    long empty = (windowStart - current) / s.windowMillis() - 1;
    while (empty > 0 && folded < s.warmupWindows()) {
      fold(0, s);
      empty--;
    }
    if (empty > 0) {
      baseline *= Math.pow(1 - s.alpha(), (double) empty);
      folded = (int) Math.min(Integer.MAX_VALUE, folded + empty);
    }
    int n = s.windowsPerDay();
    long steps = (windowStart - current) / s.windowMillis();
    if (steps >= n) {
      java.util.Arrays.fill(recent, 0);
    } else {
      for (long w = current + s.windowMillis(); w < windowStart; w += s.windowMillis()) {
        int i = index(w, s);
        recent[i >>> 6] &= ~(1L << i);
      }
    }
    if (state == ClusterState.RESOLVED) {
      regressedIn = windowStart;
    }
    current = windowStart;
  }

  private void fold(long count, Settings s) {
    folded++;
    double a = Math.max(s.alpha(), 1.0 / folded);
    baseline += a * (count - baseline);
  }

  /** Marks a window of the last day as having entries. */
  private void mark(long windowStart, Settings s) {
    if (current - windowStart < 86_400_000L) {
      int i = index(windowStart, s);
      recent[i >>> 6] |= 1L << i;
    }
  }

  private static int index(long windowStart, Settings s) {
    return (int) Math.floorMod(Math.floorDiv(windowStart, s.windowMillis()), s.windowsPerDay());
  }

  private int windowsLastDay() {
    int n = 0;
    for (long bits : recent) {
      n += Long.bitCount(bits);
    }
    return n;
  }

  /**
   * The state at event time {@code now} with no entries since the latest window: quiet after half
   * the quiet time, resolved after all of it. Returns the new state, or null when it has not
   * changed.
   */
  public ClusterState idle(long now, Settings s) {
    if (current == NONE || state == ClusterState.RESOLVED) {
      return null;
    }
    long end = current + s.windowMillis();
    ClusterState next = null;
    if (now >= end + s.quietMillis()) {
      next = ClusterState.RESOLVED;
    } else if (now >= end + s.quietMillis() / 2 && state != ClusterState.QUIET) {
      next = ClusterState.QUIET;
    }
    if (next != null) {
      state = next;
    }
    return next;
  }

  /** When {@link #idle} may next change the state, or null when it cannot. */
  public Long nextIdleCheck(Settings s) {
    if (current == NONE || state == ClusterState.RESOLVED) {
      return null;
    }
    long end = current + s.windowMillis();
    return state == ClusterState.QUIET ? end + s.quietMillis() : end + s.quietMillis() / 2;
  }

  /** Every field, for a coder; {@link #readFrom} reads it back. */
  public void writeTo(DataOutput d) throws IOException {
    d.writeLong(first);
    d.writeLong(current);
    d.writeLong(currentCount);
    d.writeLong(lastSeen);
    d.writeDouble(baseline);
    d.writeInt(folded);
    d.writeInt(recent.length);
    for (long bits : recent) {
      d.writeLong(bits);
    }
    d.writeByte(state == null ? -1 : state.ordinal());
    d.writeLong(regressedIn);
    d.writeBoolean(inherited);
  }

  public static History readFrom(DataInput d) throws IOException {
    History h = new History();
    h.first = d.readLong();
    h.current = d.readLong();
    h.currentCount = d.readLong();
    h.lastSeen = d.readLong();
    h.baseline = d.readDouble();
    h.folded = d.readInt();
    int n = d.readInt();
    if (n < 0 || n > 1 << 16) {
      throw new IOException("history: " + n + " words of recent windows");
    }
    h.recent = new long[n];
    for (int i = 0; i < n; i++) {
      h.recent[i] = d.readLong();
    }
    int st = d.readByte();
    h.state = st < 0 ? null : ClusterState.values()[st];
    h.regressedIn = d.readLong();
    h.inherited = d.readBoolean();
    return h;
  }
}
