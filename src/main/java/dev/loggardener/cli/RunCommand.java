package dev.loggardener.cli;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import dev.loggardener.pipeline.GardenerMetrics;
import dev.loggardener.pipeline.GardenerOptions;
import dev.loggardener.pipeline.GardenerPipeline;
import dev.loggardener.priority.Rules;
import dev.loggardener.pubsub.Heartbeat;
import dev.loggardener.sink.DuckDbStore;
import dev.loggardener.sink.SqlTexts;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/** {@code gardener run}: the pipeline, with Beam's own flags (see GardenerOptions). */
@Command(
    name = "run",
    customSynopsis =
        "gardener run [-h] [--verbose] (--input=GLOB | --subscription=SUBSCRIPTION)"
            + " [PIPELINE OPTION...]",
    description = {
      "Runs the triage pipeline: --input=GLOB (batch) or --subscription=projects/P/subscriptions/S"
          + " (streaming), into the DuckDB file (--duckdb, default gardener.duckdb) or BigQuery"
          + " (--bigQueryDataset=PROJECT:DATASET).",
      "Its other flags are Beam pipeline options, listed by 'gardener run --help' after these."
    })
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Unmatched List<String> args = new ArrayList<>();

  // Not picocli's usage help: run's own flags are Beam's pipeline options, listed after it.
  @Option(
      names = {"-h", "--help"},
      description = "Show this help message and the pipeline options, and exit.")
  boolean help;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (help) {
      spec.commandLine().usage(out);
      out.println();
      PipelineOptionsFactory.register(GardenerOptions.class);
      java.io.ByteArrayOutputStream help = new java.io.ByteArrayOutputStream();
      PipelineOptionsFactory.printHelp(
          new java.io.PrintStream(help, true, java.nio.charset.StandardCharsets.UTF_8),
          GardenerOptions.class);
      out.print(help.toString(java.nio.charset.StandardCharsets.UTF_8));
      return 0;
    }
    PipelineOptionsFactory.register(GardenerOptions.class);
    GardenerOptions options = options(beamArgs(args));
    boolean direct = options.getRunner() == DirectRunner.class;
    if (options.getSubscription() != null) {
      options.setStreaming(true);
    }
    if (direct) {
      localDefaults(options.as(DirectOptions.class), args);
    }
    Pipeline p = Pipeline.create(options);
    long inputBytes = options.getInput() == null ? 0 : inputBytes(options.getInput());
    GardenerPipeline.Settings settings;
    try {
      settings = GardenerPipeline.build(p, options, GardenerPipeline.sink(options));
    } catch (Rules.RulesException e) {
      throw new Gardener.UsageProblem("rules file " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new Gardener.UsageProblem(e.getMessage());
    }
    Heartbeat heartbeat = null;
    if (direct && options.getSubscription() != null && options.getHeartbeatSeconds() > 0) {
      heartbeat =
          Heartbeat.start(
              options.getPubsubRootUrl(),
              options.getGcpCredential(),
              options.getSubscription(),
              options.getHeartbeatSeconds());
      err.println(
          "gardener: heartbeat every "
              + options.getHeartbeatSeconds()
              + " s to "
              + heartbeat.topic());
    }
    long started = System.nanoTime();
    PipelineResult result = p.run();
    RUNNING.add(result);
    // Ctrl-C stops a streaming run; what was written stays written.
    Thread stopper = new Thread(() -> cancelQuietly(result), "gardener-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    String source = options.getInput() != null ? options.getInput() : options.getSubscription();
    err.println("gardener: reading " + source + " on " + options.getRunner().getSimpleName());
    PipelineResult.State state;
    int polls = 0;
    try {
      while (true) {
        state = result.waitUntilFinish(Duration.standardSeconds(2));
        if (state != null && state.isTerminal()) {
          break;
        }
        if (direct && System.console() != null) {
          err.print("\r" + progress(counters(result), seconds(started), inputBytes));
          err.flush();
        } else if (direct && ++polls % 15 == 0) {
          err.println(progress(counters(result), seconds(started), inputBytes));
        }
      }
    } finally {
      RUNNING.remove(result);
      if (heartbeat != null) {
        heartbeat.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run
      }
    }
    Map<String, Long> counters = counters(result);
    err.println("\r" + progress(counters, seconds(started), inputBytes));
    if (state == PipelineResult.State.CANCELLED && options.getSubscription() != null) {
      summary(err, counters);
      err.println("gardener: stopped");
      if (options.getBigQueryDataset() == null) {
        DuckDbStore.close(options.getDuckdb());
      }
      return 0;
    }
    if (state != PipelineResult.State.DONE) {
      err.println("gardener: the pipeline ended " + state);
      return 1;
    }
    summary(err, counters);
    if (options.getBigQueryDataset() == null) {
      topClusters(out, options.getDuckdb(), settings.runId(), settings.attempt());
      DuckDbStore.close(options.getDuckdb());
      String db =
          options.getDuckdb().equals("gardener.duckdb") ? "" : " --duckdb " + options.getDuckdb();
      out.println();
      out.println("Every run's clusters are in " + options.getDuckdb() + ". Next:");
      String[][] next = {
        {"scripts/gardener sql top_clusters_24h" + db, "the top problems of the last 24 h of data"},
        {"scripts/gardener sql \"SELECT …\"" + db, "any query (tables and views: README, Tables)"},
        {"scripts/gardener report --out worklog.md" + db, "the on-call worklog"}
      };
      int width = 0;
      for (String[] n : next) {
        width = Math.max(width, n[0].length());
      }
      for (String[] n : next) {
        out.printf(Locale.ROOT, "  %-" + width + "s   %s%n", n[0], n[1]);
      }
    }
    return 0;
  }

  private static final java.util.Set<PipelineResult> RUNNING =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Stops every run this JVM started (tests; a user presses Ctrl-C). */
  static void stopAll() {
    RUNNING.forEach(RunCommand::cancelQuietly);
  }

  private static void cancelQuietly(PipelineResult result) {
    try {
      result.cancel();
    } catch (java.io.IOException | UnsupportedOperationException e) {
      // already finished
    }
  }

  /**
   * The DirectRunner's settings for a user's run, where the user did not give them. Its thread pool
   * is {@code --targetParallelism} threads, one of them the driver that moves watermarks and
   * resubmits itself after every pass: Beam's default, max(cores, 3), is 3 on 2 cores, and the
   * driver then spins on the third thread, taking CPU from the two that run bundles. One thread per
   * core (at least 2) was faster on every input of {@code scripts/bench cardinality}
   * (BENCHMARKS.md, "DirectRunner threads").
   */
  static void localDefaults(DirectOptions d, List<String> args) {
    d.setBlockOnRun(false);
    if (!given(args, "--enforceImmutability")) {
      // The checks re-encode every element; they belong in tests, not in a user's run.
      d.setEnforceImmutability(false);
    }
    if (!given(args, "--enforceEncodability")) {
      d.setEnforceEncodability(false);
    }
    if (!given(args, "--targetParallelism")) {
      d.setTargetParallelism(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }
  }

  private static boolean given(List<String> args, String flag) {
    return args.stream().anyMatch(a -> a.equals(flag) || a.startsWith(flag + "="));
  }

  /** The pipeline options; a flag Beam cannot parse is a usage problem, said in one line. */
  static GardenerOptions options(String[] args) {
    try {
      return PipelineOptionsFactory.fromArgs(args).as(GardenerOptions.class);
    } catch (IllegalArgumentException e) {
      if (e.getCause() instanceof InvalidFormatException bad) {
        // Jackson's message names the type and the value but not the flag: find the flag by
        // parsing one at a time.
        for (String a : args) {
          try {
            PipelineOptionsFactory.fromArgs(a).as(GardenerOptions.class);
          } catch (IllegalArgumentException one) {
            if (one.getCause() instanceof InvalidFormatException) {
              String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
              throw new Gardener.UsageProblem(
                  flag
                      + " takes "
                      + expected(bad.getTargetType())
                      + ", not \""
                      + bad.getValue()
                      + "\"");
            }
          }
        }
      }
      throw new Gardener.UsageProblem(e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static String expected(Class<?> type) {
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number (" + type.getSimpleName().toLowerCase(Locale.ROOT) + ")";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    return "a " + type.getSimpleName();
  }

  /**
   * The size of the files --input matches, for the progress line; none is a usage problem, checked
   * here because the read step would fail later, inside the runner, with an exception.
   */
  private static long inputBytes(String glob) throws java.io.IOException {
    MatchResult m = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
    // metadata() throws the error when the match failed some other way (a bucket not readable).
    if (m.status() == MatchResult.Status.NOT_FOUND || m.metadata().isEmpty()) {
      throw new Gardener.UsageProblem("no file matches --input=" + glob);
    }
    return m.metadata().stream().mapToLong(MatchResult.Metadata::sizeBytes).sum();
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** Beam wants --name=value; people also type --name value. */
  static String[] beamArgs(List<String> args) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--")
          && !a.contains("=")
          && i + 1 < args.size()
          && !args.get(i + 1).startsWith("--")) {
        out.add(a + "=" + args.get(++i));
      } else {
        out.add(a);
      }
    }
    return out.toArray(new String[0]);
  }

  static Map<String, Long> counters(PipelineResult result) {
    MetricQueryResults q =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.inNamespace(GardenerMetrics.NAMESPACE))
                    .build());
    Map<String, Long> out = new TreeMap<>();
    for (MetricResult<Long> c : q.getCounters()) {
      Long v;
      try {
        v = c.getCommitted();
      } catch (UnsupportedOperationException e) {
        v = c.getAttempted();
      }
      out.merge(c.getName().getName(), v == null ? 0 : v, Long::sum);
    }
    return out;
  }

  /**
   * The counters as one line; with the input's size in bytes (a run over files), the share read and
   * the time left at the rate so far.
   */
  static String progress(Map<String, Long> c, double seconds, long inputBytes) {
    long read = c.getOrDefault(GardenerMetrics.READ, 0L);
    String share = "";
    if (inputBytes > 0) {
      // Records are counted without their line ends: one byte each.
      double done =
          Math.min(
              1, (c.getOrDefault(GardenerMetrics.BYTES_READ, 0L) + read) / (double) inputBytes);
      share =
          done >= 1 || done == 0
              ? String.format(Locale.ROOT, " · %.0f%%", done * 100)
              : String.format(
                  Locale.ROOT,
                  " · %.0f%%, about %s left",
                  Math.floor(done * 100),
                  duration(seconds * (1 - done) / done));
    }
    return String.format(
        Locale.ROOT,
        "read %,d (%,.0f/s)%s · parsed %,d · dead letters %,d · duplicates %,d · out of scope %,d"
            + " · fingerprinted %,d · cluster rows %,d   ",
        read,
        read / Math.max(seconds, 0.001),
        share,
        c.getOrDefault(GardenerMetrics.PARSED, 0L),
        c.getOrDefault(GardenerMetrics.DEAD_LETTERS, 0L),
        c.getOrDefault(GardenerMetrics.DUPLICATES, 0L),
        c.getOrDefault(GardenerMetrics.OUT_OF_SCOPE, 0L),
        c.getOrDefault(GardenerMetrics.FINGERPRINTED, 0L),
        c.getOrDefault(GardenerMetrics.CLUSTER_ROWS, 0L));
  }

  private static String duration(double seconds) {
    if (seconds < 100) {
      return String.format(Locale.ROOT, "%.0f s", seconds);
    }
    if (seconds < 6000) {
      return String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }
    return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
  }

  private static void summary(PrintWriter err, Map<String, Long> c) {
    List<String> reasons = byPrefix(c, GardenerMetrics.DEAD_LETTERS_PREFIX);
    if (!reasons.isEmpty()) {
      err.println("gardener: dead letters by reason: " + String.join(", ", reasons));
    }
    if (c.getOrDefault(GardenerMetrics.ALIASES, 0L) > 0) {
      err.println("gardener: fingerprints merged: " + c.get(GardenerMetrics.ALIASES));
    }
    if (c.getOrDefault(GardenerMetrics.OVERFLOW, 0L) > 0) {
      err.println(
          "gardener: "
              + c.get(GardenerMetrics.OVERFLOW)
              + " entries counted in overflow rows: a service had more fingerprints in a window"
              + " than --maxFingerprintsPerServiceWindow (their rows' template starts with"
              + " \"Overflow:\")");
    }
    List<String> github = byPrefix(c, GardenerMetrics.GITHUB_PREFIX);
    if (!github.isEmpty()) {
      err.println(
          "gardener: GitHub: "
              + String.join(", ", github)
              + " (each decision is a row of github_sync)");
    }
  }

  /** "name count" for each counter whose name starts with the prefix, without it. */
  private static List<String> byPrefix(Map<String, Long> c, String prefix) {
    List<String> out = new ArrayList<>();
    c.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.add(k.substring(prefix.length()) + " " + v);
          }
        });
    return out;
  }

  /** Clipped, with terminal escapes and bidi controls shown, not obeyed (log text). */
  private static String clip(String raw, int width) {
    String s = dev.loggardener.github.Inert.visible(raw);
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }

  /**
   * This run's problems with the most entries, most urgent first, as a table: the run's own rows
   * (its run id and attempt; other runs in the file are left out), merged fingerprints counted
   * under the surviving id as {@code problems_latest} counts them.
   */
  private static void topClusters(PrintWriter out, String duckdb, String runId, long attempt)
      throws SQLException {
    String thisRun =
        "(SELECT * FROM cluster_windows WHERE run_id = '"
            + runId.replace("'", "''")
            + "' AND attempt = "
            + attempt
            + ")";
    String problems =
        SqlTexts.inlined(SqlTexts.PROBLEMS_LATEST, n -> n.equals("cluster_windows") ? thisRun : n);
    String sql =
        "SELECT fingerprint, min(priority) AS priority, arg_max(severity, CASE severity WHEN 'EMERGENCY' THEN 800 WHEN 'ALERT' THEN 700 WHEN 'CRITICAL' THEN 600 WHEN 'ERROR' THEN 500 WHEN 'WARNING' THEN 400 ELSE 0 END) AS severity,"
            + " any_value(service) AS service, sum(entry_count) AS entries,"
            + " count(*) FILTER (WHERE entry_count > 0) AS windows,"
            + " arg_max(template, last_seen) AS template"
            + " FROM "
            + problems
            + " AS p GROUP BY fingerprint HAVING sum(entry_count) > 0"
            + " ORDER BY priority, entries DESC, fingerprint LIMIT 15";
    Connection c = DuckDbStore.connection(duckdb);
    out.println();
    out.println("This run's top problems (run " + runId + "):");
    out.printf(
        Locale.ROOT,
        "%-16s  %-3s  %-8s  %-18s  %7s  %4s  %s%n",
        "fingerprint",
        "pri",
        "severity",
        "service",
        "entries",
        "win",
        "template");
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        String template = r.getString("template").replace("\n", " ⏎ ");
        if (template.length() > 70) {
          template = template.substring(0, 69) + "…";
        }
        out.printf(
            Locale.ROOT,
            "%-16s  %-3s  %-8s  %-18s  %,7d  %4d  %s%n",
            r.getString("fingerprint"),
            r.getString("priority"),
            r.getString("severity"),
            clip(r.getString("service"), 18),
            r.getLong("entries"),
            r.getLong("windows"),
            template);
      }
    }
  }
}
