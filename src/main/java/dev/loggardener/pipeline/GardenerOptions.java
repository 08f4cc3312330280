package dev.loggardener.pipeline;

import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;

/**
 * Every flag of {@code gardener run}. These names are a contract: Terraform's Flex Template job
 * passes them, so rename none without a migration.
 */
public interface GardenerOptions
    extends PubsubOptions, BigQueryOptions, GcpOptions, StreamingOptions {

  @Description(
      "Pub/Sub subscription to read, projects/P/subscriptions/S (streaming). Exactly one of"
          + " --subscription and --input.")
  String getSubscription();

  void setSubscription(String value);

  @Description(
      "Files to read, a glob (batch and backfill): JSON Lines or gcloud JSON arrays of"
          + " LogEntry. Exactly one of --subscription and --input.")
  String getInput();

  void setInput(String value);

  @Description("Length of the event-time windows that counts are made in, in minutes.")
  @Default.Integer(5)
  int getWindowMinutes();

  void setWindowMinutes(int value);

  @Description("How late an entry may arrive after its window closed and still count, in minutes.")
  @Default.Integer(60)
  int getAllowedLatenessMinutes();

  void setAllowedLatenessMinutes(int value);

  @Description(
      "Streaming only: an early pane this many seconds of processing time after the first entry"
          + " of a pane; 0 turns early panes off.")
  @Default.Integer(60)
  int getEarlyFiringSeconds();

  void setEarlyFiringSeconds(int value);

  @Description(
      "Redact every entry as it is parsed, so that no step after parsing (the shuffles and state"
          + " of deduplication, fingerprinting and counting, on Dataflow the workers' disks) holds"
          + " raw log text. Off by default: then only the fields triage reads are redacted there,"
          + " and each kept sample is redacted whole before it is written.")
  @Default.Boolean(false)
  boolean getRedactAtParse();

  void setRedactAtParse(boolean value);

  @Description(
      "How far past now an entry's timestamp may be, in minutes; later entries are dead letters"
          + " (bad_timestamp), as Cloud Logging refuses entries more than a day ahead.")
  @Default.Integer(1440)
  int getMaxFutureSkewMinutes();

  void setMaxFutureSkewMinutes(int value);

  @Description(
      "The id this run's rows carry in cluster_windows. Default: for --input, a digest of the"
          + " input files' contents, so that a re-run of the same input replaces its rows; for"
          + " --subscription, one new id per launch, so that a restarted or replaced job adds to"
          + " the rows of the one before instead of overwriting them.")
  String getRunId();

  void setRunId(String value);

  @Description(
      "The fingerprints a service may have in one window; the entries of the others are"
          + " counted together in one overflow row per service and window, so that memory and"
          + " rows stay bounded whatever the input.")
  @Default.Integer(10_000)
  int getMaxFingerprintsPerServiceWindow();

  void setMaxFingerprintsPerServiceWindow(int value);

  @Description("Lowest severity that is triaged; anything below is counted as out of scope.")
  @Default.String("WARNING")
  String getMinSeverity();

  void setMinSeverity(String value);

  @Description("Comma-separated allow-list of service names; empty means every service.")
  String getServices();

  void setServices(String value);

  @Description("Rules file (YAML). Default: the rules bundled in the jar.")
  String getRules();

  void setRules(String value);

  @Description("BigQuery dataset PROJECT:DATASET to write to; without it, the DuckDB file.")
  String getBigQueryDataset();

  void setBigQueryDataset(String value);

  @Description("DuckDB file written when there is no --bigQueryDataset.")
  @Default.String("gardener.duckdb")
  String getDuckdb();

  void setDuckdb(String value);

  @Description(
      "Let the pipeline create missing BigQuery tables from the bundled schemas (tests and"
          + " trials; production tables come from Terraform).")
  @Default.Boolean(false)
  boolean getCreateTables();

  void setCreateTables(boolean value);

  @Description(
      "Keys the dedup and fingerprint-merging state are spread over; 0 picks 1 on the"
          + " DirectRunner (which copies a key's state for every bundle, so fewer keys are"
          + " faster there) and 64 elsewhere. Changing it on a running job resets that state.")
  @Default.Integer(0)
  int getStateShards();

  void setStateShards(int value);

  @Description(
      "DirectRunner with --subscription: publish a heartbeat to the subscription's topic this"
          + " often, in seconds, so that windows close on a quiet subscription (apache/beam#19518);"
          + " 0 turns it off. Heartbeats are recognised and dropped by ParseEntries.")
  @Default.Integer(5)
  int getHeartbeatSeconds();

  void setHeartbeatSeconds(int value);

  @Description(
      "GitHub repository OWNER/NAME that gets one issue per fingerprint; without it, no GitHub"
          + " sync.")
  String getGithubRepo();

  void setGithubRepo(String value);

  @Description(
      "GitHub's REST API: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise"
          + " Server.")
  @Default.String("https://api.github.com")
  String getGithubApiUrl();

  void setGithubApiUrl(String value);

  @Description(
      "Environment variable holding the GitHub token, read where the step runs (on Dataflow,"
          + " use --githubTokenSecret).")
  @Default.String("GITHUB_TOKEN")
  String getGithubTokenEnv();

  void setGithubTokenEnv(String value);

  @Description(
      "Secret Manager version holding the GitHub token: projects/P/secrets/S/versions/V. Takes"
          + " precedence over --githubTokenEnv.")
  String getGithubTokenSecret();

  void setGithubTokenSecret(String value);

  @Description(
      "Decide and record, but never call GitHub. Default: true when there is no token where the"
          + " job is launched.")
  Boolean getGithubDryRun();

  void setGithubDryRun(Boolean value);

  @Description("Lowest priority that gets an issue (P0 is the highest).")
  @Default.String("P3")
  String getGithubMinPriority();

  void setGithubMinPriority(String value);

  @Description(
      "At most one evidence comment per fingerprint this often, in hours, unless its priority"
          + " rose.")
  @Default.Integer(6)
  int getGithubCommentCooldownHours();

  void setGithubCommentCooldownHours(int value);

  @Description("Issues with this label get no comments; their counts are still recorded.")
  @Default.String("muted")
  String getGithubMutedLabel();

  void setGithubMutedLabel(String value);

  @Description(
      "A closed issue whose error comes back: 'reopen' it, or open a 'new' issue that links it.")
  @Default.String("reopen")
  String getGithubRegression();

  void setGithubRegression(String value);

  @Description(
      "Hours of event time without entries after which a fingerprint is resolved (quiet after"
          + " half of them); a timer, so it also fires when nothing arrives. Over files, the end"
          + " of the input's event time is 'now'.")
  @Default.Integer(24)
  int getQuietHours();

  void setQuietHours(int value);

  @Description(
      "CODEOWNERS file (GitHub's syntax) that maps a cluster's source file (sourceLocation, or"
          + " the top in-app frame of its stack) to its owner, written to the owner column and"
          + " given to its issue as a team:NAME label.")
  String getCodeowners();

  void setCodeowners(String value);

  @Description(
      "Close a fingerprint's issue, with a comment stating the last occurrence, when it is"
          + " resolved (--quietHours without entries). Entries after that reopen it as a"
          + " regression.")
  @Default.Boolean(false)
  boolean getGithubAutoClose();

  void setGithubAutoClose(boolean value);

  @Description(
      "A P3 cluster gets an issue only once it had entries in this many windows of the last"
          + " day, or spikes; P0-P2 always get one (above --githubMinPriority).")
  @Default.Integer(3)
  int getGithubMinWindows();

  void setGithubMinWindows(int value);

  @Description(
      "Assign an issue to its owner when the owner is a GitHub user handle (@name); teams get"
          + " only the team:NAME label, as GitHub assigns users only.")
  @Default.Boolean(true)
  boolean getGithubAssignOwners();

  void setGithubAssignOwners(boolean value);
}
