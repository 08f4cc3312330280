package dev.loggardener.evaluate;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The development benchmark: message format strings taken from the source of projects that run on
 * Google Cloud ({@code src/test/resources/devbench/formats.tsv}, each with its repository, commit,
 * path and line), instantiated with realistic values (mostly words: tables, columns, pods, volumes,
 * tasks, hosts), and wrapped as each system writes to Cloud Logging. The format is the ground
 * truth: entries of one format are one problem, except that a value of an identity kind ({@link
 * #IDENTITY}: a task, a class, an exception type, a method or route, a code module) is part of the
 * problem, as #17 asks (five tasks raising five exceptions are five problems). Deterministic for a
 * seed.
 *
 * <p>Writes {@code entries.jsonl} (Cloud Logging entries), {@code truth.tsv} (per line: the
 * format's project and row, then its identity values after {@code |}) and {@code messages.txt} (per
 * line: the message, newlines written as {@code \n}, for tools that read one message a line).
 */
public final class DevBenchmark {
  /** Placeholders of C/Go/Java printf, Python %-formats and format strings, slf4j, templates. */
  private static final Pattern PLACEHOLDER =
      Pattern.compile(
          "%\\([A-Za-z_][A-Za-z0-9_]*\\)[-#0-9.]*[a-zA-Z]"
              + "|%[-+ #0-9.*]*(?:ll|l|z|h|u)?[a-zA-Z]"
              + "|\\$\\{[^}]*\\}"
              + "|\\{[^{}]*\\}");

  /**
   * Placeholder kinds whose value identifies the problem: code, not data. For an {@code exception}
   * (a Python exception's repr) the type is identity and its arguments are not.
   */
  static final Set<String> IDENTITY =
      Set.of(
          "task",
          "exception",
          "exception_class",
          "class",
          "driver_class",
          "factory_type",
          "client_type",
          "method",
          "route");

  private final Random random;

  public DevBenchmark(long seed) {
    this.random = new Random(seed);
  }

  /** One format string from the source. */
  public record Format(String project, int row, String level, String format, List<String> kinds) {
    String truth() {
      return project + ":" + row;
    }
  }

  public static List<Format> read(Path tsv) throws IOException {
    List<Format> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(tsv, StandardCharsets.UTF_8);
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split("\t", -1);
      if (f.length < 8) {
        continue;
      }
      String format = f[6].replace("\\n", "\n").replace("\\t", "\t");
      List<String> kinds = f[7].isBlank() ? List.of() : List.of(f[7].split(","));
      out.add(new Format(f[0], i, f[5], format, kinds));
    }
    return out;
  }

  /** Writes the corpus: {@code perFormat} entries of each format. */
  public void write(List<Format> formats, int perFormat, Path dir) throws IOException {
    Files.createDirectories(dir);
    Instant t = Instant.parse("2025-09-14T22:00:00Z");
    List<String[]> rows = new ArrayList<>();
    for (Format f : formats) {
      // 3 to perFormat entries of each: some problems are rare.
      int n = 3 + random.nextInt(Math.max(1, perFormat - 2));
      for (int i = 0; i < n; i++) {
        List<String> identity = new ArrayList<>();
        String message = withTrace(f, instantiate(f, identity));
        String truth =
            identity.isEmpty() ? f.truth() : f.truth() + "|" + String.join("|", identity);
        rows.add(new String[] {truth, f.project(), message});
      }
    }
    java.util.Collections.shuffle(rows, random);
    try (BufferedWriter entries = Files.newBufferedWriter(dir.resolve("entries.jsonl"));
        BufferedWriter truth = Files.newBufferedWriter(dir.resolve("truth.tsv"));
        BufferedWriter messages = Files.newBufferedWriter(dir.resolve("messages.txt"))) {
      int k = 0;
      for (String[] r : rows) {
        Instant at = t.plusMillis(k * 1_337L % 3_600_000L);
        entries.write(wrap(r[1], r[2], at, k).toString());
        entries.write('\n');
        truth.write(r[0]);
        truth.write('\n');
        messages.write(r[2].replace("\\", "\\\\").replace("\n", "\\n"));
        messages.write('\n');
        k++;
      }
    }
  }

  /** Python projects, whose errors may come with a traceback. */
  private static final Set<String> PYTHON = Set.of("celery", "sqlalchemy", "python-bigquery");

  /** Java projects, whose errors may come with a stack trace. */
  private static final Set<String> JAVA = Set.of("HikariCP", "kafka", "spring-framework");

  /** Frames every Java request passes through (Spring on Tomcat), outermost last. */
  private static final String[] JAVA_FRAMES = {
    "org.springframework.aop.framework.ReflectiveMethodInvocation.proceed("
        + "ReflectiveMethodInvocation.java:%d)",
    "org.springframework.transaction.interceptor.TransactionInterceptor.invoke("
        + "TransactionInterceptor.java:%d)",
    "org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept("
        + "CglibAopProxy.java:%d)",
    "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:%d)",
    "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:%d)",
    "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:%d)",
    "org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:%d)",
    "java.base/java.lang.Thread.run(Thread.java:%d)"
  };

  /**
   * Half of the ERROR formats of the Python and Java projects are logged with the exception's
   * trace, as logger.exception and log.error(msg, e) write it: the message, then the trace. The
   * trace is the format's own (its exception type and in-app frame are fixed by the format's row)
   * and varies from build to build as real ones do: interpreter version, virtualenv prefix, line
   * numbers, Spring CGLIB suffixes, reflection accessors.
   */
  String withTrace(Format f, String message) {
    boolean python = PYTHON.contains(f.project());
    if (!f.level().equals("ERROR") || f.row() % 2 != 0 || !python && !JAVA.contains(f.project())) {
      return message;
    }
    String[] apps = {"orders", "inventory", "billing", "checkout", "catalog"};
    String app = apps[f.row() % apps.length];
    int build = random.nextInt(2);
    StringBuilder t = new StringBuilder(message).append('\n');
    if (python) {
      String[] types = {
        "RuntimeError", "ValueError", "sqlalchemy.exc.OperationalError", "KeyError", "OSError"
      };
      String prefix =
          pick(
              "/usr/local/lib/python3.11", "/usr/local/lib/python3.12", "/opt/venv/lib/python3.12");
      String lib =
          switch (f.project()) {
            case "celery" ->
                "celery/app/trace.py\", line %d, in trace_task\n    R = retval = fun(*args, **kwargs)";
            case "sqlalchemy" ->
                "sqlalchemy/engine/base.py\", line %d, in _execute_context\n    self.dialect.do_execute(";
            default ->
                "google/cloud/bigquery/client.py\", line %d, in insert_rows_json\n    response = self._call_api(";
          };
      t.append("Traceback (most recent call last):\n")
          .append("  File \"")
          .append(prefix)
          .append("/site-packages/")
          .append(String.format(Locale.ROOT, lib, 450 + 7 * build))
          .append('\n')
          .append("  File \"/app/shop/")
          .append(app)
          .append("/service.py\", line ")
          .append(80 + 3 * build + f.row() % 20)
          .append(", in handle_")
          .append(app)
          .append("\n    raise ")
          .append(types[f.row() % types.length])
          .append("(msg)\n")
          .append(types[f.row() % types.length])
          .append(": ")
          .append(message);
      return t.toString();
    }
    String[] types = {
      "java.lang.IllegalStateException",
      "java.sql.SQLTransientConnectionException",
      "org.apache.kafka.common.errors.TimeoutException",
      "java.lang.IllegalArgumentException"
    };
    String cls = Character.toUpperCase(app.charAt(0)) + app.substring(1) + "Service";
    t.append(types[f.row() % types.length])
        .append(": ")
        .append(message)
        .append("\n\tat com.shop.")
        .append(app)
        .append('.')
        .append(cls)
        .append(".handle(")
        .append(cls)
        .append(".java:")
        .append(40 + 5 * build + f.row() % 30)
        .append(")\n\tat com.shop.")
        .append(app)
        .append('.')
        .append(cls)
        .append("$$EnhancerBySpringCGLIB$$")
        .append(Integer.toHexString(0x10000000 + random.nextInt(0x0fffffff)))
        .append(".handle(<generated>)\n\tat jdk.internal.reflect.GeneratedMethodAccessor")
        .append(100 + random.nextInt(400))
        .append(".invoke(Unknown Source)");
    for (int k = 0; k < JAVA_FRAMES.length; k++) {
      t.append("\n\tat ")
          .append(String.format(Locale.ROOT, JAVA_FRAMES[k], 100 + 17 * k + 3 * build));
    }
    return t.toString();
  }

  /** The format with each placeholder replaced by a value of its kind. */
  String instantiate(Format f) {
    return instantiate(f, new ArrayList<>());
  }

  /** The instance, adding the identity part of each identity kind's value to {@code identity}. */
  String instantiate(Format f, List<String> identity) {
    Matcher m = PLACEHOLDER.matcher(f.format());
    StringBuilder out = new StringBuilder();
    int last = 0;
    int p = 0;
    while (m.find()) {
      if (m.group().equals("%%")) {
        continue;
      }
      String kind = p < f.kinds().size() ? f.kinds().get(p) : "value";
      p++;
      String v = value(kind, m.group());
      String written = quoted(m.group(), v);
      if (IDENTITY.contains(kind)) {
        identity.add(kind.equals("exception") ? v.substring(0, v.indexOf('(')) : v);
      }
      out.append(f.format(), last, m.start()).append(written);
      last = m.end();
    }
    return out.append(f.format().substring(last)).toString().replace("%%", "%");
  }

  /**
   * A value as its placeholder prints it: Go's {@code %q} writes a double-quoted string, Python's
   * {@code %r} and {@code {x!r}} a repr (single quotes, for a string); other placeholders print the
   * value as it is. A number stays bare, as it does in both.
   */
  static String quoted(String placeholder, String value) {
    boolean number = value.chars().allMatch(Character::isDigit);
    if (number || value.startsWith("'") || value.endsWith(")")) {
      return value;
    }
    if (placeholder.equals("%q")) {
      return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
    if (placeholder.matches("%(\\([^)]*\\))?r") || placeholder.endsWith("!r}")) {
      return "'" + value.replace("'", "\\'") + "'";
    }
    return value;
  }

  private String pick(String... values) {
    return values[random.nextInt(values.length)];
  }

  private static final String[] TABLES = {
    "orders",
    "order_items",
    "customers",
    "inventory",
    "payments",
    "shipments",
    "carts",
    "sessions",
    "product_reviews",
    "warehouse_stock",
    "invoices",
    "coupons",
    "users",
    "audit_log"
  };
  private static final String[] COLUMNS = {
    "customer_id",
    "created_at",
    "sku",
    "quantity",
    "unit_price",
    "status",
    "email",
    "tenant_id",
    "shipping_address",
    "currency",
    "discount_code",
    "updated_by",
    "warehouse",
    "display_name"
  };
  private static final String[] ERRORS = {
    "connection refused",
    "context deadline exceeded",
    "EOF",
    "broken pipe",
    "i/o timeout",
    "no route to host",
    "permission denied",
    "TLS handshake timeout",
    "connection reset by peer",
    "resource temporarily unavailable",
    "unexpected EOF",
    "certificate has expired"
  };
  private static final String[] SERVICES = {
    "cart",
    "checkout",
    "inventory",
    "payments",
    "search",
    "recommendations",
    "shipping",
    "auth",
    "notifications",
    "billing"
  };

  /** A realistic value for a placeholder of this kind (mostly words; numbers where numbers go). */
  String value(String kind, String placeholder) {
    String k = kind.toLowerCase(Locale.ROOT);
    char conv = placeholder.charAt(placeholder.length() - 1);
    if (placeholder.startsWith("%") && "dDiuoxXfFeEgG".indexOf(conv) >= 0
        || k.matches(
                ".*(count|size|port|pid|offset|epoch|generation|line|number|timeout|code|id|runtime|duration|elapsed)$")
            && !k.equals("task_id")
            && !k.equals("dataset_id")
            && !k.equals("topic_id")) {
      return String.valueOf(
          pick("1", "3", "17", "42", "128", "500", "1024", "5432", "6379", "30000"));
    }
    String svc = pick(SERVICES);
    return switch (k) {
      case "table", "relation", "relation_schema", "entity", "object", "synonym" -> pick(TABLES);
      case "column",
          "columns",
          "field",
          "fields",
          "property",
          "attribute",
          "key",
          "parameter",
          "param",
          "argument",
          "column_description" ->
          pick(COLUMNS);
      case "database", "schema", "dataset_id", "datasource" ->
          pick("shop", "analytics", "billing", "shop_staging", "ledger", "catalog");
      case "role", "user", "username", "owner" ->
          pick("app_rw", "reporting", "migrator", "svc_orders", "readonly", "etl_loader");
      case "constraint", "foreign_key" ->
          pick(
              "orders_customer_id_fkey",
              "payments_pkey",
              "uq_users_email",
              "chk_quantity_positive");
      case "error", "cause", "description", "reason", "response", "retry_message" -> pick(ERRORS);
      case "exception" ->
          pick(
              "TimeoutError()",
              "KeyError('customer_id')",
              "ConnectionResetError(104, 'Connection reset by peer')",
              "OperationalError('server closed the connection unexpectedly')",
              "ValueError(\"invalid literal for int() with base 10: 'abc'\")");
      case "type" -> pick("STRING", "INT64", "NUMERIC", "RECORD", "TIMESTAMP", "JSON");
      case "rate_limit" -> pick("10/m", "100/s", "5/h");
      // SQLAlchemy's pool writes "Soft " or nothing before "Invalidate connection"; an index's
      // type ("flavor") is reflection's index_d.get("type", "index").
      case "soft_prefix" -> pick("", "Soft ");
      case "index_kind" -> pick("index", "fulltext", "spatial");
      case "exception_class", "class", "driver_class", "factory_type", "client_type" ->
          pick(
              "java.sql.SQLTransientConnectionException",
              "TimeoutError",
              "KeyError",
              "org.postgresql.Driver",
              "com.shop.cart.CartService",
              "ValueError",
              "java.io.IOException");
      case "task" ->
          pick(
              "tasks.sync_inventory",
              "tasks.build_invoice",
              "tasks.send_receipt",
              "tasks.reindex_products",
              "tasks.expire_carts");
      case "task_id" ->
          java.util.UUID.nameUUIDFromBytes(("t" + random.nextInt(1000)).getBytes()).toString();
      case "volume", "persistent_volume", "disk", "device", "snapshot" ->
          pick("pvc-data-" + svc, svc + "-cache", "db-credentials", "pd-ssd-" + svc, "tls-certs");
      case "node",
          "instance",
          "replica",
          "member",
          "member_name",
          "peer",
          "host",
          "hostname",
          "broker",
          "server",
          "upstream",
          "target",
          "endpoint",
          "authority" ->
          pick(
              "gke-prod-pool-1-" + Integer.toHexString(random.nextInt(0xffff)),
              svc + "-" + random.nextInt(5),
              "redis-master",
              "kafka-" + random.nextInt(3),
              "etcd-" + random.nextInt(3),
              svc + ".internal");
      case "pool", "thread_pool", "cache", "connection", "session" ->
          pick("HikariPool-1", svc + "-pool", "primary", "replica-pool", "default");
      case "topic", "topics", "queue", "group", "group_instance", "partition" ->
          pick("orders.created", "inventory.updated", "payments.settled", svc + "-events", "dlq");
      case "path", "file", "directory", "dir", "unix_socket", "socket_path" ->
          pick(
              "/var/lib/" + svc + "/data", "/etc/" + svc + "/config.yaml", "/tmp/" + svc + ".sock");
      case "method" ->
          pick("findByEmail", "processOrder", "reserveStock", "GetInventory", "PlaceOrder");
      case "url", "route" ->
          pick(
              "/api/cart",
              "/api/orders/checkout",
              "/v1/users/profile",
              "GetInventory",
              "PlaceOrder");
      case "module" -> pick("app.handlers", "shop.cart.views", "billing.tasks", "inventory.sync");
      case "zone", "region" -> pick("us-central1-a", "europe-west1-b", "us-east1-c", "asia-east1");
      case "cluster", "namespace", "project" ->
          pick("prod", "staging", "shop-prod", "data-platform");
      case "version" -> pick("v1.4.2", "2.7.1", "17.2", "v1beta1");
      case "address", "ip" -> "10." + random.nextInt(255) + "." + random.nextInt(255) + ".7:8080";
      case "value", "header_value", "body" ->
          pick("true", "pending", "EUR", "desk lamp", "'Yoga Mat'");
      default -> pick(svc, "primary", "default", "shop", "orders", "cart_v2", "legacy");
    };
  }

  /** The entry as the project's runtime writes it to Cloud Logging. */
  ObjectNode wrap(String project, String message, Instant at, int k) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("insertId", "dev" + k);
    e.put("timestamp", at.toString());
    e.put("severity", "ERROR");
    String service = project.toLowerCase(Locale.ROOT);
    ObjectNode resource = e.putObject("resource");
    String ts = at.toString().replace("T", " ").replace("Z", "");
    switch (project) {
      case "postgres" -> {
        resource.put("type", "cloudsql_database");
        resource.putObject("labels").put("database_id", "shop-prod:orders-db");
        e.put(
            "textPayload",
            ts + " UTC [" + (1000 + k % 9000) + "]: [3-1] db=shop,user=app_rw ERROR:  " + message);
        return e;
      }
      case "redis" -> {
        resource.put("type", "k8s_container");
        resource.putObject("labels").put("container_name", "redis");
        e.put("textPayload", "1:M " + ts + " # " + message);
        return e;
      }
      case "nginx" -> {
        resource.put("type", "k8s_container");
        resource.putObject("labels").put("container_name", "nginx");
        e.put(
            "textPayload",
            ts.replace('-', '/')
                + " [error] 29#29: *"
                + (k % 500)
                + " "
                + message
                + ", client: 10.0.3."
                + (k % 250)
                + ", server: shop.example.com");
        return e;
      }
      case "celery" -> {
        resource.put("type", "k8s_container");
        resource.putObject("labels").put("container_name", "celery-worker");
        e.put("textPayload", "[" + ts + ": ERROR/ForkPoolWorker-" + (k % 8) + "] " + message);
        return e;
      }
      default -> {
        resource.put("type", "cloud_run_revision");
        resource.putObject("labels").put("service_name", service);
        ObjectNode p = e.putObject("jsonPayload");
        p.put("message", message);
        p.put("logger", project);
        return e;
      }
    }
  }

  /** The projects of a corpus, in order of appearance (for per-family tables). */
  public static Set<String> projects(List<Format> formats) {
    Set<String> out = new LinkedHashSet<>();
    formats.forEach(f -> out.add(f.project()));
    return out;
  }
}
