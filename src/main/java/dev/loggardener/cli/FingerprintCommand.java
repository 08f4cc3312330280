package dev.loggardener.cli;

import dev.loggardener.fingerprint.Fingerprint;
import dev.loggardener.fingerprint.FingerprintState;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.LogEntryReader;
import dev.loggardener.logentry.ParseResult;
import dev.loggardener.redact.Redactor;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Shows how entries group: one TSV row per input (line, insertId, fingerprint or DEAD:reason,
 * template), computed by the same parse, redact and fingerprint code the pipeline runs.
 */
@Command(
    name = "fingerprint",
    mixinStandardHelpOptions = true,
    description = {
      "Prints one TSV row per entry: line, insertId (or -), fingerprint (or DEAD:<reason>),"
          + " template.",
      "Reads JSON Lines or a JSON array (gcloud logging read --format=json); FILE - is stdin."
    })
final class FingerprintCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "Log entries to fingerprint.")
  String file;

  @Option(
      names = "--rules",
      paramLabel = "PATH",
      description = "Rules file whose redaction settings apply (default: bundled rules).")
  Path rules;

  @Option(
      names = "--templates",
      paramLabel = "DUCKDB",
      description =
          "Start from the templates a gardener run learned (its DuckDB file's"
              + " fingerprint_templates), so ids and merges match the pipeline's.")
  Path templates;

  @Option(
      names = "--parse-only",
      description =
          "Only parse: print how many entries parsed and how many were dead letters, by reason"
              + " (scripts/bench uses it as the floor).")
  boolean parseOnly;

  @Override
  public Integer call() throws IOException {
    if (parseOnly) {
      return countParsed();
    }
    Redactor redactor = new Redactor(CliSupport.rules(rules).redaction());
    FingerprintState state = new FingerprintState();
    if (templates != null) {
      if (!java.nio.file.Files.isRegularFile(templates)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--templates: no such DuckDB file: " + templates);
      }
      try {
        state.replay(
            new dev.loggardener.sink.DuckDbSink(templates.toString(), null).learnedTemplates());
      } finally {
        try {
          dev.loggardener.sink.DuckDbStore.close(templates.toString());
        } catch (java.sql.SQLException e) {
          throw new IOException(e);
        }
      }
    }
    LogEntryReader reader = new LogEntryReader(new LogEntryParser());
    List<Row> rows = new ArrayList<>();
    try (InputStream in = open(file)) {
      reader.read(in, (line, result) -> rows.add(row(line, result, redactor, state)));
    }
    // Printed once the whole file is read, so that every row shows its cluster as it ended up:
    // an id that a later merge made an alias is shown as the id it belongs to.
    PrintWriter out = spec.commandLine().getOut();
    for (Row r : rows) {
      if (r.dead() != null) {
        out.println(r.line() + "\t-\tDEAD:" + r.dead() + "\t");
      } else {
        String id = state.resolve(r.id());
        out.println(r.line() + "\t" + r.insertId() + "\t" + id + "\t" + escape(state.template(id)));
      }
    }
    out.flush();
    return 0;
  }

  private int countParsed() throws IOException {
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    try (InputStream in = open(file)) {
      new LogEntryReader(new LogEntryParser())
          .read(
              in,
              (line, result) ->
                  counts.merge(
                      result instanceof ParseResult.Dead d
                          ? "dead letter: " + d.deadLetter().reason().code()
                          : "entry",
                      1L,
                      Long::sum));
    }
    PrintWriter out = spec.commandLine().getOut();
    counts.forEach((k, v) -> out.println(v + "\t" + k));
    out.flush();
    return 0;
  }

  /** One input: its cluster id at the time it was read, or its dead-letter reason. */
  private record Row(long line, String insertId, String id, String dead) {}

  private static Row row(long line, ParseResult result, Redactor redactor, FingerprintState state) {
    if (result instanceof ParseResult.Dead d) {
      return new Row(line, null, null, d.deadLetter().reason().code());
    }
    LogEntry e = redactor.redact(((ParseResult.Parsed) result).entry());
    Fingerprint fp = state.fingerprint(e);
    return new Row(line, e.insertId() == null ? "-" : escape(e.insertId()), fp.id(), null);
  }

  /** Backslash, tab and newlines escaped so that one entry stays one TSV row. */
  static String escape(String s) {
    if (s.indexOf('\\') < 0 && s.indexOf('\t') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
  }

  private static InputStream open(String file) {
    if ("-".equals(file)) {
      return System.in;
    }
    try {
      return Files.newInputStream(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new Gardener.UsageProblem(file + ": no such file");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
