package dev.loggardener.pipeline;

import dev.loggardener.logentry.DeadLetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubIO;
import org.apache.beam.sdk.io.gcp.pubsub.PubsubMessage;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The source: a Pub/Sub subscription (streaming, event time from the sink's timestamp attribute) or
 * files matching a glob (batch). Records stay unparsed; a file that cannot be read on yields a dead
 * letter on {@link #DEAD_LETTERS}.
 *
 * <p>Records travel in batches (see {@link Batches}): a file's consecutive lines share one element,
 * and a Pub/Sub message is a batch of one, so that streaming panes are exactly as they would be for
 * single records.
 */
public final class ReadLogEntries extends PTransform<PBegin, PCollectionTuple> {
  public static final TupleTag<List<RawRecord>> RECORDS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final String subscription;
  private final String input;
  private final boolean paced;

  private ReadLogEntries(String subscription, String input, boolean paced) {
    this.subscription = subscription;
    this.input = input;
    this.paced = paced;
  }

  public static ReadLogEntries fromSubscription(String subscription) {
    return new ReadLogEntries(subscription, null, false);
  }

  /**
   * @param paced read through {@link PacedFileSource}, for runners without backpressure (the
   *     DirectRunner); otherwise a bounded {@link LogEntrySource}
   */
  public static ReadLogEntries fromFiles(String glob, boolean paced) {
    return new ReadLogEntries(null, glob, paced);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollection<List<RawRecord>> records;
    if (subscription != null) {
      records =
          begin
              .apply(
                  "ReadPubsub",
                  PubsubIO.readMessagesWithAttributesAndMessageId()
                      .fromSubscription(subscription)
                      .withTimestampAttribute(RawRecord.TIMESTAMP_ATTRIBUTE))
              .apply(
                  "ToRecords",
                  MapElements.into(new TypeDescriptor<List<RawRecord>>() {})
                      .via((PubsubMessage m) -> List.of(fromMessage(m))))
              .setCoder(Batches.RECORDS);
    } else {
      records =
          begin.apply(
              "ReadFiles",
              paced
                  ? org.apache.beam.sdk.io.Read.from(new PacedFileSource(input))
                  : org.apache.beam.sdk.io.Read.from(LogEntrySource.of(input)));
    }
    // Problems that stop a file arrive as marked records (see LogEntrySource), so the read step
    // itself has no dead letters; the output is kept so that every source has the same shape.
    PCollection<DeadLetter> none =
        PCollectionList.<DeadLetter>empty(begin.getPipeline())
            .apply("NoReadDeadLetters", org.apache.beam.sdk.transforms.Flatten.pCollections())
            .setCoder(Coders.DEAD_LETTER);
    return PCollectionTuple.of(RECORDS, records).and(DEAD_LETTERS, none);
  }

  static RawRecord fromMessage(PubsubMessage m) {
    Map<String, String> attributes =
        m.getAttributeMap() == null ? new HashMap<>() : new HashMap<>(m.getAttributeMap());
    if (m.getMessageId() != null) {
      attributes.putIfAbsent("pubsub_message_id", m.getMessageId());
    }
    byte[] body = m.getPayload() == null ? new byte[0] : m.getPayload();
    return new RawRecord(body, body.length, attributes, true);
  }
}
