package dev.loggardener.redact;

import com.google.re2j.Pattern;
import java.io.Serializable;
import java.util.List;

/**
 * What to redact beyond the built-in detectors.
 *
 * @param keepEmailDomain write {@code <email>@example.com} instead of {@code <email>}
 * @param patterns extra detectors; each match becomes {@code <name>}
 */
public record RedactionConfig(boolean keepEmailDomain, List<CustomPattern> patterns)
    implements Serializable {

  public static final RedactionConfig DEFAULT = new RedactionConfig(false, List.of());

  public RedactionConfig {
    patterns = List.copyOf(patterns);
  }

  /** A user's own detector, from the rules file; RE2/J, so linear in the text it scans. */
  public record CustomPattern(String name, Pattern regex) implements Serializable {}
}
