package dev.loggardener.pipeline;

import dev.loggardener.cluster.ClusterRow;
import dev.loggardener.github.GitHubClient;
import dev.loggardener.github.IssueSync;
import dev.loggardener.github.Tokens;
import dev.loggardener.github.WriteBudget;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * One GitHub issue per fingerprint, after ClassifyPriority: the rows worth an issue, keyed by
 * fingerprint, so that one fingerprint is decided in one place at a time, with Beam state holding
 * its issue number, last comment time and last priority. Every decision becomes a {@code
 * github_sync} row. A GitHub failure never fails the pipeline: it is a row, and in streaming the
 * row is tried again ten minutes later (in batch, on the next run).
 */
public final class SyncGitHub
    extends PTransform<PCollection<ClusterRow>, PCollection<IssueSync.Decision>> {

  /** Everything the step needs, from the options; no token (it is resolved where the step runs). */
  public record Settings(
      String apiUrl,
      String tokenSecret,
      String tokenEnv,
      IssueSync.Config config,
      boolean streaming,
      int workers)
      implements Serializable {

    /** The options' GitHub settings, or null when no repository is given. */
    public static Settings from(GardenerOptions o) {
      if (o.getGithubRepo() == null || o.getGithubRepo().isBlank()) {
        return null;
      }
      if (!o.getGithubRepo().matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException(
            "--githubRepo must be OWNER/NAME, not '" + o.getGithubRepo() + "'");
      }
      if (!o.getGithubMinPriority().matches("P[0-4]")) {
        throw new IllegalArgumentException(
            "--githubMinPriority must be one of P0..P4, not '" + o.getGithubMinPriority() + "'");
      }
      if (!o.getGithubRegression().equals("reopen") && !o.getGithubRegression().equals("new")) {
        throw new IllegalArgumentException(
            "--githubRegression must be 'reopen' or 'new', not '" + o.getGithubRegression() + "'");
      }
      boolean hasToken = Tokens.present(o.getGithubTokenSecret(), o.getGithubTokenEnv());
      boolean dryRun = o.getGithubDryRun() != null ? o.getGithubDryRun() : !hasToken;
      if (!dryRun && !hasToken) {
        // Unauthenticated requests would fail one by one (or, on a public repository, read
        // and then fail to write) while the run reports success.
        throw new IllegalArgumentException(
            "--githubDryRun=false needs a GitHub token: set the environment variable "
                + o.getGithubTokenEnv()
                + " (--githubTokenEnv) or pass --githubTokenSecret");
      }
      return new Settings(
          o.getGithubApiUrl(),
          o.getGithubTokenSecret(),
          o.getGithubTokenEnv(),
          new IssueSync.Config(
              o.getGithubRepo(),
              dryRun,
              o.getGithubMinPriority(),
              Duration.ofHours(Math.max(0, o.getGithubCommentCooldownHours())),
              o.getGithubMutedLabel(),
              o.getGithubRegression().equals("new"),
              Math.max(1, o.getGithubMinWindows()),
              o.getGithubAutoClose(),
              o.getGithubAssignOwners()),
          o.getSubscription() != null,
          workers(o));
    }

    /**
     * Workers that may each hold a share of the token's write budget: Dataflow's --maxNumWorkers
     * (or --numWorkers), 1 on the DirectRunner.
     */
    static int workers(GardenerOptions o) {
      if (o.getRunner() == org.apache.beam.runners.direct.DirectRunner.class) {
        return 1;
      }
      org.apache.beam.runners.dataflow.options.DataflowPipelineWorkerPoolOptions pool =
          o.as(org.apache.beam.runners.dataflow.options.DataflowPipelineWorkerPoolOptions.class);
      return Math.max(
          1, pool.getMaxNumWorkers() > 0 ? pool.getMaxNumWorkers() : pool.getNumWorkers());
    }
  }

  private final Settings settings;

  public SyncGitHub(Settings settings) {
    this.settings = settings;
  }

  @Override
  public PCollection<IssueSync.Decision> expand(PCollection<ClusterRow> rows) {
    IssueSync.Config config = settings.config();
    // Per fingerprint across windows: the state outlives any one window.
    PCollection<ClusterRow> across =
        rows.apply("AcrossWindows", ClassifyPriority.<ClusterRow>acrossWindows());
    PCollection<KV<String, KV<ClusterRow, String>>> eligible =
        across
            .apply("Eligible", Filter.by(r -> IssueSync.eligible(r, config)))
            .apply(
                "KeyByFingerprint",
                MapElements.into(INPUT)
                    .via((ClusterRow r) -> KV.of(r.fingerprint(), KV.of(r, (String) null))))
            .setCoder(INPUT_CODER);
    PCollection<KV<String, KV<ClusterRow, String>>> related =
        across
            .apply("RelateByTrace", new RelateByTrace())
            .apply(
                "KeyRelated",
                MapElements.into(INPUT)
                    .via(
                        (KV<String, String> p) ->
                            KV.of(p.getKey(), KV.of((ClusterRow) null, p.getValue()))))
            .setCoder(INPUT_CODER);
    return PCollectionList.of(eligible)
        .and(related)
        .apply("RowsAndRelated", Flatten.pCollections())
        .setCoder(INPUT_CODER)
        .apply("Sync", ParDo.of(new SyncFn(settings)))
        .setCoder(Coders.DECISION);
  }

  /** A row to sync, or (row null) a fingerprint that shared a trace with the key's. */
  private static final org.apache.beam.sdk.values.TypeDescriptor<KV<String, KV<ClusterRow, String>>>
      INPUT = new org.apache.beam.sdk.values.TypeDescriptor<>() {};

  static final KvCoder<String, KV<ClusterRow, String>> INPUT_CODER =
      KvCoder.of(
          StringUtf8Coder.of(),
          KvCoder.of(NullableCoder.of(Coders.CLUSTER_ROW), NullableCoder.of(StringUtf8Coder.of())));

  /** Related fingerprints a fingerprint's issue links to, at most. */
  static final int MAX_RELATED = 5;

  static final class SyncFn extends DoFn<KV<String, KV<ClusterRow, String>>, IssueSync.Decision> {
    private final Settings settings;
    private transient IssueSync sync;

    @StateId("issue")
    private final StateSpec<ValueState<Integer>> issueSpec = StateSpecs.value(VarIntCoder.of());

    @StateId("lastComment")
    private final StateSpec<ValueState<Long>> lastCommentSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("lastPriority")
    private final StateSpec<ValueState<String>> lastPrioritySpec =
        StateSpecs.value(StringUtf8Coder.of());

    @StateId("pending")
    private final StateSpec<ValueState<ClusterRow>> pendingSpec =
        StateSpecs.value(Coders.CLUSTER_ROW);

    @StateId("related")
    private final StateSpec<ValueState<java.util.List<String>>> relatedSpec =
        StateSpecs.value(org.apache.beam.sdk.coders.ListCoder.of(StringUtf8Coder.of()));

    @TimerId("retry")
    private final TimerSpec retrySpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    SyncFn(Settings settings) {
      this.settings = settings;
    }

    @Setup
    public void setUp() throws java.io.IOException {
      GitHubClient client = null;
      WriteBudget budget = null;
      if (!settings.config().dryRun()) {
        String token = Tokens.resolve(settings.tokenSecret(), settings.tokenEnv());
        String t = token;
        client =
            new GitHubClient(
                settings.apiUrl(), settings.config().repo(), () -> t, GitHubClient.Clock.SYSTEM);
        budget = sharedBudget(settings.apiUrl(), token, settings.workers());
      }
      sync = new IssueSync(settings.config(), client, budget, GitHubClient.Clock.SYSTEM);
    }

    private static final Map<String, WriteBudget> BUDGETS = new LinkedHashMap<>();

    /**
     * One write budget per token in this JVM, with its share of the token's limits: GitHub counts
     * per token, and each Dataflow worker keeps its own.
     */
    private static synchronized WriteBudget sharedBudget(String apiUrl, String token, int workers) {
      return BUDGETS.computeIfAbsent(
          GitHubClient.tokenKey(apiUrl, token),
          k -> new WriteBudget(GitHubClient.Clock.SYSTEM, workers));
    }

    @ProcessElement
    public void process(
        @Element KV<String, KV<ClusterRow, String>> element,
        @StateId("issue") ValueState<Integer> issue,
        @StateId("lastComment") ValueState<Long> lastComment,
        @StateId("lastPriority") ValueState<String> lastPriority,
        @StateId("pending") ValueState<ClusterRow> pending,
        @StateId("related") ValueState<java.util.List<String>> related,
        @TimerId("retry") Timer retry,
        OutputReceiver<IssueSync.Decision> out) {
      ClusterRow row = element.getValue().getKey();
      if (row == null) {
        java.util.List<String> known = related.read();
        java.util.List<String> now =
            known == null ? new java.util.ArrayList<>() : new java.util.ArrayList<>(known);
        String other = element.getValue().getValue();
        if (!now.contains(other) && now.size() < MAX_RELATED) {
          now.add(other);
          related.write(now);
        }
        return;
      }
      handle(row, issue, lastComment, lastPriority, pending, related, retry, out);
    }

    @OnTimer("retry")
    public void onRetry(
        @StateId("issue") ValueState<Integer> issue,
        @StateId("lastComment") ValueState<Long> lastComment,
        @StateId("lastPriority") ValueState<String> lastPriority,
        @StateId("pending") ValueState<ClusterRow> pending,
        @StateId("related") ValueState<java.util.List<String>> related,
        @TimerId("retry") Timer retry,
        OutputReceiver<IssueSync.Decision> out) {
      ClusterRow row = pending.read();
      if (row != null) {
        pending.clear();
        handle(row, issue, lastComment, lastPriority, pending, related, retry, out);
      }
    }

    private void handle(
        ClusterRow row,
        ValueState<Integer> issue,
        ValueState<Long> lastComment,
        ValueState<String> lastPriority,
        ValueState<ClusterRow> pending,
        ValueState<java.util.List<String>> related,
        Timer retry,
        OutputReceiver<IssueSync.Decision> out) {
      Integer n = issue.read();
      Long c = lastComment.read();
      IssueSync.State before =
          new IssueSync.State(n == null ? 0 : n, c == null ? 0 : c, lastPriority.read());
      java.util.List<String> rel = related.read();
      IssueSync.Outcome o = sync.sync(row, before, rel == null ? java.util.List.of() : rel);
      IssueSync.State after = o.state();
      if (after.issueNumber() > 0) {
        issue.write(after.issueNumber());
      }
      lastComment.write(after.lastCommentMillis());
      if (after.lastPriority() != null) {
        lastPriority.write(after.lastPriority());
      }
      for (IssueSync.Decision d : o.decisions()) {
        Metrics.counter(
                GardenerMetrics.NAMESPACE, GardenerMetrics.GITHUB_PREFIX + d.action().code())
            .inc();
        out.output(d);
      }
      if (o.retry() && settings.streaming()) {
        pending.write(row);
        retry.offset(org.joda.time.Duration.standardMinutes(10)).setRelative();
      }
    }
  }

  /** A decision as a {@code github_sync} row. */
  static Map<String, Object> columns(IssueSync.Decision d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("synced_at", d.syncedAt());
    m.put("fingerprint", d.fingerprint());
    m.put("window_start", d.windowStart());
    m.put("pane_index", d.paneIndex());
    m.put("priority", d.priority());
    m.put("action", d.action().code());
    m.put("issue_number", d.issueNumber());
    m.put("url", d.url());
    m.put("detail", d.detail());
    return m;
  }
}
