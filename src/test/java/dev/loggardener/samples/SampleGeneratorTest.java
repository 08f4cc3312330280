package dev.loggardener.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.fingerprint.FingerprintState;
import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.LogEntryReader;
import dev.loggardener.logentry.ParseResult;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SampleGeneratorTest {
  private final LogEntryParser parser = new LogEntryParser();
  private final Redactor redactor = new Redactor(RedactionConfig.DEFAULT);

  private static List<SampleGenerator.Line> lines(SampleGenerator.Settings s) {
    List<SampleGenerator.Line> out = new ArrayList<>();
    new SampleGenerator().generate(s, out::add);
    return out;
  }

  private static SampleGenerator.Settings settings(long entries, int families) {
    SampleGenerator.Settings d = SampleGenerator.Settings.defaults();
    return new SampleGenerator.Settings(
        entries, families, 0.02, 0.03, 0.05, 7L, d.start(), d.span(), false);
  }

  @Test
  void sameSettingsGiveTheSameBytes() {
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    new SampleGenerator().write(settings(500, 40), a);
    new SampleGenerator().write(settings(500, 40), b);
    assertArrayEquals(a.toByteArray(), b.toByteArray());
  }

  /**
   * The generator knows each entry's family: every family must be exactly one cluster, and no two
   * families may share one. This runs the pipeline's path (parse, redact, FingerprintState with
   * merging) and compares the clusters as they end up, aliases resolved.
   */
  @Test
  void everyFamilyIsExactlyOneCluster() {
    FingerprintState state = new FingerprintState();
    List<Integer> families = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (SampleGenerator.Line l : lines(settings(6000, 60))) {
      if (l.kind() == SampleGenerator.Kind.BAD) {
        continue;
      }
      LogEntry e = ((ParseResult.Parsed) parser.parse(l.bytes())).entry();
      families.add(l.family());
      ids.add(state.fingerprint(redactor.redact(e)).id());
    }
    Map<Integer, Set<String>> idsByFamily = new HashMap<>();
    Map<String, Integer> familyById = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = state.resolve(ids.get(i));
      int family = families.get(i);
      idsByFamily.computeIfAbsent(family, k -> new HashSet<>()).add(id);
      Integer other = familyById.putIfAbsent(id, family);
      assertTrue(
          other == null || other == family,
          "families " + other + " and " + family + " share cluster " + state.template(id));
    }
    assertEquals(60, idsByFamily.size(), "every family drawn at least once");
    idsByFamily.forEach(
        (family, set) -> assertEquals(1, set.size(), "family " + family + " split into " + set));
  }

  @Test
  void badLinesBecomeTheDeadLettersTheyWereMadeAs() {
    SampleGenerator.Settings d = SampleGenerator.Settings.defaults();
    SampleGenerator.Settings s =
        new SampleGenerator.Settings(3000, 26, 0.2, 0.0, 0.0, 3L, d.start(), d.span(), false);
    Set<DeadLetter.Reason> seen = new HashSet<>();
    for (SampleGenerator.Line l : lines(s)) {
      ParseResult r = parser.parse(l.bytes());
      if (l.kind() == SampleGenerator.Kind.BAD) {
        DeadLetter dl = ((ParseResult.Dead) r).deadLetter();
        assertEquals(
            l.badReason(), dl.reason(), new String(l.bytes(), 0, Math.min(200, l.bytes().length)));
        seen.add(dl.reason());
      } else {
        assertTrue(r instanceof ParseResult.Parsed, "good lines parse");
      }
    }
    assertTrue(
        seen.containsAll(List.of(DeadLetter.Reason.values()).subList(0, 10)), seen.toString());
  }

  @Test
  void duplicatesRepeatAnEarlierInsertIdAndLateEntriesGoBackInTime() {
    Set<String> insertIds = new HashSet<>();
    int duplicates = 0;
    int late = 0;
    Instant latest = Instant.EPOCH;
    for (SampleGenerator.Line l : lines(settings(3000, 26))) {
      if (l.kind() == SampleGenerator.Kind.BAD) {
        continue;
      }
      LogEntry e = ((ParseResult.Parsed) parser.parse(l.bytes())).entry();
      boolean isNew = insertIds.add(e.insertId());
      assertEquals(l.kind() == SampleGenerator.Kind.ENTRY, isNew, "only duplicates repeat ids");
      if (!isNew) {
        duplicates++;
      }
      if (e.timestamp().isBefore(latest.minus(Duration.ofMinutes(4)))) {
        late++;
      }
      latest = e.timestamp().isAfter(latest) ? e.timestamp() : latest;
    }
    assertTrue(duplicates > 50, "duplicates " + duplicates);
    assertTrue(late > 50, "late entries " + late);
  }

  @Test
  void jsonArrayFormatReadsBackLikeGcloudOutput() throws IOException {
    SampleGenerator.Settings d = SampleGenerator.Settings.defaults();
    SampleGenerator.Settings s =
        new SampleGenerator.Settings(400, 26, 0.05, 0.02, 0.05, 11L, d.start(), d.span(), true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new SampleGenerator().write(s, out);
    List<ParseResult> results = new ArrayList<>();
    new LogEntryReader(parser)
        .read(new ByteArrayInputStream(out.toByteArray()), (line, r) -> results.add(r));
    assertEquals(400, results.size());
    assertTrue(results.stream().anyMatch(r -> r instanceof ParseResult.Dead));
  }

  @Test
  void redactionLeavesNoSecretsFromTheSample() {
    for (SampleGenerator.Line l : lines(settings(2000, 26))) {
      if (l.kind() == SampleGenerator.Kind.BAD) {
        continue;
      }
      LogEntry e = redactor.redact(((ParseResult.Parsed) parser.parse(l.bytes())).entry());
      for (String text : new String[] {e.message(), e.rawJson().redactedBy(redactor::redactJson)}) {
        assertFalse(text.contains("sk_live_"), text);
        assertFalse(text.contains("eyJhbGci"), text);
        assertFalse(text.matches("(?s).*[a-z]+\\.[a-z]+\\d*@.*"), text);
      }
    }
  }

  @Test
  void syntheticFamilyWordsAreDistinct() {
    Set<String> words = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      assertTrue(words.add(Families.pseudoWord(i)));
    }
  }
}
