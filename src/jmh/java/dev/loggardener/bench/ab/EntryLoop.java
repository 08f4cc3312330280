package dev.loggardener.bench.ab;

import dev.loggardener.fingerprint.FingerprintState;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.ParseResult;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import dev.loggardener.samples.SampleGenerator;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code FingerprintBenchmark.parseRedactFingerprint} does, as a plain loop: the same 20,000
 * generated entries, parsed, redacted and fingerprinted. {@link SameJvmComparison} loads one copy
 * of this class per version of the code, each in a class loader of its own.
 */
public final class EntryLoop {
  private static byte[][] entries;
  private static final LogEntryParser PARSER = new LogEntryParser();
  private static final Redactor REDACTOR = new Redactor(RedactionConfig.DEFAULT);
  private static final FingerprintState STATE = new FingerprintState();
  private static long sink;

  private EntryLoop() {}

  public static void init() {
    entries = generatedEntries();
  }

  /** The 20,000 generated entries both this loop and {@code FingerprintBenchmark} go through. */
  public static byte[][] generatedEntries() {
    List<byte[]> lines = new ArrayList<>();
    SampleGenerator.Settings d = SampleGenerator.Settings.defaults();
    new SampleGenerator()
        .generate(
            new SampleGenerator.Settings(20_000, 200, 0, 0, 0.05, 1L, d.start(), d.span(), false),
            l -> lines.add(l.bytes()));
    return lines.toArray(new byte[0][]);
  }

  /** Nanoseconds per entry over whole passes of the entries, for at least {@code nanos}. */
  public static double run(long nanos) {
    long start = System.nanoTime();
    long n = 0;
    while (System.nanoTime() - start < nanos) {
      for (byte[] b : entries) {
        LogEntry e = ((ParseResult.Parsed) PARSER.parse(b)).entry();
        sink += STATE.fingerprint(REDACTOR.redact(e)).id().length();
      }
      n += entries.length;
    }
    return (double) (System.nanoTime() - start) / n;
  }

  /** Keeps the results observable, so that no work is optimised away. */
  public static long sink() {
    return sink;
  }
}
