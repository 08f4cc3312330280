package dev.loggardener.cli;

import dev.loggardener.priority.Rules;
import dev.loggardener.report.DuckDbReportData;
import dev.loggardener.report.ReportData;
import dev.loggardener.report.Worklog;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gardener report}: the Markdown worklog from the cluster tables. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the Markdown worklog (the seed's sections) from the cluster tables.",
      "The range is --from/--to, or --since before the newest window in the tables (24h)."
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--duckdb", description = "DuckDB file written by gardener run.")
  Path duckdb;

  @Option(
      names = "--bigQueryDataset",
      description = "PROJECT:DATASET written by gardener run (reads through BigQuery's API).")
  String bigQueryDataset;

  @Option(names = "--service", description = "Only this service.")
  String service;

  @Option(
      names = "--since",
      description = "How far back from the newest window: 30m, 2h, 7d (default 24h).")
  String since;

  @Option(names = "--from", description = "Start, ISO-8601 (2025-09-14T22:00:00Z).")
  String from;

  @Option(names = "--to", description = "End, ISO-8601, exclusive.")
  String to;

  @Option(names = "--out", description = "Write the report here instead of to standard output.")
  Path out;

  @Option(
      names = "--repoUrl",
      paramLabel = "URL",
      description =
          "Link each cluster's source line: a repository's blob URL at a branch or commit"
              + " (https://github.com/OWNER/NAME/blob/main).")
  String repoUrl;

  @Option(names = "--rules", description = "Rules file for impact and actions (default bundled).")
  Path rules;

  @Option(
      names = "--clusters",
      description = "Clusters with a section of their own (default 10); all are in the tables.")
  int detailed = 10;

  private static final Pattern SINCE = Pattern.compile("(\\d+)([mhd])");

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (duckdb != null && bigQueryDataset != null) {
      err.println("gardener report: give one of --duckdb and --bigQueryDataset");
      return 2;
    }
    if ((from == null) != (to == null) || (from != null && since != null)) {
      err.println("gardener report: give --from and --to together, or --since");
      return 2;
    }
    Duration window;
    try {
      window = since(since == null ? "24h" : since);
    } catch (IllegalArgumentException e) {
      err.println("gardener report: " + e.getMessage());
      return 2;
    }
    Rules r;
    try {
      r = rules == null ? Rules.bundled() : Rules.load(rules);
    } catch (Rules.RulesException e) {
      err.println("gardener report: " + e.getMessage());
      return 2;
    }
    try (ReportData data = open()) {
      Instant start;
      Instant end;
      if (from != null) {
        start = Instant.parse(from);
        end = Instant.parse(to);
        if (!end.isAfter(start)) {
          err.println("gardener report: --to must be after --from");
          return 2;
        }
      } else {
        Optional<Instant> newest = data.newestWindowEnd();
        if (newest.isEmpty()) {
          emit(
              "# GCP Log Gardener worklog\n\n## No issues found\n\nThe tables hold no clusters"
                  + " yet: run `gardener run` first.\n");
          return 0;
        }
        end = newest.get();
        start = end.minus(window);
      }
      String source =
          duckdb != null || bigQueryDataset == null
              ? "DuckDB " + duckdbPath().getFileName()
              : "BigQuery " + bigQueryDataset;
      emit(
          Worklog.render(
              data, r, new Worklog.Scope(start, end, service, source, detailed, repoUrl)));
      return 0;
    } catch (DateTimeParseException e) {
      err.println("gardener report: not an ISO-8601 time: " + e.getParsedString());
      return 2;
    } catch (IOException e) {
      String held = CliSupport.heldFile(duckdbPath(), e.getMessage());
      err.println("gardener report: " + (held != null ? held : e.getMessage()));
      return 1;
    }
  }

  private Path duckdbPath() {
    return duckdb == null ? Path.of("gardener.duckdb") : duckdb;
  }

  private ReportData open() throws IOException {
    if (bigQueryDataset != null) {
      return new dev.loggardener.report.BigQueryReportData(bigQueryDataset);
    }
    return new DuckDbReportData(duckdbPath());
  }

  private void emit(String markdown) throws IOException {
    if (out == null) {
      PrintWriter w = spec.commandLine().getOut();
      w.print(markdown);
      w.flush();
    } else {
      Files.writeString(out, markdown, StandardCharsets.UTF_8);
    }
  }

  static Duration since(String s) {
    Matcher m = SINCE.matcher(s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("--since takes a number and m, h or d, like 2h, not " + s);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
