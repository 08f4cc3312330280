package dev.loggardener.sink;

import com.google.api.services.bigquery.model.TableRow;
import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryStorageApiInsertError;
import org.apache.beam.sdk.io.gcp.bigquery.WriteResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * BigQuery, through BigQueryIO's Storage Write API (exactly once). Rows BigQuery refuses come back
 * as dead letters (reason {@code sink_rejected}), as DataflowTemplates sends them to its
 * dead-letter table.
 *
 * @param dataset {@code project:dataset} or {@code project.dataset}
 * @param streaming whether the input is unbounded, which BigQueryIO writes the streaming way
 * @param testServices Beam's fake services in tests, else null
 */
public record BigQuerySink(
    String dataset,
    boolean createTables,
    boolean streaming,
    Coder<DeadLetter> deadLetterCoder,
    BigQueryServices testServices)
    implements Sink {

  public BigQuerySink(
      String dataset, boolean createTables, boolean streaming, Coder<DeadLetter> deadLetterCoder) {
    this(dataset, createTables, streaming, deadLetterCoder, null);
  }

  /** The same sink, through Beam's fake BigQuery services (tests). */
  public BigQuerySink withTestServices(BigQueryServices services) {
    return new BigQuerySink(dataset, createTables, streaming, deadLetterCoder, services);
  }

  @Override
  public <T> PCollection<DeadLetter> write(
      PCollection<T> rows, String table, SerializableFunction<T, Map<String, Object>> columns) {
    BigQueryIO.Write<T> write =
        BigQueryIO.<T>write()
            .to(dataset + "." + table)
            .withFormatFunction(r -> tableRow(columns.apply(r)))
            .withSchema(TableSchemas.bigQuery(table))
            .withMethod(BigQueryIO.Write.Method.STORAGE_WRITE_API)
            .withWriteDisposition(BigQueryIO.Write.WriteDisposition.WRITE_APPEND)
            .withCreateDisposition(
                createTables
                    ? BigQueryIO.Write.CreateDisposition.CREATE_IF_NEEDED
                    : BigQueryIO.Write.CreateDisposition.CREATE_NEVER);
    if (streaming) {
      write = write.withTriggeringFrequency(Duration.standardSeconds(5)).withAutoSharding();
    }
    if (testServices != null) {
      write = write.withTestServices(testServices).withoutValidation();
    }
    WriteResult result = rows.apply("BigQuery", write);
    return result
        .getFailedStorageApiInserts()
        .apply("Refused", ParDo.of(new RefusedFn(table)))
        .setCoder(deadLetterCoder);
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

  /** A refused row as a dead letter: the row as JSON, BigQuery's reason as the detail. */
  static final class RefusedFn extends DoFn<BigQueryStorageApiInsertError, DeadLetter> {
    private final String table;
    private final Counter refused = Metrics.counter("gardener", "rows_rejected");

    RefusedFn(String table) {
      this.table = table;
    }

    @ProcessElement
    public void process(@Element BigQueryStorageApiInsertError e, OutputReceiver<DeadLetter> out)
        throws IOException {
      refused.inc();
      out.output(
          new DeadLetter(
              "write",
              DeadLetter.Reason.SINK_REJECTED,
              e.getErrorMessage(),
              Json.mapper().writeValueAsString(e.getRow()),
              Map.of("table", table),
              Instant.now()));
    }
  }
}
