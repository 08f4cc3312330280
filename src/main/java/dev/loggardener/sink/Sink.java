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
   * The templates earlier jobs learned, read by the job itself rather than on the launcher, by
   * bucket key ({@link dev.loggardener.fingerprint.FingerprintState#bucketKey}) to template; null
   * when this sink reads them on the launcher ({@link #learnedTemplates}) or has none yet.
   */
  default org.apache.beam.sdk.values.PCollection<org.apache.beam.sdk.values.KV<String, String>>
      readLearnedTemplates(org.apache.beam.sdk.Pipeline p) {
    return null;
  }
}
