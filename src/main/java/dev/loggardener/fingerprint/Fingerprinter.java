package dev.loggardener.fingerprint;

import dev.loggardener.logentry.Digests;
import dev.loggardener.logentry.HttpRequestInfo;
import dev.loggardener.logentry.LogEntry;

/**
 * Fingerprint v1: a hash of (version, service, logger, function, template). The source line is left
 * out on purpose: one problem logged from two lines of one function is one cluster.
 */
public final class Fingerprinter {
  public static final int VERSION = 1;

  /** The template of an entry with no text at all. */
  public static final String EMPTY_TEMPLATE = "<empty>";

  private Fingerprinter() {}

  public static Fingerprint fingerprint(LogEntry e) {
    String template = templateOf(e);
    return new Fingerprint(id(e.service(), e.logger(), e.function(), template), template, VERSION);
  }

  /** What an entry's cluster is named by: its masked message, or its request, or "<empty>". */
  public static String templateOf(LogEntry e) {
    switch (e.payloadKind()) {
      case HTTP_REQUEST:
        HttpRequestInfo h = e.httpRequest();
        return (h.method() == null ? "" : h.method() + " ")
            + Templater.maskPath(h.path())
            + " "
            + h.status();
      case EMPTY:
        return EMPTY_TEMPLATE;
      default:
        return Templater.template(e.message());
    }
  }

  public static String id(String service, String logger, String function, String template) {
    return Digests.shortSha256("v" + VERSION + '\0' + key(service, logger, function, template));
  }

  /** service, logger, function and the rest, joined by NUL (which no field can hold). */
  static String key(String service, String logger, String function, String rest) {
    return nullToEmpty(service)
        + '\0'
        + nullToEmpty(logger)
        + '\0'
        + nullToEmpty(function)
        + '\0'
        + rest;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
