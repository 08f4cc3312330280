package dev.loggardener.priority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loggardener.fingerprint.Fingerprinter;
import dev.loggardener.logentry.LogEntry;
import dev.loggardener.logentry.LogEntryParser;
import dev.loggardener.logentry.ParseResult;
import dev.loggardener.logentry.Severity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RulesTest {
  private static final Path EXAMPLE = Path.of("config/rules.example.yaml");

  private static Rules yaml(String text) throws IOException {
    return Rules.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "rules.yaml");
  }

  private static RuleInput input(Severity severity, String message) {
    return new RuleInput("svc", "app.module", "handler", message, message, severity, 0);
  }

  @Test
  void exampleRulesReproduceTheSeedWorklogsPriorities() throws IOException {
    Rules rules = Rules.load(EXAMPLE);
    List<Priority> got = new ArrayList<>();
    List<String> names = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream("/seed/representative.jsonl")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        LogEntry e = ((ParseResult.Parsed) new LogEntryParser().parse(line)).entry();
        Classification c = rules.classify(RuleInput.of(e, Fingerprinter.templateOf(e)), 2);
        got.add(c.priority());
        names.add(c.rule());
      }
    }
    // Seed clusters in file order: WebSocket connection P1, manager duplication P2, message ack
    // P2, session middleware P3, user auto-creation P4.
    assertEquals(List.of(Priority.P1, Priority.P2, Priority.P2, Priority.P3, Priority.P4), got);
    assertEquals(
        List.of(
            "websocket-connection",
            "ssot-manager-duplication",
            "websocket-message-ack",
            "session-middleware",
            "user-auto-creation"),
        names);
  }

  @ParameterizedTest
  @CsvSource({
    "EMERGENCY, P1",
    "ALERT, P1",
    "CRITICAL, P1",
    "ERROR, P2",
    "WARNING, P3",
    "NOTICE, P4",
    "INFO, P4",
    "DEFAULT, P4"
  })
  void withoutARuleThePriorityFollowsSeverity(Severity severity, Priority expected) {
    Classification c = Rules.bundled().classify(input(severity, "anything"), 1);
    assertEquals(expected, c.priority());
    assertEquals("severity", c.rule());
    assertEquals(Category.OTHER, c.category());
  }

  @Test
  void firstMatchingRuleWins() throws IOException {
    Rules r =
        yaml(
            "rules:\n"
                + "  - {name: first, match: {message: 'disk'}, priority: P1}\n"
                + "  - {name: second, match: {message: 'disk full'}, priority: P3}\n");
    assertEquals("first", r.classify(input(Severity.ERROR, "disk full on /data"), 1).rule());
  }

  @Test
  void allConditionsMustHold() throws IOException {
    Rules r =
        yaml(
            "rules:\n"
                + "  - name: api-5xx\n"
                + "    match: {service: 'svc', minSeverity: ERROR, logger: 'app\\..*', function: 'handler',"
                + " template: 'upstream', httpStatus: 500-599}\n"
                + "    priority: P1\n"
                + "    category: active-dev\n"
                + "    impact: checkout fails\n"
                + "    action: page the owner\n");
    RuleInput ok =
        new RuleInput("svc", "app.module", "handler", "m", "upstream gone", Severity.ERROR, 503);
    Classification c = r.classify(ok, 1);
    assertEquals(Priority.P1, c.priority());
    assertEquals(Category.ACTIVE_DEV, c.category());
    assertEquals("checkout fails", c.impact());
    assertEquals("page the owner", c.action());
    assertEquals(
        "severity",
        r.classify(
                new RuleInput(
                    "svc", "app.module", "handler", "m", "upstream gone", Severity.WARNING, 503),
                1)
            .rule());
    assertEquals(
        "severity",
        r.classify(
                new RuleInput(
                    "svc", "app.module", "handler", "m", "upstream gone", Severity.ERROR, 404),
                1)
            .rule());
    assertEquals(
        "severity",
        r.classify(
                new RuleInput(
                    "svc2", "app.module", "handler", "m", "upstream gone", Severity.ERROR, 503),
                1)
            .rule(),
        "service matches whole");
    assertEquals(
        "severity",
        r.classify(
                new RuleInput(
                    "svc",
                    "other.app.module",
                    "handler",
                    "m",
                    "upstream gone",
                    Severity.ERROR,
                    503),
                1)
            .rule(),
        "logger matches whole");
  }

  @ParameterizedTest
  @CsvSource({"503, true", "'\"5xx\"', true", "'\"500-502\"', false", "'\"503\"', true"})
  void httpStatusForms(String status, boolean matches503) throws IOException {
    Rules r = yaml("rules:\n  - {name: s, match: {httpStatus: " + status + "}, priority: P0}\n");
    RuleInput in = new RuleInput("s", null, null, "", "", Severity.ERROR, 503);
    assertEquals(matches503, r.classify(in, 1).rule().equals("s"));
  }

  @Test
  void countsAtThresholdsRaiseThePriorityOneLevelEach() {
    Rules r = Rules.bundled(); // thresholds 100 and 1000
    assertEquals(Priority.P3, r.classify(input(Severity.WARNING, "x"), 99).priority());
    Classification c = r.classify(input(Severity.WARNING, "x"), 100);
    assertEquals(Priority.P2, c.priority());
    assertEquals(Priority.P3, c.basePriority());
    assertEquals(1, c.escalations());
    assertEquals(Priority.P1, r.classify(input(Severity.WARNING, "x"), 5000).priority());
    assertEquals(
        Priority.P0, r.classify(input(Severity.CRITICAL, "x"), 5000).priority(), "never past P0");
  }

  @Test
  void aRuleCanOptOutOfEscalation() throws IOException {
    Rules r = Rules.load(EXAMPLE);
    RuleInput autoCreate = input(Severity.WARNING, "[🔑] USER AUTO-CREATED: Created user");
    assertEquals(Priority.P4, r.classify(autoCreate, 10_000).priority());
  }

  @Test
  void exampleRedactionSettingsAreRead() {
    Rules r = Rules.load(EXAMPLE);
    assertTrue(r.redaction().keepEmailDomain());
    assertEquals("employee-id", r.redaction().patterns().get(0).name());
  }

  // --- broken files: a clear message that names the line --------------------------------------

  private static String error(String text) {
    return assertThrows(Rules.RulesException.class, () -> yaml(text)).getMessage();
  }

  @Test
  void unknownPriorityNamesLineAndValue() {
    String msg = error("rules:\n  - name: a\n    priority: P1\n  - name: b\n    priority: P7\n");
    assertTrue(msg.startsWith("rules.yaml:5:"), msg);
    assertTrue(msg.contains("rules[1].priority"), msg);
    assertTrue(msg.contains("unknown priority \"P7\""), msg);
  }

  @Test
  void invalidRegexNamesLine() {
    String msg =
        error("rules:\n  - name: a\n    match:\n      message: 'unclosed ('\n    priority: P1\n");
    assertTrue(msg.startsWith("rules.yaml:4:"), msg);
    assertTrue(msg.contains("invalid regex \"unclosed (\""), msg);
  }

  @Test
  void misspelledKeyNamesLineAndKnownKeys() {
    String msg = error("rules:\n  - name: a\n    prioriti: P1\n");
    assertTrue(msg.startsWith("rules.yaml:3:"), msg);
    assertTrue(msg.contains("unknown key \"prioriti\""), msg);
    assertTrue(msg.contains("priority"), msg);
  }

  @Test
  void unknownSeverityNamesLine() {
    String msg = error("rules:\n  - name: a\n    match: {minSeverity: LOUD}\n    priority: P1\n");
    assertTrue(msg.startsWith("rules.yaml:3:"), msg);
    assertTrue(msg.contains("unknown severity \"LOUD\""), msg);
  }

  @Test
  void badHttpStatusNamesLine() {
    String msg = error("rules:\n  - name: a\n    match: {httpStatus: 700}\n    priority: P1\n");
    assertTrue(msg.startsWith("rules.yaml:3:"), msg);
    assertTrue(msg.contains("outside 100-599"), msg);
  }

  @Test
  void yamlSyntaxErrorNamesLine() {
    String msg = error("rules:\n  - name: a\n    priority: [P1\n");
    assertTrue(msg.matches("(?s)rules\\.yaml:[34]:\\d+: .*"), msg);
  }

  @Test
  void ruleWithoutPriorityIsNamed() {
    String msg = error("rules:\n  - name: lonely\n    impact: none\n");
    assertTrue(msg.contains("rules[0]: missing key \"priority\""), msg);
    assertTrue(msg.startsWith("rules.yaml:2:"), msg);
    assertTrue(msg.startsWith("rules.yaml:"), msg);
  }

  @Test
  void duplicateRuleNamesAndBadThresholdsAreErrors() {
    assertTrue(
        error("rules:\n  - {name: a, priority: P1}\n  - {name: a, priority: P2}\n")
            .contains("two rules are named \"a\""));
    assertTrue(error("escalation:\n  thresholds: [100, 50]\n").contains("increasing"));
  }

  @Test
  void missingFileIsAClearError() {
    String msg =
        assertThrows(Rules.RulesException.class, () -> Rules.load(Path.of("no/such.yaml")))
            .getMessage();
    assertEquals("no/such.yaml: no such rules file", msg);
  }
}
