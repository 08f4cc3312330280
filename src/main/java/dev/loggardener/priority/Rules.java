package dev.loggardener.priority;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loggardener.redact.RedactionConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A rules file: ordered priority rules (the first that matches wins), escalation thresholds, and
 * redaction settings. Without a matching rule, the priority follows the severity.
 */
public final class Rules {
  private static final String BUNDLED = "/rules/default.yaml";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private final List<Rule> rules;
  private final List<Long> thresholds;
  private final RedactionConfig redaction;
  private final Spikes spikes;

  private Rules(List<Rule> rules, List<Long> thresholds, RedactionConfig redaction, Spikes spikes) {
    this.rules = List.copyOf(rules);
    this.thresholds = List.copyOf(thresholds);
    this.redaction = redaction;
    this.spikes = spikes;
  }

  /**
   * When a window is a spike: at least {@code multiplier} times the fingerprint's baseline and at
   * least {@code minCount} entries. The defaults are measured (README, "Spikes").
   */
  public record Spikes(Double multiplier, Long minCount) implements java.io.Serializable {
    public static final Spikes DEFAULT = new Spikes(2.5, 10L);

    public Spikes {
      multiplier = multiplier == null ? DEFAULT_MULTIPLIER : multiplier;
      minCount = minCount == null ? DEFAULT_MIN_COUNT : minCount;
      if (!(multiplier > 1) || minCount < 1) {
        throw new IllegalArgumentException(
            "spikes: multiplier must be above 1 and minCount at least 1, got "
                + multiplier
                + " and "
                + minCount);
      }
    }

    private static final double DEFAULT_MULTIPLIER = 2.5;
    private static final long DEFAULT_MIN_COUNT = 10;
  }

  /** The file's spike thresholds, for clusters whose rule names none. */
  public Spikes spikes() {
    return spikes;
  }

  /** The rules shipped in the jar: no custom rules, default escalation, built-in redaction. */
  public static Rules bundled() {
    try (InputStream in = Rules.class.getResourceAsStream(BUNDLED)) {
      return read(in, "bundled " + BUNDLED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Rules load(Path path) {
    try (InputStream in = Files.newInputStream(path)) {
      return read(in, path.toString());
    } catch (NoSuchFileException e) {
      throw new RulesException(path + ": no such rules file");
    } catch (IOException e) {
      throw new RulesException(path + ": " + e.getMessage());
    }
  }

  /** Rules from the text of a rules file; {@code source} names it in error messages. */
  public static Rules parse(String yaml, String source) {
    try {
      return read(
          new java.io.ByteArrayInputStream(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The text of the bundled rules file. */
  public static String bundledText() {
    try (InputStream in = Rules.class.getResourceAsStream(BUNDLED)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Rules read(InputStream in, String source) throws IOException {
    byte[] bytes = in.readAllBytes();
    File file;
    try {
      try (JsonParser p = YAML.getFactory().createParser(bytes)) {
        KeyCheck.check(p, File.class, source);
      }
      file = YAML.readValue(bytes, File.class);
    } catch (JsonProcessingException e) {
      throw new RulesException(describe(source, e));
    }
    if (file == null) {
      throw new RulesException(source + ": the file is empty");
    }
    return file.toRules();
  }

  public List<Rule> rules() {
    return rules;
  }

  public RedactionConfig redaction() {
    return redaction;
  }

  /** Priority and advice for a cluster whose window has {@code windowCount} entries. */
  public Classification classify(RuleInput in, long windowCount) {
    for (Rule r : rules) {
      if (r.matches(in)) {
        int levels = r.escalate() ? escalations(windowCount) : 0;
        return new Classification(
            r.priority().raise(levels),
            r.category(),
            r.impact(),
            r.action(),
            r.name(),
            r.priority(),
            levels,
            r.spikes() == null ? spikes : r.spikes(),
            r.ignore(),
            r.owner());
      }
    }
    Priority base = Priority.fromSeverity(in.severity());
    int levels = escalations(windowCount);
    return new Classification(
        base.raise(levels),
        Category.OTHER,
        "",
        "No rule matched; priority follows severity " + in.severity() + ".",
        "severity",
        base,
        levels,
        spikes,
        false,
        null);
  }

  private int escalations(long count) {
    int levels = 0;
    for (long t : thresholds) {
      if (count >= t) {
        levels++;
      }
    }
    return levels;
  }

  /** "file:line:column: what is wrong", with the key path where Jackson knows it. */
  private static String describe(String source, JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException y && y.getProblemMark() != null) {
      // SnakeYAML's message is several lines with the text drawn under it; its marks say where.
      String where = source + ":" + mark(y.getProblemMark());
      String context = "";
      if (y.getContext() != null) {
        context =
            y.getContextMark() == null || mark(y.getContextMark()).equals(mark(y.getProblemMark()))
                ? " (" + y.getContext() + ")"
                : " (" + y.getContext() + " started at " + mark(y.getContextMark()) + ")";
      }
      return where + ": " + y.getProblem() + context;
    }
    JsonLocation loc = e.getLocation();
    String where = loc == null ? source : source + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
    String path = "";
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      path =
          m.getPath().stream()
                  .map(
                      r ->
                          r.getFieldName() != null
                              ? "." + r.getFieldName()
                              : "[" + r.getIndex() + "]")
                  .collect(Collectors.joining())
                  .substring(1)
              + ": ";
    }
    String what;
    if (e instanceof ValueInstantiationException && e.getCause() != null) {
      what = e.getCause().getMessage();
    } else if (e.getCause() instanceof IllegalArgumentException iae) {
      what = iae.getMessage();
    } else {
      what = e.getOriginalMessage();
    }
    return where + ": " + path + what;
  }

  /** A SnakeYAML mark as line:column, counted from 1 like the other messages. */
  private static String mark(Mark m) {
    return (m.getLine() + 1) + ":" + (m.getColumn() + 1);
  }

  /** A rules file that cannot be used; the message names the file, line and column. */
  public static final class RulesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RulesException(String message) {
      super(message);
    }
  }

  /** The file's shape, as written in YAML. */
  record File(
      Integer version,
      List<Rule> rules,
      Escalation escalation,
      Redaction redaction,
      Spikes spikes) {
    File {
      if (version != null && version != 1) {
        throw new IllegalArgumentException("version " + version + " is not supported (expected 1)");
      }
    }

    Rules toRules() {
      List<Rule> rs = rules == null ? List.of() : rules;
      List<String> names = new ArrayList<>();
      for (Rule r : rs) {
        if (names.contains(r.name())) {
          throw new RulesException("two rules are named \"" + r.name() + "\"");
        }
        names.add(r.name());
      }
      List<Long> t = escalation == null ? Escalation.DEFAULT : escalation.thresholds();
      RedactionConfig rc = redaction == null ? RedactionConfig.DEFAULT : redaction.toConfig();
      return new Rules(rs, t, rc, spikes == null ? Spikes.DEFAULT : spikes);
    }
  }

  /** Per-window counts at or above each threshold raise the priority one level. */
  record Escalation(List<Long> thresholds) {
    static final List<Long> DEFAULT = List.of(100L, 1000L);

    Escalation {
      thresholds = thresholds == null ? DEFAULT : List.copyOf(thresholds);
      long previous = 0;
      for (long t : thresholds) {
        if (t <= previous) {
          throw new IllegalArgumentException(
              "escalation thresholds must be positive and increasing, got " + thresholds);
        }
        previous = t;
      }
    }
  }

  record Redaction(Boolean keepEmailDomain, List<CustomPattern> patterns) {
    RedactionConfig toConfig() {
      List<RedactionConfig.CustomPattern> ps = new ArrayList<>();
      if (patterns != null) {
        for (CustomPattern p : patterns) {
          ps.add(new RedactionConfig.CustomPattern(p.name(), p.regex().pattern()));
        }
      }
      return new RedactionConfig(Boolean.TRUE.equals(keepEmailDomain), ps);
    }
  }

  record CustomPattern(String name, Rule.Regex regex) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,40}");

    @JsonCreator
    CustomPattern {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "a redaction pattern needs a name of lower-case letters, digits and dashes, got "
                + (name == null ? "none" : "\"" + name + "\""));
      }
      if (regex == null) {
        throw new IllegalArgumentException("redaction pattern \"" + name + "\" needs a regex");
      }
    }
  }
}
