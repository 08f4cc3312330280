package dev.loggardener.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.pipeline.GardenerMetrics;
import dev.loggardener.pipeline.GardenerOptions;
import dev.loggardener.pipeline.GardenerPipeline;
import dev.loggardener.sink.DuckDbStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GardenerCliTest {
  @TempDir Path dir;

  record Result(int code, String out, String err) {
    List<String> lines() {
      return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }
  }

  static Result run(String... args) {
    CommandLine cl = Gardener.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void aLocalRunUsesOneDirectRunnerThreadPerCoreUnlessTold() {
    // Beam's own default is max(cores, 3); on 2 cores its third thread only lets the watermark
    // driver spin (BENCHMARKS.md, "DirectRunner threads").
    org.apache.beam.runners.direct.DirectOptions given =
        PipelineOptionsFactory.create().as(org.apache.beam.runners.direct.DirectOptions.class);
    RunCommand.localDefaults(given, List.of("--input", "in.jsonl"));
    assertEquals(
        Math.max(2, Runtime.getRuntime().availableProcessors()), given.getTargetParallelism());
    assertEquals(false, given.isBlockOnRun());
    assertEquals(false, given.isEnforceImmutability());

    for (List<String> told :
        List.of(
            List.of("--targetParallelism=5", "--enforceImmutability=true"),
            List.of("--targetParallelism", "5", "--enforceImmutability"))) {
      org.apache.beam.runners.direct.DirectOptions d =
          PipelineOptionsFactory.fromArgs(RunCommand.beamArgs(told))
              .as(org.apache.beam.runners.direct.DirectOptions.class);
      RunCommand.localDefaults(d, told);
      assertEquals(5, d.getTargetParallelism(), told.toString());
      assertEquals(true, d.isEnforceImmutability(), told.toString());
    }
  }

  @Test
  void fingerprintPrintsOneTsvRowPerLine() throws IOException {
    Path f =
        file(
            "in.jsonl",
            "{\"insertId\":\"a1\",\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\","
                + "\"textPayload\":\"Job 17 failed\\n\\tat com.x.Job.run(Job.java:12)\"}\n"
                + "not json\n"
                + "{\"timestamp\":\"2025-09-14T22:00:01Z\",\"severity\":\"ERROR\",\"textPayload\":\"Job 99 failed\\n\\tat com.x.Job.run(Job.java:12)\"}\n");
    Result r = run("fingerprint", f.toString());
    assertEquals(0, r.code(), r.err());
    List<String> rows = r.lines();
    assertEquals(3, rows.size());
    String[] first = rows.get(0).split("\t", -1);
    assertEquals(4, first.length);
    assertEquals("1", first[0]);
    assertEquals("a1", first[1]);
    assertTrue(first[2].matches("[0-9a-f]{16}"), first[2]);
    assertEquals("Job <*> failed\\n  at com.x.Job.run(Job.java:<*>)", first[3], "newlines escaped");
    assertEquals("2\t-\tDEAD:not_json\t", rows.get(1));
    String[] third = rows.get(2).split("\t", -1);
    assertEquals("-", third[1]);
    assertEquals(first[2], third[2], "same problem, same fingerprint");
  }

  @Test
  void seedEntriesThroughTheCommandGiveFiveFingerprints() throws IOException {
    Path f;
    try (InputStream in = getClass().getResourceAsStream("/seed/representative.jsonl")) {
      f = dir.resolve("seed.jsonl");
      Files.write(f, in.readAllBytes());
    }
    Result r = run("fingerprint", f.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(
        5, r.lines().stream().map(l -> l.split("\t")[2]).collect(Collectors.toSet()).size());
    assertTrue(r.out().contains("Error sending unknown message ack to <*>:"), r.out());
  }

  /**
   * Ids are the same in another JVM, merges included: a child JVM fingerprints the bundled sample
   * and its output must equal this JVM's byte for byte. (Java salts the iteration order of Set.of /
   * Map.of per JVM; any dependence on it would show here.)
   */
  @Test
  void anotherJvmGivesTheSameFingerprints() throws Exception {
    String sample = "samples/staging-2025-09-14.jsonl";
    Result here = run("fingerprint", sample);
    assertEquals(0, here.code(), here.err());
    Process child =
        java(false, Gardener.class.getName(), "fingerprint", sample)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String there = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, child.waitFor());
    assertEquals(here.out(), there);
  }

  @Test
  void rulesFileRedactionApplies() throws IOException {
    Path rules =
        file(
            "rules.yaml",
            "redaction:\n  patterns:\n    - {name: project, regex: 'project-[a-z]+'}\n");
    Path f =
        file(
            "in.jsonl",
            "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"deploy project-alpha failed\"}\n"
                + "{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"deploy project-beta failed\"}\n");
    Result plain = run("fingerprint", f.toString());
    assertEquals(2, plain.lines().stream().map(l -> l.split("\t")[2]).distinct().count());
    Result r = run("fingerprint", "--rules", rules.toString(), f.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(1, r.lines().stream().map(l -> l.split("\t")[2]).distinct().count(), r.out());
    assertTrue(r.out().contains("deploy <*> failed"), r.out());
  }

  @Test
  void tabsAndBackslashesInTemplatesAreEscaped() {
    assertEquals("a\\tb\\\\c\\nd", FingerprintCommand.escape("a\tb\\c\nd"));
  }

  @Test
  void missingFileExitsTwoWithOneLine() {
    Result r = run("fingerprint", dir.resolve("nope.jsonl").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith("gardener: ") && r.err().contains("no such file"), r.err());
  }

  @Test
  void brokenRulesFileExitsTwoAndNamesTheLine() throws IOException {
    Path rules = file("bad.yaml", "rules:\n  - name: a\n    priority: P9\n");
    Path in = file("in.jsonl", "");
    Result r = run("fingerprint", "--rules", rules.toString(), in.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("bad.yaml:3:"), r.err());
    assertTrue(r.err().contains("unknown priority \"P9\""), r.err());
  }

  @Test
  void reportUsageErrorsExitTwo() {
    Result r = run("report", "--since", "two hours");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--since takes a number and m, h or d"), r.err());
    r = run("report", "--from", "2025-09-14T22:00:00Z");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--from and --to together"), r.err());
  }

  @Test
  void everySubcommandHasHelp() {
    for (String c : Gardener.commandLine().getSubcommands().keySet()) {
      for (String flag : List.of("--help", "-h")) {
        Result r = run(c, flag);
        assertEquals(0, r.code(), c + " " + flag + ": " + r.err());
        assertTrue(r.out().startsWith("Usage: gardener " + c), c + " " + flag + ": " + r.out());
      }
    }
    // run's flags are Beam's pipeline options: its help lists them.
    Result run = run("run", "--help");
    assertTrue(run.out().contains("--windowMinutes=<int>"), run.out());
    assertTrue(run.out().contains("--verbose"), run.out());
  }

  @Test
  void parseOnlyCountsEntriesAndDeadLettersByReason() {
    Result r = run("fingerprint", "--parse-only", "samples/staging-2025-09-14.jsonl");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("2968\tentry\n"), r.out());
    assertTrue(r.out().contains("4\tdead letter: truncated_json\n"), r.out());
  }

  @Test
  void runNeedsExactlyOneSourceAndAValidRulesFile() throws IOException {
    Result none = run("run", "--duckdb=" + dir.resolve("g.duckdb"));
    assertEquals(2, none.code());
    assertTrue(none.err().contains("exactly one of --subscription and --input"), none.err());

    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "rules:\n  - name: x\n    prioriti: P1\n");
    Result rules =
        run(
            "run",
            "--input=samples/staging-2025-09-14.jsonl",
            "--rules=" + bad,
            "--duckdb=" + dir.resolve("g.duckdb"));
    assertEquals(2, rules.code());
    assertTrue(rules.err().contains("bad.yaml:3:5"), rules.err());
  }

  @Test
  void runUsageErrorsAreOneLineAndExitTwo() {
    String db = "--duckdb=" + dir.resolve("g.duckdb");
    String missing = dir.resolve("does-not-exist.jsonl").toString();
    Result r = run("run", "--input=" + missing, db);
    assertEquals(2, r.code(), r.err());
    assertEquals("gardener: no file matches --input=" + missing + "\n", r.err());
    r = run("run", "--input=" + dir.resolve("*.jsonl"), db);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("gardener: no file matches --input="), r.err());

    String sample = "--input=samples/staging-2025-09-14.jsonl";
    r = run("run", sample, "--windowMinutes=abc", db);
    assertEquals(2, r.code(), r.err());
    assertEquals("gardener: --windowMinutes takes a whole number (int), not \"abc\"\n", r.err());
    r = run("run", sample, "--createTables", "maybe", db);
    assertEquals(2, r.code(), r.err());
    assertEquals("gardener: --createTables takes true or false, not \"maybe\"\n", r.err());
  }

  @Test
  void yamlSyntaxErrorsInARulesFileAreOneLineWithLineAndColumn() throws IOException {
    Path in = file("in.jsonl", "");
    Path flow = file("flow.yaml", "rules: [\n");
    Path tab = file("tab.yaml", "rules:\n\t- name: a\n");
    Result r = run("fingerprint", "--rules", flow.toString(), in.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals(
        "gardener: rules file "
            + flow
            + ":2:1: expected the node content, but found '<stream end>'"
            + " (while parsing a flow node)\n",
        r.err());
    r =
        run(
            "run",
            "--input=samples/staging-2025-09-14.jsonl",
            "--rules=" + tab,
            "--duckdb=" + dir.resolve("g.duckdb"));
    assertEquals(2, r.code(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(
        r.err()
            .startsWith(
                "gardener: rules file " + tab + ":2:1: found character '\\t(TAB)' that cannot"),
        r.err());
  }

  @Test
  void progressOfAFileRunShowsHowMuchIsReadAndTheTimeLeft() {
    // 1,000 lines of 249 bytes and their line ends: a quarter of a 1,000,000-byte input in 10 s.
    Map<String, Long> c =
        Map.of(GardenerMetrics.READ, 1_000L, GardenerMetrics.BYTES_READ, 249_000L);
    String line = RunCommand.progress(c, 10, 1_000_000);
    assertTrue(line.startsWith("read 1,000 (100/s) · 25%, about 30 s left · parsed 0"), line);
    assertTrue(RunCommand.progress(c, 1200, 1_000_000).contains("25%, about 60 min left"));
    assertTrue(RunCommand.progress(c, 12000, 1_000_000).contains("25%, about 10.0 h left"));
    // Streaming: no size to measure against.
    assertTrue(RunCommand.progress(c, 10, 0).startsWith("read 1,000 (100/s) · parsed 0"));
  }

  /** A DuckDB file another process writes (a streaming run): one line saying how to read it. */
  @Test
  void aFileHeldByARunningRunIsOneLineSayingHowToReadIt() throws Exception {
    Path db = dir.resolve("held.duckdb");
    Process holder =
        java(false, HoldDuckDb.class.getName(), db.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      byte[] ready = holder.getInputStream().readNBytes("holding".length());
      assertEquals("holding", new String(ready, StandardCharsets.UTF_8));
      for (String[] command :
          List.of(
              new String[] {"report", "--duckdb", db.toString()},
              new String[] {"sql", "--duckdb", db.toString(), "SELECT 1"})) {
        Result r = run(command);
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(
            r.err()
                .startsWith(
                    "gardener "
                        + command[0]
                        + ": "
                        + db
                        + " is held by another process (PID "
                        + holder.pid()
                        + "; a streaming gardener run holds its file until it stops)"),
            r.err());
        assertTrue(r.err().contains("cp " + db + " "), r.err());
      }
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
  }

  @Test
  void evaluatePrintsARowPerSystemAndTheAverage() throws IOException {
    // A one-system benchmark folder in the Loghub layout.
    Path sys = Files.createDirectories(dir.resolve("loghub/Tiny"));
    Files.writeString(
        sys.resolve("Tiny_2k.log_structured_corrected.csv"),
        "LineId,Content,EventId,EventTemplate\n"
            + "1,Job 1 failed,E1,Job <*> failed\n"
            + "2,Job 2 failed,E1,Job <*> failed\n"
            + "3,\"Disk full, retrying\",E2,\"Disk full, retrying\"\n");
    Result r = run("evaluate", "--loghub", dir.resolve("loghub").toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.lines();
    assertTrue(
        lines.get(1).matches("Tiny\\s+1\\.000\\s+1\\.000\\s+1\\.000\\s+2\\s+2"), lines.get(1));
    assertEquals("average GA 1.000 over 1 datasets", lines.get(lines.size() - 1));
    assertEquals(2, run("evaluate", "--loghub", dir.resolve("nope").toString()).code());
  }

  @Test
  void generateWritesTheRequestedNumberOfLines() throws IOException {
    Path out = dir.resolve("gen.jsonl");
    Result r = run("generate", "--entries", "250", "-o", out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(250, Files.readAllLines(out, StandardCharsets.UTF_8).size());
    assertEquals(
        2, run("generate", "--entries", "5", "--bad-ratio", "2", "-o", out.toString()).code());
  }

  private static String entries(String service, String message, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(
          String.format(
              "{\"insertId\":\"%s-%d\",\"timestamp\":\"2025-09-14T22:%02d:00Z\","
                  + "\"severity\":\"ERROR\",\"resource\":{\"type\":\"cloud_run_revision\","
                  + "\"labels\":{\"service_name\":\"%s\"}},\"textPayload\":\"%s\"}\n",
              service, i, i, service, message));
    }
    return b.toString();
  }

  /**
   * A child JVM running {@code main}: on this test's class path, or with {@code mainOnly} on the
   * main classes and dependencies alone, as scripts/gardener starts it (no test resources, so
   * logging is configured as for a user).
   */
  private static ProcessBuilder java(boolean mainOnly, String main, String... args) {
    String cp =
        Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .filter(e -> !mainOnly || !e.endsWith("test-classes"))
            .collect(Collectors.joining(java.io.File.pathSeparator));
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                cp,
                main));
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  /** {@code gardener ARGS} in a child JVM started as scripts/gardener starts it. */
  private Result child(String... args) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    int code =
        java(true, Gardener.class.getName(), args)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start()
            .waitFor();
    return new Result(
        code,
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void runIsQuietByDefaultAndVerboseShowsBeamsInfoLines() throws Exception {
    Path in = file("in.jsonl", entries("ledger", "Disk quota exceeded on volume ledger-data", 3));
    Result quiet = child("run", "--input=" + in, "--duckdb=" + dir.resolve("q.duckdb"));
    assertEquals(0, quiet.code(), quiet.err());
    assertTrue(quiet.err().contains("gardener: reading "), quiet.err());
    assertTrue(!quiet.err().contains(" INFO "), quiet.err());

    Result verbose =
        child("run", "--verbose", "--input=" + in, "--duckdb=" + dir.resolve("v.duckdb"));
    assertEquals(0, verbose.code(), verbose.err());
    assertTrue(
        verbose.err().contains("INFO org.apache.beam.sdk.io.FileBasedSource - Filepattern"),
        verbose.err());
    // Global: before the subcommand as well.
    assertEquals(0, child("--verbose", "--version").code());
  }

  /**
   * What lets Gardener.quietLogs silence SerializableCoder's warning: no PCollection of the job,
   * batch or streaming, with GitHub sync, encodes our elements with it. Beam's Read does, for the
   * source it hands to its reading step; that is Beam's choice, not an element of ours.
   */
  private static final java.util.regex.Pattern OURS_SERIALIZED =
      java.util.regex.Pattern.compile(
          "SerializableCoder\\((?!org\\.apache\\.beam\\.sdk\\.io\\.(Unbounded|Bounded)Source\\))");

  @Test
  void noPCollectionOfTheJobUsesSerializableCoder() throws Exception {
    Path in = file("in.jsonl", entries("ledger", "Disk quota exceeded on volume ledger-data", 1));
    String db = dir.resolve("c.duckdb").toString();
    for (String source :
        List.of("--input=" + in, "--subscription=projects/demo-project/subscriptions/gardener")) {
      GardenerOptions o =
          PipelineOptionsFactory.fromArgs(source, "--duckdb=" + db, "--githubRepo=acme/shop")
              .as(GardenerOptions.class);
      o.setStreaming(source.startsWith("--subscription"));
      Pipeline p = Pipeline.create(o);
      GardenerPipeline.build(p, o, GardenerPipeline.sink(o));
      List<String> serializable = new java.util.ArrayList<>();
      p.traverseTopologically(
          new Pipeline.PipelineVisitor.Defaults() {
            @Override
            public void visitValue(PValue value, TransformHierarchy.Node producer) {
              if (value instanceof PCollection<?> c
                  && OURS_SERIALIZED.matcher(String.valueOf(c.getCoder())).find()) {
                serializable.add(c.getName() + ": " + c.getCoder());
              }
            }
          });
      assertEquals(List.of(), serializable, source);
    }
    DuckDbStore.close(db);
  }

  @Test
  void runPrintsItsOwnProblemsNotTheWholeDatabaseAndQueriesThatAnswer() throws IOException {
    String db = "--duckdb=" + dir.resolve("g.duckdb");
    Path first =
        file("first.jsonl", entries("ledger", "Disk quota exceeded on volume ledger-data", 4));
    Path second = file("second.jsonl", entries("mailer", "SMTP relay refused the connection", 3));
    Result one = run("run", "--input=" + first, db);
    assertEquals(0, one.code(), one.err());
    assertTrue(
        one.err().contains("read 4 (") && one.err().contains(" · 100% · parsed 4"), one.err());
    assertTrue(one.out().contains("Disk quota exceeded"), one.out());

    Result two = run("run", "--input=" + second, db);
    assertEquals(0, two.code(), two.err());
    assertTrue(two.out().contains("SMTP relay refused"), two.out());
    assertTrue(!two.out().contains("Disk quota exceeded"), two.out());
    assertTrue(two.out().contains("gardener sql top_clusters_24h --duckdb "), two.out());
    assertTrue(!two.out().contains("SELECT *"), two.out());

    // Both runs stay in the file: the analyst query the hint names sees them both.
    Result sql = run("sql", "--duckdb", dir.resolve("g.duckdb").toString(), "top_clusters_24h");
    assertEquals(0, sql.code(), sql.err());
    assertTrue(sql.out().contains("ledger") && sql.out().contains("mailer"), sql.out());
  }
}
