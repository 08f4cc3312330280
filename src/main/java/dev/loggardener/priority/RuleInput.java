package dev.loggardener.priority;

import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.Severity;

/** What a rule can look at: a cluster's identity and its most severe entry's facts. */
public record RuleInput(
    String service,
    String logger,
    String function,
    String message,
    String template,
    Severity severity,
    int httpStatus) {

  public static RuleInput of(LogEntry e, String template) {
    return new RuleInput(
        e.service(),
        e.logger(),
        e.function(),
        e.message(),
        template,
        e.severity(),
        e.httpRequest() == null ? 0 : e.httpRequest().status());
  }
}
