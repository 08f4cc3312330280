package dev.loggardener.redact;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

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

  /** A user's own detector, from the rules file. */
  public record CustomPattern(String name, Pattern regex) implements Serializable {}
}
