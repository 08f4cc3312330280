package dev.loggardener.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.cli.Gardener;
import dev.loggardener.cli.RunCommandStop;
import dev.loggardener.pubsub.Publisher;
import dev.loggardener.pubsub.PubsubRest;
import dev.loggardener.sink.DuckDbStore;
import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on the real Pub/Sub emulator: publish entries with the sink's attributes, run the
 * streaming job as {@code gardener run} does (heartbeat included, so windows close on a quiet
 * subscription), and find the rows in DuckDB.
 */
class PubsubEmulatorTest {
  private static Process emulator;
  private static String root;
  private static PubsubRest pubsub;

  @TempDir Path dir;

  @BeforeAll
  static void startEmulator() throws Exception {
    Path jar = emulatorJar();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    emulator =
        new ProcessBuilder("java", "-jar", jar.toString(), "--host=127.0.0.1", "--port=" + port)
            .redirectErrorStream(true)
            .redirectOutput(Files.createTempFile("pubsub-emulator", ".log").toFile())
            .start();
    root = "http://127.0.0.1:" + port;
    pubsub = new PubsubRest(root, null);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        send("GET", "/v1/projects/demo-project/topics", null);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !emulator.isAlive()) {
          throw new IllegalStateException("the Pub/Sub emulator did not start", e);
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * The emulator's jar: {@code PUBSUB_EMULATOR_JAR}, else the newest
   * cloud-pubsub-emulator-*-all.jar in the SDK of the gcloud on PATH (where its link leads), then
   * where apt and Google's installer put the SDK. scripts/pubsub-emulator-jar looks the same way,
   * and asks {@code gcloud info} too; scripts/test passes on what it found.
   */
  private static Path emulatorJar() throws IOException {
    String install =
        "apt-get install google-cloud-cli-pubsub-emulator (gcloud from apt), gcloud components"
            + " install pubsub-emulator (gcloud from Google's installer), or set"
            + " PUBSUB_EMULATOR_JAR to the jar's path";
    String set = System.getenv("PUBSUB_EMULATOR_JAR");
    if (set != null && !set.isEmpty()) {
      if (!Files.isRegularFile(Path.of(set))) {
        throw new IllegalStateException(
            "PUBSUB_EMULATOR_JAR=" + set + " is not a file. The Pub/Sub emulator: " + install);
      }
      return Path.of(set);
    }
    List<Path> sdks = new java.util.ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path gcloud = Path.of(dir, "gcloud");
      if (!dir.isEmpty() && Files.isExecutable(gcloud)) {
        Path bin = gcloud.toRealPath().getParent();
        if (bin != null && bin.getParent() != null) {
          sdks.add(bin.getParent());
        }
        break;
      }
    }
    Stream.of("/usr/lib", "/usr/share", "/opt", System.getProperty("user.home"))
        .map(root -> Path.of(root, "google-cloud-sdk"))
        .forEach(sdks::add);
    // Compared with every number zero-padded, so that 0.8.20 comes after 0.8.9.
    Comparator<Path> byVersion =
        Comparator.comparing(
            p ->
                Pattern.compile("\\d+")
                    .matcher(p.getFileName().toString())
                    .replaceAll(m -> String.format("%020d", new BigInteger(m.group()))));
    for (Path sdk : sdks) {
      Path lib = sdk.resolve("platform/pubsub-emulator/lib");
      if (!Files.isDirectory(lib)) {
        continue;
      }
      try (Stream<Path> files = Files.list(lib)) {
        Optional<Path> newest =
            files
                .filter(
                    f -> {
                      String n = f.getFileName().toString();
                      return n.startsWith("cloud-pubsub-emulator-") && n.endsWith("-all.jar");
                    })
                .max(byVersion);
        if (newest.isPresent()) {
          return newest.get();
        }
      }
    }
    throw new IllegalStateException(
        "The Pub/Sub emulator is missing: no cloud-pubsub-emulator-*-all.jar in "
            + sdks.stream().map(sdk -> sdk.resolve("platform/pubsub-emulator/lib")).toList()
            + ". "
            + install);
  }

  @AfterAll
  static void stopEmulator() throws Exception {
    if (emulator != null) {
      emulator.destroy();
      if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
        emulator.destroyForcibly();
      }
    }
  }

  @Test
  @Timeout(120)
  void entriesPublishedWithTheSinksAttributesLandInDuckDb() throws Exception {
    send("PUT", "/v1/projects/demo-project/topics/logs", "{}");
    send(
        "PUT",
        "/v1/projects/demo-project/subscriptions/gardener",
        "{\"topic\":\"projects/demo-project/topics/logs\",\"ackDeadlineSeconds\":60}");
    // A second subscription on the topic watches what the gardener publishes: its heartbeats.
    send(
        "PUT",
        "/v1/projects/demo-project/subscriptions/observer",
        "{\"topic\":\"projects/demo-project/topics/logs\",\"ackDeadlineSeconds\":60}");
    // Entries from one minute, well in the past: their window closes once heartbeats move the
    // watermark to now. Published the way `gardener publish` does, as a log sink would.
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      lines.add(
          Entries.entry(
              "e-" + i,
              "2025-09-14T22:0" + i + ":30Z",
              "ERROR",
              "web-backend",
              "Failed to connect to redis at 10.0.0." + i + ":6379: connection refused"));
    }
    java.nio.file.Path file = dir.resolve("entries.jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    Publisher.Result published =
        Publisher.to(root).publish(file, "projects/demo-project/topics/logs");
    assertEquals(new Publisher.Result(4, 0, 0), published);

    String db = dir.resolve("g.duckdb").toString();
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () ->
                Gardener.commandLine()
                    .execute(
                        // An early pane a second after the first entry: rows land without
                        // waiting for the emulator's watermark (TestStream covers the panes).
                        runArgs("gardener", db, "--allowedLatenessMinutes=0")));
    try {
      long count = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && count < 4) {
        Thread.sleep(1000);
        assertTrue(
            !run.isDone(), "the streaming job stopped: exit " + (run.isDone() ? run.join() : ""));
        count = countRows(db);
      }
      assertEquals(4, count, "entry_count in clusters_latest");
      String seen =
          send(
              "POST",
              "/v1/projects/demo-project/subscriptions/observer:pull",
              "{\"maxMessages\":100}");
      assertTrue(
          seen.contains(RawRecord.HEARTBEAT_ATTRIBUTE),
          "the gardener published no heartbeat to the topic: " + seen);
    } finally {
      RunCommandStop.stopAll();
      run.get(30, TimeUnit.SECONDS);
      DuckDbStore.close(db);
    }
  }

  /** A streaming run stopped (Ctrl-C) prints the summary a batch run prints, then "stopped". */
  @Test
  @Timeout(120)
  void aStoppedRunPrintsItsSummary() throws Exception {
    send("PUT", "/v1/projects/demo-project/topics/stop", "{}");
    send(
        "PUT",
        "/v1/projects/demo-project/subscriptions/stop",
        "{\"topic\":\"projects/demo-project/topics/stop\",\"ackDeadlineSeconds\":60}");
    publish(List.of(batch("s", 1).get(0), "not json"), "stop");
    String db = dir.resolve("g.duckdb").toString();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cl = Gardener.commandLine();
    cl.setErr(new java.io.PrintWriter(err, true));
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(() -> cl.execute(runArgs("stop", db)));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && deadLetters(db) < 1) {
        Thread.sleep(500);
        assertTrue(!run.isDone(), () -> "the streaming job stopped: " + err);
      }
      assertEquals(1, deadLetters(db), "dead letters written");
    } finally {
      RunCommandStop.stopAll();
      assertEquals(0, run.get(30, TimeUnit.SECONDS));
      DuckDbStore.close(db);
    }
    assertTrue(
        err.toString().contains("gardener: dead letters by reason: not_json 1\ngardener: stopped"),
        err.toString());
  }

  private static long deadLetters(String db) {
    synchronized (DuckDbStore.class) {
      try (Statement s = DuckDbStore.connection(db).createStatement();
          ResultSet r = s.executeQuery("SELECT count(*) FROM dead_letters")) {
        r.next();
        return r.getLong(1);
      } catch (Exception e) {
        return 0;
      }
    }
  }

  /**
   * A streaming job killed with SIGKILL and started again over the same subscription and windows:
   * the rows the killed job wrote stay as they were, and the new job adds its own beside them. What
   * the killed job had read (and acknowledged) but not yet written is lost, and what it had written
   * but not yet acknowledged is counted again; the README says how much either can be.
   */
  @Test
  @Timeout(240)
  void aKilledJobsRowsSurviveItsRestartAndNothingIsCountedTwice() throws Exception {
    send("PUT", "/v1/projects/demo-project/topics/restart", "{}");
    send(
        "PUT",
        "/v1/projects/demo-project/subscriptions/restart",
        "{\"topic\":\"projects/demo-project/topics/restart\",\"ackDeadlineSeconds\":10}");
    String db = dir.resolve("g.duckdb").toString();
    // Timestamps a minute old: the windows stay open across the kill, so both jobs write panes of
    // the same windows (the case that used to overwrite).
    publish(batch("a", 1000), "restart");
    Process killed =
        new ProcessBuilder(
                Stream.concat(
                        Stream.of(
                            "java",
                            "-Xmx512m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            Gardener.class.getName()),
                        Stream.of(runArgs("restart", db)))
                    .toList())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("killed.log").toFile())
            .start();
    // DuckDB appends every commit to the write-ahead log: wait for a few, then kill.
    Path wal = Path.of(db + ".wal");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!(Files.exists(wal) && Files.size(wal) > 0) && System.nanoTime() < deadline) {
      assertTrue(killed.isAlive(), () -> "the job ended: " + log("killed.log"));
      Thread.sleep(200);
    }
    Thread.sleep(3000);
    killed.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
    assertTrue(killed.waitFor(30, TimeUnit.SECONDS));

    List<String[]> before = rowsOfRuns(db);
    long written = counted(db);
    assertTrue(written > 0, () -> "the killed job wrote nothing: " + log("killed.log"));
    DuckDbStore.close(db);

    publish(batch("b", 1000), "restart");
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(() -> Gardener.commandLine().execute(runArgs("restart", db)));
    try {
      long count = 0;
      long last = -1;
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      // Until everything is counted, or the count stops moving.
      while (System.nanoTime() < deadline && count < 2000) {
        Thread.sleep(3000);
        assertTrue(!run.isDone(), "the restarted job stopped");
        last = count;
        count = countRows(db);
        if (count == last && count >= written + 1000) {
          break;
        }
      }
      long total = countRows(db);
      // Not asserted: total <= 2000. Entries the killed job had written but not yet acknowledged
      // (Beam acknowledges Pub/Sub in batches, after the bundle) are delivered again and counted
      // by the new job too: 10 of 2,000 in one run, none in another. The README says so.
      assertTrue(
          total >= written + 1000,
          "the second batch was not all counted: " + total + ", " + written);
      synchronized (DuckDbStore.class) {
        List<String[]> after = rowsOfRuns(db);
        String killedRun = before.get(0)[0];
        assertEquals(
            before.stream().map(Arrays::toString).toList(),
            after.stream().filter(r -> r[0].equals(killedRun)).map(Arrays::toString).toList(),
            "the killed job's rows changed");
        assertTrue(after.stream().anyMatch(r -> !r[0].equals(killedRun)), "no rows of a new run");
      }
      System.out.println(
          "restart: published 2000, the killed job wrote "
              + written
              + ", counted in the end "
              + total
              + ", lost "
              + Math.max(0, 2000 - total)
              + ", counted twice "
              + Math.max(0, total - 2000)
              + " (a lower bound of each: both can happen in one run)");
    } finally {
      RunCommandStop.stopAll();
      run.get(30, TimeUnit.SECONDS);
      DuckDbStore.close(db);
    }
  }

  /**
   * {@code gardener run} on a subscription of the emulator into a DuckDB file, with heartbeats and
   * early panes every second.
   */
  private static String[] runArgs(String subscription, String db, String... more) {
    return Stream.concat(
            Stream.of(
                "run",
                "--subscription=projects/demo-project/subscriptions/" + subscription,
                "--pubsubRootUrl=" + root,
                "--credentialFactoryClass="
                    + org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory.class.getName(),
                "--project=demo-project",
                "--duckdb=" + db,
                "--heartbeatSeconds=1",
                "--earlyFiringSeconds=1"),
            Stream.of(more))
        .toArray(String[]::new);
  }

  private String log(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Entries of five problems, stamped over the last minute. */
  private static List<String> batch(String prefix, int n) {
    java.time.Instant now = java.time.Instant.now().minusSeconds(60);
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(
          Entries.entry(
              prefix + "-" + i,
              now.plusMillis(i * 50L).toString(),
              "ERROR",
              "web-backend",
              "Failed to connect to redis at 10.0."
                  + (i % 5)
                  + "."
                  + i % 200
                  + ":6379 (cause "
                  + (i % 5)
                  + ")"));
    }
    return lines;
  }

  private void publish(List<String> lines, String topic) throws Exception {
    Path file = Files.createTempFile(dir, "batch", ".jsonl");
    Files.write(file, lines, StandardCharsets.UTF_8);
    Publisher.Result r = Publisher.to(root).publish(file, "projects/demo-project/topics/" + topic);
    assertEquals(lines.size(), r.published());
  }

  private static long counted(String db) throws Exception {
    synchronized (DuckDbStore.class) {
      return countRowsLocked(db);
    }
  }

  /** Every row as run id, fingerprint, window, pane and count, in key order. */
  private static List<String[]> rowsOfRuns(String db) throws Exception {
    synchronized (DuckDbStore.class) {
      List<String[]> out = new java.util.ArrayList<>();
      try (Statement s = DuckDbStore.connection(db).createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT run_id, fingerprint, window_start, pane_index, entry_count"
                      + " FROM cluster_windows ORDER BY 1, 2, 3, 4")) {
        while (r.next()) {
          out.add(
              new String[] {
                r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5)
              });
        }
      }
      return out;
    }
  }

  private static long countRows(String db) {
    synchronized (DuckDbStore.class) {
      return countRowsLocked(db);
    }
  }

  private static long countRowsLocked(String db) {
    try {
      var c = DuckDbStore.connection(db);
      try (Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery("SELECT coalesce(sum(entry_count), 0) FROM clusters_latest")) {
        r.next();
        return r.getLong(1);
      }
    } catch (Exception e) {
      return 0;
    }
  }

  private static String send(String method, String path, String json)
      throws IOException, InterruptedException {
    return pubsub.send(method, path, json);
  }
}
