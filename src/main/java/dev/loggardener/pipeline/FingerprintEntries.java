package dev.loggardener.pipeline;

import dev.loggardener.cluster.Observation;
import dev.loggardener.fingerprint.FingerprintState;
import dev.loggardener.fingerprint.Fingerprinter;
import dev.loggardener.fingerprint.TemplateBucket;
import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.redact.RedactionConfig;
import dev.loggardener.redact.Redactor;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Redacts each entry, then gives it its fingerprint. The template is computed per entry; the
 * merging state is keyed by {@link FingerprintState#bucketKey}, one {@link TemplateBucket} per key
 * in Beam state, so that one bucket is decided in one place at a time and survives restarts and job
 * updates with the job's state. A merge emits an {@link AliasRecord}: the younger id now stands for
 * the older.
 */
public final class FingerprintEntries
    extends PTransform<PCollection<List<TimestampedValue<LogEntry>>>, PCollectionTuple> {
  public static final TupleTag<List<TimestampedValue<Observation>>> OBSERVATIONS =
      new TupleTag<>() {};
  public static final TupleTag<AliasRecord> ALIASES = new TupleTag<>() {};
  public static final TupleTag<TemplateRecord> TEMPLATES = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};

  private final RedactionConfig redaction;
  private final int shards;
  private final org.apache.beam.sdk.values.PCollectionView<Map<String, Iterable<String>>> learned;

  /**
   * @param shards keys the merging state is spread over: the bucket key's hash modulo this; each
   *     key holds its buckets in a map, so every bucket is still decided in exactly one place
   * @param learned templates earlier jobs learned, by bucket key (null for none): a bucket this job
   *     has no state for starts by replaying them, so it merges as if it had seen them
   */
  public FingerprintEntries(
      RedactionConfig redaction,
      int shards,
      org.apache.beam.sdk.values.PCollectionView<Map<String, Iterable<String>>> learned) {
    this.redaction = redaction;
    this.shards = shards;
    this.learned = learned;
  }

  /** A template the merging state learned: a row of {@code fingerprint_templates}. */
  public record TemplateRecord(
      String service,
      String logger,
      String function,
      String template,
      String fingerprint,
      long learnedAtMillis)
      implements Serializable {}

  /** A recorded merge. */
  public record AliasRecord(
      String alias, String fingerprint, String template, long recordedAtMillis)
      implements Serializable {}

  /** A redacted entry with its template. */
  record Templated(String bucket, String template, LogEntry entry) implements Serializable {}

  @Override
  public PCollectionTuple expand(PCollection<List<TimestampedValue<LogEntry>>> entries) {
    TupleTag<KV<Integer, List<TimestampedValue<Templated>>>> templated = new TupleTag<>() {};
    TupleTag<DeadLetter> unassigned = new TupleTag<>() {};
    PCollectionTuple redacted =
        entries.apply(
            "RedactAndTemplate",
            ParDo.of(new RedactFn(redaction, shards, templated))
                .withOutputTags(templated, TupleTagList.of(DEAD_LETTERS)));
    redacted.get(templated).setCoder(KvCoder.of(VarIntCoder.of(), Batches.TEMPLATED));
    redacted.get(DEAD_LETTERS).setCoder(Coders.DEAD_LETTER);

    ParDo.MultiOutput<
            KV<Integer, List<TimestampedValue<Templated>>>, List<TimestampedValue<Observation>>>
        assign =
            ParDo.of(new AssignFn(unassigned, learned))
                .withOutputTags(
                    OBSERVATIONS, TupleTagList.of(ALIASES).and(TEMPLATES).and(unassigned));
    if (learned != null) {
      assign = assign.withSideInputs(learned);
    }
    PCollectionTuple assigned = redacted.get(templated).apply("AssignIds", assign);
    assigned.get(OBSERVATIONS).setCoder(Batches.OBSERVATIONS);
    assigned.get(ALIASES).setCoder(Coders.ALIAS);
    assigned.get(TEMPLATES).setCoder(Coders.TEMPLATE_RECORD);
    assigned.get(unassigned).setCoder(Coders.DEAD_LETTER);
    PCollection<DeadLetter> deadLetters =
        PCollectionList.of(redacted.get(DEAD_LETTERS))
            .and(assigned.get(unassigned))
            .apply("FingerprintDeadLetters", Flatten.pCollections())
            .setCoder(Coders.DEAD_LETTER);
    return PCollectionTuple.of(OBSERVATIONS, assigned.get(OBSERVATIONS))
        .and(ALIASES, assigned.get(ALIASES))
        .and(TEMPLATES, assigned.get(TEMPLATES))
        .and(DEAD_LETTERS, deadLetters);
  }

  static final class RedactFn
      extends DoFn<
          List<TimestampedValue<LogEntry>>, KV<Integer, List<TimestampedValue<Templated>>>> {
    private final RedactionConfig config;
    private final int shards;
    private final TupleTag<KV<Integer, List<TimestampedValue<Templated>>>> main;
    private transient Redactor redactor;

    RedactFn(
        RedactionConfig config,
        int shards,
        TupleTag<KV<Integer, List<TimestampedValue<Templated>>>> main) {
      this.config = config;
      this.shards = shards;
      this.main = main;
    }

    @Setup
    public void setUp() {
      redactor = new Redactor(config);
    }

    @ProcessElement
    public void process(@Element List<TimestampedValue<LogEntry>> batch, MultiOutputReceiver out) {
      Map<Integer, List<TimestampedValue<Templated>>> byShard = new TreeMap<>();
      for (TimestampedValue<LogEntry> v : batch) {
        Templated t = templated(v.getValue(), out);
        if (t != null) {
          byShard
              .computeIfAbsent(
                  shards == 1 ? 0 : Math.floorMod(t.bucket().hashCode(), shards),
                  k -> new ArrayList<>())
              .add(TimestampedValue.of(t, v.getTimestamp()));
        }
      }
      byShard.forEach((shard, part) -> out.get(main).output(KV.of(shard, part)));
    }

    /** The redacted entry with its template, or null after sending a dead letter. */
    private Templated templated(LogEntry e, MultiOutputReceiver out) {
      LogEntry r;
      String template;
      try {
        r = redactor.redact(e);
        template = Fingerprinter.templateOf(r);
      } catch (RuntimeException ex) {
        // A bug here must not stop the job; the entry goes where someone will look at it.
        out.get(DEAD_LETTERS)
            .output(
                new DeadLetter(
                    "fingerprint",
                    DeadLetter.Reason.INTERNAL_ERROR,
                    ex.getClass().getName(),
                    redactor.redact(String.valueOf(e.message())),
                    Map.of("insert_id", String.valueOf(e.insertId())),
                    Instant.now()));
        return null;
      }
      String bucket = FingerprintState.bucketKey(r.service(), r.logger(), r.function(), template);
      return new Templated(bucket, template, r);
    }
  }

  static final class AssignFn
      extends DoFn<
          KV<Integer, List<TimestampedValue<Templated>>>, List<TimestampedValue<Observation>>> {
    private final Counter fingerprinted =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.FINGERPRINTED);
    private final Counter merges =
        Metrics.counter(GardenerMetrics.NAMESPACE, GardenerMetrics.ALIASES);

    private final TupleTag<DeadLetter> unassigned;
    private final org.apache.beam.sdk.values.PCollectionView<Map<String, Iterable<String>>> learned;

    AssignFn(
        TupleTag<DeadLetter> unassigned,
        org.apache.beam.sdk.values.PCollectionView<Map<String, Iterable<String>>> learned) {
      this.unassigned = unassigned;
      this.learned = learned;
    }

    @StateId("buckets")
    private final StateSpec<MapState<String, TemplateBucket>> bucketsSpec =
        StateSpecs.map(StringUtf8Coder.of(), Coders.TEMPLATE_BUCKET);

    @ProcessElement
    public void process(
        @Element KV<Integer, List<TimestampedValue<Templated>>> element,
        @StateId("buckets") MapState<String, TemplateBucket> buckets,
        MultiOutputReceiver out,
        ProcessContext context) {
      Map<String, Iterable<String>> known = learned == null ? null : context.sideInput(learned);
      // Each bucket the batch touches is read once and written back once.
      Map<String, TemplateBucket> touched = new HashMap<>();
      java.util.Set<String> fresh = new java.util.HashSet<>();
      List<TimestampedValue<Observation>> observations = new ArrayList<>(element.getValue().size());
      for (TimestampedValue<Templated> v : element.getValue()) {
        Templated t = v.getValue();
        LogEntry e = t.entry();
        try {
          TemplateBucket bucket =
              touched.computeIfAbsent(
                  t.bucket(),
                  key -> {
                    TemplateBucket stored = buckets.get(key).read();
                    if (stored != null) {
                      return stored;
                    }
                    fresh.add(key);
                    TemplateBucket created =
                        new TemplateBucket(FingerprintState.DEFAULT_DISTINCT_VALUES);
                    Iterable<String> earlier = known == null ? null : known.get(key);
                    if (earlier != null) {
                      created.replay(
                          earlier,
                          text -> Fingerprinter.id(e.service(), e.logger(), e.function(), text));
                    }
                    return created;
                  });
          String template = t.template();
          int aliasesBefore = bucket.aliases().size();
          boolean isNew = bucket.wouldLearn(template);
          String id =
              bucket.assign(
                  template, text -> Fingerprinter.id(e.service(), e.logger(), e.function(), text));
          if (bucket.aliases().size() != aliasesBefore) {
            recordMerges(bucket, aliasesBefore, out);
          }
          if (isNew) {
            out.get(TEMPLATES)
                .output(
                    new TemplateRecord(
                        nullToEmpty(e.service()),
                        nullToEmpty(e.logger()),
                        nullToEmpty(e.function()),
                        template,
                        id,
                        System.currentTimeMillis()));
          }
          observations.add(
              TimestampedValue.of(Observation.of(id, bucket.template(id), e), v.getTimestamp()));
        } catch (RuntimeException ex) {
          // One entry's failure is its dead letter, not a failed bundle (the entry is redacted).
          out.get(unassigned)
              .output(
                  new DeadLetter(
                      "assign-ids",
                      DeadLetter.Reason.INTERNAL_ERROR,
                      ex.getClass().getName() + ": " + ex.getMessage(),
                      String.valueOf(e.message()),
                      Map.of("insert_id", String.valueOf(e.insertId())),
                      Instant.now()));
        }
      }
      // A bucket met for the first time is stored in its written form (most are never met again
      // when every entry is a problem of its own); one met again stays parsed, as it likely will
      // be met again (see TemplateBucket#stored).
      for (Map.Entry<String, TemplateBucket> b : touched.entrySet()) {
        try {
          buckets.put(
              b.getKey(), fresh.contains(b.getKey()) ? b.getValue().stored() : b.getValue());
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e); // writing to memory: infrastructure, not data
        }
      }
      fingerprinted.inc(observations.size());
      out.get(OBSERVATIONS).output(observations);
    }

    private static String nullToEmpty(String s) {
      return s == null ? "" : s;
    }

    /** Aliases are kept in the order they were made: the ones after {@code before} are new. */
    private void recordMerges(TemplateBucket bucket, int before, MultiOutputReceiver out) {
      int seen = 0;
      for (Map.Entry<String, String> a : bucket.aliases().entrySet()) {
        if (seen++ >= before) {
          String canonical = bucket.resolve(a.getValue());
          merges.inc();
          out.get(ALIASES)
              .output(
                  new AliasRecord(
                      a.getKey(),
                      canonical,
                      bucket.template(canonical),
                      System.currentTimeMillis()));
        }
      }
    }
  }
}
