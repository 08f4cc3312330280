package dev.loggardener.priority;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.loggardener.logentry.Severity;

/**
 * One rule of a rules file: when every condition in {@code match} holds, the cluster gets this
 * rule's priority, category, impact and action.
 */
public record Rule(
    @JsonProperty(required = true) String name,
    Match match,
    @JsonProperty(required = true) Priority priority,
    Category category,
    String impact,
    String action,
    Boolean escalate,
    Rules.Spikes spikes,
    Boolean ignore,
    String owner) {

  public Rule {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a rule needs a name");
    }
    match = match == null ? new Match(null, null, null, null, null, null, null) : match;
    category = category == null ? Category.OTHER : category;
    impact = impact == null ? "" : impact;
    action = action == null ? "" : action;
    escalate = escalate == null ? Boolean.TRUE : escalate;
    ignore = ignore == null ? Boolean.FALSE : ignore;
    if (owner != null && !OWNER.matcher(owner).matches()) {
      throw new IllegalArgumentException(
          "owner "
              + quote(owner)
              + " is not a team name, @user, @org/team or e-mail (letters, digits, . _ - / @)");
    }
  }

  /** A team name, a GitHub handle or team, or an e-mail: what a label and an assignee can hold. */
  private static final Pattern OWNER = Pattern.compile("@?[A-Za-z0-9][A-Za-z0-9._/@-]{0,99}");

  public boolean matches(RuleInput in) {
    return match.test(in);
  }

  /**
   * Conditions, all optional, all of which must hold. service, logger and function match the whole
   * value; message and template match anywhere in it.
   */
  public record Match(
      Regex service,
      SeverityName minSeverity,
      Regex logger,
      Regex function,
      Regex message,
      Regex template,
      StatusRange httpStatus) {

    boolean test(RuleInput in) {
      return (service == null || service.matchesWhole(in.service()))
          && (minSeverity == null || in.severity().atLeast(minSeverity.severity()))
          && (logger == null || logger.matchesWhole(in.logger()))
          && (function == null || function.matchesWhole(in.function()))
          && (message == null || message.findIn(in.message()))
          && (template == null || template.findIn(in.template()))
          && (httpStatus == null || httpStatus.contains(in.httpStatus()));
    }
  }

  /**
   * A regular expression, checked when the file is read. It runs on RE2/J, whose time is linear in
   * the text whatever the pattern (no backtracking), so a rule cannot stall the pipeline on a
   * hostile line; the price is RE2's syntax: no look-around and no back-references.
   */
  public record Regex(Pattern pattern) {
    @JsonCreator
    public static Regex of(String source) {
      try {
        return new Regex(Pattern.compile(source));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid regex " + quote(source) + ": " + e.getDescription());
      }
    }

    boolean matchesWhole(String s) {
      return s != null && pattern.matcher(s).matches();
    }

    boolean findIn(String s) {
      return s != null && pattern.matcher(s).find();
    }
  }

  /** A Cloud Logging severity name. */
  public record SeverityName(Severity severity) {
    @JsonCreator
    public static SeverityName of(String name) {
      return new SeverityName(
          Severity.fromName(name)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown severity "
                              + quote(name)
                              + " (expected DEFAULT, DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL,"
                              + " ALERT or EMERGENCY)")));
    }
  }

  /** An HTTP status or range: 503, "500-599" or "5xx". */
  public record StatusRange(int low, int high) {
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static StatusRange of(JsonNode v) {
      String s = v.asText().trim().toLowerCase(java.util.Locale.ROOT);
      try {
        if (s.matches("[1-5]xx")) {
          int base = (s.charAt(0) - '0') * 100;
          return new StatusRange(base, base + 99);
        }
        int dash = s.indexOf('-');
        if (dash > 0) {
          return checked(
              Integer.parseInt(s.substring(0, dash).trim()),
              Integer.parseInt(s.substring(dash + 1).trim()),
              s);
        }
        int code = Integer.parseInt(s);
        return checked(code, code, s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "httpStatus " + quote(s) + " is not a status, a range like 500-599, or 5xx");
      }
    }

    private static StatusRange checked(int low, int high, String s) {
      if (low < 100 || high > 599 || low > high) {
        throw new IllegalArgumentException("httpStatus " + quote(s) + " is outside 100-599");
      }
      return new StatusRange(low, high);
    }

    boolean contains(int status) {
      return status >= low && status <= high;
    }
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
