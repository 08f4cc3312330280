package dev.loggardener.cli;

import dev.loggardener.fingerprint.Fingerprint;
import dev.loggardener.fingerprint.Fingerprinter;
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

  @Override
  public Integer call() throws IOException {
    Redactor redactor = new Redactor(CliSupport.rules(rules).redaction());
    LogEntryReader reader = new LogEntryReader(new LogEntryParser());
    PrintWriter out = spec.commandLine().getOut();
    try (InputStream in = open(file)) {
      reader.read(in, (line, result) -> out.println(row(line, result, redactor)));
    } finally {
      out.flush();
    }
    return 0;
  }

  static String row(long line, ParseResult result, Redactor redactor) {
    if (result instanceof ParseResult.Dead d) {
      return line + "\t-\tDEAD:" + d.deadLetter().reason().code() + "\t";
    }
    LogEntry e = redactor.redact(((ParseResult.Parsed) result).entry());
    Fingerprint fp = Fingerprinter.fingerprint(e);
    String insertId = e.insertId() == null ? "-" : escape(e.insertId());
    return line + "\t" + insertId + "\t" + fp.id() + "\t" + escape(fp.template());
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
