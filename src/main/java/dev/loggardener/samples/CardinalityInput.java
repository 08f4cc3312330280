package dev.loggardener.samples;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loggardener.evaluate.LoghubEvaluation;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Inputs of a chosen number of clusters, for the cardinality benchmarks (BENCHMARKS.md): valid
 * ERROR entries only, spread evenly over a time span.
 *
 * <ul>
 *   <li>{@code fingerprints:N} — N problems, drawn uniformly. Each starts with a word of its own
 *       (the fingerprinter never merges templates whose first words differ), then varies in a batch
 *       id and a tenant.
 *   <li>{@code distinct} — every entry a problem of its own.
 *   <li>{@code loghub:DIR} — the messages of Loghub-2k's 16 systems, drawn uniformly, one service
 *       per system: real messages, about 1,500 fingerprints.
 * </ul>
 */
public final class CardinalityInput {
  private CardinalityInput() {}

  public static void write(
      String spec, long entries, long seed, Instant start, Duration span, OutputStream out)
      throws IOException {
    Random random = new Random(seed);
    List<String[]> loghub = spec.startsWith("loghub:") ? loghub(Path.of(spec.substring(7))) : null;
    int problems =
        spec.startsWith("fingerprints:") ? Integer.parseInt(spec.substring(13)) : Integer.MAX_VALUE;
    if (loghub == null && !spec.equals("distinct") && !spec.startsWith("fingerprints:")) {
      throw new IllegalArgumentException(
          "--cardinality: fingerprints:N, distinct or loghub:DIR, not " + spec);
    }
    long spanMillis = span.toMillis();
    for (long i = 0; i < entries; i++) {
      String service;
      String message;
      if (loghub != null) {
        String[] m = loghub.get(random.nextInt(loghub.size()));
        service = m[0];
        message = m[1];
      } else {
        long problem = problems == Integer.MAX_VALUE ? i : random.nextInt(problems);
        service = "ingest-worker";
        message =
            Families.pseudoWord((int) problem)
                + " job failed to process batch "
                + Long.toHexString(random.nextLong())
                + " for tenant t-"
                + random.nextInt(5000)
                + ": deadline exceeded";
      }
      ObjectNode e = JsonNodeFactory.instance.objectNode();
      e.put("insertId", "c-" + i);
      e.put("timestamp", start.plusMillis(spanMillis * i / Math.max(1, entries)).toString());
      e.put("severity", "ERROR");
      ObjectNode resource = e.putObject("resource");
      resource.put("type", "cloud_run_revision");
      resource.putObject("labels").put("service_name", service);
      e.putObject("jsonPayload").put("message", message);
      out.write(e.toString().getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
  }

  /** (service, message) for every line of every system's structured CSV under {@code dir}. */
  private static List<String[]> loghub(Path dir) throws IOException {
    List<String[]> out = new ArrayList<>();
    try (Stream<Path> systems = Files.list(dir)) {
      for (Path system : systems.sorted().toList()) {
        Path csv = system.resolve(system.getFileName() + "_2k.log_structured_corrected.csv");
        if (!Files.exists(csv)) {
          continue;
        }
        List<List<String>> rows = LoghubEvaluation.readCsv(csv);
        int content = rows.get(0).indexOf("Content");
        String service = system.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        for (List<String> row : rows.subList(1, rows.size())) {
          out.add(new String[] {service, row.get(content)});
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(dir + ": no Loghub-2k systems");
    }
    return out;
  }
}
