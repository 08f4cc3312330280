package dev.loggardener.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.redact.RedactionConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/**
 * --redactAtParse: what leaves the parse step (entries with their whole JSON, and dead letters)
 * holds no raw secret, so no shuffle or state after it does. Without the option, the whole JSON
 * travels raw (redacted only for the samples that are kept).
 */
class RedactAtParseTest {
  private static final String TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
  private static final String EMAIL = "alice.smith@example.com";

  private static List<String> parsedText(RedactionConfig redactAtParse) {
    String ok =
        "{\"insertId\":\"a\",\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\","
            + "\"jsonPayload\":{\"message\":\"login failed for "
            + EMAIL
            + "\",\"extra\":{\"auth\":\"Bearer "
            + TOKEN
            + "\"},\"user\":\""
            + EMAIL
            + "\"}}";
    String bad =
        "{\"timestamp\":\"yesterday\",\"severity\":\"ERROR\",\"textPayload\":\"" + TOKEN + "\"}";
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<List<RawRecord>> records =
        p.apply(
            Create.of(
                    List.of(
                        List.of(
                            Entries.record(ok, "2025-09-14T22:00:00Z"),
                            Entries.record(bad, "2025-09-14T22:00:00Z"))))
                .withCoder(Batches.RECORDS));
    PCollectionTuple parsed =
        records.apply(new ParseEntries(java.time.Duration.ofDays(1), redactAtParse));
    PCollection<String> entries =
        parsed
            .get(ParseEntries.ENTRIES)
            .apply(
                FlatMapElements.into(TypeDescriptors.strings())
                    .via(
                        (List<TimestampedValue<LogEntry>> batch) -> {
                          List<String> out = new ArrayList<>();
                          for (TimestampedValue<LogEntry> t : batch) {
                            LogEntry e = t.getValue();
                            out.add(
                                e.message()
                                    + " | "
                                    + e.user()
                                    + " | "
                                    + e.rawJson().redactedBy(text -> text));
                          }
                          return out;
                        }));
    PCollection<String> deadLetters =
        parsed
            .get(ParseEntries.DEAD_LETTERS)
            .apply(MapElements.into(TypeDescriptors.strings()).via(DeadLetter::payload));
    PCollection<String> all =
        PCollectionList.of(entries)
            .and(deadLetters)
            .apply(org.apache.beam.sdk.transforms.Flatten.pCollections());
    List<String> seen = new ArrayList<>();
    PAssert.that(all)
        .satisfies(
            texts -> {
              texts.forEach(Collector.SEEN::add);
              return null;
            });
    Collector.SEEN.clear();
    p.run().waitUntilFinish();
    seen.addAll(Collector.SEEN);
    return seen;
  }

  /** PAssert's function runs in this JVM on the DirectRunner: it hands the texts back here. */
  static final class Collector {
    static final List<String> SEEN = java.util.Collections.synchronizedList(new ArrayList<>());
  }

  @Test
  void withTheOptionNothingAfterParsingHoldsRawText() {
    List<String> texts = parsedText(RedactionConfig.DEFAULT);
    assertEquals(2, texts.size(), texts.toString());
    for (String t : texts) {
      assertFalse(t.contains(TOKEN) || t.contains(EMAIL), t);
    }
    assertTrue(texts.stream().anyMatch(t -> t.contains("<github-token>")), texts.toString());
  }

  @Test
  void withoutItTheWholeEntryTravelsRaw() {
    List<String> texts = parsedText(null);
    assertEquals(2, texts.size(), texts.toString());
    assertTrue(texts.stream().anyMatch(t -> t.contains(TOKEN)), texts.toString());
  }
}
