package dev.loggardener.priority;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The seed's issue categories; part of the GitHub title ({@code GCP-active-dev-P1-...}). */
public enum Category {
  NEW("new"),
  REGRESSION("regression"),
  ACTIVE_DEV("active-dev"),
  OTHER("other");

  private final String label;

  Category(String label) {
    this.label = label;
  }

  @JsonValue
  public String label() {
    return label;
  }

  @JsonCreator
  public static Category parse(String s) {
    for (Category c : values()) {
      if (c.label.equalsIgnoreCase(s.trim())) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown category \"" + s + "\" (expected one of new, regression, active-dev, other)");
  }
}
