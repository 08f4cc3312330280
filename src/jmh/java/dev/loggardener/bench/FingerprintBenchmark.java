package dev.loggardener.bench;

import dev.loggardener.bench.ab.EntryLoop;
import dev.loggardener.evaluate.LoghubEvaluation;
import dev.loggardener.fingerprint.Fingerprint;
import dev.loggardener.fingerprint.FingerprintState;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.ParseResult;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One core, one thread: what a single pipeline worker thread gets through.
 *
 * <ul>
 *   <li>{@code fingerprintMessage}: template + id, merging included, for every Loghub-2k message
 *       (32,000 lines from 16 systems) in turn, with the state already warm;
 *   <li>{@code parseRedactFingerprint}: a full LogEntry JSON from the generator, parsed, redacted
 *       (message, URL, labels, user: everything triage reads) and fingerprinted;
 *   <li>{@code sampleRedaction}: the whole entry's JSON redacted, as the pipeline does for the few
 *       entries it keeps as samples (at most 3 per cluster per window pane);
 *   <li>{@code parseOnly}: the floor, Jackson reading the same JSON into the model.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class FingerprintBenchmark {
  private final LogEntryParser parser = new LogEntryParser();
  private final Redactor redactor = new Redactor(RedactionConfig.DEFAULT);
  private final LoghubEvaluation loghubEntries = new LoghubEvaluation();

  private LogEntry[] loghub;
  private byte[][] entries;
  private FingerprintState messageState;
  private FingerprintState entryState;
  private LogEntry[] parsedEntries;
  private LogEntry[] redactedEntries;
  private int nextMessage;
  private int nextEntry;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path root = Path.of(System.getProperty("loghub", "../shared/loghub2k"));
    List<LogEntry> messages = new ArrayList<>();
    try (Stream<Path> csvs = Files.walk(root)) {
      for (Path csv :
          csvs.filter(p -> p.toString().endsWith("_2k.log_structured_corrected.csv"))
              .sorted()
              .toList()) {
        for (String content : contents(csv)) {
          messages.add(loghubEntries.entry(content));
        }
      }
    }
    if (messages.isEmpty()) {
      throw new IllegalStateException("no Loghub-2k data under " + root.toAbsolutePath());
    }
    loghub = messages.toArray(new LogEntry[0]);
    messageState = new FingerprintState();
    for (LogEntry e : loghub) {
      messageState.fingerprint(e);
    }

    entries = EntryLoop.generatedEntries();
    entryState = new FingerprintState();
    parsedEntries = new LogEntry[entries.length];
    redactedEntries = new LogEntry[entries.length];
    for (int i = 0; i < entries.length; i++) {
      parsedEntries[i] = ((ParseResult.Parsed) parser.parse(entries[i])).entry();
      redactedEntries[i] = redactor.redact(parsedEntries[i]);
      entryState.fingerprint(redactedEntries[i]);
    }
  }

  /** The Content column, read as gardener evaluate reads it. */
  private static List<String> contents(Path csv) throws IOException {
    List<List<String>> rows = LoghubEvaluation.readCsv(csv);
    int content = rows.get(0).indexOf("Content");
    List<String> out = new ArrayList<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      out.add(row.get(content));
    }
    return out;
  }

  @Benchmark
  public Fingerprint fingerprintMessage() {
    LogEntry e = loghub[nextMessage];
    nextMessage = nextMessage + 1 == loghub.length ? 0 : nextMessage + 1;
    return messageState.fingerprint(e);
  }

  @Benchmark
  public Fingerprint parseRedactFingerprint() {
    LogEntry e = ((ParseResult.Parsed) parser.parse(entries[advance()])).entry();
    return entryState.fingerprint(redactor.redact(e));
  }

  /** The redact step alone, on the same entries already parsed. */
  @Benchmark
  public LogEntry redactOnly() {
    return redactor.redact(parsedEntries[advance()]);
  }

  /** The whole entry redacted, as for a kept sample. */
  @Benchmark
  public String sampleRedaction() {
    return parsedEntries[advance()].rawJson().redactedBy(redactor::redactJson);
  }

  /** The fingerprint step alone, on the same entries already parsed and redacted. */
  @Benchmark
  public Fingerprint fingerprintEntryOnly() {
    return entryState.fingerprint(redactedEntries[advance()]);
  }

  @Benchmark
  public ParseResult parseOnly() {
    return parser.parse(entries[advance()]);
  }

  /** The index of the next generated entry, cycling through all of them. */
  private int advance() {
    int i = nextEntry;
    nextEntry = i + 1 == entries.length ? 0 : i + 1;
    return i;
  }
}
