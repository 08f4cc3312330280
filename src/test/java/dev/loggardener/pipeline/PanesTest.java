package dev.loggardener.pipeline;

import static dev.loggardener.pipeline.Entries.at;
import static dev.loggardener.pipeline.Entries.entry;
import static dev.loggardener.pipeline.Entries.record;

import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.Severity;
import dev.loggardener.priority.Rules;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** Streaming panes, exactly: early, on time, late but allowed, final, and too late. */
class PanesTest {

  // Pub/Sub delivers batches of one record (see ReadLogEntries).
  private static TimestampedValue<List<RawRecord>> heartbeat(String ts) {
    byte[] body = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return TimestampedValue.of(
        List.of(
            new RawRecord(
                body,
                body.length,
                java.util.Map.of(
                    RawRecord.HEARTBEAT_ATTRIBUTE, "1", RawRecord.TIMESTAMP_ATTRIBUTE, ts),
                true)),
        Entries.at(ts));
  }

  private static TimestampedValue<List<RawRecord>> at(String id, String ts, String message) {
    return TimestampedValue.of(
        List.of(record(entry(id, ts, "ERROR", "web-backend", message), ts)), Entries.at(ts));
  }

  @Test
  void panesOfOneWindowAreExactAndTooLateEntriesDoNotCount() {
    String refused = "Failed to connect to redis at 10.0.0.1:6379: connection refused";
    TestStream<List<RawRecord>> events =
        TestStream.create(Batches.RECORDS)
            .advanceWatermarkTo(Entries.at("2025-09-14T22:00:00Z"))
            .addElements(at("a", "2025-09-14T22:01:00Z", refused))
            .advanceProcessingTime(Duration.standardSeconds(61)) // early pane: 1
            .addElements(heartbeat("2025-09-14T22:01:30Z")) // dropped, never counted
            .addElements(at("b", "2025-09-14T22:02:00Z", refused))
            .advanceWatermarkTo(Entries.at("2025-09-14T22:06:00Z")) // on time: 2
            .addElements(at("c", "2025-09-14T22:03:00Z", refused)) // late, allowed
            .advanceProcessingTime(Duration.standardSeconds(61)) // late pane: 3
            .addElements(at("c", "2025-09-14T22:03:00Z", refused)) // redelivered: dropped
            .advanceWatermarkTo(Entries.at("2025-09-14T22:20:00Z")) // window expires: final
            .addElements(at("d", "2025-09-14T22:04:00Z", refused)) // too late: not counted
            // A key seen after older keys were forgotten is still deduplicated.
            .addElements(at("e", "2025-09-14T22:21:00Z", refused))
            .addElements(at("e", "2025-09-14T22:21:00Z", refused))
            .advanceWatermarkToInfinity();

    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    PCollection<List<RawRecord>> records = p.apply(events);
    PCollection<DeadLetter> noDeadLetters =
        PCollectionList.<DeadLetter>empty(p)
            .apply(org.apache.beam.sdk.transforms.Flatten.pCollections())
            .setCoder(Coders.DEAD_LETTER);
    GardenerPipeline.Outputs out =
        GardenerPipeline.triage(
            PCollectionTuple.of(ReadLogEntries.RECORDS, records)
                .and(ReadLogEntries.DEAD_LETTERS, noDeadLetters),
            new GardenerPipeline.Settings(
                Duration.standardMinutes(5),
                Duration.standardMinutes(10),
                Duration.standardSeconds(60),
                Severity.WARNING,
                Set.of(),
                Rules.bundledText(),
                "bundled",
                1,
                Duration.standardDays(1),
                "job-test",
                1L,
                true,
                10_000,
                false,
                Duration.standardHours(24),
                null));

    // The end of the stream also fires the quiet and resolved timers (ClassifyHistoryTest): their
    // rows have no entries and are not panes of the count.
    PCollection<String> panes =
        out.clusters()
            .apply(org.apache.beam.sdk.transforms.Filter.by(r -> r.entryCount() > 0))
            .apply(
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        r ->
                            r.windowStart()
                                + " "
                                + r.paneTiming()
                                + " #"
                                + r.paneIndex()
                                + (r.isFinal() ? " final" : "")
                                + " count="
                                + r.entryCount()));
    PAssert.that(panes)
        .containsInAnyOrder(
            "2025-09-14T22:00:00Z EARLY #0 count=1",
            "2025-09-14T22:00:00Z ON_TIME #1 count=2",
            "2025-09-14T22:00:00Z LATE #2 count=3",
            "2025-09-14T22:00:00Z LATE #3 final count=3",
            // The input ends: the watermark passes the window's end, then its lateness, in two
            // steps, because dedup holds it at the end of the span state it still keeps.
            "2025-09-14T22:20:00Z ON_TIME #0 count=1",
            "2025-09-14T22:20:00Z LATE #1 final count=1");
    PAssert.that(out.deadLetters()).empty();
    p.run().waitUntilFinish();
  }
}
