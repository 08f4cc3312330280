package dev.loggardener.pipeline;

import static dev.loggardener.pipeline.Entries.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.cli.RunCommandAccess;
import dev.loggardener.sink.DuckDbStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch job over files into a real DuckDB file, on the DirectRunner. */
class BatchPipelineTest {
  @TempDir Path dir;

  private String db;

  @AfterEach
  void close() throws Exception {
    if (db != null) {
      DuckDbStore.close(db);
    }
  }

  /** Five redis refusals (one delivered twice), two thread lookups, one INFO, every bad kind. */
  private List<String> lines() {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      l.add(
          entry(
              "redis-" + i,
              "2025-09-14T22:0" + i + ":10Z",
              "ERROR",
              "web-backend",
              "Failed to connect to redis at 10.0.0." + i + ":6379: connection refused"));
    }
    l.add(l.get(2)); // redelivered
    l.add(entry("thread-1", "2025-09-14T22:01:00Z", "ERROR", "billing", "Thread 4f1c2a not found"));
    l.add(entry("thread-2", "2025-09-14T22:07:00Z", "ERROR", "billing", "Thread 9b3e77 not found"));
    l.add(entry("info-1", "2025-09-14T22:02:00Z", "INFO", "web-backend", "GET /healthz 200"));
    l.add(""); // empty_line
    l.add("this is not json"); // not_json
    l.add("{\"insertId\":\"t\",\"timestamp\":\"2025-09-14T22:00:00Z\""); // truncated_json
    l.add("null"); // json_null
    l.add("[1]"); // not_an_object
    l.add("{\"insertId\":\"m\",\"severity\":\"ERROR\",\"textPayload\":\"x\"}"); // missing_timestamp
    l.add(
        "{\"insertId\":\"b\",\"timestamp\":\"yesterday\",\"textPayload\":\"x\"}"); // bad_timestamp
    l.add("{\"insertId\":\"s\",\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"LOUD\"}");
    l.add("{\"textPayload\":\"" + "x".repeat(300 * 1024) + "\"}"); // too_large
    return l;
  }

  private Map<String, Long> run(Path input) throws Exception {
    return run(input, 0);
  }

  private Map<String, Long> run(Path input, int stateShards) throws Exception {
    GardenerOptions o = PipelineOptionsFactory.as(GardenerOptions.class);
    o.setStateShards(stateShards);
    o.setInput(input.toString());
    o.setDuckdb(db);
    Pipeline p = Pipeline.create(o);
    GardenerPipeline.build(p, o, GardenerPipeline.sink(o));
    PipelineResult r = p.run();
    assertEquals(PipelineResult.State.DONE, r.waitUntilFinish());
    return RunCommandAccess.counters(r);
  }

  @Test
  void countsEveryEntryOnceAndDeadLettersEveryBadKind() throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.write(input, lines(), StandardCharsets.UTF_8);
    // The invalid UTF-8 line, as bytes.
    Files.write(
        input,
        new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'},
        java.nio.file.StandardOpenOption.APPEND);
    db = dir.resolve("g.duckdb").toString();

    Map<String, Long> c = run(input);

    assertEquals(19, c.get(GardenerMetrics.READ));
    assertEquals(10, c.get(GardenerMetrics.DEAD_LETTERS));
    assertEquals(1, c.get(GardenerMetrics.DUPLICATES));
    assertEquals(1, c.get(GardenerMetrics.OUT_OF_SCOPE));
    assertEquals(7, c.get(GardenerMetrics.FINGERPRINTED));
    // entries in = counted + deduplicated + out of scope + dead-lettered
    assertEquals(
        c.get(GardenerMetrics.READ),
        counted()
            + c.get(GardenerMetrics.DUPLICATES)
            + c.get(GardenerMetrics.OUT_OF_SCOPE)
            + c.get(GardenerMetrics.DEAD_LETTERS));

    Map<String, String> reasons = new TreeMap<>();
    for (String[] row : query("SELECT reason, step FROM dead_letters ORDER BY reason")) {
      reasons.put(row[0], row[1]);
    }
    assertEquals(
        List.of(
            "bad_severity",
            "bad_timestamp",
            "empty_line",
            "invalid_utf8",
            "json_null",
            "missing_timestamp",
            "not_an_object",
            "not_json",
            "too_large",
            "truncated_json"),
        List.copyOf(reasons.keySet()));

    // Redis refusals: one fingerprint, the five distinct entries in the 22:00-22:05 window, one
    // final on-time pane (a batch run has nothing late).
    List<String[]> redis =
        query(
            "SELECT window_start, entry_count, pane_timing, is_final, priority, template"
                + " FROM cluster_windows WHERE service = 'web-backend' ORDER BY window_start");
    assertEquals(1, redis.size(), () -> java.util.Arrays.deepToString(redis.toArray()));
    assertEquals("5", redis.get(0)[1]);
    assertEquals("ON_TIME", redis.get(0)[2]);
    assertEquals("true", redis.get(0)[3]);
    assertEquals("Failed to connect to redis at <*>: <*>", redis.get(0)[5]);

    // The thread lookups share a fingerprint across two windows.
    List<String[]> threads =
        query(
            "SELECT fingerprint, window_start, entry_count FROM cluster_windows"
                + " WHERE service = 'billing' ORDER BY window_start");
    assertEquals(2, threads.size());
    assertEquals(threads.get(0)[0], threads.get(1)[0]);
  }

  @Test
  void stateSpreadOverManyKeysCountsTheSame() throws Exception {
    // Dataflow spreads dedup and merging state over 64 keys; the DirectRunner default is 1.
    Path input = dir.resolve("in.jsonl");
    Files.write(input, lines(), StandardCharsets.UTF_8);
    db = dir.resolve("g.duckdb").toString();
    Map<String, Long> c = run(input, 64);
    assertEquals(1, c.get(GardenerMetrics.DUPLICATES));
    assertEquals(7, c.get(GardenerMetrics.FINGERPRINTED));
    assertEquals(7, counted());
    assertEquals(
        2,
        Long.parseLong(query("SELECT count(DISTINCT fingerprint) FROM cluster_windows").get(0)[0]));
  }

  @Test
  void samplesAndDeadLettersAreRedacted() throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.write(
        input,
        List.of(
            entry(
                "s-1",
                "2025-09-14T22:00:00Z",
                "ERROR",
                "auth",
                "auth.login",
                "Login failed for bob@corp.example token=ghp_abcdefghijklmnopqrstuvwxyz0123456789",
                "bob@corp.example"),
            "not json but password=hunter2 and carol@example.org",
            // Valid JSON, dead for its severity; the address hides behind a unicode escape.
            "{\"insertId\":\"x\",\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"LOUD\","
                + "\"textPayload\":\"mail dave\\u0040corp.example\"}"),
        StandardCharsets.UTF_8);
    db = dir.resolve("g.duckdb").toString();
    run(input);
    String everything =
        String.join(
                "\n",
                query(
                        "SELECT template || ' ' || array_to_string(samples, ' ') FROM cluster_windows")
                    .stream()
                    .map(r -> r[0])
                    .toList())
            + String.join(
                "\n",
                query("SELECT payload || ' ' || detail FROM dead_letters").stream()
                    .map(r -> r[0])
                    .toList());
    for (String secret :
        List.of(
            "bob@corp.example",
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "hunter2",
            "carol@example.org",
            "dave")) {
      assertFalse(everything.contains(secret), secret + " leaked: " + everything);
    }
    assertTrue(everything.contains("not json"), everything);
  }

  @Test
  void aRerunOverTheSameInputReplacesRowsInsteadOfAddingToThem() throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.write(input, lines(), StandardCharsets.UTF_8);
    db = dir.resolve("g.duckdb").toString();
    run(input);
    long rows = Long.parseLong(query("SELECT count(*) FROM cluster_windows").get(0)[0]);
    long letters = Long.parseLong(query("SELECT count(*) FROM dead_letters").get(0)[0]);
    long entries = counted();
    DuckDbStore.close(db);

    run(input);

    assertEquals(rows, Long.parseLong(query("SELECT count(*) FROM cluster_windows").get(0)[0]));
    assertEquals(letters, Long.parseLong(query("SELECT count(*) FROM dead_letters").get(0)[0]));
    assertEquals(entries, counted());
  }

  @Test
  void readsGcloudJsonArraysLikeJsonLines() throws Exception {
    Path input = dir.resolve("in.json");
    List<String> good = lines().subList(0, 9);
    Files.writeString(input, "[\n  " + String.join(",\n  ", good) + "\n]\n");
    db = dir.resolve("g.duckdb").toString();
    Map<String, Long> c = run(input);
    assertEquals(9, c.get(GardenerMetrics.READ));
    assertEquals(1, c.get(GardenerMetrics.DUPLICATES));
    assertEquals(7, counted());
  }

  @Test
  void splitsLargeJsonLinesFilesWithoutLosingOrRepeatingALine() throws Exception {
    // Several megabytes, so that the source splits the file at byte offsets.
    Path input = dir.resolve("big.jsonl");
    List<String> l = new ArrayList<>();
    String pad = "x".repeat(1500);
    for (int i = 0; i < 3000; i++) {
      l.add(
          entry(
              "big-" + i,
              "2025-09-14T22:0" + (i % 10) + ":00Z",
              "ERROR",
              "svc",
              "Job " + i + " failed " + pad));
    }
    Files.write(input, l, StandardCharsets.UTF_8);
    assertTrue(Files.size(input) > 3 * LogEntrySourceAccess.minBundleBytes());
    db = dir.resolve("g.duckdb").toString();
    Map<String, Long> c = run(input);
    assertEquals(3000, c.get(GardenerMetrics.READ));
    assertEquals(0, c.getOrDefault(GardenerMetrics.DUPLICATES, 0L));
    assertEquals(3000, counted());
  }

  private long counted() throws Exception {
    return LocalRun.counted(db);
  }

  private List<String[]> query(String sql) throws Exception {
    return LocalRun.query(db, sql);
  }
}
