package dev.loggardener.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loggardener.fingerprint.FingerprintState;
import dev.loggardener.logentry.LogEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A problem's id is a function of the problem, not of the order its entries arrived in: Loghub-2k's
 * lines and the development benchmark's entries, fingerprinted in their order and shuffled (three
 * seeds), or in two jobs over their halves, give every true template the same final id (the id most
 * of its lines end with, aliases resolved).
 */
class OrderIndependenceTest {
  private static final Path LOGHUB = Path.of("../shared/loghub2k");

  /** Each system's lines, wrapped and redacted once (the wrapping is not under test). */
  private static Map<String, List<Object[]>> systems() throws IOException {
    LoghubEvaluation wrap = new LoghubEvaluation();
    Map<String, List<Object[]>> out = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(LOGHUB)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        Path csv = dir.resolve(dir.getFileName() + "_2k.log_structured_corrected.csv");
        if (!Files.exists(csv)) {
          continue;
        }
        List<List<String>> rows = LoghubEvaluation.readCsv(csv);
        int content = rows.get(0).indexOf("Content");
        int template = rows.get(0).indexOf("EventTemplate");
        List<Object[]> lines = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
          if (row.size() > Math.max(content, template)) {
            lines.add(new Object[] {row.get(template), wrap.entry(row.get(content))});
          }
        }
        out.put(dir.getFileName().toString(), lines);
      }
    }
    out.put("devbench", devbench());
    return out;
  }

  /** The development benchmark's entries, parsed and redacted as the pipeline does. */
  private static List<Object[]> devbench() throws IOException {
    Path dir = Path.of("src/test/resources/devbench/corpus");
    List<String> entries = Files.readAllLines(dir.resolve("entries.jsonl"));
    List<String> truths = Files.readAllLines(dir.resolve("truth.tsv"));
    dev.loggardener.logentry.LogEntryParser parser = new dev.loggardener.logentry.LogEntryParser();
    dev.loggardener.redact.Redactor redactor =
        new dev.loggardener.redact.Redactor(dev.loggardener.redact.RedactionConfig.DEFAULT);
    List<Object[]> lines = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      var parsed = (dev.loggardener.logentry.ParseResult.Parsed) parser.parse(entries.get(i));
      lines.add(new Object[] {truths.get(i), redactor.redact(parsed.entry())});
    }
    return lines;
  }

  /** True template to the final id most of its lines carry, after fingerprinting in this order. */
  static Map<String, String> finalIds(List<Object[]> lines) {
    FingerprintState state = new FingerprintState();
    List<String> ids = new ArrayList<>();
    for (Object[] l : lines) {
      ids.add(state.fingerprint((LogEntry) l[1]).id());
    }
    return vote(lines, ids, state);
  }

  /** Each true template's final id: the one most of its lines resolve to in {@code state}. */
  private static Map<String, String> vote(
      List<Object[]> lines, List<String> ids, FingerprintState state) {
    Map<String, Map<String, Integer>> votes = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      votes
          .computeIfAbsent((String) lines.get(i)[0], k -> new TreeMap<>())
          .merge(state.resolve(ids.get(i)), 1, Integer::sum);
    }
    Map<String, String> out = new TreeMap<>();
    votes.forEach(
        (truth, v) -> {
          // The most lines; on a tie, the smallest id (the map is sorted).
          String best = null;
          for (Map.Entry<String, Integer> e : v.entrySet()) {
            if (best == null || e.getValue() > v.get(best)) {
              best = e.getKey();
            }
          }
          out.put(truth, best);
        });
    return out;
  }

  /**
   * True template to final id when two jobs each see half of the lines, the second starting from
   * the templates the first learned (as the pipeline's fingerprint_templates carries them).
   */
  static Map<String, String> finalIdsInTwoJobs(List<Object[]> lines) {
    int half = lines.size() / 2;
    FingerprintState first = new FingerprintState();
    java.util.Set<String> seen = new java.util.HashSet<>();
    List<String[]> learned = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (Object[] l : lines.subList(0, half)) {
      LogEntry e = (LogEntry) l[1];
      ids.add(first.fingerprint(e).id());
      String template = dev.loggardener.fingerprint.Fingerprinter.templateOf(e);
      if (seen.add(template)) {
        learned.add(
            new String[] {
              e.service(),
              e.logger() == null ? "" : e.logger(),
              e.function() == null ? "" : e.function(),
              template
            });
      }
    }
    FingerprintState second = new FingerprintState();
    second.replay(learned);
    for (Object[] l : lines.subList(half, lines.size())) {
      ids.add(second.fingerprint((LogEntry) l[1]).id());
    }
    return vote(lines, ids, second);
  }

  /** How many true templates have another final id in {@code other} than in {@code inOrder}. */
  private static int differing(Map<String, String> inOrder, Map<String, String> other) {
    int n = 0;
    for (Map.Entry<String, String> t : inOrder.entrySet()) {
      if (!t.getValue().equals(other.get(t.getKey()))) {
        n++;
      }
    }
    return n;
  }

  @Test
  void twoJobsOverTheHalvesGiveTheIdsOfOne() throws IOException {
    int templates = 0;
    Map<String, Integer> differing = new TreeMap<>();
    for (Map.Entry<String, List<Object[]>> s : systems().entrySet()) {
      Map<String, String> inOrder = finalIds(s.getValue());
      templates += inOrder.size();
      int n = differing(inOrder, finalIdsInTwoJobs(s.getValue()));
      if (n > 0) {
        differing.put(s.getKey(), n);
      }
    }
    System.out.println(
        "true templates: " + templates + "; differing final ids over two jobs: " + differing);
    assertEquals(Map.of(), differing);
  }

  @Test
  void shuffledLinesGiveEveryTrueTemplateTheSameFinalId() throws IOException {
    int templates = 0;
    Map<String, Integer> differing = new TreeMap<>();
    for (Map.Entry<String, List<Object[]>> s : systems().entrySet()) {
      Map<String, String> inOrder = finalIds(s.getValue());
      templates += inOrder.size();
      for (long seed : new long[] {1, 2, 3}) {
        List<Object[]> shuffled = new ArrayList<>(s.getValue());
        Collections.shuffle(shuffled, new Random(seed));
        int n = differing(inOrder, finalIds(shuffled));
        if (n > 0) {
          differing.merge(s.getKey() + " seed " + seed, n, Integer::sum);
        }
      }
    }
    System.out.println(
        "true templates: " + templates + "; differing final ids after a shuffle: " + differing);
    assertEquals(Map.of(), differing);
  }
}
