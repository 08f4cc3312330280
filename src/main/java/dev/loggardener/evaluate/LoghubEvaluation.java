package dev.loggardener.evaluate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loggardener.fingerprint.FingerprintState;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.ParseResult;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Scores the fingerprinter on Loghub-2k. Every message goes through the pipeline's own path: it is
 * wrapped as a LogEntry (textPayload, one service name for every system), parsed, redacted and
 * fingerprinted with a fresh {@link FingerprintState} per system. Lines are labelled with their
 * final cluster id, aliases resolved, and its final template.
 */
public final class LoghubEvaluation {
  /** The one service name every system's messages arrive under. */
  public static final String SERVICE = "loghub";

  private static final String SUFFIX = "_2k.log_structured_corrected.csv";

  /** One system's scores. */
  public record SystemResult(String system, GroupingMetrics metrics) {}

  private final LogEntryParser parser = new LogEntryParser();
  private final Redactor redactor = new Redactor(RedactionConfig.DEFAULT);
  private final int mergeAfter;

  public LoghubEvaluation() {
    this(FingerprintState.DEFAULT_DISTINCT_VALUES);
  }

  /** With another merge threshold, to measure its effect (the product uses the default). */
  public LoghubEvaluation(int mergeAfter) {
    this.mergeAfter = mergeAfter;
  }

  /** Every system folder under {@code root} that holds a corrected structured CSV, by name. */
  public List<SystemResult> evaluateAll(Path root) throws IOException {
    List<SystemResult> results = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        Optional<Path> csv = structuredCsv(dir);
        if (csv.isPresent()) {
          results.add(new SystemResult(dir.getFileName().toString(), evaluate(csv.get())));
        }
      }
    }
    return results;
  }

  public GroupingMetrics evaluate(Path csv) throws IOException {
    List<List<String>> rows = readCsv(csv);
    List<String> header = rows.get(0);
    int content = header.indexOf("Content");
    int template = header.indexOf("EventTemplate");
    if (content < 0 || template < 0) {
      throw new IOException(csv + ": no Content or EventTemplate column");
    }
    FingerprintState state = new FingerprintState(mergeAfter);
    List<String> truths = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      if (row.size() <= Math.max(content, template)) {
        continue;
      }
      truths.add(row.get(template));
      ids.add(state.fingerprint(entry(row.get(content))).id());
    }
    List<GroupingMetrics.Labelled> labelled = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      String id = state.resolve(ids.get(i));
      labelled.add(new GroupingMetrics.Labelled(truths.get(i), id, state.template(id)));
    }
    return GroupingMetrics.of(labelled);
  }

  /**
   * A benchmark message as the pipeline sees it: wrapped as a LogEntry (textPayload, severity
   * ERROR, service {@link #SERVICE}), parsed and redacted.
   */
  public LogEntry entry(String content) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("timestamp", "2025-01-01T00:00:00Z");
    e.put("severity", "ERROR");
    e.putObject("resource").putObject("labels").put("service_name", SERVICE);
    e.put("textPayload", content);
    ParseResult r = parser.parse(e.toString());
    if (!(r instanceof ParseResult.Parsed p)) {
      throw new IllegalStateException("a Loghub line did not parse: " + r);
    }
    return redactor.redact(p.entry());
  }

  /** Reads a Loghub CSV (RFC 4180, UTF-8) into rows of fields, header first. */
  public static List<List<String>> readCsv(Path csv) throws IOException {
    try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      return Csv.read(r);
    }
  }

  private static Optional<Path> structuredCsv(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).findFirst();
    }
  }
}
