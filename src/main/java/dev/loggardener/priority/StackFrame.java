package dev.loggardener.priority;

/**
 * The frame of a stack trace nearest the failure that is the application's, not a library's or the
 * runtime's: where on-call starts reading.
 *
 * @param file the frame's file (for Java, its package path and file name)
 * @param function the function or method, or null where the trace does not say
 * @param line the line number, or null
 */
public record StackFrame(String file, String function, String line) {

  /** The top in-app frame of a Python, Java, Go or Node trace in {@code text}, or null. */
  public static StackFrame top(String text) {
    return SourceFiles.topFrameOf(text);
  }
}
