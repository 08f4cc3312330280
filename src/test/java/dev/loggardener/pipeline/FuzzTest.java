package dev.loggardener.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loggardener.logentry.Json;
import dev.loggardener.sink.DuckDbStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of valid entries, with a fixed seed, through the whole batch job: it finishes,
 * and every line read is counted, a duplicate, out of scope or a dead letter.
 */
class FuzzTest {
  static final long SEED = 20251203L;
  static final int LINES = 4000;

  /** Every field a Cloud Logging entry may have, as a path of object keys. */
  static final List<String[]> FIELDS =
      List.of(
          new String[] {"insertId"},
          new String[] {"timestamp"},
          new String[] {"receiveTimestamp"},
          new String[] {"severity"},
          new String[] {"logName"},
          new String[] {"trace"},
          new String[] {"spanId"},
          new String[] {"labels"},
          new String[] {"resource"},
          new String[] {"resource", "type"},
          new String[] {"resource", "labels"},
          new String[] {"resource", "labels", "service_name"},
          new String[] {"resource", "labels", "revision_name"},
          new String[] {"jsonPayload"},
          new String[] {"jsonPayload", "message"},
          new String[] {"jsonPayload", "logger"},
          new String[] {"jsonPayload", "function"},
          new String[] {"jsonPayload", "user"},
          new String[] {"jsonPayload", "stack_trace"},
          new String[] {"jsonPayload", "exception"},
          new String[] {"textPayload"},
          new String[] {"protoPayload"},
          new String[] {"httpRequest"},
          new String[] {"httpRequest", "status"},
          new String[] {"httpRequest", "requestUrl"},
          new String[] {"httpRequest", "latency"},
          new String[] {"sourceLocation"},
          new String[] {"sourceLocation", "file"},
          new String[] {"sourceLocation", "line"},
          new String[] {"sourceLocation", "function"},
          new String[] {"operation"},
          new String[] {"errorGroups"});

  static final List<JsonNode> WRONG_VALUES =
      List.of(
          JsonNodeFactory.instance.numberNode(123),
          JsonNodeFactory.instance.numberNode(-1),
          JsonNodeFactory.instance.numberNode(1.5e300),
          JsonNodeFactory.instance.numberNode(new java.math.BigInteger("9".repeat(40))),
          JsonNodeFactory.instance.booleanNode(true),
          JsonNodeFactory.instance.nullNode(),
          JsonNodeFactory.instance.arrayNode().add(1).add("x"),
          JsonNodeFactory.instance.objectNode().put("k", "v"),
          JsonNodeFactory.instance.textNode(""),
          JsonNodeFactory.instance.textNode("\u0000\ud800x"),
          JsonNodeFactory.instance.textNode("<!-- x --> @here ${jndi:ldap://x}"));

  static final List<String> ODD_TIMESTAMPS =
      List.of(
          "2025-09-14T22:00:00",
          "2025-09-14 22:00:00Z",
          "2025-09-14t22:00:00z",
          "2025-09-14T22:00:00+05:30",
          "2025-09-14T22:00:00.123456789123Z",
          "2025-09-14T23:59:60Z",
          "2025-02-30T00:00:00Z",
          "+10000-01-01T00:00:00Z",
          "-0001-01-01T00:00:00Z",
          "0000-01-01T00:00:00Z",
          "1970-01-01T00:00:00Z",
          "2999-01-01T00:00:00Z",
          "1757887200",
          "",
          "now");

  @TempDir Path dir;
  private String db;

  @AfterEach
  void close() throws Exception {
    if (db != null) {
      DuckDbStore.close(db);
    }
  }

  @Test
  void mutatedEntriesNeverStopTheJobAndAreAllAccountedFor() throws Exception {
    Random random = new Random(SEED);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    int[] kinds = new int[10];
    for (int i = 0; i < LINES; i++) {
      int kind = random.nextInt(kinds.length);
      kinds[kind]++;
      file.write(mutate(kind, i, random));
      file.write('\n');
    }
    Path input = dir.resolve("fuzz.jsonl");
    Files.write(input, file.toByteArray());
    db = dir.resolve("g.duckdb").toString();

    Map<String, Long> c = LocalRun.run(input, db, o -> {});

    assertEquals(LINES, c.get(GardenerMetrics.READ), "every line read once: " + c);
    LocalRun.assertAccounted(c, db);
    assertTrue(LocalRun.counted(db) > LINES / 10, "some mutations stay valid entries: " + c);
    assertTrue(c.get(GardenerMetrics.DEAD_LETTERS) > LINES / 10, "and many do not: " + c);
  }

  private static ObjectNode valid(int i, Random random) throws java.io.IOException {
    String ts = "2025-09-14T22:" + String.format("%02d:%02d", random.nextInt(60), i % 60) + "Z";
    ObjectNode e =
        (ObjectNode)
            Json.mapper()
                .readTree(
                    Entries.entry(
                        "fuzz-" + i,
                        ts,
                        random.nextBoolean() ? "ERROR" : "WARNING",
                        "svc-" + random.nextInt(4),
                        "Failed to connect to redis at 10.0.0." + random.nextInt(9) + ":6379"));
    ((ObjectNode) e.get("jsonPayload"))
        .put("stack_trace", "Traceback (most recent call last):\n  File \"app.py\", line 3");
    e.putObject("httpRequest").put("status", 503).put("requestUrl", "/api/orders?id=" + i);
    e.putObject("sourceLocation").put("file", "app/db.py").put("line", "88");
    return e;
  }

  private static byte[] mutate(int kind, int i, Random random) throws java.io.IOException {
    ObjectNode e = valid(i, random);
    byte[] bytes = e.toString().getBytes(StandardCharsets.UTF_8);
    switch (kind) {
      case 0: // valid
        return bytes;
      case 1: // truncated anywhere
        return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
      case 2: // invalid UTF-8 at a random place
        {
          byte[] b = bytes.clone();
          int at = random.nextInt(b.length);
          b[at] = (byte) (random.nextBoolean() ? 0xFF : 0xC3);
          return b;
        }
      case 3: // a NUL byte, raw or escaped
        {
          String s = e.toString();
          int at = random.nextInt(s.length());
          return (s.substring(0, at)
                  + (random.nextBoolean() ? "\u0000" : "\\u0000")
                  + s.substring(at))
              .getBytes(StandardCharsets.UTF_8);
        }
      case 4: // deep nesting
        {
          int depth = 10_000;
          String deep = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
          String s = e.toString();
          return (s.substring(0, s.length() - 1) + ",\"deep\":" + deep + "}")
              .getBytes(StandardCharsets.UTF_8);
        }
      case 5: // a 300 KB string
        ((ObjectNode) e.get("jsonPayload")).put("message", "x".repeat(300 * 1024));
        return e.toString().getBytes(StandardCharsets.UTF_8);
      case 6: // duplicate keys
        {
          String s = e.toString();
          return ("{\"severity\":\"INFO\",\"timestamp\":\"yesterday\"," + s.substring(1))
              .getBytes(StandardCharsets.UTF_8);
        }
      case 7: // odd timestamp forms
        {
          JsonNode ts =
              random.nextInt(4) == 0
                  ? JsonNodeFactory.instance
                      .objectNode()
                      .put("seconds", random.nextBoolean() ? 1e13 : 1_757_887_200)
                      .put("nanos", random.nextInt())
                  : JsonNodeFactory.instance.textNode(
                      ODD_TIMESTAMPS.get(random.nextInt(ODD_TIMESTAMPS.size())));
          e.set(random.nextBoolean() ? "timestamp" : "receiveTimestamp", ts);
          return e.toString().getBytes(StandardCharsets.UTF_8);
        }
      default: // a wrong type for a field (kinds 8 and 9)
        {
          String[] path = FIELDS.get(random.nextInt(FIELDS.size()));
          ObjectNode parent = e;
          for (int k = 0; k < path.length - 1; k++) {
            JsonNode next = parent.get(path[k]);
            if (!(next instanceof ObjectNode o)) {
              next = parent.putObject(path[k]);
            }
            parent = (ObjectNode) next;
          }
          parent.set(path[path.length - 1], WRONG_VALUES.get(random.nextInt(WRONG_VALUES.size())));
          return e.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
  }
}
