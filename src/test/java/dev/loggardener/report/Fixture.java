package dev.loggardener.report;

import dev.loggardener.sink.DuckDbStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small gardener database with fixed contents: four clusters over four 5-minute windows
 * (2025-09-14 22:00-22:20), one of them also in the period before; an early and an on-time pane of
 * one window; two clusters that share a trace, two whose samples share a user two seconds apart;
 * dead letters; GitHub decisions including a regression.
 */
final class Fixture {
  private Fixture() {}

  static final String WS = "be96ab7611ac77ad";
  static final String ACK = "e4235e9ef0b314f4";
  static final String SESSION = "df21247eedf62209";
  static final String USER = "4a28a92a936242c9";
  static final String RESOLVED = "1396efade924c049";

  static Path write(Path dir) throws Exception {
    Path db = dir.resolve("fixture.duckdb");
    String path = db.toString();
    List<Map<String, Object>> rows = new ArrayList<>();
    String ws =
        "[MAIN MODE] Message loop error: WebSocket is not connected. Need to call accept first";
    rows.add(
        row(
            WS,
            ws,
            "P1",
            "websocket-connection",
            "21:45",
            20,
            0,
            "ON_TIME",
            sample("21:46:00", "t0", null, ws)));
    rows.add(
        row(
            WS,
            ws,
            "P1",
            "websocket-connection",
            "22:00",
            10,
            0,
            "ON_TIME",
            sample("22:00:05", "t1", "u_aaaaaaaaaaaaaaaa", ws),
            "t1",
            "t2"));
    rows.add(
        row(
            WS,
            ws,
            "P1",
            "websocket-connection",
            "22:05",
            12,
            0,
            "ON_TIME",
            sample("22:05:05", "t1", null, ws)));
    rows.add(
        row(
            WS,
            ws,
            "P1",
            "websocket-connection",
            "22:10",
            9,
            0,
            "EARLY",
            sample("22:10:05", "t2", null, ws)));
    rows.add(
        row(
            WS,
            ws,
            "P1",
            "websocket-connection",
            "22:10",
            30,
            1,
            "ON_TIME",
            sample("22:10:05", "t2", null, ws),
            "t1",
            "t2"));
    rows.add(
        row(
            WS,
            ws,
            "P1",
            "websocket-connection",
            "22:15",
            8,
            0,
            "ON_TIME",
            sample("22:15:30", "t3", null, ws)));
    String ack = "Error sending unknown message ack to <*>: @oncall see <b>#12</b>";
    rows.add(
        row(
            ACK,
            ack,
            "P2",
            "websocket-message-ack",
            "22:00",
            5,
            0,
            "ON_TIME",
            sample("22:00:40", "t7", null, ack),
            "t2",
            "t9"));
    rows.add(
        row(
            ACK,
            ack,
            "P2",
            "websocket-message-ack",
            "22:10",
            7,
            0,
            "ON_TIME",
            sample("22:10:40", "t8", null, ack),
            "t2",
            "t9"));
    String session = "Session access failed (middleware not installed?)";
    rows.add(
        row(
            SESSION,
            session,
            "P3",
            "session-middleware",
            "22:15",
            3,
            0,
            "ON_TIME",
            sample("22:15:02", "t5", "u_bbbbbbbbbbbbbbbb", session)));
    String user = "[🔑] USER <*>: Created user <*> from JWT=<*>";
    rows.add(
        row(
            USER,
            user,
            "P4",
            "user-auto-creation",
            "22:15",
            1,
            0,
            "ON_TIME",
            sample("22:15:00", "t6", "u_bbbbbbbbbbbbbbbb", user)));
    // The history's say: the 22:10 WebSocket window is a spike; a payment error that stopped at
    // 12:00 the day before was resolved at 22:15 (a row with no entries).
    for (Map<String, Object> r : rows) {
      if (r.get("fingerprint").equals(WS) && r.get("window_start").equals(at("22:10"))) {
        r.put("is_spike", true);
        r.put("state", "spiking");
        r.put("baseline_count", 10.0);
        r.put("spike_ratio", 4.0);
      }
    }
    Map<String, Object> resolved =
        row(
            RESOLVED,
            "Stripe charge failed for customer <*>: <*>",
            "P2",
            "severity",
            "22:15",
            0,
            0,
            "ON_TIME",
            "");
    resolved.put("samples", List.of());
    resolved.put("first_seen", Instant.parse("2025-09-13T22:14:59Z"));
    resolved.put("last_seen", Instant.parse("2025-09-13T22:14:59Z"));
    resolved.put("state", "resolved");
    rows.add(resolved);
    DuckDbStore.upsert(path, "cluster_windows", rows);
    Map<String, Object> silent = new LinkedHashMap<>();
    silent.put("service", "netra-auth-staging");
    silent.put("window_start", at("22:10"));
    silent.put("window_end", at("22:15"));
    silent.put("entries", 0L);
    silent.put("out_of_scope", 0L);
    silent.put("fingerprints", 0L);
    silent.put("baseline_entries", 41.5);
    silent.put("state", "silent");
    silent.put("run_id", "input-fixture");
    silent.put("attempt", 1L);
    DuckDbStore.upsert(path, "service_windows", List.of(silent));

    // Read by a backfill a year later: the entry's own time places a dead letter, where it has one.
    List<Map<String, Object>> dead = new ArrayList<>();
    dead.add(deadLetter("22:03", "bad_severity"));
    dead.add(deadLetter("22:12", "too_large"));
    dead.add(deadLetter("23:30", "bad_severity")); // after the range
    dead.add(deadLetter(null, "not_json")); // no time of its own
    DuckDbStore.upsert(path, "dead_letters", dead);

    List<Map<String, Object>> sync = new ArrayList<>();
    sync.add(
        sync(
            "22:06", WS, "22:00", "created", 7L, "GCP-active-dev-P1-MAIN MODE Message loop error"));
    sync.add(sync("22:16", WS, "22:10", "skipped-cooldown", 7L, "last comment 10 min ago"));
    sync.add(
        sync(
            "22:16",
            ACK,
            "22:10",
            "reopened",
            3L,
            "entries until 2025-09-14T22:14:00Z after it was closed at 2025-09-13T10:00:00Z"));
    sync.add(sync("22:21", SESSION, "22:15", "created", 9L, "GCP-config-P3-Session access failed"));
    DuckDbStore.upsert(path, "github_sync", sync);
    DuckDbStore.close(path);
    return db;
  }

  static Instant at(String hhmm) {
    return Instant.parse("2025-09-14T" + (hhmm.length() == 5 ? hhmm + ":00" : hhmm) + "Z");
  }

  private static String sample(String time, String trace, String user, String message) {
    String m = message.replace("\"", "\\\"");
    return "{\"insertId\":\"id-"
        + time.replace(":", "")
        + "\",\"timestamp\":\"2025-09-14T"
        + time
        + "Z\",\"severity\":\"ERROR\",\"logName\":\"projects/netra-staging/logs/run.googleapis.com%2Fstderr\","
        + "\"trace\":\"projects/netra-staging/traces/"
        + trace
        + "\""
        + (user == null ? "" : ",\"labels\":{\"user_id\":\"" + user + "\"}")
        + ",\"jsonPayload\":{\"message\":\""
        + m
        + "\"}}";
  }

  static Map<String, Object> row(
      String fp,
      String template,
      String priority,
      String rule,
      String window,
      long count,
      long pane,
      String timing,
      String sample,
      String... traces) {
    Instant start = at(window);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fingerprint", fp);
    m.put("template", template);
    m.put("service", "netra-backend-staging");
    m.put("module", "netra_backend.app.websocket_core");
    m.put("function", "_main_message_loop");
    m.put("source_lines", List.of("websocket_ssot.py:1490"));
    m.put("revisions", List.of("netra-backend-staging-00590-abc"));
    m.put("severity", priority.equals("P4") ? "WARNING" : "ERROR");
    m.put("priority", priority);
    m.put("category", "active-dev");
    m.put("rule", rule);
    m.put("entry_count", count);
    m.put("first_seen", start.plusSeconds(5));
    m.put("last_seen", start.plusSeconds(290));
    m.put("window_start", start);
    m.put("window_end", start.plusSeconds(300));
    m.put("pane_timing", timing);
    m.put("pane_index", pane);
    m.put("is_final", timing.equals("ON_TIME"));
    m.put("samples", List.of(sample));
    m.put("distinct_users", 2L);
    m.put("distinct_traces", 2L);
    m.put("trace_ids", traces.length == 0 ? List.of() : List.of(traces));
    m.put("run_id", "input-fixture");
    m.put("attempt", 1L);
    return m;
  }

  private static Map<String, Object> deadLetter(String entryTime, String reason) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("received_at", Instant.parse("2026-12-04T10:00:00Z"));
    m.put("step", "parse");
    m.put("reason", reason);
    m.put("detail", "line " + entryTime);
    m.put("payload", "x" + entryTime);
    m.put("entry_time", entryTime == null ? null : at(entryTime));
    m.put("attributes", "{}");
    return m;
  }

  private static Map<String, Object> sync(
      String at, String fp, String window, String action, Long issue, String detail) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("synced_at", at(at));
    m.put("fingerprint", fp);
    m.put("window_start", at(window));
    m.put("pane_index", 0L);
    m.put("priority", "P1");
    m.put("action", action);
    m.put("issue_number", issue);
    m.put(
        "url",
        issue == null ? null : "https://github.com/netra-systems/netra-apex/issues/" + issue);
    m.put("detail", detail);
    return m;
  }
}
