package dev.loggardener.sink;

import dev.loggardener.logentry.DeadLetter;
import java.io.Serializable;
import java.util.Map;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;

/**
 * Where the tables go. Every sink takes a table's rows as the columns of its schema file ({@link
 * TableSchemas}) and gives back the rows it refused, as dead letters, so that nothing is dropped
 * silently. A new sink is one class implementing this plus the option that selects it.
 */
public interface Sink extends Serializable {

  /**
   * Expands the write of {@code rows} into {@code table}.
   *
   * @param columns a row as column name to value, in schema order: timestamps as {@link
   *     java.time.Instant}, repeated columns as lists
   * @return the rows the table refused, with the reason it gave
   */
  <T> PCollection<DeadLetter> write(
      PCollection<T> rows, String table, SerializableFunction<T, Map<String, Object>> columns);

  /**
   * The templates earlier jobs learned ({@code fingerprint_templates}), read on the launcher so
   * that a new job merges as if it had seen them: each as service, logger, function, template.
   * Empty where the sink cannot read them back at launch.
   */
  default java.util.List<String[]> learnedTemplates() {
    return java.util.List.of();
  }

  /**
   * The templates earlier jobs learned as the job's input, by bucket key ({@link
   * dev.loggardener.fingerprint.FingerprintState#bucketKey}) to template; null when there are none.
   * By default those {@link #learnedTemplates} read on the launcher; a sink whose table the job
   * must read itself (BigQuery) reads it here.
   */
  default org.apache.beam.sdk.values.PCollection<org.apache.beam.sdk.values.KV<String, String>>
      readLearnedTemplates(org.apache.beam.sdk.Pipeline p) {
    return byBucket(p, learnedTemplates());
  }

  /**
   * Templates (service, logger, function, template) as the job's input by bucket key; null for
   * none.
   */
  static org.apache.beam.sdk.values.PCollection<org.apache.beam.sdk.values.KV<String, String>>
      byBucket(org.apache.beam.sdk.Pipeline p, java.util.List<String[]> learned) {
    if (learned.isEmpty()) {
      return null;
    }
    java.util.List<org.apache.beam.sdk.values.KV<String, String>> byBucket =
        new java.util.ArrayList<>();
    for (String[] t : learned) {
      byBucket.add(
          org.apache.beam.sdk.values.KV.of(
              dev.loggardener.fingerprint.FingerprintState.bucketKey(t[0], t[1], t[2], t[3]),
              t[3]));
    }
    return p.apply(
        "LearnedTemplates",
        org.apache.beam.sdk.transforms.Create.of(byBucket)
            .withCoder(
                org.apache.beam.sdk.coders.KvCoder.of(
                    org.apache.beam.sdk.coders.StringUtf8Coder.of(),
                    org.apache.beam.sdk.coders.StringUtf8Coder.of())));
  }
}
