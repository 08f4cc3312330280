package dev.loggardener.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loggardener.cluster.ClusterRow;
import dev.loggardener.sink.DuckDbStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows that a re-run, a second input or a second job can neither overwrite nor double: each row
 * carries its run's id and attempt, and {@code clusters_latest} sums the latest attempt of every
 * run (see the README's "Re-runs, restarts and replaced jobs").
 */
class RunIdentityTest {
  private static final Path SAMPLE = Path.of("samples/staging-2025-09-14.jsonl");

  @TempDir Path dir;
  private final List<String> dbs = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (String db : dbs) {
      DuckDbStore.close(db);
    }
  }

  private String db(String name) {
    String db = dir.resolve(name).toString();
    dbs.add(db);
    return db;
  }

  /**
   * The sample's lines in two interleaved halves, byte for byte (the sample has invalid UTF-8 on
   * purpose): both halves cover every window.
   */
  private List<Path> halves() throws Exception {
    byte[] all = Files.readAllBytes(SAMPLE);
    java.io.ByteArrayOutputStream even = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream odd = new java.io.ByteArrayOutputStream();
    int line = 0;
    int from = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        (line++ % 2 == 0 ? even : odd).write(all, from, i + 1 - from);
        from = i + 1;
      }
    }
    (line % 2 == 0 ? even : odd).write(all, from, all.length - from);
    Path a = dir.resolve("a.jsonl");
    Path b = dir.resolve("b.jsonl");
    Files.write(a, even.toByteArray());
    Files.write(b, odd.toByteArray());
    return List.of(a, b);
  }

  private static long whole(String db) throws Exception {
    Map<String, Long> c = LocalRun.run(SAMPLE, db, o -> {});
    LocalRun.assertAccounted(c, db);
    return LocalRun.counted(db);
  }

  @Test
  void aRerunWithOtherWindowsReplacesTheFirstRunInsteadOfAddingToIt() throws Exception {
    String db = db("g.duckdb");
    long counted = whole(db);
    // Other windows mean other row keys: an upsert on (fingerprint, window, pane) would keep the
    // first run's rows beside the second's.
    LocalRun.run(SAMPLE, db, o -> o.setWindowMinutes(10));
    assertEquals(counted, LocalRun.counted(db));
    assertEquals(
        "10",
        LocalRun.query(
                db,
                "SELECT DISTINCT date_diff('minute', window_start, window_end) FROM clusters_latest")
            .get(0)[0]);
    assertEquals(
        "1",
        LocalRun.query(db, "SELECT count(DISTINCT attempt) FROM cluster_windows").get(0)[0],
        "the first run's rows are deleted once the second writes");
  }

  @Test
  void twoHalvesOfOneLogIntoOneDatabaseCountBoth() throws Exception {
    String wholeDb = db("whole.duckdb");
    Map<String, Long> whole = LocalRun.run(SAMPLE, wholeDb, o -> {});
    long counted = LocalRun.counted(wholeDb);
    String db = db("halves.duckdb");
    List<Path> halves = halves();
    Map<String, Long> first = LocalRun.run(halves.get(0), db, o -> {});
    Map<String, Long> second = LocalRun.run(halves.get(1), db, o -> {});
    long both =
        first.get(GardenerMetrics.FINGERPRINTED) + second.get(GardenerMetrics.FINGERPRINTED);
    assertEquals(both, LocalRun.counted(db), "the totals of both runs");
    // The sample delivers some entries twice: a run drops its own duplicates, but not those of
    // an entry whose copies fell into different halves.
    long across =
        first.get(GardenerMetrics.DUPLICATES)
            + second.get(GardenerMetrics.DUPLICATES)
            - whole.get(GardenerMetrics.DUPLICATES);
    assertEquals(counted, both + across);
    // Re-running one half changes nothing.
    LocalRun.run(halves.get(1), db, o -> {});
    assertEquals(both, LocalRun.counted(db));
  }

  @Test
  void twoJobsWithTheirOwnIdsOverTheSameWindowsNeitherOverwriteNorDouble() throws Exception {
    // A replaced streaming job: the old job drained, the new one reads the rest, and late entries
    // of the windows both saw land in both. Their run ids are the jobs'.
    String db = db("jobs.duckdb");
    List<Path> halves = halves();
    Map<String, Long> old = LocalRun.run(halves.get(0), db, o -> o.setRunId("job-old"));
    Map<String, Long> replacement = LocalRun.run(halves.get(1), db, o -> o.setRunId("job-new"));
    assertEquals(
        old.get(GardenerMetrics.FINGERPRINTED) + replacement.get(GardenerMetrics.FINGERPRINTED),
        LocalRun.counted(db));
    List<String[]> runs =
        LocalRun.query(
            db,
            "SELECT run_id, count(DISTINCT window_start) FROM cluster_windows GROUP BY run_id"
                + " ORDER BY run_id");
    assertEquals(2, runs.size());
    assertEquals("job-new", runs.get(0)[0]);
    assertEquals(runs.get(0)[1], runs.get(1)[1], "both jobs saw every window");
  }

  /** Problem (fingerprint, aliases resolved by the problems_latest view) to entries counted. */
  private static Map<String, String> problems(String db) throws Exception {
    Map<String, String> out = new java.util.TreeMap<>();
    for (String[] r :
        LocalRun.query(
            db, "SELECT fingerprint, sum(entry_count) FROM problems_latest GROUP BY fingerprint")) {
      out.put(r[0], r[1]);
    }
    return out;
  }

  @Test
  void aSecondJobMergesWithWhatTheFirstLearned() throws Exception {
    // Three warehouse names in one job's input, three others in the next job's: neither saw the
    // five names that make the position a variable. Before: six problems, each name its own.
    // Now the second job starts by replaying the templates the first wrote to
    // fingerprint_templates, merges at the fifth name, and the sums are those of one job over
    // everything, under the same id.
    List<String> lines = warehouseLines();
    Path whole = dir.resolve("whole.jsonl");
    Files.write(whole, lines);
    String one = db("one-job.duckdb");
    LocalRun.run(whole, one, o -> {});
    Map<String, String> expected = problems(one);
    assertEquals(1, expected.size(), expected.toString());

    Path first = dir.resolve("first.jsonl");
    Files.write(first, lines.subList(0, 30));
    Path second = dir.resolve("second.jsonl");
    Files.write(second, lines.subList(30, 60));
    String two = db("two-jobs.duckdb");
    LocalRun.run(first, two, o -> {});
    assertEquals(
        List.of("3"),
        LocalRun.query(two, "SELECT count(*) FROM fingerprint_templates").stream()
            .map(r -> r[0])
            .toList());
    LocalRun.run(second, two, o -> {});
    assertEquals(expected, problems(two));

    // gardener fingerprint starts from the same learned templates: the second half's entries get
    // the one job's id.
    String[] firstOnly = {db("first-only.duckdb")};
    LocalRun.run(first, firstOnly[0], o -> {});
    DuckDbStore.close(firstOnly[0]);
    java.io.StringWriter printed = new java.io.StringWriter();
    var cli = dev.loggardener.cli.Gardener.commandLine();
    cli.setOut(new java.io.PrintWriter(printed, true));
    assertEquals(0, cli.execute("fingerprint", second.toString(), "--templates", firstOnly[0]));
    java.util.Set<String> ids = new java.util.TreeSet<>();
    for (String row : printed.toString().split("\n")) {
      ids.add(row.split("\t")[2]);
    }
    assertEquals(expected.keySet(), ids);
  }

  /** "Inventory sync failed for warehouse NAME after retries", ten entries per name and window. */
  private static List<String> warehouseLines() {
    List<String> lines = new ArrayList<>();
    String[] names = {"north", "south", "east", "west", "central", "harbor"};
    for (int w = 0; w < names.length; w++) {
      for (int i = 0; i < 10; i++) {
        lines.add(
            Entries.entry(
                "u-" + w + "-" + i,
                String.format("2025-09-14T22:%02d:%02dZ", w * 5 + 1, i),
                "ERROR",
                "auth",
                "Inventory sync failed for warehouse " + names[w] + " after retries"));
      }
    }
    return lines;
  }

  @Test
  void aMergeMidRunNeitherLosesNorDoublesTheMergedIdsCounts() throws Exception {
    // "Inventory sync failed for warehouse <name> after retries", one name per window: four
    // clusters, then the fifth name makes the position a variable, all five ids become aliases of
    // the merged template's own id, and the sixth joins it. Every window keeps the rows of the id
    // it was counted under; the aliases say where they went.
    List<String> lines = warehouseLines();
    Path input = dir.resolve("merge.jsonl");
    Files.write(input, lines);
    String db = db("merge.duckdb");
    Map<String, Long> c = LocalRun.run(input, db, o -> {});
    LocalRun.assertAccounted(c, db);
    assertEquals(60, LocalRun.counted(db));
    assertEquals(5L, c.get(GardenerMetrics.ALIASES), "five ids merged into a new one: " + c);
    // Resolved through the aliases, the 60 entries are one problem, counted once.
    assertEquals(List.of("60"), List.copyOf(problems(db).values()));
  }

  @Test
  void aWindowsLaterPanesKeepTheRunIdOfItsFirstPane() {
    // After an in-place update the count's state goes on (pane 2 follows pane 1) while the new
    // job stamps rows with its own id: the window's rows must stay one run.
    ClusterRow first = CodersTest.row().withRun("job-old", 1);
    ClusterRow afterUpdate = at(first, first.windowStart(), 2).withRun("job-new", 2);
    ClusterRow otherWindow =
        at(first, java.time.Instant.parse("2025-09-14T23:00:00Z"), first.paneIndex())
            .withRun("job-new", 2);
    org.joda.time.Instant t = new org.joda.time.Instant(first.windowStart().toEpochMilli());
    TestStream<ClusterRow> rows =
        TestStream.create(Coders.CLUSTER_ROW)
            .addElements(TimestampedValue.of(first, t))
            .addElements(TimestampedValue.of(afterUpdate, t.plus(1000)))
            .addElements(
                TimestampedValue.of(
                    otherWindow,
                    new org.joda.time.Instant(otherWindow.windowStart().toEpochMilli())))
            .advanceWatermarkToInfinity();
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<String> ids =
        p.apply(rows)
            .apply(Window.into(FixedWindows.of(org.joda.time.Duration.standardMinutes(5))))
            .apply(new KeepRunId())
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        r ->
                            r.windowStart()
                                + " "
                                + r.paneIndex()
                                + " "
                                + r.runId()
                                + " "
                                + r.attempt()));
    PAssert.that(ids)
        .containsInAnyOrder(
            first.windowStart() + " " + first.paneIndex() + " job-old 1",
            first.windowStart() + " 2 job-old 1",
            "2025-09-14T23:00:00Z " + first.paneIndex() + " job-new 2");
    p.run().waitUntilFinish();
  }

  /** The row moved to another window or pane. */
  private static ClusterRow at(ClusterRow r, java.time.Instant windowStart, long pane) {
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
        windowStart,
        windowStart,
        windowStart,
        windowStart.plusSeconds(300),
        r.paneTiming(),
        pane,
        r.isFinal(),
        r.samples(),
        r.distinctUsers(),
        r.distinctTraces(),
        r.traceIds(),
        r.runId(),
        r.attempt(),
        null);
  }
}
