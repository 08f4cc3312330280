package dev.loggardener.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loggardener.cli.Gardener;
import dev.loggardener.sink.DuckDbStore;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of secret and personal data in redaction/secrets.tsv, and every example of gitleaks'
 * rules, placed in every place of an entry (and in entries that become dead letters); the whole
 * pipeline runs with the GitHub sync against the fake and then the report. None of the raw values
 * may appear in any table, issue, comment, title, label, request sent to GitHub, worklog, or
 * anything the run printed.
 */
class SecretCorpusTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  FakeGitHub github;
  String db;

  @AfterEach
  void stop() throws Exception {
    System.clearProperty(GitHubPipelineTest.TOKEN_VAR);
    if (db != null) {
      DuckDbStore.close(db);
    }
    if (github != null) {
      github.close();
    }
  }

  /** A kind of secret: the text that carries it, and the values that must not come out. */
  record Kind(String name, String carrier, List<String> values) {}

  static List<Kind> kinds() throws Exception {
    List<Kind> out = new ArrayList<>();
    for (String line : resource("/redaction/secrets.tsv")) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t");
      out.add(new Kind(f[0], f[1].replace("\\n", "\n"), List.of(f[2].split("\\|"))));
    }
    // gitleaks' examples: the value is what gitleaks' own rule finds in the example.
    Map<String, java.util.regex.Pattern> rules = new LinkedHashMap<>();
    for (String line : resource("/redaction/gitleaks/rules.tsv")) {
      String[] f = line.split("\t", 2);
      rules.put(f[0], java.util.regex.Pattern.compile(f[1]));
    }
    int i = 0;
    for (String line : resource("/redaction/gitleaks/examples.tsv")) {
      String[] f = line.split("\t", 2);
      java.util.regex.Pattern rule = rules.get(f[0]);
      if (rule == null) {
        continue; // gcp-service-account: no rule in gitleaks.toml
      }
      String example = f[1].replace("\\n", "\n").replace("\\t", "\t");
      java.util.regex.Matcher m = rule.matcher(example);
      assertTrue(m.find(), f[0]);
      String value = m.groupCount() > 0 && m.group(1) != null ? m.group(1) : m.group();
      out.add(new Kind("gitleaks-" + f[0] + "-" + i++, example, List.of(value)));
    }
    return out;
  }

  private static List<String> resource(String name) throws Exception {
    try (InputStream in = SecretCorpusTest.class.getResourceAsStream(name)) {
      return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    }
  }

  /**
   * Kinds are placed ten to an entry: the carriers joined, and a key per carrier where keys are
   * places. That keeps the clusters (and so the issues the sync may open a minute) few.
   */
  record Group(List<Kind> kinds) {
    String carrier() {
      return String.join(" ; ", kinds.stream().map(Kind::carrier).toList());
    }
  }

  /** An entry of group {@code k}'s own service, with nothing in it yet. */
  static ObjectNode entry(String insertId, String timestamp, int k) {
    ObjectNode e = JSON.createObjectNode();
    e.put("insertId", insertId);
    e.put("timestamp", timestamp);
    e.put("severity", "CRITICAL");
    e.putObject("resource")
        .put("type", "cloud_run_revision")
        .putObject("labels")
        .put("service_name", "corpus-" + k);
    return e;
  }

  /** The carrier in every place of a Cloud Logging entry with a JSON payload. */
  static ObjectNode jsonEntry(int k, Group group, String minute) {
    String c = group.carrier();
    ObjectNode e = entry("j" + k, "2025-09-14T22:" + minute + ":10Z", k);
    e.put("logName", "projects/corpus/logs/app");
    ObjectNode p = e.putObject("jsonPayload");
    p.put("message", "request failed: " + c);
    p.put("detail", c);
    p.put("logger", "app." + c);
    p.put("function", "handle " + c);
    ObjectNode context = p.putObject("context");
    context.put("note", c);
    ObjectNode labels = e.putObject("labels");
    labels.put("note", c);
    for (Kind one : group.kinds()) {
      context.putObject(one.carrier()).put("key", 1);
      labels.put(one.carrier(), "v");
    }
    p.putArray("items").add("first").add(c);
    p.put(
        "stack_trace",
        "Traceback (most recent call last):\n  File \"/app/main.py\", line 12, in handle\n"
            + "    raise ValueError(note)\nValueError: "
            + c);
    e.putObject("httpRequest")
        .put("requestMethod", "GET")
        .put("requestUrl", "https://shop.example.com/api/items?note=" + c)
        .put("status", 500)
        .put("userAgent", c)
        .put("referer", c);
    e.putObject("sourceLocation").put("file", "/app/" + c).put("function", c).put("line", "3");
    e.put("trace", "projects/corpus/traces/" + c);
    e.putObject("operation").put("id", c);
    return e;
  }

  static String textEntry(int k, Group group, String minute) throws Exception {
    ObjectNode e = entry("t" + k, "2025-09-14T22:" + minute + ":20Z", k);
    e.put("textPayload", "ERROR in worker: " + group.carrier());
    e.putObject("labels").put("user", group.carrier());
    return JSON.writeValueAsString(e);
  }

  /** An audit log entry (protoPayload) with the carrier in its status, resource and caller. */
  static String auditEntry(int k, Group group) throws Exception {
    ObjectNode e = entry("a" + k, "2025-09-14T22:05:30Z", k);
    ObjectNode p = e.putObject("protoPayload");
    p.put("methodName", "google.cloud.run.v1.Services.ReplaceService");
    p.put("resourceName", "namespaces/corpus/services/" + group.carrier());
    p.putObject("authenticationInfo").put("principalEmail", group.carrier());
    p.putObject("status").put("code", 7).put("message", "denied: " + group.carrier());
    return JSON.writeValueAsString(e);
  }

  /** JSON whose characters a text scan would need to decode first: @ = / as escapes. */
  static String escaped(String json) {
    return json.replace("@", "\\u0040").replace("=", "\\u003d").replace("/", "\\/");
  }

  /** Lines that become dead letters, each carrying the value. */
  static List<byte[]> deadLetters(int k, Group group) throws Exception {
    String c = JSON.writeValueAsString(group.carrier()); // quoted, escaped
    String body = c.substring(1, c.length() - 1);
    List<byte[]> out = new ArrayList<>();
    out.add(
        ("{\"insertId\":\"bt"
                + k
                + "\",\"timestamp\":\"yesterday\",\"severity\":\"ERROR\",\"textPayload\":\""
                + body
                + "\"}")
            .getBytes(StandardCharsets.UTF_8));
    out.add(
        ("ERROR plain text line " + group.carrier().replace("\n", " "))
            .getBytes(StandardCharsets.UTF_8));
    out.add(
        escaped("{\"severity\":\"ERROR\",\"jsonPayload\":{\"message\":\"" + body + "\"}")
            .getBytes(StandardCharsets.UTF_8));
    out.add(
        ("{\"timestamp\":\"2025-09-14T22:00:00Z\",\"severity\":\"ERROR\",\"textPayload\":\""
                + body
                + " "
                + "x".repeat(300 * 1024)
                + "\"}")
            .getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    bad.write(
        ("{\"timestamp\":\"2025-09-14T22:00:00Z\",\"textPayload\":\"" + body + " ")
            .getBytes(StandardCharsets.UTF_8));
    bad.write(new byte[] {(byte) 0xC3, (byte) 0x28});
    bad.write("\"}".getBytes(StandardCharsets.UTF_8));
    out.add(bad.toByteArray());
    return out;
  }

  @Test
  void noRawValueLeavesThePipeline() throws Exception {
    github = new FakeGitHub(IssueSyncTest.REPO);
    System.setProperty(GitHubPipelineTest.TOKEN_VAR, FakeGitHub.TOKEN);
    db = dir.resolve("corpus.duckdb").toString();
    List<Kind> kinds = kinds();
    List<Group> groups = new ArrayList<>();
    for (int from = 0; from < kinds.size(); from += 10) {
      groups.add(new Group(kinds.subList(from, Math.min(kinds.size(), from + 10))));
    }
    Path input = dir.resolve("corpus.jsonl");
    try (OutputStream out = Files.newOutputStream(input)) {
      for (int k = 0; k < groups.size(); k++) {
        Group group = groups.get(k);
        String minute = String.format("%02d", k % 50);
        List<byte[]> lines = new ArrayList<>();
        lines.add(JSON.writeValueAsBytes(jsonEntry(k, group, minute)));
        ObjectNode again = jsonEntry(k, group, minute);
        again.put("insertId", "e" + k);
        lines.add(escaped(JSON.writeValueAsString(again)).getBytes(StandardCharsets.UTF_8));
        lines.add(textEntry(k, group, minute).getBytes(StandardCharsets.UTF_8));
        lines.add(auditEntry(k, group).getBytes(StandardCharsets.UTF_8));
        lines.addAll(deadLetters(k, group));
        for (byte[] l : lines) {
          out.write(l);
          out.write('\n');
        }
      }
    }
    Path worklog = dir.resolve("worklog.md");
    StringWriter printed = new StringWriter();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    PrintStream stderr = System.err;
    PrintStream both =
        new PrintStream(new TeeStream(console, stderr), true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    int run;
    int report;
    try {
      run =
          cli(
              printed,
              "run",
              "--input=" + input,
              "--duckdb=" + db,
              "--githubRepo=" + IssueSyncTest.REPO,
              "--githubApiUrl=" + github.url(),
              "--githubTokenEnv=" + GitHubPipelineTest.TOKEN_VAR,
              "--githubDryRun=false",
              "--githubMinPriority=P4");
      DuckDbStore.close(db);
      report =
          cli(
              printed,
              "report",
              "--duckdb=" + db,
              "--from=2025-09-14T00:00:00Z",
              "--to=2025-09-15T00:00:00Z",
              "--out=" + worklog);
    } finally {
      System.setOut(stdout);
      System.setErr(stderr);
    }
    assertEquals(0, run, printed.toString());
    assertEquals(0, report, printed.toString());

    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("printed", printed + console.toString(StandardCharsets.UTF_8));
    outputs.put("worklog", Files.readString(worklog));
    tables(outputs);
    StringBuilder gh = new StringBuilder();
    for (JsonNode i : github.issues()) {
      gh.append(i.toString()).append('\n');
      for (String c : github.commentBodies(i.path("number").asInt())) {
        gh.append(c).append('\n');
      }
    }
    outputs.put("github issues and comments", gh.toString());
    outputs.put("github requests", String.join("\n", github.requestBodies()));

    // Every entry that parsed reached GitHub as an issue, so the check below checks them.
    assertTrue(
        github.issues().size() >= 3 * groups.size(),
        github.issues().size() + " issues for " + groups.size() + " groups");
    TreeSet<String> leaks = new TreeSet<>();
    for (Kind kind : kinds) {
      for (String value : kind.values()) {
        for (Map.Entry<String, String> o : outputs.entrySet()) {
          for (String form : forms(value)) {
            if (o.getValue().contains(form)) {
              leaks.add(kind.name() + " in " + o.getKey() + ": " + value);
            }
          }
        }
      }
    }
    assertEquals(new TreeSet<String>(), leaks, leaks.size() + " leaks");
  }

  /** The value as written, and as JSON or a URL would escape it. */
  private static List<String> forms(String value) throws Exception {
    String json = JSON.writeValueAsString(value);
    return List.of(value, json.substring(1, json.length() - 1), escaped(value));
  }

  private void tables(Map<String, String> outputs) throws Exception {
    Connection c = DuckDbStore.connection(db);
    synchronized (c) {
      List<String> names = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet r =
              s.executeQuery(
                  "SELECT table_name FROM information_schema.tables"
                      + " WHERE table_type = 'BASE TABLE'")) {
        while (r.next()) {
          names.add(r.getString(1));
        }
      }
      assertTrue(names.contains("dead_letters"), names.toString());
      for (String t : names) {
        try (Statement s = c.createStatement();
            ResultSet r = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
          ResultSetMetaData md = r.getMetaData();
          StringBuilder[] columns = new StringBuilder[md.getColumnCount() + 1];
          for (int i = 1; i <= md.getColumnCount(); i++) {
            columns[i] = new StringBuilder();
          }
          while (r.next()) {
            for (int i = 1; i <= md.getColumnCount(); i++) {
              columns[i].append(r.getString(i)).append('\n');
            }
          }
          for (int i = 1; i <= md.getColumnCount(); i++) {
            outputs.put(t + "." + md.getColumnName(i), columns[i].toString());
          }
        }
      }
    }
  }

  private static int cli(StringWriter printed, String... args) {
    var cl = Gardener.commandLine();
    cl.setOut(new PrintWriter(printed, true));
    cl.setErr(new PrintWriter(printed, true));
    return cl.execute(args);
  }

  /** Writes to both streams: the captured copy and the real console. */
  private static final class TeeStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeStream(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
