package dev.loggardener.sink;

import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import dev.loggardener.fingerprint.FingerprintState;
import dev.loggardener.logentry.DeadLetter;
import dev.loggardener.logentry.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryHelpers;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryIO;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryOptions;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServices;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryServicesImpl;
import org.apache.beam.sdk.io.gcp.bigquery.BigQueryStorageApiInsertError;
import org.apache.beam.sdk.io.gcp.bigquery.WriteResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
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

  /**
   * The {@code fingerprint_templates} table, read by the job (an export, as BigQueryIO reads a
   * table) into a side input, so a new job, or one with new {@code --stateShards}, merges as if it
   * had seen what earlier jobs saw. None when the table does not exist yet (a first job with {@code
   * --createTables}); looked up on the launcher.
   */
  @Override
  public PCollection<KV<String, String>> readLearnedTemplates(Pipeline p) {
    TableReference ref =
        BigQueryHelpers.parseTableSpec(dataset + "." + TableSchemas.FINGERPRINT_TEMPLATES);
    BigQueryServices services = testServices != null ? testServices : new BigQueryServicesImpl();
    BigQueryOptions options = p.getOptions().as(BigQueryOptions.class);
    if (options.getTempLocation() == null) {
      System.err.println(
          "gardener: no --tempLocation, so "
              + BigQueryHelpers.toTableSpec(ref)
              + " is not read back: this job starts without what earlier jobs learned");
      return null;
    }
    try (BigQueryServices.DatasetService datasets = services.getDatasetService(options)) {
      if (datasets.getTable(ref) == null) {
        return null;
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot look up " + BigQueryHelpers.toTableSpec(ref), e);
    }
    BigQueryIO.TypedRead<TableRow> read =
        BigQueryIO.readTableRows().from(ref).withMethod(BigQueryIO.TypedRead.Method.EXPORT);
    if (testServices != null) {
      read = read.withTestServices(testServices).withoutValidation();
    }
    return p.apply("ReadLearnedTemplates", read)
        .apply(
            "TemplatesByBucket",
            MapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                .via(
                    (TableRow r) -> {
                      String template = (String) r.get("template");
                      return KV.of(
                          FingerprintState.bucketKey(
                              text(r.get("service")),
                              text(r.get("logger")),
                              text(r.get("function")),
                              template),
                          template);
                    }));
  }

  private static String text(Object v) {
    return v == null ? "" : v.toString();
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
