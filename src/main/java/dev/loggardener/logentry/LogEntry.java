package dev.loggardener.logentry;

import java.io.Serializable;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Cloud Logging entry, reduced to what triage needs. Built by {@link LogEntryParser}; values
 * that the entry does not carry are null (strings) or empty (maps), except {@code service}, which
 * is always set ("unknown" at worst), and {@code message}, which is never null.
 *
 * @param service the one name the entry's resource or payload gives its service
 * @param revision deployment revision or version, where the resource names one
 * @param logger logger or module name (the seed's labels.module / context.name)
 * @param function function or method that logged
 * @param sourceLine line number as logged; never part of a fingerprint
 * @param user a user identifier from the payload or labels, for distinct-user counts
 * @param rawJson the whole entry as it arrived, unredacted: readable only through a redactor
 */
public record LogEntry(
    String insertId,
    Instant timestamp,
    Instant receiveTimestamp,
    Severity severity,
    String logName,
    String resourceType,
    Map<String, String> resourceLabels,
    String service,
    String revision,
    Map<String, String> labels,
    String trace,
    String spanId,
    String logger,
    String function,
    String sourceLine,
    HttpRequestInfo httpRequest,
    String operationId,
    PayloadKind payloadKind,
    String message,
    String user,
    RawJson rawJson)
    implements Serializable {

  /** The empty label map. */
  public static final Map<String, String> NO_LABELS =
      Collections.unmodifiableSortedMap(new TreeMap<>());

  private static final Class<?> SORTED_VIEW = NO_LABELS.getClass();

  public LogEntry {
    resourceLabels = labels(resourceLabels);
    labels = labels(labels);
  }

  /**
   * An unmodifiable copy sorted by key, so that labels iterate in the same order in every JVM
   * (Map.copyOf's order is salted per JVM). A map this method made is returned as it is.
   */
  public static Map<String, String> labels(Map<String, String> m) {
    if (m.getClass() == SORTED_VIEW) {
      return m;
    }
    return m.isEmpty() ? NO_LABELS : Collections.unmodifiableSortedMap(new TreeMap<>(m));
  }

  /**
   * A sorted map the caller built and hands over, wrapped without a copy. The caller must not
   * change it afterwards.
   */
  public static Map<String, String> labelsOwned(TreeMap<String, String> m) {
    return m.isEmpty() ? NO_LABELS : Collections.unmodifiableSortedMap(m);
  }

  /** The same entry with other text (every field that is free text), as redaction produces it. */
  public LogEntry withText(
      String message,
      String logger,
      String function,
      String sourceLine,
      String trace,
      HttpRequestInfo httpRequest,
      Map<String, String> labels,
      String user,
      RawJson rawJson) {
    return new LogEntry(
        insertId,
        timestamp,
        receiveTimestamp,
        severity,
        logName,
        resourceType,
        resourceLabels,
        service,
        revision,
        labels,
        trace,
        spanId,
        logger,
        function,
        sourceLine,
        httpRequest,
        operationId,
        payloadKind,
        message,
        user,
        rawJson);
  }
}
