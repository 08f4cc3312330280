package dev.loggardener.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loggardener.cli.RunCommandAccess;
import dev.loggardener.sink.DuckDbStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** The batch job over a file into a DuckDB file, as `gardener run` does, for pipeline tests. */
final class LocalRun {
  private LocalRun() {}

  static Map<String, Long> run(Path input, String db, Consumer<GardenerOptions> more) {
    GardenerOptions o = PipelineOptionsFactory.as(GardenerOptions.class);
    o.setInput(input.toString());
    o.setDuckdb(db);
    more.accept(o);
    Pipeline p = Pipeline.create(o);
    GardenerPipeline.build(p, o, GardenerPipeline.sink(o));
    PipelineResult r = p.run();
    assertEquals(PipelineResult.State.DONE, r.waitUntilFinish());
    return RunCommandAccess.counters(r);
  }

  /** Entries in = counted + deduplicated + out of scope + dead-lettered. */
  static void assertAccounted(Map<String, Long> c, String db) throws Exception {
    assertEquals(
        c.get(GardenerMetrics.READ),
        counted(db)
            + c.getOrDefault(GardenerMetrics.DUPLICATES, 0L)
            + c.getOrDefault(GardenerMetrics.OUT_OF_SCOPE, 0L)
            + c.getOrDefault(GardenerMetrics.DEAD_LETTERS, 0L),
        "entries in = counted + deduplicated + out of scope + dead-lettered: " + c);
  }

  static long counted(String db) throws Exception {
    return Long.parseLong(
        query(db, "SELECT coalesce(sum(entry_count), 0) FROM clusters_latest").get(0)[0]);
  }

  static List<String[]> query(String db, String sql) throws Exception {
    Connection c = DuckDbStore.connection(db);
    List<String[]> out = new ArrayList<>();
    synchronized (DuckDbStore.class) {
      try (Statement s = c.createStatement();
          ResultSet r = s.executeQuery(sql)) {
        int n = r.getMetaData().getColumnCount();
        while (r.next()) {
          String[] row = new String[n];
          for (int i = 0; i < n; i++) {
            row[i] = r.getString(i + 1);
          }
          out.add(row);
        }
      }
    }
    return out;
  }
}
