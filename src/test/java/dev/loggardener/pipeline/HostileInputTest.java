package dev.loggardener.pipeline;

import static dev.loggardener.pipeline.LocalRun.assertAccounted;
import static dev.loggardener.pipeline.LocalRun.counted;
import static dev.loggardener.pipeline.LocalRun.query;
import static dev.loggardener.pipeline.LocalRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loggardener.sink.DuckDbStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input that stopped `gardener run` or made it lie: each now counts or is a dead letter. */
class HostileInputTest {
  @TempDir Path dir;

  private String db;

  @AfterEach
  void close() throws Exception {
    if (db != null) {
      DuckDbStore.close(db);
    }
  }

  private Path write(List<String> lines) throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);
    db = dir.resolve("g.duckdb").toString();
    return input;
  }

  private static String entry(String id, Instant t, String service, String message) {
    return "{\"insertId\":\""
        + id
        + "\",\"timestamp\":\""
        + t
        + "\",\"severity\":\"ERROR\",\"resource\":{\"type\":\"cloud_run_revision\",\"labels\":"
        + "{\"service_name\":\""
        + service
        + "\"}},\"jsonPayload\":{\"message\":\""
        + message
        + "\"}}";
  }

  /**
   * 20,000 entries that are each their own cluster, over an hour: more fingerprints in a bundle
   * than the counting step's partial counts hold, which ended the run with "Cannot output with
   * timestamp" and wrote nothing.
   */
  @Test
  void twentyThousandUniqueMessagesAreAllCounted() throws Exception {
    Random random = new Random(15);
    Instant start = Instant.parse("2025-09-14T22:00:00Z");
    List<String> lines = new ArrayList<>();
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      StringBuilder m = new StringBuilder("Failure");
      for (int w = 0; w < 45; w++) {
        m.append(' ');
        for (int c = 0; c < 3 + random.nextInt(6); c++) {
          m.append((char) ('a' + random.nextInt(26)));
        }
      }
      lines.add(entry("r" + i, start.plusMillis(random.nextInt(3_600_000)), "svc", m.toString()));
    }
    Map<String, Long> c = run(write(lines), db, o -> {});
    assertEquals(n, counted(db));
    assertAccounted(c, db);
  }

  /** Each of these aborted the run (and on Pub/Sub would stop the job on every restart). */
  @Test
  void timestampsBeyondWhatTablesHoldAreDeadLetters() throws Exception {
    Instant t = Instant.parse("2025-09-14T22:01:00Z");
    List<String> lines = new ArrayList<>();
    lines.add(entry("ok-1", t, "web", "Failed to connect to redis"));
    lines.add(
        "{\"timestamp\":\"+999999999-12-31T23:59:59Z\",\"severity\":\"ERROR\",\"textPayload\":\"x\"}");
    lines.add(
        "{\"timestamp\":\"+10000-01-01T00:00:00Z\",\"severity\":\"ERROR\",\"textPayload\":\"x\"}");
    lines.add("{\"timestamp\":{\"seconds\":1e13},\"severity\":\"ERROR\",\"textPayload\":\"x\"}");
    lines.add(
        "{\"timestamp\":{\"seconds\":10000000000000},\"severity\":\"ERROR\",\"textPayload\":\"x\"}");
    lines.add(
        "{\"timestamp\":\"9999-12-31T23:59:59Z\",\"severity\":\"ERROR\",\"textPayload\":\"x\"}");
    lines.add(entry("ok-2", t.plusSeconds(30), "web", "Failed to connect to redis"));
    Map<String, Long> c = run(write(lines), db, o -> {});
    assertEquals(2, counted(db));
    assertEquals(
        "5",
        query(db, "SELECT count(*) FROM dead_letters WHERE reason = 'bad_timestamp'").get(0)[0]);
    assertAccounted(c, db);
  }
}
