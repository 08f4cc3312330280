package dev.loggardener.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import dev.loggardener.logentry.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables' one definition: BigQuery JSON schema files under {@code src/main/resources/schema/},
 * read here for BigQueryIO and DuckDB, and by Terraform for the real tables.
 */
public final class TableSchemas {
  public static final String CLUSTER_WINDOWS = "cluster_windows";
  public static final String DEAD_LETTERS = "dead_letters";
  public static final String FINGERPRINT_ALIASES = "fingerprint_aliases";
  public static final String FINGERPRINT_TEMPLATES = "fingerprint_templates";
  public static final String GITHUB_SYNC = "github_sync";
  public static final String SERVICE_WINDOWS = "service_windows";

  /** Every table, each with its schema file. */
  public static final List<String> ALL =
      List.of(
          CLUSTER_WINDOWS,
          DEAD_LETTERS,
          FINGERPRINT_ALIASES,
          FINGERPRINT_TEMPLATES,
          GITHUB_SYNC,
          SERVICE_WINDOWS);

  /** One column of a schema file. */
  public record Column(String name, String type, String mode, String description) {
    boolean repeated() {
      return "REPEATED".equals(mode);
    }
  }

  private TableSchemas() {}

  /** Each schema file read once: DuckDB writes ask for the columns on every bundle. */
  private static final java.util.Map<String, List<Column>> COLUMNS =
      new java.util.concurrent.ConcurrentHashMap<>();

  public static List<Column> columns(String table) {
    return COLUMNS.computeIfAbsent(table, TableSchemas::read);
  }

  private static List<Column> read(String table) {
    String resource = "/schema/" + table + ".json";
    try (InputStream in = TableSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no schema " + resource);
      }
      JsonNode fields = Json.mapper().readTree(in);
      List<Column> out = new ArrayList<>();
      for (JsonNode f : fields) {
        out.add(
            new Column(
                f.get("name").asText(),
                f.get("type").asText(),
                f.path("mode").asText("NULLABLE"),
                f.path("description").asText("")));
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TableSchema bigQuery(String table) {
    List<TableFieldSchema> fields = new ArrayList<>();
    for (Column c : columns(table)) {
      fields.add(
          new TableFieldSchema()
              .setName(c.name())
              .setType(c.type())
              .setMode(c.mode())
              .setDescription(c.description()));
    }
    return new TableSchema().setFields(fields);
  }

  /** CREATE TABLE for DuckDB, with the primary key that makes re-runs replace rather than add. */
  public static String duckDbDdl(String table, List<String> primaryKey) {
    StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table).append(" (");
    for (Column c : columns(table)) {
      sb.append("\n  ").append(c.name()).append(' ').append(duckDbType(c));
      if ("REQUIRED".equals(c.mode())) {
        sb.append(" NOT NULL");
      }
      sb.append(',');
    }
    sb.append("\n  PRIMARY KEY (").append(String.join(", ", primaryKey)).append(")\n)");
    return sb.toString();
  }

  public static String duckDbType(Column c) {
    String base =
        switch (c.type()) {
          case "STRING" -> "VARCHAR";
          case "INTEGER", "INT64" -> "BIGINT";
          case "FLOAT", "FLOAT64" -> "DOUBLE";
          case "BOOLEAN", "BOOL" -> "BOOLEAN";
          case "TIMESTAMP" -> "TIMESTAMP";
          default -> throw new IllegalArgumentException("no DuckDB type for " + c.type());
        };
    return c.repeated() ? base + "[]" : base;
  }
}
