package dev.loggardener.sink;

import dev.loggardener.logentry.DeadLetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;

/**
 * The embedded default: a DuckDB file ({@link DuckDbStore}), one transaction per bundle and table.
 *
 * @param deadLetterCoder the coder of the (empty) refused-rows output
 */
public record DuckDbSink(String path, Coder<DeadLetter> deadLetterCoder) implements Sink {

  @Override
  public <T> PCollection<DeadLetter> write(
      PCollection<T> rows, String table, SerializableFunction<T, Map<String, Object>> columns) {
    return rows.apply("DuckDb", ParDo.of(new DuckDbFn<>(path, table, columns)))
        .setCoder(deadLetterCoder);
  }

  @Override
  public List<String[]> learnedTemplates() {
    if (!java.nio.file.Files.exists(java.nio.file.Path.of(path))) {
      return List.of();
    }
    List<String[]> out = new ArrayList<>();
    try {
      java.sql.Connection c = DuckDbStore.connection(path);
      synchronized (c) {
        try (java.sql.Statement s = c.createStatement();
            java.sql.ResultSet r =
                s.executeQuery(
                    "SELECT service, logger, function, template FROM "
                        + TableSchemas.FINGERPRINT_TEMPLATES)) {
          while (r.next()) {
            out.add(new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4)});
          }
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(path + ": cannot read the learned templates", e);
    }
    return out;
  }

  /** Buffers a bundle's rows and upserts them at its end. */
  static final class DuckDbFn<T> extends DoFn<T, DeadLetter> {
    private final String path;
    private final String table;
    private final SerializableFunction<T, Map<String, Object>> columns;
    private transient List<Map<String, Object>> buffer;

    DuckDbFn(String path, String table, SerializableFunction<T, Map<String, Object>> columns) {
      this.path = path;
      this.table = table;
      this.columns = columns;
    }

    @StartBundle
    public void start() {
      buffer = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element T row) {
      buffer.add(columns.apply(row));
    }

    @FinishBundle
    public void finish() throws java.sql.SQLException {
      DuckDbStore.upsert(path, table, buffer);
      buffer = null;
    }
  }
}
