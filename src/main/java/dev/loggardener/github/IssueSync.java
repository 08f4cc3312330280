package dev.loggardener.github;

import dev.loggardener.cluster.ClusterRow;
import java.io.IOException;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions of the person in the seed worklog, for one cluster row at a time: find the
 * fingerprint's issue, then create it, comment on it, escalate it, reopen it as a regression, or
 * leave it alone, and say which and why. Every write is safe to repeat: an issue is looked for
 * before one is created, and a comment carries its window's marker, which is looked for before
 * posting.
 */
public final class IssueSync {

  /** What sync needs to know from the options. */
  public record Config(
      String repo,
      boolean dryRun,
      String minPriority,
      Duration cooldown,
      String mutedLabel,
      boolean regressionAsNewIssue,
      int minWindows,
      boolean autoClose,
      boolean assignOwners)
      implements Serializable {

    /** The settings before issue policy, auto-close and owners existed: tests of the rest. */
    public Config(
        String repo,
        boolean dryRun,
        String minPriority,
        Duration cooldown,
        String mutedLabel,
        boolean regressionAsNewIssue) {
      this(repo, dryRun, minPriority, cooldown, mutedLabel, regressionAsNewIssue, 0, false, true);
    }
  }

  /** What Beam keeps per fingerprint between rows. */
  public record State(int issueNumber, long lastCommentMillis, String lastPriority)
      implements Serializable {
    public static final State NONE = new State(0, 0, null);
  }

  /** One decision: a row of {@code github_sync}. */
  public record Decision(
      Instant syncedAt,
      String fingerprint,
      Instant windowStart,
      long paneIndex,
      String priority,
      Action action,
      Integer issueNumber,
      String url,
      String detail)
      implements Serializable {}

  /** The decisions for a row, the state after them, and whether to try again later. */
  public record Outcome(List<Decision> decisions, State state, boolean retry) {}

  private final Config config;
  private final GitHubClient client;
  private final WriteBudget budget;
  private final GitHubClient.Clock clock;

  /** Issues by fingerprint from the label listing, and when it was read. */
  private Map<String, GitHubClient.Issue> index;

  private long indexedAt;

  /** The highest issue number the listing has shown. */
  private int newest;

  static final long INDEX_TTL_MILLIS = 10 * 60_000L;

  /**
   * @param client null in dry-run
   */
  public IssueSync(
      Config config, GitHubClient client, WriteBudget budget, GitHubClient.Clock clock) {
    this.config = config;
    this.client = client;
    this.budget = budget;
    this.clock = clock;
  }

  static int rank(String priority) {
    if (priority != null && priority.length() == 2 && priority.charAt(0) == 'P') {
      int r = priority.charAt(1) - '0';
      if (r >= 0 && r <= 9) {
        return r;
      }
    }
    return 9;
  }

  /**
   * Rows worth an issue, the policy that keeps on-call's list short: never one a rule ignores; a
   * resolved fingerprint only to close its issue (with auto-close); otherwise at or above the
   * minimum priority, and below P2 only once seen in {@code minWindows} windows of the last day or
   * spiking; on time or final (early only for P0 and P1).
   */
  public static boolean eligible(ClusterRow row, Config config) {
    if (row.signal().ignored()) {
      return false;
    }
    if (row.entryCount() == 0) {
      return config.autoClose() && "resolved".equals(row.signal().state());
    }
    if (rank(row.priority()) > rank(config.minPriority())) {
      return false;
    }
    if (rank(row.priority()) > 2
        && !row.signal().isSpike()
        && row.signal().windowsLastDay() < config.minWindows()) {
      return false;
    }
    return "ON_TIME".equals(row.paneTiming())
        || row.isFinal()
        || ("EARLY".equals(row.paneTiming()) && rank(row.priority()) <= 1);
  }

  public Outcome sync(ClusterRow row, State state) {
    return sync(row, state, List.of());
  }

  /**
   * @param related fingerprints that shared a trace with this one: linked in the issue text
   */
  public Outcome sync(ClusterRow row, State state, List<String> related) {
    List<Decision> out = new ArrayList<>();
    if (config.dryRun() || client == null) {
      out.add(
          decision(
              row,
              Action.DRY_RUN,
              state.issueNumber() == 0 ? null : state.issueNumber(),
              null,
              "would sync: " + IssueText.title(row)));
      return new Outcome(out, state, false);
    }
    try {
      return act(row, state, related, out);
    } catch (IOException | RuntimeException e) {
      // GitHubException messages hold method, path and status, never the token.
      String detail =
          e instanceof GitHubClient.GitHubException
              ? e.getMessage()
              : e.getClass().getSimpleName() + ": " + e.getMessage();
      boolean limited = e instanceof GitHubClient.GitHubException g && g.rateLimited();
      out.add(
          decision(
              row,
              limited ? Action.DEFERRED : Action.FAILED,
              state.issueNumber() == 0 ? null : state.issueNumber(),
              null,
              detail));
      return new Outcome(out, state, true);
    }
  }

  private Outcome act(ClusterRow row, State state, List<String> related, List<Decision> out)
      throws IOException {
    GitHubClient.Issue issue = find(row.fingerprint(), state);
    boolean urgent = rank(row.priority()) <= 1;
    long now = clock.nowMillis();
    if (row.entryCount() == 0) {
      return resolve(row, issue, state, out);
    }
    if (issue == null) {
      if (!budget.tryTake(1, urgent)) {
        out.add(decision(row, Action.DEFERRED, null, null, "write budget spent; next window"));
        return new Outcome(out, state, true);
      }
      GitHubClient.Issue created =
          createOnce(
              row,
              0,
              IssueText.title(row),
              IssueText.body(row) + relatedLines(related),
              IssueText.labels(row));
      remember(row.fingerprint(), created);
      assign(created, row);
      out.add(decision(row, Action.CREATED, created.number(), created.url(), IssueText.title(row)));
      return new Outcome(out, new State(created.number(), now, row.priority()), false);
    }
    State known = new State(issue.number(), state.lastCommentMillis(), state.lastPriority());
    if (issue.labels().contains(config.mutedLabel())) {
      out.add(decision(row, Action.SKIPPED_MUTED, issue, "labelled " + config.mutedLabel()));
      return new Outcome(out, known, false);
    }
    if (!issue.open()) {
      return closed(row, issue, known, urgent, out);
    }
    // An issue with no priority yet (one filed by hand) takes the row's without an escalation.
    String from = issuePriority(issue, state);
    if (from == null) {
      from = row.priority();
    }
    if (rank(row.priority()) < rank(from)) {
      if (!budget.tryTake(2, urgent)) {
        out.add(
            decision(row, Action.DEFERRED, issue, "write budget spent; escalation next window"));
        return new Outcome(out, known, true);
      }
      List<String> labels = new ArrayList<>();
      for (String l : issue.labels()) {
        if (!l.startsWith("priority:")) {
          labels.add(l);
        }
      }
      labels.add(IssueText.priorityLabel(row.priority()));
      GitHubClient.Issue updated = client.update(issue.number(), null, labels);
      remember(row.fingerprint(), updated);
      postOnce(issue, row, IssueText.escalation(row, from));
      out.add(decision(row, Action.ESCALATED, issue, from + " -> " + row.priority()));
      return new Outcome(out, new State(issue.number(), now, row.priority()), false);
    }
    String kept = rank(from) < rank(row.priority()) ? from : row.priority();
    if (now - state.lastCommentMillis() < config.cooldown().toMillis()) {
      out.add(
          decision(
              row,
              Action.SKIPPED_COOLDOWN,
              issue,
              "last comment "
                  + Duration.ofMillis(now - state.lastCommentMillis()).toMinutes()
                  + " min ago"));
      return new Outcome(out, new State(issue.number(), state.lastCommentMillis(), kept), false);
    }
    if (!budget.tryTake(1, urgent)) {
      out.add(decision(row, Action.DEFERRED, issue, "write budget spent; next window"));
      return new Outcome(out, known, true);
    }
    boolean posted = postOnce(issue, row, IssueText.evidence(row) + relatedLines(related));
    out.add(
        decision(
            row,
            posted ? Action.COMMENTED : Action.SKIPPED_DUPLICATE,
            issue,
            posted ? "window " + row.windowStart() : "this window's comment is already there"));
    return new Outcome(out, new State(issue.number(), now, kept), false);
  }

  /**
   * "Related" lines for the clusters that shared a trace with this one: their issue where they have
   * one (found as any fingerprint's issue is), else their fingerprint.
   */
  private String relatedLines(List<String> related) throws IOException {
    if (related.isEmpty()) {
      return "";
    }
    List<String> links = new ArrayList<>();
    for (String fp : related) {
      if (!fp.matches("[0-9a-f]{16}")) {
        continue;
      }
      GitHubClient.Issue i = find(fp, State.NONE);
      links.add(
          i == null
              ? "`" + fp + "` (no issue)"
              : "[#" + i.number() + "](" + i.url() + ") (`" + fp + "`)");
    }
    return "\n**Related** (shared traces): " + String.join(", ", links) + "\n";
  }

  /** A resolved fingerprint: its open issue is closed, with a comment stating the last entry. */
  private Outcome resolve(ClusterRow row, GitHubClient.Issue issue, State state, List<Decision> out)
      throws IOException {
    if (issue == null) {
      out.add(decision(row, Action.SKIPPED_CLOSED, null, null, "resolved; it has no issue"));
      return new Outcome(out, state, false);
    }
    State known = new State(issue.number(), state.lastCommentMillis(), state.lastPriority());
    if (!issue.open()) {
      out.add(decision(row, Action.SKIPPED_CLOSED, issue, "resolved; already closed"));
      return new Outcome(out, known, false);
    }
    if (issue.labels().contains(config.mutedLabel())) {
      out.add(decision(row, Action.SKIPPED_MUTED, issue, "labelled " + config.mutedLabel()));
      return new Outcome(out, known, false);
    }
    if (!budget.tryTake(2, false)) {
      out.add(decision(row, Action.DEFERRED, issue, "write budget spent; closing next window"));
      return new Outcome(out, known, true);
    }
    postOnce(issue, row, IssueText.resolved(row));
    GitHubClient.Issue closed = client.update(issue.number(), "closed", null);
    remember(row.fingerprint(), closed);
    out.add(decision(row, Action.RESOLVED, issue, "no entries since " + row.lastSeen()));
    return new Outcome(
        out, new State(issue.number(), clock.nowMillis(), state.lastPriority()), false);
  }

  /**
   * Assigns a new issue to its owner when that is a user handle. A separate call, so that GitHub
   * refusing an assignee (no access to the repository) never costs the issue itself.
   */
  private void assign(GitHubClient.Issue issue, ClusterRow row) {
    String owner = row.signal().owner();
    if (!config.assignOwners() || !dev.loggardener.priority.CodeOwners.isUserHandle(owner)) {
      return;
    }
    try {
      client.assign(issue.number(), List.of(owner.substring(1)));
    } catch (IOException | RuntimeException e) {
      // The issue exists and is labelled with its team; an assignee is a convenience.
    }
  }

  private Outcome closed(
      ClusterRow row, GitHubClient.Issue issue, State known, boolean urgent, List<Decision> out)
      throws IOException {
    if (issue.closedAt() == null || !row.lastSeen().isAfter(issue.closedAt())) {
      out.add(decision(row, Action.SKIPPED_CLOSED, issue, "no entries after it was closed"));
      return new Outcome(out, known, false);
    }
    if (!budget.tryTake(2, urgent)) {
      out.add(decision(row, Action.DEFERRED, issue, "write budget spent; regression next window"));
      return new Outcome(out, known, true);
    }
    long now = clock.nowMillis();
    if (config.regressionAsNewIssue()) {
      List<String> labels = new ArrayList<>(IssueText.labels(row));
      labels.add(IssueText.REGRESSION_LABEL);
      GitHubClient.Issue created =
          createOnce(
              row,
              issue.number(),
              IssueText.title(row),
              IssueText.regressionBody(row, issue.number()),
              labels);
      remember(row.fingerprint(), created);
      out.add(
          decision(
              row,
              Action.CREATED,
              created.number(),
              created.url(),
              "regression of #" + issue.number()));
      return new Outcome(out, new State(created.number(), now, row.priority()), false);
    }
    List<String> labels = new ArrayList<>(issue.labels());
    if (!labels.contains(IssueText.REGRESSION_LABEL)) {
      labels.add(IssueText.REGRESSION_LABEL);
    }
    GitHubClient.Issue reopened = client.update(issue.number(), "open", labels);
    remember(row.fingerprint(), reopened);
    postOnce(issue, row, IssueText.regression(row, issue.closedAt()));
    out.add(
        decision(
            row,
            Action.REOPENED,
            issue,
            "entries until " + row.lastSeen() + " after it was closed at " + issue.closedAt()));
    return new Outcome(out, new State(issue.number(), now, row.priority()), false);
  }

  /**
   * Creates the fingerprint's issue. After a create whose outcome is unknown, the listing is read
   * again first: if the issue is there (and is not {@code replacing}, the closed issue a regression
   * replaces), that is the one; only otherwise is the create repeated.
   */
  private GitHubClient.Issue createOnce(
      ClusterRow row, int replacing, String title, String body, List<String> labels)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.create(title, body, labels);
      } catch (GitHubClient.GitHubException e) {
        if (!e.uncertain() || attempt >= GitHubClient.ATTEMPTS) {
          throw e;
        }
        index = null;
        GitHubClient.Issue found = find(row.fingerprint(), State.NONE);
        if (found != null && found.number() != replacing && found.open()) {
          return found;
        }
      }
    }
  }

  /**
   * Posts unless this window's marker is already on the issue (its body, or a comment); true if it
   * posted. After a post whose outcome is unknown, the comments are read again before repeating.
   */
  private boolean postOnce(GitHubClient.Issue issue, ClusterRow row, String body)
      throws IOException {
    String marker = IssueText.windowMarker(row);
    for (int attempt = 1; ; attempt++) {
      if (IssueText.hasMarker(issue.body(), marker)) {
        return attempt > 1;
      }
      for (GitHubClient.Comment c : client.comments(issue.number())) {
        if (IssueText.hasMarker(c.body(), marker)) {
          return attempt > 1;
        }
      }
      try {
        client.comment(issue.number(), body);
        return true;
      } catch (GitHubClient.GitHubException e) {
        if (!e.uncertain() || attempt >= GitHubClient.ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** The priority the issue stands at: the more urgent of its label and what was last recorded. */
  private static String issuePriority(GitHubClient.Issue issue, State state) {
    String fromLabel = null;
    for (String l : issue.labels()) {
      if (l.startsWith("priority:")
          && (fromLabel == null || rank(l.substring(9)) < rank(fromLabel))) {
        fromLabel = l.substring(9);
      }
    }
    if (fromLabel == null) {
      return state.lastPriority();
    }
    if (state.lastPriority() == null) {
      return fromLabel;
    }
    return rank(fromLabel) <= rank(state.lastPriority()) ? fromLabel : state.lastPriority();
  }

  /**
   * The fingerprint's issue: by number when Beam state knows it and the issue's marker names this
   * fingerprint, else from the label listing. A miss reads the listing's newest pages again (down
   * to the newest issue already seen) before answering, so an issue made since the last read (by a
   * retried bundle, or by hand) is found rather than duplicated; the whole listing is read again
   * every ten minutes.
   */
  private GitHubClient.Issue find(String fingerprint, State state) throws IOException {
    if (state.issueNumber() > 0) {
      try {
        GitHubClient.Issue stored = client.issue(state.issueNumber());
        if (fingerprint.equals(IssueText.fingerprintIn(stored.body()))) {
          return stored;
        }
        // Its marker names another fingerprint, or none (the repository changed, the issue was
        // edited): never act on it; look the fingerprint up as if it had no issue.
      } catch (GitHubClient.GitHubException e) {
        if (e.status() != 404 && e.status() != 410) {
          throw e;
        }
        // Deleted or transferred: look for the fingerprint's issue as if it had none.
      }
    }
    long now = clock.nowMillis();
    if (index == null || now - indexedAt > INDEX_TTL_MILLIS) {
      Map<String, GitHubClient.Issue> fresh = new HashMap<>();
      newest = 0;
      for (GitHubClient.Issue i : client.issuesWithLabel(IssueText.LABEL)) {
        add(fresh, i);
      }
      index = fresh;
      indexedAt = now;
    } else if (!index.containsKey(fingerprint)) {
      // Only issues made since the listing was read can be missing from it (an issue edited to
      // carry a marker shows at the next full read): they are the newest, on the first pages.
      for (GitHubClient.Issue i : client.issuesWithLabel(IssueText.LABEL, newest)) {
        add(index, i);
      }
    }
    return index.get(fingerprint);
  }

  private void add(Map<String, GitHubClient.Issue> to, GitHubClient.Issue i) {
    newest = Math.max(newest, i.number());
    String fp = IssueText.fingerprintIn(i.body());
    if (fp != null) {
      to.merge(fp, i, IssueSync::preferred);
    }
  }

  /** Of two issues with one marker: the open one, else the newer. */
  private static GitHubClient.Issue preferred(GitHubClient.Issue a, GitHubClient.Issue b) {
    if (a.open() != b.open()) {
      return a.open() ? a : b;
    }
    return a.number() > b.number() ? a : b;
  }

  private void remember(String fingerprint, GitHubClient.Issue issue) {
    if (index != null) {
      index.put(fingerprint, issue);
      newest = Math.max(newest, issue.number());
    }
  }

  private Decision decision(ClusterRow row, Action action, GitHubClient.Issue i, String detail) {
    return decision(row, action, i.number(), i.url(), detail);
  }

  private Decision decision(
      ClusterRow row, Action action, Integer number, String url, String detail) {
    return new Decision(
        Instant.ofEpochMilli(clock.nowMillis()),
        row.fingerprint(),
        row.windowStart(),
        row.paneIndex(),
        row.priority(),
        action,
        number,
        url,
        detail);
  }
}
