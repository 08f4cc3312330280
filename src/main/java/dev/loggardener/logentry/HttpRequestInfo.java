package dev.loggardener.logentry;

import java.io.Serializable;

/** The parts of a LogEntry's httpRequest that triage uses. Strings may be null. */
public record HttpRequestInfo(String method, String url, int status, String latency)
    implements Serializable {

  /** The URL's path, without scheme, host, query or fragment ("/" when there is none). */
  public String path() {
    if (url == null || url.isEmpty()) {
      return "/";
    }
    String u = url;
    int scheme = u.indexOf("://");
    if (scheme >= 0) {
      int slash = u.indexOf('/', scheme + 3);
      u = slash < 0 ? "/" : u.substring(slash);
    }
    int cut = u.length();
    int q = u.indexOf('?');
    if (q >= 0) {
      cut = q;
    }
    int h = u.indexOf('#');
    if (h >= 0 && h < cut) {
      cut = h;
    }
    u = u.substring(0, cut);
    return u.isEmpty() ? "/" : u;
  }
}
