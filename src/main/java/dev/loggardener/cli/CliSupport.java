package dev.loggardener.cli;

import dev.loggardener.priority.Rules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What several subcommands share. */
final class CliSupport {
  private CliSupport() {}

  private static final Pattern LOCK_PID = Pattern.compile("Could not set lock.*\\(PID (\\d+)\\)");

  /**
   * For DuckDB's error on a file another process writes, one line saying who holds it and how to
   * read it anyway; null for any other error. The copy takes the write-ahead log with it: rows
   * written since DuckDB's last checkpoint are only there.
   */
  static String heldFile(Path duckdb, String error) {
    if (error == null || !error.contains("Could not set lock")) {
      return null;
    }
    Matcher pid = LOCK_PID.matcher(error);
    String name = duckdb.getFileName().toString();
    Path copy =
        duckdb.resolveSibling(
            (name.endsWith(".duckdb") ? name.substring(0, name.length() - 7) : name)
                + "-copy.duckdb");
    Path wal = Path.of(duckdb + ".wal");
    return duckdb
        + " is held by another process ("
        + (pid.find() ? "PID " + pid.group(1) + "; " : "")
        + "a streaming gardener run holds its file until it stops): stop it with Ctrl-C, or read a"
        + " copy: cp "
        + duckdb
        + " "
        + copy
        + (Files.exists(wal) ? " && cp " + wal + " " + copy + ".wal" : "")
        + ", then --duckdb "
        + copy;
  }

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
