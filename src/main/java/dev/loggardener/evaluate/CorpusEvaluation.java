package dev.loggardener.evaluate;

import dev.loggardener.fingerprint.FingerprintState;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.ParseResult;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores the fingerprinter on any labelled set of Cloud Logging entries: {@code entries.jsonl} (one
 * entry a line) and {@code truth.tsv} (one label a line, {@code family:problem}). Every entry takes
 * the pipeline's path: parsed, redacted, fingerprinted by one {@link FingerprintState} in file
 * order; lines are labelled with their final id, aliases resolved. Scores are given for the whole
 * set and per family (the part of the label before ':').
 */
public final class CorpusEvaluation {
  private final int mergeAfter;

  public CorpusEvaluation(int mergeAfter) {
    this.mergeAfter = mergeAfter;
  }

  /** "all" first, then each family in order of first appearance. */
  public Map<String, GroupingMetrics> evaluate(Path dir) throws IOException {
    List<String> entries = Files.readAllLines(dir.resolve("entries.jsonl"), StandardCharsets.UTF_8);
    List<String> truths = Files.readAllLines(dir.resolve("truth.tsv"), StandardCharsets.UTF_8);
    if (entries.size() != truths.size()) {
      throw new IOException(
          dir + ": entries.jsonl has " + entries.size() + " lines, truth.tsv " + truths.size());
    }
    LogEntryParser parser = new LogEntryParser();
    Redactor redactor = new Redactor(RedactionConfig.DEFAULT);
    FingerprintState state = new FingerprintState(mergeAfter);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      ParseResult r = parser.parse(entries.get(i));
      if (!(r instanceof ParseResult.Parsed p)) {
        throw new IOException(dir + ": line " + (i + 1) + " is not an entry: " + r);
      }
      ids.add(state.fingerprint(redactor.redact(p.entry())).id());
    }
    Map<String, List<GroupingMetrics.Labelled>> byFamily = new LinkedHashMap<>();
    byFamily.put("all", new ArrayList<>());
    for (int i = 0; i < ids.size(); i++) {
      String id = state.resolve(ids.get(i));
      GroupingMetrics.Labelled l =
          new GroupingMetrics.Labelled(truths.get(i), id, state.template(id));
      byFamily.get("all").add(l);
      String family = truths.get(i).substring(0, Math.max(0, truths.get(i).indexOf(':')));
      byFamily.computeIfAbsent(family, k -> new ArrayList<>()).add(l);
    }
    Map<String, GroupingMetrics> out = new LinkedHashMap<>();
    byFamily.forEach((family, rows) -> out.put(family, GroupingMetrics.of(rows)));
    return out;
  }
}
