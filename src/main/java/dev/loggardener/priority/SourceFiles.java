package dev.loggardener.priority;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.loggardener.cluster.ClusterPane;
import java.util.ArrayList;
import java.util.List;

/**
 * The source files a cluster comes from, most telling first: its logger when that is a path (Cloud
 * Logging's {@code sourceLocation.file}), then the top in-app frame of its stack trace (Python,
 * Java, Go, Node). Library and runtime frames are skipped: CODEOWNERS names the application's
 * files.
 */
final class SourceFiles {
  private SourceFiles() {}

  /** Text read for frames: enough for any real trace's top, bounded for hostile ones. */
  private static final int MAX_SCAN = 64 * 1024;

  private static final Pattern PYTHON =
      Pattern.compile("File \"([^\"\\n]{1,400})\", line (\\d+)(?:, in ([\\w.<>]{1,200}))?");
  private static final Pattern JAVA =
      Pattern.compile(
          "\\bat ((?:[\\w$]+\\.){1,40})([\\w$<>]+)\\(([\\w$]{1,200}\\.(?:java|kt|scala)):(\\d+)\\)");
  private static final Pattern PATH_LINE =
      Pattern.compile(
          "((?:[A-Za-z]:)?[\\w./\\\\@-]{1,400}\\.(?:go|js|mjs|cjs|ts|tsx|jsx|rb|php|cs|rs|py)):(\\d+)");
  private static final Pattern PATH_LIKE =
      Pattern.compile(
          "[\\w./\\\\@-]*[/\\\\][\\w.@-]+\\.[A-Za-z]{1,5}|[\\w.@-]+\\.(?:py|go|js|ts|java|kt|rb|php|cs|rs)");

  private static final String[] LIBRARY = {
    "site-packages",
    "dist-packages",
    "node_modules",
    "/usr/lib/",
    "/usr/local/lib/",
    "/go/pkg/mod/",
    "/usr/local/go/",
    "<frozen",
    "internal/",
    "node:"
  };
  private static final String[] JAVA_LIBRARY = {
    "java.",
    "javax.",
    "jdk.",
    "sun.",
    "com.sun.",
    "kotlin.",
    "scala.",
    "org.springframework.",
    "org.apache.",
    "io.grpc.",
    "io.netty.",
    "com.google.",
    "org.hibernate.",
    "reactor."
  };

  static List<String> of(ClusterPane pane) {
    List<String> out = new ArrayList<>();
    String module = pane.module();
    if (module != null && PATH_LIKE.matcher(module).matches()) {
      out.add(module);
    }
    String frame = topFrame(pane.message());
    if (frame == null && !pane.samples().isEmpty()) {
      frame = topFrame(pane.samples().get(0).replace("\\n", "\n").replace("\\\"", "\""));
    }
    if (frame != null) {
      out.add(frame);
    }
    return out;
  }

  /**
   * The file of the frame nearest the failure that is the application's: Python prints the
   * innermost call last, the others first.
   */
  static String topFrame(String text) {
    StackFrame f = topFrameOf(text);
    return f == null ? null : f.file();
  }

  /** As {@link #topFrame}, with the frame's function and line where the trace gives them. */
  static StackFrame topFrameOf(String text) {
    if (text == null) {
      return null;
    }
    String t = text.length() > MAX_SCAN ? text.substring(0, MAX_SCAN) : text;
    StackFrame last = null;
    Matcher py = PYTHON.matcher(t);
    while (py.find()) {
      if (!library(py.group(1))) {
        last = new StackFrame(py.group(1), py.group(3), py.group(2));
      }
    }
    if (last != null) {
      return last;
    }
    Matcher java = JAVA.matcher(t);
    while (java.find()) {
      String pkg = java.group(1);
      if (!startsWithAny(pkg, JAVA_LIBRARY)) {
        String dir = pkg.substring(0, pkg.length() - 1);
        int cls = dir.lastIndexOf('.');
        String file =
            (cls < 0 ? "" : dir.substring(0, cls).replace('.', '/') + "/") + java.group(3);
        return new StackFrame(file, pkg + java.group(2), java.group(4));
      }
    }
    Matcher path = PATH_LINE.matcher(t);
    while (path.find()) {
      if (!library(path.group(1))) {
        return new StackFrame(path.group(1), callerOf(t, path.start()), path.group(2));
      }
    }
    return null;
  }

  private static final Pattern NODE_CALL = Pattern.compile("\\bat ([\\w.$<>\\[\\] ]{1,200}?) \\($");
  private static final Pattern GO_CALL =
      Pattern.compile("^\\s*(\\S{1,300})\\([^()]{0,400}\\)\\s*$");

  /**
   * The function of a path:line frame: Node writes {@code at fn (path:line:col)}, Go the call on
   * the line before {@code \tpath:line +0x1f}.
   */
  private static String callerOf(String text, int at) {
    int lineStart = text.lastIndexOf('\n', at - 1) + 1;
    Matcher node = NODE_CALL.matcher(text.substring(lineStart, at));
    if (node.find()) {
      return node.group(1);
    }
    if (lineStart > 0) {
      int prevStart = text.lastIndexOf('\n', lineStart - 2) + 1;
      Matcher go = GO_CALL.matcher(text.substring(prevStart, lineStart - 1));
      if (go.matches()) {
        return go.group(1);
      }
    }
    return null;
  }

  private static boolean library(String path) {
    for (String l : LIBRARY) {
      if (path.contains(l)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithAny(String s, String[] prefixes) {
    for (String p : prefixes) {
      if (s.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
