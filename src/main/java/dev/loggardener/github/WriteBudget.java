package dev.loggardener.github;

import java.util.ArrayDeque;

/**
 * GitHub's limits on content-creating requests (issues, comments, label changes): at most {@link
 * #PER_MINUTE} a minute and {@link #PER_HOUR} an hour per token. The last {@link #RESERVE_PERCENT}%
 * of either window is kept for P0 and P1, so when a burst of clusters arrives the lower priorities
 * wait for the next window rather than the urgent ones.
 */
public final class WriteBudget {
  public static final int PER_MINUTE = 80;
  public static final int PER_HOUR = 500;
  static final int RESERVE_PERCENT = 20;

  private final GitHubClient.Clock clock;
  private final int shares;
  private final ArrayDeque<Long> writes = new ArrayDeque<>();

  public WriteBudget(GitHubClient.Clock clock) {
    this(clock, 1);
  }

  /**
   * @param shares how many budgets split the token's limits: the Dataflow workers that may each
   *     hold one (GitHub counts per token, not per machine)
   */
  public WriteBudget(GitHubClient.Clock clock, int shares) {
    this.clock = clock;
    this.shares = Math.max(1, shares);
  }

  /**
   * Takes {@code n} writes from the budget if there is room for this priority; false (and nothing
   * taken) otherwise.
   */
  public synchronized boolean tryTake(int n, boolean urgent) {
    long now = clock.nowMillis();
    while (!writes.isEmpty() && writes.peekFirst() <= now - 3_600_000L) {
      writes.pollFirst();
    }
    int lastMinute = 0;
    for (long t : writes) {
      if (t > now - 60_000L) {
        lastMinute++;
      }
    }
    int percent = urgent ? 100 : 100 - RESERVE_PERCENT;
    int perMinute = Math.max(1, PER_MINUTE * percent / 100 / shares);
    int perHour = Math.max(1, PER_HOUR * percent / 100 / shares);
    if (lastMinute + n > perMinute || writes.size() + n > perHour) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      writes.addLast(now);
    }
    return true;
  }
}
