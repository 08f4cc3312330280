package dev.loggardener.logentry;

import java.util.Locale;
import java.util.Optional;

/** Cloud Logging's LogSeverity, with its numeric values. */
public enum Severity {
  DEFAULT(0),
  DEBUG(100),
  INFO(200),
  NOTICE(300),
  WARNING(400),
  ERROR(500),
  CRITICAL(600),
  ALERT(700),
  EMERGENCY(800);

  private final int number;

  Severity(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }

  public boolean atLeast(Severity other) {
    return number >= other.number;
  }

  /**
   * A severity name as Cloud Logging or a logging library writes it. Case-insensitive; common
   * library spellings (WARN, FATAL, SEVERE, ...) map to the level Cloud Logging would give them.
   */
  public static Optional<Severity> fromName(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT);
    switch (n) {
      case "WARN":
        return Optional.of(WARNING);
      case "ERR":
      case "SEVERE":
        return Optional.of(ERROR);
      case "FATAL":
      case "CRIT":
        return Optional.of(CRITICAL);
      case "EMERG":
        return Optional.of(EMERGENCY);
      case "INFORMATION":
        return Optional.of(INFO);
      case "TRACE":
      case "FINE":
      case "FINER":
      case "FINEST":
        return Optional.of(DEBUG);
      default:
        for (Severity s : values()) {
          if (s.name().equals(n)) {
            return Optional.of(s);
          }
        }
        return Optional.empty();
    }
  }

  /** A name, or a number written as text ({@code "500"}), as Cloud Logging reads both. */
  public static Optional<Severity> fromText(String text) {
    String t = text.strip();
    if (!t.isEmpty() && t.length() <= 3 && t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return fromNumber(Long.parseLong(t));
    }
    return fromName(text);
  }

  /**
   * A numeric severity (0–800). A value between two levels takes the lower one, as Cloud Logging's
   * severity filters treat it.
   */
  public static Optional<Severity> fromNumber(long number) {
    if (number < 0 || number > 800) {
      return Optional.empty();
    }
    Severity result = DEFAULT;
    for (Severity s : values()) {
      if (s.number <= number) {
        result = s;
      }
    }
    return Optional.of(result);
  }
}
