package dev.loggardener.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplaterTest {

  private static String t(String s) {
    return Templater.template(s);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // numbers, ids with digits, UUIDs, hex, durations, times
        "Job 4411 failed after 3 attempts | Job <*> failed after <*> attempts",
        "Multiple manager instances for user demo-user-001 | Multiple manager instances for user <*>",
        "Thread 3f2b9c1e-7a4d-4e5f-9b8a-1c2d3e4f5a6b not found | Thread <*> not found",
        "commit deadbeefcafe pushed | commit <*> pushed",
        "took 1.5s and 30ms | took <*> and <*>",
        "at 22:44:48 exactly | at <*> exactly",
        // key=value keeps the key; an empty value stays empty
        "logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4 | logname= uid=<*> euid=<*> tty=<*> ruser= rhost=<*>",
        // punctuation stays outside the value
        // a parenthesised value right after a value is part of it
        "connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri | connection from <*> at Fri",
        "close, 1143 bytes (1.11 KB) sent, 0 bytes received | close, <*> sent, <*> received",
        // numbers with units, and written-out dates, are one value each
        "lifetime <1 sec and 30 ms | lifetime <*> and <*>",
        "at Fri Jun 24 18:55:11 2005 (EST 2004) | at <*> <*> <*> <*> <*> (<*> <*>)",
        // the word after "user" is a user name; booleans are values; key:value keeps its key
        "session closed for user cyrus | session closed for user <*>",
        "invalid user user from 10.0.0.1 | invalid user <*> from <*>",
        "shouldBlockLocation ret:false and down true | shouldBlockLocation ret:<*> and down <*>",
        "cancelNotification,index:0 | <*>",
        "onExtend:1514038530000 14 | onExtend:<*> <*>",
        // a closing bracket opened inside the token stays with it
        "synchronized to LOCAL(0), stratum 10 | synchronized to <*>, stratum <*>",
        "Error sending unknown message ack to demo-user-001: | Error sending unknown message ack to <*>:",
        // empty pairs are values
        "args [] and () and \"\" | args [<*>] and (<*>) and \"<*>\"",
        // paths, URLs, emails and host names are values
        "Active base files: /var/lib/nova/instances/_base/a489 | Active base files: <*>",
        "fetching https://api.example.com/v1/items?page=2 now | fetching <*> now",
        "mail to bob@example.com bounced | mail to <*> bounced",
        "reverse mapping checking getaddrinfo for ns.marryaldkfaczcz.com failed | reverse mapping checking getaddrinfo for <*> failed",
        // quoted constant words stay, whitespace runs collapse
        "Need to call \"accept\"   first. | Need to call \"<*>\" first.",
        // values the redactor replaced are values
        "Created user <email> from JWT=<jwt> at <ip>,<ip> | Created user <*> from JWT=<*> at <*>",
        "redis at <ip>:6379: refused | redis at <*>: refused",
      })
  void masksValuesAndKeepsWords(String in, String out) {
    assertEquals(out, t(in));
  }

  @Test
  void runsOfVariablesAreNotCollapsed() {
    assertEquals("onExtend:<*> <*> <*> <*>", t("onExtend:1514038530000 14 0 4"));
    assertEquals("<*> <*> <*>", t("1 2 3"));
  }

  @Test
  void dottedCodeNamesAreNotHostNames() {
    assertEquals(
        "java.lang.NullPointerException in netra_backend.app.routes",
        t("java.lang.NullPointerException in netra_backend.app.routes"));
    assertEquals(
        "onReceive action: android.intent.action.SCREEN_ON",
        t("onReceive action: android.intent.action.SCREEN_ON"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "psycopg2.OperationalError: timeout | psycopg2.OperationalError: timeout",
        "io.netty.handler.codec.http2.Http2Exception: closed | io.netty.handler.codec.http2.Http2Exception: closed",
        "Http2Exception thrown | Http2Exception thrown",
        "version 2.73.0 of ssh2 | version <*> of <*>",
        "node-1.Error | <*>",
      })
  void exceptionNamesStayEvenWithDigits(String in, String out) {
    assertEquals(out, t(in));
  }

  @Test
  void constantWordsKeepProblemsApart() {
    assertNotEquals(
        t("Failed to connect to redis at 10.0.0.1:6379"),
        t("Failed to connect to postgres at 10.0.0.1:5432"));
    assertNotEquals(t("VM Started (Lifecycle Event)"), t("VM Paused (Lifecycle Event)"));
  }

  /**
   * Go's "…: %v", Python's "…: %s" % exc and Java's "…: {}" wrap an error after a clause that says
   * something failed: the error is one value, whatever its words (cloud-sql-proxy, etcd, Kafka).
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[orders-db] could not resolve instance version: connection reset by peer"
            + " | [orders-db] could not resolve instance version: i/o timeout",
        "Failed to connect to redis at 10.0.0.1:6379: timeout after 30 ms"
            + " | Failed to connect to redis at 10.0.0.2:6379: connection refused",
        "mingle: sync with etcd-0 failed: context deadline exceeded"
            + " | mingle: sync with etcd-1 failed: EOF",
        "could not open /var/lib/etcd/member (permission denied)"
            + " | could not open /var/lib/etcd/wal (no such file or directory)",
        "Could not add partition orders-3 due to unexpected error broken pipe"
            + " | Could not add partition payments-1 due to unexpected error TLS handshake timeout",
        "Unable to mount socket: EOF (skipped due to skip-failed-instance-config flag)"
            + " | Unable to mount socket: permission denied (skipped due to"
            + " skip-failed-instance-config flag)",
        "Can't open the append-only file /data/appendonly.aof: permission denied"
            + " | Can't open the append-only file /data/appendonly.aof: no space left on device",
        "CONFIG SET failed (possibly related to argument 'maxmemory') - EOF"
            + " | CONFIG SET failed (possibly related to argument 'dir') - permission denied",
        "Error unloading module inventory.sync: EOF | Error unloading module search.v2: busy",
        "Conflicting types for sku: TIMESTAMP and NUMERIC."
            + " | Conflicting types for sku: JSON and STRING.",
        "Unknown field mode: primary | Unknown field mode: REPEATED",
        "Disk pd-1 already published to node gke-a but incompatible: EOF"
            + " | Disk pd-2 already published to node gke-b but incompatible: access mode differs",
      })
  void aWrappedErrorIsOneValue(String a, String b) {
    assertEquals(t(a), t(b));
  }

  @Test
  void whatIsNotAWrappedErrorStays() {
    // The note that closes the line is the format's own: with it and without it are two formats.
    assertNotEquals(
        t("Unable to mount socket: EOF (skipped due to skip-failed-instance-config flag)"),
        t("Unable to mount socket: EOF"));
    // An exception type is the problem's identity.
    assertNotEquals(
        t("Task tasks.sync_inventory raised unexpected: TimeoutError()"),
        t("Task tasks.sync_inventory raised unexpected: KeyError('customer_id')"));
    // A line that describes rather than fails, a label chain, a quoted note, a code after a colon.
    assertNotEquals(
        t("critical input interrupt (unit=0x0b bit=0x0f): warning for torus z+ wire"),
        t("critical input interrupt (unit=0x0b bit=0x0f): warning for tree C1 wire"));
    assertNotEquals(
        t("panic: runtime error: invalid memory address or nil pointer dereference"),
        t("panic: runtime error: index out of range [5] with length 3"));
    assertNotEquals(
        t("TypeError: Cannot read properties of undefined (reading 'id')"),
        t("TypeError: Cannot read properties of undefined (setting 'id')"));
    assertNotEquals(
        t(
            "Could not determine join condition on relationship User.orders - there are no foreign"
                + " keys linking these tables via secondary table 'order_items'."),
        t(
            "Could not determine join condition on relationship User.orders - there are multiple"
                + " foreign key paths linking the tables via secondary table 'order_items'."));
    assertNotEquals(
        t("Could not connect through proxy p.example.com:5070 - Proxy closed the connection."),
        t("Could not connect through proxy p.example.com:5070 - Proxy server cannot connect."));
    assertNotEquals(
        t("error: Received disconnect from 10.0.0.7: 3: Auth fail [preauth]"),
        t("error: Received disconnect from 10.0.0.7: 3: No more methods [preauth]"));
  }

  /** Quoted code names the problem; a quoted data name is a value. */
  @Test
  void quotedCodeStaysAndQuotedDataIsAValue() {
    assertNotEquals(t("Class 'KeyError' is not mapped"), t("Class 'ValueError' is not mapped"));
    assertNotEquals(
        t("No method named 'findByEmail' on class x"),
        t("No method named 'reserveStock' on class x"));
    assertNotEquals(
        t("`DeleteConsumerGroups` request for group id dlq failed"),
        t("`DescribeShareGroups` request for group id dlq failed"));
    assertEquals(t("Unknown field 'customer_id'"), t("Unknown field 'sku'"));
  }

  /** Celery prints a label line, then its value on the next line, whole. */
  @Test
  void aShortLineAfterALabelLineIsItsValue() {
    String a =
        "Received invalid task message: EOF\nThe full contents of the message body was:\nEUR\n";
    String b =
        "Received invalid task message: EOF\n"
            + "The full contents of the message body was:\n'Yoga Mat'\n";
    assertEquals(t(a), t(b));
    assertTrue(t(a).endsWith("was:\n<*>"), t(a));
    // A label line after a label line stays: a chained traceback is not a value.
    assertEquals(
        "During handling of the above exception, another exception occurred:\n"
            + "Traceback (most recent call last):",
        t(
            "During handling of the above exception, another exception occurred:\n"
                + "Traceback (most recent call last):"));
  }

  /** A key keeps its name whatever its value looks like; a word after id, topics, named is one. */
  @Test
  void namedValues() {
    assertEquals(
        "Starting embedded database: url=<*>', username=<*>'",
        t("Starting embedded database: url='/api/cart', username='sa'").replace("'<*>'", "<*>'"));
    assertEquals(
        t("request for group id orders.created failed"),
        t("request for group id payments-events failed"));
    assertEquals(
        t("Not authorized to commit to topics orders.created"),
        t("Not authorized to commit to topics cart_events"));
    assertEquals(
        t("Table or view named warehouse_stock could not be reflected"),
        t("Table or view named order_items could not be reflected"));
  }

  /** The over-merges #17 found, each now two problems, and what stays one. */
  @Test
  void identitiesThatADigitOrAPositionUsedToMerge() {
    // A request's route is identity; ids in it and its query are values; the status stays.
    assertNotEquals(t("GET /api/cart 500"), t("GET /api/search?q=desk 500"));
    assertEquals("GET /api/orders/<*>/items?<*> 500", t("GET /api/orders/42/items?page=2 500"));
    assertEquals(
        "\"POST /v2/<*>/servers HTTP/1.1\" status: <*>",
        t("\"POST /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers HTTP/1.1\" status: 202"));
    // A protocol's version, a state after reason=.
    assertNotEquals(t("protocol TLSv1.2 not supported"), t("protocol TLSv1.3 not supported"));
    assertNotEquals(t("terminated reason=OOMKilled code=137"), t("terminated reason=Error code=1"));
    assertEquals(t("terminated reason=x1 code=137"), t("terminated reason=y2 code=1"));
    // The word after "user" stays masked even as a subject: "User alice not found" would put a
    // user's name in a template and an issue title, which outweighs telling "User login failed"
    // from "User signup failed" apart.
    assertEquals("User <*> not found", t("User alice not found"));
    assertEquals(t("session closed for user cyrus"), t("session closed for user news"));
  }

  /** tasks.build_invoice[4f1c…]: the task is identity, its run's id a value. */
  @Test
  void aNameWithAnIdInBracketsKeepsTheName() {
    assertEquals(
        "Task tasks.build_invoice[<*>] received",
        t("Task tasks.build_invoice[4f1c2a9e-0b7d-4e0a-9d7e-2b1f3c4d5e6f] received"));
    assertEquals("WWEN[disable]", t("WWEN[disable]"), "no digit: not an id");
  }

  @Test
  void javaStackTraceKeepsClassesAndMasksLineNumbers() {
    String a =
        "java.lang.IllegalStateException: Session 7f3a not found\n"
            + "\tat com.example.auth.SessionStore.get(SessionStore.java:142)\n"
            + "\tat com.example.auth.SessionFilter.doFilter(SessionFilter.java:57)\n"
            + "\t... 31 more";
    assertEquals(
        "java.lang.IllegalStateException: Session <*> not found\n"
            + "  at com.example.auth.SessionStore.get(SessionStore.java:<*>)\n"
            + "  at com.example.auth.SessionFilter.doFilter(SessionFilter.java:<*>)\n"
            + "... <*> more",
        t(a));
    assertEquals(t(a), t(a.replace(":142)", ":150)").replace("31 more", "12 more")));
  }

  @Test
  void pythonTracebackKeepsFilesAndFunctions() {
    String a =
        "Traceback (most recent call last):\n"
            + "  File \"/app/orders/db.py\", line 88, in fetch_orders\n"
            + "    rows = cursor.execute(query, params)\n"
            + "psycopg2.OperationalError: connection to server at \"10.0.0.5\", port 5432 failed";
    String tpl = t(a);
    assertTrue(tpl.contains("  File \"/app/orders/db.py\", line <*>, in fetch_orders"), tpl);
    assertTrue(
        tpl.endsWith("psycopg2.OperationalError: connection to server at \"<*>\", port <*> failed"),
        tpl);
    assertNotEquals(tpl, t(a.replace("fetch_orders", "fetch_invoices")));
  }

  @Test
  void goPanicMasksAddressesAndGoroutineIds() {
    String a =
        "panic: runtime error: invalid memory address or nil pointer dereference\n"
            + "goroutine 17 [running]:\n"
            + "main.(*Processor).handle(0xc000123456, 0x0)\n"
            + "\t/src/worker/processor.go:88 +0x1d";
    assertEquals(
        "panic: runtime error: invalid memory address or nil pointer dereference\n"
            + "goroutine <*> [running]:\n"
            + "  main.(*Processor).handle(<*>, <*>)\n"
            + "  /src/worker/processor.go:<*> +<*>",
        t(a));
  }

  @Test
  void nodeStackMasksLineAndColumn() {
    assertEquals(
        "TypeError: Cannot read properties of undefined (reading '<*>')\n"
            + "  at processJob (/srv/worker/jobs.js:<*>:<*>)",
        t(
            "TypeError: Cannot read properties of undefined (reading 'id')\n"
                + "    at processJob (/srv/worker/jobs.js:41:17)"));
  }

  @Test
  void hugeMessagesAreBounded() {
    String tpl = t("word ".repeat(100_000));
    assertTrue(tpl.length() <= Templater.MAX_TEMPLATE_CHARS + 1, "length " + tpl.length());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/v1/orders/42 | /api/v1/orders/<*>",
        "/api/v1/checkout/3f2b9c1e-7a4d-4e5f-9b8a-1c2d3e4f5a6b/confirm | /api/v1/checkout/<*>/confirm",
        "/v2beta1/users/u-17/avatar | /v2beta1/users/<*>/avatar",
        "/ | /",
        "/static/app.css | /static/app.css",
      })
  void requestPathsMaskIdSegments(String in, String out) {
    assertEquals(out, Templater.maskPath(in));
  }

  /**
   * What changes between builds and images is not the problem (#17): each pair is one problem,
   * logged by two builds, and must get one template.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          Traceback (most recent call last):\\n  File "/usr/local/lib/python3.11/site-packages/sqlalchemy/engine/base.py", line 1910, in _execute_context\\n    self.dialect.do_execute(\\nsqlalchemy.exc.OperationalError: connection refused | Traceback (most recent call last):\\n  File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line 1967, in _execute_context\\n    self.dialect.do_execute(\\nsqlalchemy.exc.OperationalError: connection refused
          Traceback (most recent call last):\\n  File "/app/.venv/lib/python3.11/site-packages/celery/app/trace.py", line 477, in trace_task\\nKeyError: 'customer_id' | Traceback (most recent call last):\\n  File "/opt/venv/lib/python3.11/site-packages/celery/app/trace.py", line 451, in trace_task\\nKeyError: 'customer_id'
          Traceback (most recent call last):\\n  File "/usr/lib/python3.10/asyncio/base_events.py", line 646, in run_until_complete\\nRuntimeError: Event loop is closed | Traceback (most recent call last):\\n  File "/usr/local/lib/python3.12/asyncio/base_events.py", line 687, in run_until_complete\\nRuntimeError: Event loop is closed
          java.lang.IllegalStateException: no session\\n\\tat com.shop.web.CartController$$EnhancerBySpringCGLIB$$8f3a2b1c.checkout(<generated>)\\n\\tat jdk.internal.reflect.GeneratedMethodAccessor412.invoke(Unknown Source) | java.lang.IllegalStateException: no session\\n\\tat com.shop.web.CartController$$EnhancerBySpringCGLIB$$4e5d6c7b.checkout(<generated>)\\n\\tat jdk.internal.reflect.GeneratedMethodAccessor97.invoke(Unknown Source)
          java.lang.NullPointerException\\n\\tat com.shop.Orders$$Lambda$1234/0x0000000800c4b840.apply(Unknown Source)\\n\\tat com.shop.Orders.total(Orders.java:42) | java.lang.NullPointerException\\n\\tat com.shop.Orders$$Lambda$987/0x0000000800a1c2d0.apply(Unknown Source)\\n\\tat com.shop.Orders.total(Orders.java:44)
          TypeError: Cannot read properties of undefined (reading 'id')\\n    at Object.handler (/app/.next/server/chunks/8423.js:1:2345)\\n    at async /app/.next/server/app/api/cart/route.js:1:987 | TypeError: Cannot read properties of undefined (reading 'id')\\n    at Object.handler (/app/.next/server/chunks/5127.js:1:2290)\\n    at async /app/.next/server/app/api/cart/route.js:1:990
          panic: runtime error: invalid memory address or nil pointer dereference\\ngoroutine 17 [running]:\\nmain.handler(0xc000123456)\\n\\t/go/pkg/mod/github.com/acme/shop@v1.4.2/handlers/cart.go:88 +0x1d\\nnet/http.HandlerFunc.ServeHTTP(0x6f1a20)\\n\\t/usr/local/go/src/net/http/server.go:2136 +0x29 | panic: runtime error: invalid memory address or nil pointer dereference\\ngoroutine 3 [running]:\\nmain.handler(0xc000987654)\\n\\t/go/pkg/mod/github.com/acme/shop@v1.5.0/handlers/cart.go:88 +0x1d\\nnet/http.HandlerFunc.ServeHTTP(0x6f2b30)\\n\\t/usr/lib/go-1.22/src/net/http/server.go:2166 +0x29
          """)
  void aTraceFromAnotherBuildIsTheSameProblem(String before, String after) {
    String a = t(before.replace("\\n", "\n").replace("\\t", "\t"));
    String b = t(after.replace("\\n", "\n").replace("\\t", "\t"));
    assertEquals(a, b);
    assertTrue(
        a.contains("sqlalchemy")
            || a.contains("celery")
            || a.contains("asyncio")
            || a.contains("CartController")
            || a.contains("Orders")
            || a.contains("route.js")
            || a.contains("cart.go"),
        a);
  }

  /** Different problems in the same code stay apart: the frames' modules and functions differ. */
  @Test
  void framesStillTellProblemsApart() {
    assertNotEquals(
        t(
            "KeyError: 'x'\n  File \"/usr/local/lib/python3.11/site-packages/celery/app/trace.py\", line 477, in trace_task"),
        t(
            "KeyError: 'x'\n  File \"/usr/local/lib/python3.11/site-packages/celery/worker/request.py\", line 477, in execute"));
  }

  /**
   * HikariCP logs "POOL - message": the pool's name is a value, the message after the dash is not.
   */
  @Test
  void aSendersNameBeforeALoneDashIsAValue() {
    assertEquals(
        "<*> - Connection is not available, request timed out after <*>",
        t(
            "HikariPool-1 - Connection is not available, request timed out after 30000ms."
                .replace("30000ms.", "30000ms")));
    assertEquals(
        t("replica-pool - using dataSource and ignoring dataSourceClassName."),
        t("primary - using dataSource and ignoring dataSourceClassName."));
    assertEquals("Disk full - retrying", t("Disk full - retrying"), "a dash after two words");
    // The Cloud SQL proxy names the instance in brackets first.
    assertEquals(
        t("[shop-prod:us-central1:orders-db] connection aborted - error reading from instance"),
        t("[billing:europe-west1:ledger] connection aborted - error reading from instance"));
    assertEquals("[error] upstream timed out", t("[error] upstream timed out"), "a plain word");
  }
}
