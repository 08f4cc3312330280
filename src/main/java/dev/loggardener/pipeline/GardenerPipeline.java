package dev.loggardener.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.loggardener.cluster.ClusterRow;
import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.DeadLetterTime;
import dev.loggardener.logentry.Json;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.Severity;
import dev.loggardener.priority.Rules;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import dev.loggardener.sink.BigQuerySink;
import dev.loggardener.sink.DuckDbSink;
import dev.loggardener.sink.Sink;
import dev.loggardener.sink.TableSchemas;
import dev.loggardener.sink.WriteTable;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;

/**
 * The gardener's main job. Step names are stable: Dataflow matches them when a running job is
 * updated, so renaming one needs a transform mapping.
 *
 * <pre>
 * ReadLogEntries → ParseEntries → DeduplicateEntries → FilterScope → Fingerprint
 *   → CountPerFingerprint (partial counts → Window → Combine) → ClassifyPriority → WriteClusters
 * dead letters of every step → CollectDeadLetters → WriteDeadLetters;  merges → WriteAliases
 * </pre>
 */
public final class GardenerPipeline {

  /** Everything the triage steps need, resolved from the options and the rules file. */
  public record Settings(
      Duration window,
      Duration allowedLateness,
      Duration earlyFiring,
      Severity minSeverity,
      Set<String> services,
      String rulesYaml,
      String rulesSource,
      int stateShards,
      Duration maxFutureSkew,
      String runId,
      long attempt,
      boolean keepsRunIdInState,
      int maxFingerprintsPerServiceWindow,
      boolean redactAtParse,
      Duration quiet,
      String codeOwners)
      implements Serializable {

    public static Settings from(GardenerOptions o) {
      Severity min =
          Severity.fromName(o.getMinSeverity())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "--minSeverity: unknown severity '" + o.getMinSeverity() + "'"));
      Set<String> services =
          o.getServices() == null || o.getServices().isBlank()
              ? Set.of()
              : Arrays.stream(o.getServices().split(","))
                  .map(String::trim)
                  .filter(s -> !s.isEmpty())
                  .collect(Collectors.toUnmodifiableSet());
      if (o.getWindowMinutes() < 1) {
        throw new IllegalArgumentException("--windowMinutes must be at least 1");
      }
      if (o.getAllowedLatenessMinutes() < 0
          || o.getEarlyFiringSeconds() < 0
          || o.getMaxFutureSkewMinutes() < 0) {
        throw new IllegalArgumentException(
            "--allowedLatenessMinutes, --earlyFiringSeconds and --maxFutureSkewMinutes must not"
                + " be negative");
      }
      String yaml;
      String source;
      if (o.getRules() == null) {
        yaml = Rules.bundledText();
        source = "bundled rules";
      } else {
        try {
          yaml = Files.readString(Path.of(o.getRules()), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          throw new Rules.RulesException(o.getRules() + ": no such rules file");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        source = o.getRules();
      }
      Rules.parse(yaml, source); // fail now, on the launcher, with file:line:column
      boolean streaming = o.getSubscription() != null;
      if (o.getQuietHours() < 1) {
        throw new IllegalArgumentException("--quietHours must be at least 1");
      }
      String codeOwners = null;
      if (o.getCodeowners() != null) {
        try {
          codeOwners = Files.readString(Path.of(o.getCodeowners()), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          throw new IllegalArgumentException("--codeowners: no such file " + o.getCodeowners());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        List<String> errors = dev.loggardener.priority.CodeOwners.parse(codeOwners).errors();
        if (!errors.isEmpty()) {
          throw new IllegalArgumentException(o.getCodeowners() + ": " + String.join("; ", errors));
        }
      }
      if (o.getMaxFingerprintsPerServiceWindow() < 1) {
        throw new IllegalArgumentException("--maxFingerprintsPerServiceWindow must be at least 1");
      }
      // In batch no entry is ever late (unread entries hold the watermark back), so a window
      // closes as soon as the watermark passes it, with one final pane per fingerprint.
      return new Settings(
          Duration.standardMinutes(o.getWindowMinutes()),
          streaming ? Duration.standardMinutes(o.getAllowedLatenessMinutes()) : Duration.ZERO,
          streaming ? Duration.standardSeconds(o.getEarlyFiringSeconds()) : Duration.ZERO,
          min,
          services,
          yaml,
          source,
          stateShards(o),
          Duration.standardMinutes(o.getMaxFutureSkewMinutes()),
          runId(o),
          System.currentTimeMillis(),
          streaming,
          o.getMaxFingerprintsPerServiceWindow(),
          o.getRedactAtParse(),
          Duration.standardHours(o.getQuietHours()),
          codeOwners);
    }

    /**
     * How fingerprint history is kept: warm-up and half-life of one hour of windows (at least
     * three), the quiet time from the options.
     */
    dev.loggardener.priority.History.Settings history() {
      int hour = (int) Math.max(3, Duration.standardHours(1).getMillis() / window.getMillis());
      return new dev.loggardener.priority.History.Settings(
          window.getMillis(), Math.max(quiet.getMillis(), window.getMillis()), hour, hour);
    }

    /**
     * The option, or: for files, {@code input-} and a digest of their contents (a re-run of the
     * same input is the same run); for a subscription, {@code job-} and the launch time with a
     * random suffix (a restarted or replaced job is a new run).
     */
    static String runId(GardenerOptions o) {
      if (o.getRunId() != null && !o.getRunId().isBlank()) {
        return o.getRunId();
      }
      if (o.getSubscription() != null) {
        return "job-"
            + java.time.format.DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now())
            + "-"
            + String.format("%06x", new java.security.SecureRandom().nextInt(1 << 24));
      }
      return "input-" + InputDigest.of(o.getInput());
    }

    /** The option, or: 1 on the DirectRunner (see GardenerOptions#getStateShards), else 64. */
    static int stateShards(GardenerOptions o) {
      if (o.getStateShards() > 0) {
        return o.getStateShards();
      }
      return o.getRunner() == org.apache.beam.runners.direct.DirectRunner.class ? 1 : 64;
    }

    RedactionConfig redaction() {
      return Rules.parse(rulesYaml, rulesSource).redaction();
    }
  }

  /** What the triage steps produce. */
  public record Outputs(
      PCollection<ClusterRow> clusters,
      PCollection<DeadLetter> deadLetters,
      PCollection<FingerprintEntries.AliasRecord> aliases,
      PCollection<FingerprintEntries.TemplateRecord> templates,
      PCollection<dev.loggardener.cluster.ServiceWindow> services) {}

  private GardenerPipeline() {}

  /**
   * Builds the whole job from its options: source, triage, sinks.
   *
   * @return the settings it was built with (the run id and attempt its rows carry)
   */
  public static Settings build(Pipeline p, GardenerOptions o, Sink sink) {
    if ((o.getSubscription() == null) == (o.getInput() == null)) {
      throw new IllegalArgumentException("give exactly one of --subscription and --input");
    }
    Settings settings = Settings.from(o);
    if (o.getSubscription() != null
        && o.getRunner() != org.apache.beam.runners.direct.DirectRunner.class) {
      // The streaming BigQuery writer shards itself, which Dataflow allows only on Streaming
      // Engine; it is also what keeps the dedup and merging state off the workers' disks.
      o.setEnableStreamingEngine(true);
    }
    ReadLogEntries read =
        o.getSubscription() != null
            ? ReadLogEntries.fromSubscription(o.getSubscription())
            : ReadLogEntries.fromFiles(o.getInput(), pacedInput(o));
    SyncGitHub.Settings github = SyncGitHub.Settings.from(o); // fail on the launcher
    Outputs out = triage(p.apply("ReadLogEntries", read), settings, sink.readLearnedTemplates(p));
    PCollectionList<DeadLetter> refused = PCollectionList.empty(p);
    if (github != null) {
      refused =
          refused.and(
              out.clusters()
                  .apply("SyncGitHub", new SyncGitHub(github))
                  .apply(
                      "WriteGitHubSync",
                      new WriteTable<>(TableSchemas.GITHUB_SYNC, SyncGitHub::columns, sink)));
    }
    write(out, sink, settings.redaction(), refused);
    return settings;
  }

  /**
   * Whether files are read through {@link PacedFileSource}: on the DirectRunner, which has no
   * backpressure for a bounded source. The results are the same; only memory differs.
   */
  static boolean pacedInput(GardenerOptions o) {
    return o.getInput() != null
        && o.getRunner() == org.apache.beam.runners.direct.DirectRunner.class;
  }

  /** The sink the options name: BigQuery when a dataset is given, else the DuckDB file. */
  public static Sink sink(GardenerOptions o) {
    // A paced read is unbounded, which BigQueryIO writes the streaming way.
    boolean unbounded = o.getSubscription() != null || pacedInput(o);
    return o.getBigQueryDataset() != null
        ? new BigQuerySink(
            o.getBigQueryDataset(), o.getCreateTables(), unbounded, Coders.DEAD_LETTER)
        : new DuckDbSink(o.getDuckdb(), Coders.DEAD_LETTER);
  }

  /** Everything between the source and the sinks, for a job that starts with nothing learned. */
  public static Outputs triage(PCollectionTuple read, Settings s) {
    return triage(read, s, List.of());
  }

  /**
   * Everything between the source and the sinks.
   *
   * @param learned templates earlier jobs learned (service, logger, function, template)
   */
  public static Outputs triage(PCollectionTuple read, Settings s, List<String[]> learned) {
    return triage(read, s, Sink.byBucket(read.getPipeline(), learned));
  }

  /**
   * Everything between the source and the sinks.
   *
   * @param learned templates earlier jobs learned, by bucket key ({@link
   *     dev.loggardener.fingerprint.FingerprintState#bucketKey}); null for none
   */
  public static Outputs triage(
      PCollectionTuple read, Settings s, PCollection<KV<String, String>> learned) {
    org.apache.beam.sdk.values.PCollectionView<Map<String, Iterable<String>>> learnedView =
        learned == null
            ? null
            : learned.apply("ByBucket", org.apache.beam.sdk.transforms.View.asMultimap());
    PCollectionTuple parsed =
        read.get(ReadLogEntries.RECORDS)
            .apply(
                "ParseEntries",
                new ParseEntries(
                    java.time.Duration.ofMillis(s.maxFutureSkew().getMillis()),
                    s.redactAtParse() ? s.redaction() : null));
    PCollection<List<TimestampedValue<LogEntry>>> unique =
        parsed
            .get(ParseEntries.ENTRIES)
            .apply(
                "DeduplicateEntries",
                new DeduplicateEntries(s.window().plus(s.allowedLateness()), s.stateShards()));
    PCollection<List<TimestampedValue<LogEntry>>> inScope =
        unique.apply("FilterScope", new FilterScope(s.minSeverity(), s.services()));
    PCollectionTuple fingerprinted =
        inScope.apply(
            "Fingerprint", new FingerprintEntries(s.redaction(), s.stateShards(), learnedView));
    PCollection<dev.loggardener.cluster.ClusterPane> panes =
        fingerprinted
            .get(FingerprintEntries.OBSERVATIONS)
            .apply(
                "CountPerFingerprint",
                new CountPerFingerprint(
                    s.window(),
                    s.allowedLateness(),
                    s.earlyFiring(),
                    s.redaction(),
                    s.stateShards(),
                    s.maxFingerprintsPerServiceWindow()));
    PCollection<String> survivors =
        fingerprinted
            .get(FingerprintEntries.ALIASES)
            .apply(
                "Survivors",
                org.apache.beam.sdk.transforms.MapElements.into(
                        org.apache.beam.sdk.values.TypeDescriptors.strings())
                    .via(FingerprintEntries.AliasRecord::fingerprint));
    PCollection<ClusterRow> clusters =
        PCollectionTuple.of(ClassifyPriority.PANES, panes)
            .and(ClassifyPriority.SURVIVORS, survivors)
            .apply(
                "ClassifyPriority",
                new ClassifyPriority(
                    new ClassifyPriority.Settings(
                        s.rulesYaml(),
                        s.rulesSource(),
                        s.codeOwners(),
                        s.runId(),
                        s.attempt(),
                        s.history(),
                        !s.keepsRunIdInState(),
                        s.stateShards())));
    if (s.keepsRunIdInState()) {
      clusters = clusters.apply("KeepRunId", new KeepRunId());
    }
    PCollection<dev.loggardener.cluster.ServiceWindow> services =
        PCollectionTuple.of(WatchServices.ENTRIES, unique)
            .and(WatchServices.PANES, panes)
            .apply(
                "WatchServices",
                new WatchServices(
                    new WatchServices.Settings(
                        s.window(),
                        s.minSeverity(),
                        s.services(),
                        s.history(),
                        !s.keepsRunIdInState(),
                        s.runId(),
                        s.attempt())));
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(read.get(ReadLogEntries.DEAD_LETTERS))
            .and(parsed.get(ParseEntries.DEAD_LETTERS))
            .and(fingerprinted.get(FingerprintEntries.DEAD_LETTERS))
            .apply("CollectDeadLetters", Flatten.pCollections())
            .setCoder(Coders.DEAD_LETTER)
            .apply("CountDeadLetters", ParDo.of(new CountDeadLettersFn()))
            .setCoder(Coders.DEAD_LETTER);
    return new Outputs(
        clusters,
        deadLetters,
        fingerprinted.get(FingerprintEntries.ALIASES),
        fingerprinted.get(FingerprintEntries.TEMPLATES),
        services);
  }

  /**
   * The sinks: clusters, fingerprint merges and dead letters (redacted). Rows a sink refuses are
   * dead letters too, beside {@code refused} (those of steps written before this one); the dead
   * letters' own table has nowhere else to send its refusals, which the sink counts.
   */
  public static void write(
      Outputs out, Sink sink, RedactionConfig redaction, PCollectionList<DeadLetter> refused) {
    PCollection<DeadLetter> clusters =
        out.clusters()
            .apply(
                "WriteClusters",
                new WriteTable<>(TableSchemas.CLUSTER_WINDOWS, ClusterRow::columns, sink));
    PCollection<DeadLetter> aliases =
        out.aliases()
            .apply(
                "WriteAliases",
                new WriteTable<FingerprintEntries.AliasRecord>(
                    TableSchemas.FINGERPRINT_ALIASES, GardenerPipeline::aliasColumns, sink));
    PCollection<DeadLetter> templates =
        out.templates()
            .apply(
                "WriteTemplates",
                new WriteTable<FingerprintEntries.TemplateRecord>(
                    TableSchemas.FINGERPRINT_TEMPLATES, GardenerPipeline::templateColumns, sink));
    PCollection<DeadLetter> services =
        out.services()
            .apply(
                "WriteServiceWindows",
                new WriteTable<dev.loggardener.cluster.ServiceWindow>(
                    TableSchemas.SERVICE_WINDOWS,
                    dev.loggardener.cluster.ServiceWindow::columns,
                    sink));
    Redactor.Holder redactor = new Redactor.Holder(redaction);
    refused
        .and(out.deadLetters())
        .and(clusters)
        .and(aliases)
        .and(templates)
        .and(services)
        .apply("WithRefusedRows", Flatten.pCollections())
        .setCoder(Coders.DEAD_LETTER)
        .apply(
            "WriteDeadLetters",
            new WriteTable<DeadLetter>(
                TableSchemas.DEAD_LETTERS, d -> deadLetterColumns(d, redactor.get()), sink));
  }

  /** A dead letter as a row: payload and detail redacted, as log text always is on the way out. */
  static Map<String, Object> deadLetterColumns(DeadLetter d, Redactor redactor) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("received_at", d.receivedAt());
    m.put("step", d.step());
    m.put("reason", d.reason().code());
    m.put("detail", d.detail() == null ? null : redactor.redact(d.detail()));
    // As JSON where it parses, so that a unicode escape cannot hide a value; else as text.
    m.put("payload", d.payload() == null ? null : redactor.redactJson(d.payload()));
    m.put("entry_time", DeadLetterTime.of(d, RawRecord.TIMESTAMP_ATTRIBUTE));
    try {
      // Pub/Sub attributes are the publisher's text: redacted like the payload.
      m.put("attributes", Json.mapper().writeValueAsString(redactor.redact(d.attributes())));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    return m;
  }

  static Map<String, Object> templateColumns(FingerprintEntries.TemplateRecord t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", t.service());
    m.put("logger", t.logger());
    m.put("function", t.function());
    m.put("template", t.template());
    m.put("fingerprint", t.fingerprint());
    m.put("learned_at", java.time.Instant.ofEpochMilli(t.learnedAtMillis()));
    return m;
  }

  static Map<String, Object> aliasColumns(FingerprintEntries.AliasRecord a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alias", a.alias());
    m.put("fingerprint", a.fingerprint());
    m.put("template", a.template());
    m.put("recorded_at", java.time.Instant.ofEpochMilli(a.recordedAtMillis()));
    return m;
  }

  static final class CountDeadLettersFn extends DoFn<DeadLetter, DeadLetter> {
    private final org.apache.beam.sdk.metrics.Counter all =
        org.apache.beam.sdk.metrics.Metrics.counter(
            GardenerMetrics.NAMESPACE, GardenerMetrics.DEAD_LETTERS);

    @ProcessElement
    public void process(@Element DeadLetter d, OutputReceiver<DeadLetter> out) {
      all.inc();
      org.apache.beam.sdk.metrics.Metrics.counter(
              GardenerMetrics.NAMESPACE, GardenerMetrics.DEAD_LETTERS_PREFIX + d.reason().code())
          .inc();
      out.output(d);
    }
  }
}
