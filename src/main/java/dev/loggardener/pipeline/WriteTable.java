package dev.loggardener.pipeline;

import com.google.api.services.bigquery.model.TableRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * Writes rows to one table: BigQuery through BigQueryIO's Storage Write API (exactly once), or the
 * DuckDB file. Both take the columns of the table's schema file.
 */
public final class WriteTable<T> extends PTransform<PCollection<T>, PDone> {
  private final String table;
  private final SerializableFunction<T, Map<String, Object>> columns;
  private final Sink sink;

  /** Where rows go. */
  public record Sink(
      String bigQueryDataset,
      String duckdb,
      boolean createTables,
      boolean streaming,
      BigQueryServices testServices)
      implements java.io.Serializable {

    public static Sink duckDb(String path) {
      return new Sink(null, path, false, false, null);
    }

    public static Sink bigQuery(String dataset, boolean createTables, boolean streaming) {
      return new Sink(dataset, null, createTables, streaming, null);
    }

    /** The same sink, through Beam's fake BigQuery services (tests). */
    public Sink withTestServices(BigQueryServices services) {
      return new Sink(bigQueryDataset, duckdb, createTables, streaming, services);
    }
  }

  public WriteTable(String table, SerializableFunction<T, Map<String, Object>> columns, Sink sink) {
    this.table = table;
    this.columns = columns;
    this.sink = sink;
  }

  @Override
  public PDone expand(PCollection<T> rows) {
    if (sink.bigQueryDataset() != null) {
      BigQueryIO.Write<T> write =
          BigQueryIO.<T>write()
              .to(sink.bigQueryDataset() + "." + table)
              .withFormatFunction(r -> tableRow(columns.apply(r)))
              .withSchema(TableSchemas.bigQuery(table))
              .withMethod(BigQueryIO.Write.Method.STORAGE_WRITE_API)
              .withWriteDisposition(BigQueryIO.Write.WriteDisposition.WRITE_APPEND)
              .withCreateDisposition(
                  sink.createTables()
                      ? BigQueryIO.Write.CreateDisposition.CREATE_IF_NEEDED
                      : BigQueryIO.Write.CreateDisposition.CREATE_NEVER);
      if (sink.streaming()) {
        write = write.withTriggeringFrequency(Duration.standardSeconds(5)).withAutoSharding();
      }
      if (sink.testServices() != null) {
        write = write.withTestServices(sink.testServices()).withoutValidation();
      }
      rows.apply("BigQuery", write);
    } else {
      rows.apply("DuckDb", ParDo.of(new DuckDbFn<>(sink.duckdb(), table, columns)));
    }
    return PDone.in(rows.getPipeline());
  }

  /** A BigQuery row: timestamps as microseconds since the epoch, lists as lists. */
  static TableRow tableRow(Map<String, Object> columns) {
    TableRow row = new TableRow();
    for (Map.Entry<String, Object> c : columns.entrySet()) {
      Object v = c.getValue();
      if (v instanceof Instant t) {
        v = t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
      }
      if (v != null) {
        row.set(c.getKey(), v);
      }
    }
    return row;
  }

  static final class DuckDbFn<T> extends DoFn<T, Void> {
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
