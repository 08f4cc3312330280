package dev.loggardener.cli;

/** Test access: stop the streaming runs this JVM started, as Ctrl-C does. */
public final class RunCommandStop {
  private RunCommandStop() {}

  public static void stopAll() {
    RunCommand.stopAll();
  }
}
