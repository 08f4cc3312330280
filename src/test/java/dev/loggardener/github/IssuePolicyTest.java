package dev.loggardener.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loggardener.cluster.ClusterRow;
import dev.loggardener.cluster.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The issue policy, auto-close and owners, against the fake GitHub: on-call gets an issue for what
 * needs a person, a closed issue when the problem has gone, and the team that owns it.
 */
class IssuePolicyTest {
  static final String REPO = "acme/shop";
  static final String FP = "be96ab7611ac77ad";
  static final String SLOW = "Slow request <*> took <*> ms";

  FakeGitHub github;
  IssueSyncTest.FakeClock clock;
  List<IssueSync.Decision> decisions = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    github = new FakeGitHub(REPO);
    clock = new IssueSyncTest.FakeClock();
  }

  @AfterEach
  void stop() {
    try {
      assertEquals(List.of(), github.contractViolations(), "requests or responses off contract");
    } finally {
      github.close();
    }
  }

  static IssueSync.Config config(int minWindows, boolean autoClose, boolean assign) {
    return new IssueSync.Config(
        REPO, false, "P3", Duration.ofHours(6), "muted", false, minWindows, autoClose, assign);
  }

  IssueSync sync(IssueSync.Config config) {
    return new IssueSync(
        config,
        new GitHubClient(github.url(), REPO, () -> FakeGitHub.TOKEN, clock),
        new WriteBudget(clock),
        clock);
  }

  static ClusterRow row(String priority, long count, Signal signal) {
    return copy(
        IssueSyncTest.row(FP, priority, "2025-09-15T08:00:00Z", count, SLOW),
        "WARNING",
        Duration.ZERO,
        signal);
  }

  /** The row a day later: a state change comes in a window after the entries. */
  static ClusterRow nextDay(ClusterRow r) {
    return copy(r, r.severity(), Duration.ofDays(1), r.signal());
  }

  /** A copy with another severity, its window moved by {@code shift}, and this signal. */
  static ClusterRow copy(ClusterRow r, String severity, Duration shift, Signal signal) {
    return new ClusterRow(
        r.fingerprint(),
        r.template(),
        r.service(),
        r.module(),
        r.function(),
        r.sourceLines(),
        r.revisions(),
        severity,
        r.priority(),
        r.category(),
        r.rule(),
        r.entryCount(),
        r.firstSeen(),
        r.lastSeen(),
        r.windowStart().plus(shift),
        r.windowEnd().plus(shift),
        r.paneTiming(),
        r.paneIndex(),
        r.isFinal(),
        r.samples(),
        r.distinctUsers(),
        r.distinctTraces(),
        r.traceIds(),
        r.runId(),
        r.attempt(),
        signal);
  }

  static Signal signal(String state, boolean spike, long windows, String owner, boolean ignored) {
    return new Signal(
        spike ? 4.0 : 40.0,
        spike ? 10.0 : 1.0,
        spike,
        "new".equals(state),
        state,
        owner,
        windows,
        ignored);
  }

  @Test
  void aP3NeedsSeveralWindowsOrASpike() {
    IssueSync.Config c = config(3, false, true);
    assertFalse(
        IssueSync.eligible(row("P3", 40, signal("new", false, 1, null, false)), c),
        "a routine warning seen once: counted and reported, no issue");
    assertFalse(IssueSync.eligible(row("P3", 40, signal("ongoing", false, 2, null, false)), c));
    assertTrue(IssueSync.eligible(row("P3", 40, signal("ongoing", false, 3, null, false)), c));
    assertTrue(
        IssueSync.eligible(row("P3", 40, signal("spiking", true, 1, null, false)), c),
        "a spike is worth a look however new");
    assertTrue(
        IssueSync.eligible(row("P2", 1, signal("new", false, 1, null, false)), c),
        "P0-P2 always get an issue");
    assertFalse(IssueSync.eligible(row("P4", 400, signal("ongoing", false, 200, null, false)), c));
  }

  @Test
  void anIgnoredRuleNeverOpensAnIssue() {
    IssueSync.Config c = config(1, true, true);
    assertFalse(IssueSync.eligible(row("P1", 900, signal("spiking", true, 50, null, true)), c));
    assertFalse(IssueSync.eligible(row("P1", 0, signal("resolved", false, 0, null, true)), c));
  }

  @Test
  void resolvedClosesTheIssueOnlyWithAutoClose() {
    IssueSync.Config off = config(1, false, true);
    assertFalse(IssueSync.eligible(row("P2", 0, signal("resolved", false, 0, null, false)), off));
    assertFalse(
        IssueSync.eligible(
            row("P2", 0, signal("quiet", false, 0, null, false)), config(1, true, true)),
        "quiet is not yet resolved");

    IssueSync sync = sync(config(1, true, true));
    IssueSync.Outcome created =
        sync.sync(row("P2", 40, signal("new", false, 1, null, false)), IssueSync.State.NONE);
    assertEquals(Action.CREATED, created.decisions().get(0).action());
    ClusterRow resolved = nextDay(row("P2", 0, signal("resolved", false, 0, null, false)));
    assertTrue(IssueSync.eligible(resolved, config(1, true, true)));
    IssueSync.Outcome closed = sync.sync(resolved, created.state());
    assertEquals(Action.RESOLVED, closed.decisions().get(0).action());
    JsonNode issue = github.issues().get(0);
    assertEquals("closed", issue.path("state").asText());
    String comment = github.commentBodies(1).get(0);
    assertTrue(
        comment.startsWith("Resolved: no entries since " + resolved.lastSeen()),
        "the comment states the last occurrence: " + comment);

    // Closing again (a retried bundle) changes nothing.
    IssueSync.Outcome again = sync.sync(resolved, closed.state());
    assertEquals(Action.SKIPPED_CLOSED, again.decisions().get(0).action());
    assertEquals(1, github.commentBodies(1).size());
  }

  @Test
  void theOwnerIsATeamLabelAndAUserIsAssigned() {
    github.assignable.add("alice");
    IssueSync sync = sync(config(1, false, true));
    sync.sync(row("P2", 40, signal("new", false, 1, "@alice", false)), IssueSync.State.NONE);
    JsonNode issue = github.issues().get(0);
    List<String> labels = new ArrayList<>();
    issue.path("labels").forEach(l -> labels.add(l.path("name").asText()));
    assertTrue(labels.contains("team:alice"), labels.toString());
    assertEquals("alice", issue.path("assignees").path(0).path("login").asText());
    assertTrue(
        issue.path("body").asText().contains("| Owner | @\u200balice |"), "shown, not mentioned");

    // A team is a label only (GitHub assigns users), and so is any owner with assigning off.
    github.assignable.add("bob");
    IssueSync teams = sync(config(1, false, false));
    ClusterRow other =
        IssueSyncTest.row("0a1b2c3d4e5f6071", "P2", "2025-09-15T08:00:00Z", 5, "Other thing");
    ClusterRow owned =
        copy(
            other,
            other.severity(),
            Duration.ZERO,
            signal("new", false, 1, "@acme/payments", false));
    teams.sync(owned, IssueSync.State.NONE);
    JsonNode second = github.issues().get(1);
    assertEquals(0, second.path("assignees").size());
    assertTrue(second.path("labels").toString().contains("team:payments"), second.toString());
  }

  @Test
  void newAndSpikeAreSaidInTheIssue() {
    IssueSync sync = sync(config(1, false, true));
    sync.sync(row("P2", 40, signal("spiking", true, 5, null, false)), IssueSync.State.NONE);
    String body = github.issues().get(0).path("body").asText();
    assertTrue(body.contains("**Spike**: 40 entries, 10.0× its baseline of 4.0 per window"), body);
    IssueSync sync2 = sync(config(1, false, true));
    ClusterRow fresh =
        copy(
            IssueSyncTest.row(
                "1111111111111111", "P2", "2025-09-15T08:00:00Z", 3, "Brand new failure"),
            "ERROR",
            Duration.ZERO,
            signal("new", false, 1, null, false));
    sync2.sync(fresh, IssueSync.State.NONE);
    assertTrue(github.issues().get(1).path("body").asText().contains("**New problem**"));
  }

  @Test
  void relatedClustersAreLinkedToTheirIssues() {
    IssueSync sync = sync(config(1, false, true));
    sync.sync(row("P2", 40, signal("new", false, 1, null, false)), IssueSync.State.NONE);
    ClusterRow other =
        IssueSyncTest.row(
            "0a1b2c3d4e5f6071", "P2", "2025-09-15T08:00:00Z", 5, "Error sending ack to <*>");
    sync.sync(other, IssueSync.State.NONE, List.of(FP, "ffffffffffffffff", "not-a-fingerprint"));
    String body = github.issues().get(1).path("body").asText();
    assertTrue(
        body.contains(
            "**Related** (shared traces): [#1](https://github.com/acme/shop/issues/1) (`"
                + FP
                + "`), `ffffffffffffffff` (no issue)\n"),
        body);
    assertFalse(body.contains("not-a-fingerprint"));
    assertEquals(other.fingerprint(), IssueText.fingerprintIn(body), "the marker still names it");
  }
}
