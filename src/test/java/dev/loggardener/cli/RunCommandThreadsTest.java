package dev.loggardener.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RunCommandThreadsTest {
  @Test
  void oneWorkerThreadPerCoreAndNeverFewerThanTwo() {
    assertEquals(2, RunCommand.directThreads(1));
    assertEquals(2, RunCommand.directThreads(2));
    assertEquals(8, RunCommand.directThreads(8));
  }
}
