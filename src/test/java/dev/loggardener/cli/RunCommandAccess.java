package dev.loggardener.cli;

import java.util.Map;
import org.apache.beam.sdk.PipelineResult;

/** Test access to the counters as {@code gardener run} reads them. */
public final class RunCommandAccess {
  private RunCommandAccess() {}

  public static Map<String, Long> counters(PipelineResult r) {
    return RunCommand.counters(r);
  }
}
