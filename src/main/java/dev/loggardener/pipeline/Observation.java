package dev.loggardener.pipeline;

import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.RawJson;
import dev.loggardener.logentry.Severity;
import java.io.Serializable;

/**
 * One entry as the counting step needs it: redacted, fingerprinted, and without the parts no table
 * keeps.
 *
 * @param user the user's pseudonym, never the identifier itself
 * @param sample the whole entry, unredacted: {@link ClassifyPriority} redacts the few kept as
 *     samples
 */
public record Observation(
    String fingerprint,
    String template,
    String service,
    String revision,
    String logger,
    String function,
    String sourceLine,
    Severity severity,
    long timestampMillis,
    String insertId,
    String user,
    String trace,
    String message,
    int httpStatus,
    RawJson sample)
    implements Serializable {

  /** The same observation without the whole entry, for when only its facts are kept. */
  Observation withoutSample() {
    return sample == null
        ? this
        : new Observation(
            fingerprint,
            template,
            service,
            revision,
            logger,
            function,
            sourceLine,
            severity,
            timestampMillis,
            insertId,
            user,
            trace,
            message,
            httpStatus,
            null);
  }

  static Observation of(String fingerprint, String template, LogEntry redacted) {
    return new Observation(
        fingerprint,
        template,
        redacted.service(),
        redacted.revision(),
        redacted.logger(),
        redacted.function(),
        redacted.sourceLine(),
        redacted.severity(),
        redacted.timestamp().toEpochMilli(),
        redacted.insertId(),
        redacted.user(),
        redacted.trace(),
        redacted.message(),
        redacted.httpRequest() == null ? 0 : redacted.httpRequest().status(),
        redacted.rawJson());
  }
}
