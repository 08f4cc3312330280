package dev.loggardener.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service that stops writing altogether is reported silent within two windows, against its own
 * rate: the outage that no error cluster shows. Runs the whole job on a file into DuckDB.
 */
class WatchServicesTest {
  @TempDir Path dir;

  static final Instant T0 = Instant.parse("2025-09-14T20:00:00Z");

  /** {@code perWindow} entries in each of windows [from, to) of five minutes, mostly INFO. */
  static void write(List<String> lines, String service, int from, int to, int perWindow) {
    for (int w = from; w < to; w++) {
      for (int i = 0; i < perWindow; i++) {
        Instant t = T0.plusSeconds(w * 300L + i * (290L / perWindow));
        lines.add(
            Entries.entry(
                service + "-" + w + "-" + i,
                t.toString(),
                i == 0 ? "ERROR" : "INFO",
                service,
                i == 0 ? "Upstream timeout after 3000 ms" : "GET /healthz 200"));
      }
    }
  }

  @Test
  void aServiceThatStopsIsSilentAndOnesActiveAtTheEndAreNot() throws Exception {
    List<String> lines = new ArrayList<>();
    write(lines, "checkout", 0, 30, 20); // steady, then nothing from window 30 on
    write(lines, "search", 0, 40, 20); // active until the input ends
    write(lines, "cron", 0, 40, 1); // one entry a window: a gap there is nothing
    lines.removeIf(l -> l.contains("\"insertId\":\"cron-17-0\"")); // cron skips a window
    Path input = dir.resolve("in.jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);
    String db = dir.resolve("s.duckdb").toString();
    LocalRun.run(input, db, o -> {});
    List<String[]> silent =
        LocalRun.query(
            db,
            "SELECT service, strftime(window_start, '%H:%M'), entries, state FROM service_windows"
                + " WHERE state = 'silent' ORDER BY 1, 2");
    assertEquals(1, silent.size(), describe(silent));
    assertEquals("checkout", silent.get(0)[0]);
    assertEquals("22:30", silent.get(0)[1], "the first window without entries (window 30)");
    List<String[]> checkout =
        LocalRun.query(
            db,
            "SELECT count(*), sum(entries), sum(out_of_scope), max(fingerprints) FROM"
                + " service_windows WHERE service = 'checkout' AND state = 'active'");
    assertEquals("30", checkout.get(0)[0]);
    assertEquals("600", checkout.get(0)[1], "every entry, INFO included");
    assertEquals("570", checkout.get(0)[2], "INFO is below --minSeverity: out of scope");
    assertEquals("1", checkout.get(0)[3]);
  }

  static String describe(List<String[]> rows) {
    StringBuilder b = new StringBuilder();
    rows.forEach(r -> b.append(String.join(" ", r)).append('\n'));
    return b.toString();
  }
}
