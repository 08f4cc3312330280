package dev.loggardener.cli;

import dev.loggardener.priority.Rules;
import java.nio.file.Path;

/** What several subcommands share. */
final class CliSupport {
  private CliSupport() {}

  /** The rules file, or the bundled rules; a broken file is a usage problem (exit 2). */
  static Rules rules(Path path) {
    if (path == null) {
      return Rules.bundled();
    }
    try {
      return Rules.load(path);
    } catch (Rules.RulesException e) {
      throw new Gardener.UsageProblem("rules file " + e.getMessage());
    }
  }
}
