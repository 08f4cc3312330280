package dev.loggardener.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loggardener.cluster.ClusterRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The issue lifecycle against the fake GitHub, held to GitHub's OpenAPI description. */
class IssueSyncTest {
  static final String REPO = "netra-systems/netra-apex";

  /** A clock that only moves when told to, or when the client waits. */
  static final class FakeClock implements GitHubClient.Clock {
    final AtomicLong now = new AtomicLong(Instant.parse("2025-09-15T08:00:00Z").toEpochMilli());
    final AtomicLong slept = new AtomicLong();

    @Override
    public long nowMillis() {
      return now.get();
    }

    @Override
    public void sleep(long millis) {
      slept.addAndGet(millis);
      now.addAndGet(millis);
    }

    void advance(Duration d) {
      now.addAndGet(d.toMillis());
    }
  }

  FakeGitHub github;
  FakeClock clock;
  IssueSync sync;
  List<IssueSync.Decision> decisions;

  @BeforeEach
  void start() throws Exception {
    github = new FakeGitHub(REPO);
    clock = new FakeClock();
    sync = sync(false, false);
    decisions = new ArrayList<>();
  }

  @AfterEach
  void stop() {
    try {
      assertEquals(List.of(), github.contractViolations(), "requests or responses off contract");
    } finally {
      github.close();
    }
  }

  IssueSync sync(boolean dryRun, boolean regressionAsNew) {
    GitHubClient client = new GitHubClient(github.url(), REPO, () -> FakeGitHub.TOKEN, clock);
    return new IssueSync(
        new IssueSync.Config(REPO, dryRun, "P3", Duration.ofHours(6), "muted", regressionAsNew),
        client,
        new WriteBudget(clock),
        clock);
  }

  static ClusterRow row(String fp, String priority, String window, long count, String template) {
    Instant start = Instant.parse(window);
    return new ClusterRow(
        fp,
        template,
        "netra-backend-staging",
        "netra_backend.app.websocket_core",
        "_main_message_loop",
        List.of("websocket_ssot.py:1490"),
        List.of("netra-backend-staging-00590-abc"),
        "ERROR",
        priority,
        "active-dev",
        "websocket-connection",
        count,
        start.plusSeconds(10),
        start.plusSeconds(250),
        start,
        start.plusSeconds(300),
        "ON_TIME",
        0,
        true,
        List.of(
            "{\"logName\":\"projects/netra-staging/logs/run.googleapis.com%2Fstderr\","
                + "\"jsonPayload\":{\"message\":"
                + com.fasterxml.jackson.databind.node.TextNode.valueOf(template).toString()
                + "}}"),
        3,
        2,
        List.of(),
        "input-0123456789abcdef",
        1,
        null);
  }

  static final String WS = "[MAIN MODE] Message loop error: WebSocket is not connected";

  IssueSync.State run(ClusterRow row, IssueSync.State state) {
    IssueSync.Outcome o = sync.sync(row, state);
    decisions.addAll(o.decisions());
    return o.state();
  }

  String lastAction() {
    return decisions.get(decisions.size() - 1).action().code();
  }

  List<String> labels(int number) {
    List<String> out = new ArrayList<>();
    for (JsonNode i : github.issues()) {
      if (i.path("number").asInt() == number) {
        i.path("labels").forEach(l -> out.add(l.path("name").asText()));
      }
    }
    return out;
  }

  @Test
  void createCommentEscalateCloseAndReopenAsRegression() {
    IssueSync.State s =
        run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("created", lastAction());
    assertEquals(1, s.issueNumber());
    JsonNode issue = github.issues().get(0);
    assertEquals(
        "GCP-active-dev-P2-MAIN MODE Message loop error WebSocket is not connected",
        issue.path("title").asText());
    assertTrue(
        labels(1)
            .containsAll(
                List.of(
                    "log-gardener",
                    "priority:P2",
                    "severity:error",
                    "service:netra-backend-staging")),
        labels(1).toString());
    assertTrue(
        issue
            .path("body")
            .asText()
            .contains("<!-- log-gardener fingerprint=be96ab7611ac77ad v=1 -->"));
    assertTrue(issue.path("body").asText().contains("console.cloud.google.com/logs/query"));

    // The next window, inside the cooldown: counted, not posted.
    clock.advance(Duration.ofMinutes(5));
    s = run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:05:00Z", 41, WS), s);
    assertEquals("skipped-cooldown", lastAction());
    assertEquals(List.of(), github.commentBodies(1));

    // After the cooldown: one comment with the new evidence.
    clock.advance(Duration.ofHours(7));
    s = run(row("be96ab7611ac77ad", "P2", "2025-09-15T15:00:00Z", 42, WS), s);
    assertEquals("commented", lastAction());
    assertEquals(1, github.commentBodies(1).size());

    // Priority rose: inside the cooldown, the label is swapped and the reason given.
    clock.advance(Duration.ofMinutes(5));
    s = run(row("be96ab7611ac77ad", "P1", "2025-09-15T15:05:00Z", 900, WS), s);
    assertEquals("escalated", lastAction());
    assertTrue(
        labels(1).contains("priority:P1") && !labels(1).contains("priority:P2"),
        labels(1).toString());
    assertTrue(github.commentBodies(1).get(1).startsWith("Priority rose from P2 to P1"));

    // A lower priority later never lowers the label.
    clock.advance(Duration.ofHours(7));
    s = run(row("be96ab7611ac77ad", "P3", "2025-09-15T22:00:00Z", 5, WS), s);
    assertEquals("commented", lastAction());
    assertTrue(labels(1).contains("priority:P1"));

    // Someone fixes and closes it; the same error comes back afterwards.
    github.closeByUser(1, Instant.parse("2025-09-16T09:00:00Z"));
    s = run(row("be96ab7611ac77ad", "P2", "2025-09-16T08:00:00Z", 7, WS), s);
    assertEquals("skipped-closed", lastAction(), "entries from before it was closed");
    clock.advance(Duration.ofHours(1));
    s = run(row("be96ab7611ac77ad", "P2", "2025-09-16T10:00:00Z", 7, WS), s);
    assertEquals("reopened", lastAction());
    assertEquals("open", github.issues().get(0).path("state").asText());
    assertTrue(labels(1).contains("regression"));
    List<String> comments = github.commentBodies(1);
    assertTrue(comments.get(comments.size() - 1).startsWith("Regression: 7 entries"));
    assertEquals(1, github.issues().size());
  }

  @Test
  void aReplayedWindowPostsOnceAndAReplayedCreationDoesNotDuplicate() {
    ClusterRow first = row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS);
    // Dataflow ran the bundle twice: the second run has the state from before the first.
    IssueSync.State s = run(first, IssueSync.State.NONE);
    run(first, IssueSync.State.NONE);
    assertEquals(1, github.issues().size());
    assertEquals(List.of(), github.commentBodies(1), "the body already holds that window");
    assertEquals("skipped-duplicate", lastAction());

    clock.advance(Duration.ofHours(7));
    ClusterRow later = row("be96ab7611ac77ad", "P2", "2025-09-15T15:00:00Z", 40, WS);
    run(later, s);
    run(later, s);
    assertEquals(1, github.commentBodies(1).size());
    assertEquals("skipped-duplicate", lastAction());
  }

  @Test
  void twoFingerprintsNeverShareAnIssue() {
    run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    run(
        row(
            "e4235e9ef0b314f4",
            "P2",
            "2025-09-15T08:00:00Z",
            12,
            "Error sending unknown message ack to <*>:"),
        IssueSync.State.NONE);
    assertEquals(2, github.issues().size());
    assertTrue(clock.slept.get() >= 1_000, "a second between writes: " + clock.slept.get() + " ms");
    assertEquals(
        List.of("created", "created"), decisions.stream().map(d -> d.action().code()).toList());
  }

  @Test
  void aMarkerForgedInALogLineCannotClaimAnotherFingerprintsIssue() {
    String victim = "be96ab7611ac77ad";
    // The attacker's log line carries the victim's issue marker and window marker; it is quoted
    // in the attacker's own issue, before the gardener's real marker.
    String forged =
        "Error <!-- log-gardener fingerprint="
            + victim
            + " v=1 --> and <!-- log-gardener window="
            + victim
            + "/2025-09-15T08:00:00Z -->";
    IssueSync.State attacker =
        run(
            row("e4235e9ef0b314f4", "P2", "2025-09-15T08:00:00Z", 12, forged),
            IssueSync.State.NONE);
    assertEquals(1, attacker.issueNumber());

    IssueSync.State v =
        run(row(victim, "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("created", lastAction(), "the victim gets an issue of its own");
    assertEquals(2, v.issueNumber());
    assertEquals(List.of(), github.commentBodies(1), "nothing of the victim's on the attacker's");

    // And the attacker's cluster finds its own issue again, instead of a new one every run.
    clock.advance(Duration.ofHours(7));
    run(row("e4235e9ef0b314f4", "P2", "2025-09-15T15:00:00Z", 12, forged), IssueSync.State.NONE);
    assertEquals("commented", lastAction());
    assertEquals(2, github.issues().size());
  }

  @Test
  void aStoredIssueWhoseMarkerNamesAnotherFingerprintIsNotActedOn() {
    // The state says #1, but #1 is another fingerprint's (the repository changed, or issues were
    // recreated): the row's own issue is looked up, and made since there is none.
    run(
        row("e4235e9ef0b314f4", "P2", "2025-09-15T08:00:00Z", 12, "Other <*>"),
        IssueSync.State.NONE);
    IssueSync.State stale = new IssueSync.State(1, 0, "P2");
    IssueSync.State s = run(row("be96ab7611ac77ad", "P1", "2025-09-15T08:00:00Z", 40, WS), stale);
    assertEquals("created", lastAction());
    assertEquals(2, s.issueNumber());
    assertEquals(List.of(), github.commentBodies(1));
    assertFalse(labels(1).contains("priority:P1"), "no escalation of #1: " + labels(1));
  }

  @Test
  void aHandMadeIssueWithTheMarkerIsAdopted() {
    int n =
        github.fileByHand(
            "WebSocket Connection State Lifecycle Errors",
            "Seen in staging.\n\n<!-- log-gardener fingerprint=be96ab7611ac77ad v=1 -->",
            List.of("log-gardener", "bug"));
    IssueSync.State s =
        run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals(1, github.issues().size());
    assertEquals(n, s.issueNumber());
    assertEquals("commented", lastAction());
  }

  @Test
  void aDeletedIssueIsReplacedNotFailedForever() {
    IssueSync.State s =
        run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    github.deleteByUser(s.issueNumber());
    clock.advance(Duration.ofHours(7));
    s = run(row("be96ab7611ac77ad", "P2", "2025-09-15T15:00:00Z", 40, WS), s);
    assertEquals("created", lastAction());
    assertEquals(2, s.issueNumber());
  }

  @Test
  void aMutedIssueGetsNoComments() {
    IssueSync.State s =
        run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    github.addLabelByUser(1, "muted");
    clock.advance(Duration.ofHours(7));
    run(row("be96ab7611ac77ad", "P1", "2025-09-15T15:00:00Z", 900, WS), s);
    assertEquals("skipped-muted", lastAction());
    assertEquals(List.of(), github.commentBodies(1));
  }

  @Test
  void aCreateWhoseResponseIsLostIsLookedUpNotRepeated() {
    github.loseNextResponse("POST", 502);
    IssueSync.State s =
        run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("created", lastAction());
    assertEquals(1, github.issues().size(), "one issue, not one per attempt");
    assertEquals(1, s.issueNumber());
  }

  @Test
  void aCommentWhoseResponseIsLostIsNotPostedTwice() {
    IssueSync.State s =
        run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    clock.advance(Duration.ofHours(7));
    github.loseNextResponse("POST", 502);
    run(row("be96ab7611ac77ad", "P2", "2025-09-15T15:00:00Z", 40, WS), s);
    assertEquals("commented", lastAction());
    assertEquals(1, github.commentBodies(1).size());
  }

  @Test
  void aSecondaryLimitWithoutRetryAfterWaitsAMinuteThenLonger() {
    github.failNext(403, Map.of());
    run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("created", lastAction());
    assertTrue(clock.slept.get() >= 60_000, "waited " + clock.slept.get() + " ms");
    // Two in a row: the second wait would be two minutes, so the write is deferred instead.
    clock.advance(Duration.ofHours(7));
    long before = clock.slept.get();
    github.failNext(403, Map.of());
    github.failNext(403, Map.of());
    run(row("be96ab7611ac77ad", "P2", "2025-09-15T15:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("deferred", lastAction());
    assertTrue(clock.slept.get() - before >= 60_000);
  }

  @Test
  void threeHundredNewFingerprintsDoNotReadTheWholeListingEachTime() {
    // 250 issues of other fingerprints: three pages of the listing.
    for (int i = 0; i < 250; i++) {
      github.fileByHand(
          "Old " + i,
          "Seen.\n\n" + IssueText.marker(String.format("ffff%012x", i)),
          List.of("log-gardener"));
    }
    for (int i = 0; i < 300; i++) {
      run(
          row(String.format("aaaa%012x", i), "P2", "2025-09-15T08:00:00Z", 3, "Task " + i + " <*>"),
          IssueSync.State.NONE);
      assertEquals("created", lastAction());
    }
    long listings =
        github.requests.stream().filter(r -> r.equals("GET /repos/" + REPO + "/issues")).count();
    assertEquals(550, github.issues().size(), "no duplicates");
    // One full read (3 pages), then one page per new fingerprint: not three (or more) each.
    assertTrue(listings <= 3 + 300, listings + " listing pages");
  }

  @Test
  void retryAfterIsHonouredThenTheWriteSucceeds() {
    github.failNext(403, Map.of("Retry-After", "30"));
    run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("created", lastAction());
    assertTrue(clock.slept.get() >= 30_000, "waited " + clock.slept.get() + " ms");
    assertEquals(1, github.issues().size());
  }

  @Test
  void anExhaustedRateLimitWaitsUntilItsReset() {
    long reset = clock.nowMillis() / 1000 + 20;
    github.failNext(
        429, Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", String.valueOf(reset)));
    run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("created", lastAction());
    assertTrue(clock.nowMillis() >= reset * 1000, "resumed before the reset");
  }

  @Test
  void aLongRateLimitDefersInsteadOfBlockingThePipeline() {
    github.failNext(403, Map.of("Retry-After", "3600"));
    IssueSync.Outcome o =
        sync.sync(
            row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("deferred", o.decisions().get(0).action().code());
    assertTrue(
        o.decisions().get(0).detail().contains("rate limited"), o.decisions().get(0).detail());
    assertTrue(o.retry());
    assertTrue(clock.slept.get() < 60_000, "did not wait the hour");
  }

  @Test
  void aServerErrorIsRetriedWithBackoff() {
    github.failNext(502, Map.of());
    github.failNext(503, Map.of());
    run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("created", lastAction());
    assertTrue(clock.slept.get() >= 1_500, "backed off " + clock.slept.get() + " ms");
  }

  @Test
  void aFailureIsRecordedAndRetriedNotThrown() {
    for (int i = 0; i < GitHubClient.ATTEMPTS; i++) {
      github.failNext(502, Map.of());
    }
    IssueSync.Outcome o =
        sync.sync(
            row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("failed", o.decisions().get(0).action().code());
    assertTrue(o.retry());
    assertFalse(o.decisions().get(0).detail().contains(FakeGitHub.TOKEN));
    assertEquals(0, github.issues().size());
  }

  @Test
  void aWriteBudgetSpentDefersLowerPrioritiesFirst() {
    WriteBudget budget = new WriteBudget(clock);
    int taken = 0;
    while (budget.tryTake(1, false)) {
      taken++;
    }
    assertEquals(WriteBudget.PER_MINUTE * 80 / 100, taken, "P2 and below stop at 80% of a minute");
    assertTrue(budget.tryTake(WriteBudget.PER_MINUTE - taken, true), "P0 and P1 get the rest");
    assertFalse(budget.tryTake(1, true));
    clock.advance(Duration.ofSeconds(61));
    assertTrue(budget.tryTake(1, false), "a minute later there is room again");
    // The hour: 500, of which 400 for P2 and below.
    for (int m = 0; m < 10; m++) {
      clock.advance(Duration.ofSeconds(61));
      while (budget.tryTake(1, false)) {}
    }
    assertFalse(budget.tryTake(1, false));
    clock.advance(Duration.ofSeconds(61));
    assertFalse(budget.tryTake(1, false), "the hour's share for P2 and below is spent");
    assertTrue(budget.tryTake(1, true));

    // Three workers share a token: each takes a third of its limits.
    WriteBudget third = new WriteBudget(clock, 3);
    int share = 0;
    while (third.tryTake(1, true)) {
      share++;
    }
    assertEquals(WriteBudget.PER_MINUTE / 3, share);

    IssueSync spent =
        new IssueSync(
            new IssueSync.Config(REPO, false, "P3", Duration.ofHours(6), "muted", false),
            new GitHubClient(github.url(), REPO, () -> FakeGitHub.TOKEN, clock),
            budget,
            clock);
    IssueSync.Outcome o =
        spent.sync(
            row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("deferred", o.decisions().get(0).action().code());
    assertTrue(o.retry());
    assertEquals(0, github.writes());
  }

  @Test
  void onlyPanesWorthAnIssueAreSynced() {
    ClusterRow onTime = row("be96ab7611ac77ad", "P3", "2025-09-15T08:00:00Z", 4, WS);
    assertTrue(IssueSync.eligible(onTime, policy("P3")));
    assertFalse(IssueSync.eligible(onTime, policy("P2")), "below the minimum priority");
    ClusterRow p4 = row("be96ab7611ac77ad", "P4", "2025-09-15T08:00:00Z", 4, WS);
    assertFalse(IssueSync.eligible(p4, policy("P3")));
    assertFalse(IssueSync.eligible(pane(onTime, "EARLY", false), policy("P3")), "early P3: wait");
    assertTrue(
        IssueSync.eligible(
            pane(row("f", "P1", "2025-09-15T08:00:00Z", 4, WS), "EARLY", false), policy("P3")),
        "early P1: now");
    assertFalse(IssueSync.eligible(pane(onTime, "LATE", false), policy("P3")));
    assertTrue(IssueSync.eligible(pane(onTime, "LATE", true), policy("P3")), "the final pane");
  }

  static ClusterRow pane(ClusterRow r, String timing, boolean isFinal) {
    return new ClusterRow(
        r.fingerprint(),
        r.template(),
        r.service(),
        r.module(),
        r.function(),
        r.sourceLines(),
        r.revisions(),
        r.severity(),
        r.priority(),
        r.category(),
        r.rule(),
        r.entryCount(),
        r.firstSeen(),
        r.lastSeen(),
        r.windowStart(),
        r.windowEnd(),
        timing,
        r.paneIndex(),
        isFinal,
        r.samples(),
        r.distinctUsers(),
        r.distinctTraces(),
        r.traceIds(),
        r.runId(),
        r.attempt(),
        null);
  }

  @Test
  void dryRunMakesNoCall() {
    sync = sync(true, false);
    run(row("be96ab7611ac77ad", "P1", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    assertEquals("dry-run", lastAction());
    assertEquals(List.of(), github.requests);
  }

  @Test
  void aRegressionCanOpenANewIssueThatLinksTheOldOne() {
    sync = sync(false, true);
    IssueSync.State s =
        run(row("be96ab7611ac77ad", "P2", "2025-09-15T08:00:00Z", 40, WS), IssueSync.State.NONE);
    github.closeByUser(1, Instant.parse("2025-09-16T09:00:00Z"));
    run(row("be96ab7611ac77ad", "P2", "2025-09-16T10:00:00Z", 7, WS), s);
    assertEquals("created", lastAction());
    assertEquals(2, github.issues().size());
    JsonNode second = github.issues().get(1);
    assertTrue(second.path("body").asText().startsWith("Regression of #1."));
  }

  @Test
  void injectedTextComesOutInert() {
    String evil =
        "Deploy failed @netra-systems/oncall @alice see #123 and GH-456 <img src=x onerror=alert(1)>"
            + " [click](javascript:alert(1)) https://evil.example/x www.evil.example\n```\n"
            + "<script>alert(2)</script>\n```";
    run(row("0123456789abcdef", "P1", "2025-09-15T08:00:00Z", 3, evil), IssueSync.State.NONE);
    String body = github.issues().get(0).path("body").asText();
    String title = github.issues().get(0).path("title").asText();
    for (String bad : List.of("@", "#", "<", ">", "[", "(", "`")) {
      assertFalse(title.contains(bad), "title holds " + bad + ": " + title);
    }
    String outside = outsideCodeBlocks(body);
    for (String live :
        List.of(
            "@netra-systems/oncall",
            "@alice",
            "#123",
            "GH-456",
            "<img",
            "<script",
            "](javascript:",
            "https://evil",
            "www.evil")) {
      assertFalse(outside.contains(live), live + " is live in:\n" + outside);
    }
    assertTrue(body.length() < 65_536);
  }

  /**
   * The body with its fenced blocks removed, reading fences as GitHub does: a block opened by N
   * backticks closes only at a line of at least N backticks.
   */
  static String outsideCodeBlocks(String body) {
    StringBuilder out = new StringBuilder();
    int fence = 0;
    for (String line : body.split("\n", -1)) {
      String t = line.trim();
      int ticks = 0;
      while (ticks < t.length() && t.charAt(ticks) == '`') {
        ticks++;
      }
      if (fence == 0 && ticks >= 3) {
        fence = ticks;
      } else if (fence > 0 && ticks >= fence && t.length() == ticks) {
        fence = 0;
      } else if (fence == 0) {
        // HTML comments are the gardener's own markers.
        out.append(line.replaceAll("<!-- log-gardener [^>]*-->", "")).append('\n');
      }
    }
    return out.toString();
  }

  static IssueSync.Config policy(String minPriority) {
    return new IssueSync.Config(
        "acme/shop", true, minPriority, java.time.Duration.ZERO, "muted", false);
  }
}
