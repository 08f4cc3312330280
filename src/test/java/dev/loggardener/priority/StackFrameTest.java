package dev.loggardener.priority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The top in-app frame, with its function and line, of the traces the runtimes write. */
class StackFrameTest {
  @Test
  void pythonsInnermostApplicationFrame() {
    String trace =
        "Traceback (most recent call last):\n"
            + "  File \"/app/orders/db.py\", line 88, in fetch_orders\n"
            + "    rows = cursor.execute(query, params)\n"
            + "  File \"/usr/local/lib/python3.11/site-packages/psycopg2/extras.py\", line 146,"
            + " in execute\n"
            + "    return super().execute(query, vars)\n"
            + "psycopg2.OperationalError: connection to server at \"<ip>\", port 5432 failed";
    assertEquals(new StackFrame("/app/orders/db.py", "fetch_orders", "88"), StackFrame.top(trace));
  }

  @Test
  void javasFirstApplicationFrame() {
    String trace =
        "java.lang.IllegalStateException: Session <*> not found in store\n"
            + "\tat java.base/java.util.Objects.requireNonNull(Objects.java:233)\n"
            + "\tat com.example.auth.SessionStore.get(SessionStore.java:142)\n"
            + "\tat com.example.auth.SessionFilter.doFilter(SessionFilter.java:57)\n";
    assertEquals(
        new StackFrame(
            "com/example/auth/SessionStore.java", "com.example.auth.SessionStore.get", "142"),
        StackFrame.top(trace));
  }

  @Test
  void goTakesTheCallFromTheLineBefore() {
    String trace =
        "panic: runtime error: invalid memory address or nil pointer dereference\n"
            + "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]\n\n"
            + "goroutine 12 [running]:\n"
            + "main.(*Processor).handle(0xc0001a2b3c, 0x0)\n"
            + "\t/src/worker/processor.go:88 +0x1d\n"
            + "main.main()\n"
            + "\t/src/worker/main.go:41 +0x3f";
    assertEquals(
        new StackFrame("/src/worker/processor.go", "main.(*Processor).handle", "88"),
        StackFrame.top(trace));
  }

  @Test
  void nodeNamesTheFunctionBeforeThePath() {
    String trace =
        "TypeError: Cannot read properties of undefined (reading 'id')\n"
            + "    at Object.get (/srv/worker/node_modules/lru/index.js:9:3)\n"
            + "    at processJob (/srv/worker/jobs.js:41:17)\n"
            + "    at async Worker.run (/srv/worker/index.js:12:5)";
    assertEquals(new StackFrame("/srv/worker/jobs.js", "processJob", "41"), StackFrame.top(trace));
  }

  @Test
  void noTraceNoFrame() {
    assertNull(StackFrame.top("Session access failed (middleware not installed?)"));
    assertNull(StackFrame.top(null));
  }
}
