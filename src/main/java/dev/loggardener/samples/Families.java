package dev.loggardener.samples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * The error families the generator draws from. Each family is one real problem: its entries differ
 * only in values (ids, users, addresses, numbers, times), so they must share one fingerprint, and
 * no two families may share one.
 */
final class Families {
  /** How many hand-written families there are; beyond them, families are synthetic. */
  static final int BUILT_IN = 26;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String PROJECT = "netra-staging";
  private static final String[] FIRST = {"alice", "bob", "carol", "dave", "erin", "frank", "grace"};
  private static final String[] LAST = {"smith", "jones", "garcia", "chen", "okafor", "novak"};
  private static final String[] DOMAINS = {"netrasystems.ai", "example.com", "corp.example.org"};
  private static final String[] VERBS = {"sync", "load", "index", "export", "render", "validate"};
  private static final String[] REASONS = {
    "upstream timed out", "schema mismatch", "quota exhausted", "lock not acquired"
  };
  private static final String[] SYLLABLES = {
    "ka", "lo", "mi", "ru", "te", "zo", "ba", "ne", "pi", "su", "do", "fa", "gu", "he", "ji", "vo"
  };

  private final int families;

  Families(int families) {
    this.families = families;
  }

  /** Randomness, the entry's event time and the time it was written (for receiveTimestamp). */
  record Ctx(SplittableRandom rnd, Instant timestamp, Instant written) {
    int between(int lo, int hi) {
      return lo + rnd.nextInt(hi - lo + 1);
    }

    String hex(int n) {
      StringBuilder sb = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        sb.append("0123456789abcdef".charAt(rnd.nextInt(16)));
      }
      return sb.toString();
    }

    String alnum(int n) {
      String a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
      StringBuilder sb = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        sb.append(a.charAt(rnd.nextInt(a.length())));
      }
      return sb.toString();
    }

    String uuid() {
      return hex(8) + "-" + hex(4) + "-4" + hex(3) + "-a" + hex(3) + "-" + hex(12);
    }

    String ip() {
      return between(10, 223)
          + "."
          + between(0, 255)
          + "."
          + between(0, 255)
          + "."
          + between(1, 254);
    }

    String email() {
      return FIRST[rnd.nextInt(FIRST.length)]
          + "."
          + LAST[rnd.nextInt(LAST.length)]
          + between(1, 99)
          + "@"
          + DOMAINS[rnd.nextInt(DOMAINS.length)];
    }

    String jwt() {
      return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOi"
          + alnum(24)
          + "."
          + alnum(43).replace('+', '-');
    }

    String demoUser() {
      return String.format("demo-user-%03d", between(1, 40));
    }

    String time(Instant t) {
      return DateTimeFormatter.ISO_INSTANT.format(t);
    }
  }

  ObjectNode entry(int family, Ctx c) {
    if (family >= BUILT_IN) {
      return synthetic(family, c);
    }
    switch (family) {
      case 0:
        return seed(
            c,
            "ERROR",
            "netra_backend.app.routes.websocket_ssot",
            "_main_message_loop",
            "1490",
            "[MAIN MODE] Message loop error: WebSocket is not connected. Need to call \"accept\""
                + " first.");
      case 1:
        return seed(
            c,
            "WARNING",
            "netra_backend.app.websocket_core.ssot_validation_enhancer",
            "validate_manager_creation",
            c.rnd.nextBoolean() ? "118" : "137",
            "SSOT validation issues (non-blocking): ['Multiple manager instances for user "
                + c.demoUser()
                + " - potential duplication']");
      case 2:
        return seed(
            c,
            "ERROR",
            "netra_backend.app.websocket_core.handlers",
            "_send_unknown_message_ack",
            "1527",
            "Error sending unknown message ack to " + c.demoUser() + ": ");
      case 3:
        return seed(
            c,
            "WARNING",
            "logging",
            "callHandlers",
            "1706",
            "Session access failed (middleware not installed?): SessionMiddleware must be installed"
                + " to access request.session");
      case 4:
        return seed(
            c,
            "WARNING",
            "logging",
            "callHandlers",
            "1706",
            "[🔑] USER AUTO-CREATED: Created user "
                + c.email()
                + " from JWT="
                + c.jwt()
                + " (env: staging, user_id: "
                + c.between(10_000_000, 99_999_999)
                + ", demo_mode: False, domain: netrasystems.ai, domain_type: unknown)");
      case 5:
        return request(c, "web-backend", "GET", "/api/v1/orders/" + c.between(1000, 99999), 502);
      case 6:
        return request(c, "web-backend", "POST", "/api/v1/checkout/" + c.uuid() + "/confirm", 500);
      case 7:
        return text(
            c,
            cloudRun("web-backend"),
            "ERROR",
            "Traceback (most recent call last):\n"
                + "  File \"/app/orders/db.py\", line 88, in fetch_orders\n"
                + "    rows = cursor.execute(query, params)\n"
                + "  File \"/usr/local/lib/python3.11/site-packages/psycopg2/extras.py\", line "
                + c.between(140, 146)
                + ", in execute\n"
                + "    return super().execute(query, vars)\n"
                + "psycopg2.OperationalError: connection to server at \""
                + c.ip()
                + "\", port 5432 failed: timeout expired\n");
      case 8:
        return json(
            c,
            cloudRun("web-backend"),
            "WARNING",
            "orders.repository",
            "find_by_customer",
            "Query exceeded 500 ms budget: took "
                + c.between(501, 9000)
                + " ms (rows="
                + c.between(0, 5000)
                + ", customer_id="
                + c.between(1, 99999)
                + ")");
      case 9:
        return json(
            c,
            cloudRun("web-backend"),
            "ERROR",
            "cache.redis",
            "connect",
            "Failed to connect to redis at "
                + c.ip()
                + ":6379: timeout after "
                + c.between(20, 50)
                + " ms");
      case 10:
        return json(
            c,
            cloudRun("web-backend"),
            "ERROR",
            "cache.redis",
            "connect",
            "Redis AUTH failed at "
                + c.ip()
                + ":6379: WRONGPASS invalid username-password pair or user is disabled.");
      case 11:
        return json(
            c,
            k8s("auth-service"),
            "WARNING",
            "auth.login",
            "authenticate",
            "Login failed for " + c.email() + " from " + c.ip() + ": invalid password");
      case 12:
        return json(
            c,
            k8s("auth-service"),
            "WARNING",
            "auth.jwt",
            "verify",
            "JWT validation failed for token "
                + c.jwt()
                + ": token expired at "
                + c.time(c.timestamp.minusSeconds(c.between(60, 7200))));
      case 13:
        return json(
            c,
            k8s("auth-service"),
            "WARNING",
            "auth.ratelimit",
            "check",
            "Rate limit exceeded for client_id=app-"
                + c.between(1000, 9999)
                + ": "
                + c.between(121, 900)
                + " requests in 60s");
      case 14:
        return text(
            c,
            k8s("auth-service"),
            "ERROR",
            "java.lang.IllegalStateException: Session "
                + c.uuid()
                + " not found in store\n"
                + "\tat com.example.auth.SessionStore.get(SessionStore.java:142)\n"
                + "\tat com.example.auth.SessionFilter.doFilter(SessionFilter.java:57)\n"
                + "\tat org.eclipse.jetty.servlet.FilterHolder.doFilter(FilterHolder.java:193)\n"
                + "\t... "
                + c.between(20, 40)
                + " more");
      case 15:
        return json(
            c,
            k8s("billing-worker"),
            "ERROR",
            "worker.scheduler",
            "resume",
            "Thread " + c.uuid() + " not found");
      case 16:
        return json(
            c,
            k8s("auth-service"),
            "ERROR",
            "auth.users",
            "load",
            "User " + c.between(1, 500000) + " not found");
      case 17:
        return text(
            c,
            k8s("billing-worker"),
            "CRITICAL",
            "panic: runtime error: invalid memory address or nil pointer dereference\n"
                + "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x"
                + c.hex(6)
                + "]\n\n"
                + "goroutine "
                + c.between(1, 400)
                + " [running]:\n"
                + "main.(*Processor).handle(0xc000"
                + c.hex(6)
                + ", 0x0)\n"
                + "\t/src/worker/processor.go:88 +0x1d\n"
                + "main.main()\n"
                + "\t/src/worker/main.go:41 +0x"
                + c.hex(3));
      case 18:
        return text(
            c,
            cloudRun("notifications"),
            "ERROR",
            "TypeError: Cannot read properties of undefined (reading 'id')\n"
                + "    at processJob (/srv/worker/jobs.js:41:17)\n"
                + "    at async Worker.run (/srv/worker/index.js:"
                + c.between(10, 14)
                + ":5)");
      case 19:
        return json(
            c,
            k8s("billing-worker"),
            "ERROR",
            "worker.jobs",
            "run",
            "Job job-"
                + c.between(10000, 99999)
                + " failed after "
                + c.between(2, 5)
                + " attempts: upstream returned 503");
      case 20:
        return json(
            c,
            k8s("billing-worker"),
            "ERROR",
            "billing.stripe",
            "charge",
            "Stripe charge failed for customer cus_"
                + c.alnum(12)
                + c.between(10, 99)
                + ": card_declined (request with api_key=sk_live_"
                + c.alnum(24)
                + ")");
      case 21:
        return audit(c);
      case 22:
        return json(c, k8s("billing-worker"), "ERROR", "billing.reconcile", "reconcile", "");
      case 23:
        return function(
            c,
            "Function execution took "
                + c.between(60000, 60100)
                + " ms, finished with status:"
                + " 'timeout'");
      case 24:
        return text(
            c,
            cloudRun("notifications"),
            "CRITICAL",
            "Memory limit of 512 MiB exceeded with "
                + c.between(513, 700)
                + " MiB used. Consider increasing the memory limit.");
      case 25:
        return gae(
            c, "Deprecated endpoint /v1/reports/" + c.between(1, 999) + " called by " + c.ip());
      default:
        throw new IllegalArgumentException("family " + family);
    }
  }

  /**
   * Families past the built-in ones: three distinct constant words each (a family's word, its stage
   * and its plan), so distinct templates that neither one position's values nor two that vary
   * together can merge; the reason after the colon is a cause, a value.
   */
  private ObjectNode synthetic(int family, Ctx c) {
    String word = pseudoWord(family);
    return json(
        c,
        k8s("ingest-worker"),
        family % 2 == 0 ? "ERROR" : "WARNING",
        "ingest.pipeline",
        "process",
        "Failed to "
            + VERBS[family % VERBS.length]
            + " "
            + word
            + " batch "
            + c.uuid()
            + " for tenant t-"
            + c.between(1, 5000)
            + " in stage "
            + pseudoWord(family + 100_000)
            + " of "
            + pseudoWord(family + 200_000)
            + ": "
            + REASONS[(family / VERBS.length) % REASONS.length]);
  }

  /** A pronounceable word without digits, different for every n. */
  static String pseudoWord(int n) {
    StringBuilder sb = new StringBuilder();
    int v = n;
    do {
      sb.append(SYLLABLES[v % SYLLABLES.length]);
      v /= SYLLABLES.length;
    } while (v > 0);
    return sb.toString();
  }

  int families() {
    return families;
  }

  // --- entry shapes -----------------------------------------------------------------------

  private ObjectNode seed(
      Ctx c, String severity, String module, String function, String line, String message) {
    ObjectNode e = base(c, cloudRun("netra-backend-staging"), severity);
    ObjectNode p = e.putObject("jsonPayload");
    ObjectNode ctx = p.putObject("context");
    ctx.put("name", module);
    ctx.put("service", "netra-service");
    ObjectNode labels = p.putObject("labels");
    labels.put("function", function);
    labels.put("line", line);
    labels.put("module", module);
    p.put("message", message);
    p.put("timestamp", c.time(c.timestamp));
    return e;
  }

  private ObjectNode json(
      Ctx c, ObjectNode resource, String severity, String logger, String function, String msg) {
    ObjectNode e = base(c, resource, severity);
    ObjectNode p = e.putObject("jsonPayload");
    p.put("message", msg);
    p.put("logger", logger);
    p.put("function", function);
    if (msg.contains("customer") || msg.contains("User ")) {
      p.put("user_id", "u-" + c.between(1, 3000));
    }
    return e;
  }

  private ObjectNode text(Ctx c, ObjectNode resource, String severity, String text) {
    ObjectNode e = base(c, resource, severity);
    e.put("textPayload", text);
    return e;
  }

  private ObjectNode request(Ctx c, String service, String method, String path, int status) {
    ObjectNode e = base(c, cloudRun(service), status >= 500 ? "ERROR" : "WARNING");
    e.put("logName", "projects/" + PROJECT + "/logs/run.googleapis.com%2Frequests");
    ObjectNode h = e.putObject("httpRequest");
    h.put("requestMethod", method);
    h.put("requestUrl", "https://" + service + "-abc123-uc.a.run.app" + path + "?trace=1");
    h.put("status", status);
    h.put("latency", (c.between(10, 30000) / 1000.0) + "s");
    h.put("remoteIp", c.ip());
    h.put("userAgent", "Mozilla/5.0");
    return e;
  }

  private ObjectNode audit(Ctx c) {
    ObjectNode e = base(c, F.objectNode(), "ERROR");
    ObjectNode r = (ObjectNode) e.get("resource");
    r.put("type", "gcs_bucket");
    ObjectNode l = r.putObject("labels");
    l.put("bucket_name", "netra-exports");
    l.put("project_id", PROJECT);
    e.put("logName", "projects/" + PROJECT + "/logs/cloudaudit.googleapis.com%2Fdata_access");
    ObjectNode p = e.putObject("protoPayload");
    p.put("@type", "type.googleapis.com/google.cloud.audit.AuditLog");
    p.putObject("status")
        .put("code", 7)
        .put(
            "message",
            c.email()
                + " does not have storage.objects.get access to the Google Cloud Storage"
                + " object.");
    p.putObject("authenticationInfo").put("principalEmail", c.email());
    p.put("serviceName", "storage.googleapis.com");
    p.put("methodName", "storage.objects.get");
    p.put(
        "resourceName",
        "projects/_/buckets/netra-exports/objects/reports/" + c.between(1, 9999) + ".csv");
    return e;
  }

  private ObjectNode function(Ctx c, String text) {
    ObjectNode r = F.objectNode();
    r.put("type", "cloud_function");
    r.putObject("labels").put("function_name", "thumbnailer").put("region", "us-central1");
    ObjectNode e = base(c, r, "ERROR");
    e.put("textPayload", text);
    return e;
  }

  private ObjectNode gae(Ctx c, String text) {
    ObjectNode r = F.objectNode();
    r.put("type", "gae_app");
    r.putObject("labels").put("module_id", "legacy-admin").put("version_id", "20250901t101500");
    ObjectNode e = base(c, r, "WARNING");
    e.put("textPayload", text);
    return e;
  }

  private ObjectNode base(Ctx c, ObjectNode resource, String severity) {
    ObjectNode e = F.objectNode();
    e.put("insertId", c.alnum(16).toLowerCase(java.util.Locale.ROOT));
    e.put("timestamp", c.time(c.timestamp));
    e.put("receiveTimestamp", c.time(c.written.plusMillis(c.between(40, 900))));
    e.put("severity", severity);
    e.set("resource", resource);
    if (!e.has("logName")) {
      e.put("logName", "projects/" + PROJECT + "/logs/run.googleapis.com%2Fstderr");
    }
    e.put("trace", "projects/" + PROJECT + "/traces/" + c.hex(32));
    e.put("spanId", c.hex(16));
    return e;
  }

  private static ObjectNode cloudRun(String service) {
    ObjectNode r = F.objectNode();
    r.put("type", "cloud_run_revision");
    r.putObject("labels")
        .put("service_name", service)
        .put("revision_name", service + "-00042-xyz")
        .put("location", "us-central1")
        .put("project_id", PROJECT);
    return r;
  }

  private static ObjectNode k8s(String container) {
    ObjectNode r = F.objectNode();
    r.put("type", "k8s_container");
    r.putObject("labels")
        .put("container_name", container)
        .put("namespace_name", "prod")
        .put("pod_name", container + "-7d9f8c6b5-x2k4p")
        .put("cluster_name", "prod-us-central1")
        .put("project_id", PROJECT);
    return r;
  }
}
