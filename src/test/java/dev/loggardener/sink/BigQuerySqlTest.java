package dev.loggardener.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zetasql.SqlException;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLType.TypeKind;
import com.google.zetasql.resolvedast.ResolvedNodes;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedColumnRef;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedExpr;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedFilterScan;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedFunctionCall;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedQueryStmt;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedSubqueryExpr;
import dev.loggardener.logentry.Json;
import dev.loggardener.report.BigQueryReportData;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SQL text the project ships, analyzed by Google's ZetaSQL in BigQuery's mode against the
 * schema files: the views as Terraform renders them (terraform console over terraform/sql, no
 * provider needed), the same views as the Java code renders them, and the report's BigQuery
 * queries. DuckDB runs the same texts in ReportTest and DuckDbStoreTest.
 */
class BigQuerySqlTest {
  /** The views' texts as Terraform makes them, in the order they are created. */
  private static Map<String, String> terraformViews;

  @BeforeAll
  static void renderWithTerraform() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "terraform",
                "console",
                "-var",
                "dataset=" + BigQuerySql.PROJECT + "." + BigQuerySql.DATASET)
            .directory(Path.of("terraform", "sql").toFile())
            .redirectErrorStream(true);
    pb.environment().put("TF_CLI_CONFIG_FILE", "/dev/null");
    pb.environment().put("TF_IN_AUTOMATION", "1");
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write("jsonencode(local.views)\n".getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream s = p.getInputStream()) {
      s.transferTo(out);
    }
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "terraform console finished");
    String printed = out.toString(StandardCharsets.UTF_8).strip();
    assertEquals(0, p.exitValue(), printed);
    // The console prints the JSON document as a quoted string.
    String json = Json.mapper().readValue(printed, String.class);
    JsonNode views = Json.mapper().readTree(json);
    terraformViews = new LinkedHashMap<>();
    for (String name : SqlTexts.VIEWS) {
      terraformViews.put(name, views.get(name).asText());
    }
    for (String name : SqlTexts.ANALYST) {
      terraformViews.put(name, views.get(name).asText());
    }
    assertEquals(terraformViews.size(), views.size(), "terraform/sql renders no other view");
  }

  /** A catalog with the tables and, as tables, the views Terraform makes (in creation order). */
  private static BigQuerySql withViews() {
    BigQuerySql bq = new BigQuerySql();
    for (String view : SqlTexts.VIEWS) {
      bq.addView(view, terraformViews.get(view));
    }
    return bq;
  }

  @Test
  void bigQueryAcceptsEveryViewTerraformMakes() {
    BigQuerySql bq = new BigQuerySql();
    List<String> refused = new ArrayList<>();
    for (Map.Entry<String, String> view : terraformViews.entrySet()) {
      try {
        ResolvedStatement s = bq.analyze(view.getValue(), Map.of());
        for (var column : ((ResolvedQueryStmt) s).getOutputColumnList()) {
          if (!column.getName().matches("[a-z][a-z0-9_]*")) {
            refused.add(view.getKey() + ": output column `" + column.getName() + "`");
          }
        }
        if (SqlTexts.VIEWS.contains(view.getKey())) {
          bq.addView(view.getKey(), view.getValue());
        }
      } catch (SqlException e) {
        refused.add(view.getKey() + ": " + e.getMessage());
      }
    }
    assertEquals(List.of(), refused);
  }

  @Test
  void terraformAndTheJavaCodeRenderTheSameTexts() {
    for (Map.Entry<String, String> view : terraformViews.entrySet()) {
      String java =
          SqlTexts.VIEWS.contains(view.getKey())
              ? SqlTexts.view(view.getKey(), BigQuerySql::qualified)
              : SqlTexts.analyst(view.getKey(), BigQuerySql::qualified, SqlTexts.BIGQUERY_NOW);
      assertEquals(SqlTexts.statement(java), view.getValue(), view.getKey());
    }
  }

  @Test
  void bigQueryAcceptsEveryReportQuery() {
    BigQuerySql bq = new BigQuerySql();
    Type int64 = TypeFactory.createSimpleType(TypeKind.TYPE_INT64);
    Type string = TypeFactory.createSimpleType(TypeKind.TYPE_STRING);
    Map<String, Type> ranged = Map.of("from_ms", int64, "to_ms", int64, "service", string);
    for (Map.Entry<String, String> q : BigQueryReportData.queries(BigQuerySql::qualified)) {
      Map<String, Type> params = new LinkedHashMap<>(ranged);
      params.put("fps", TypeFactory.createArrayType(string));
      try {
        bq.analyze(q.getValue(), params);
      } catch (SqlException e) {
        throw new AssertionError(q.getKey() + ": " + e.getMessage() + "\n" + q.getValue(), e);
      }
    }
  }

  /** Reading the last N days: a filter on the partitioning column against a constant. */
  @Test
  void timeFiltersAreConstantsOnThePartitioningColumn() {
    BigQuerySql bq = withViews();
    for (String name :
        List.of("top_clusters_24h", "trend_per_fingerprint", "dead_letters_by_reason")) {
      assertTrue(
          prunes(bq.analyze(terraformViews.get(name), Map.of())),
          name + " filters its partitioning column against a constant");
    }
    assertTrue(prunes(bq.analyze(terraformViews.get("github_actions"), Map.of())));
  }

  /**
   * Can fail: the texts main shipped before this test, rejected or flagged as BigQuery would.
   * new_clusters named a CTE and a column first_window; Terraform's regex renamed a column alias;
   * top_clusters_24h filtered behind a subquery.
   */
  @Test
  void theTextsBeforeThisTestFail() {
    BigQuerySql bq = withViews();
    String newClusters =
        """
        WITH latest AS (SELECT * FROM `proj.ds.clusters_latest` WHERE entry_count > 0),
        newest AS (SELECT MAX(window_end) AS t FROM latest),
        first_window AS (
          SELECT fingerprint, MIN(window_start) AS first_window, SUM(entry_count) AS entries,
            MIN(priority) AS priority, ANY_VALUE(service) AS service, ANY_VALUE(template) AS template
          FROM latest GROUP BY fingerprint
        )
        SELECT fingerprint, service, priority, first_window, entries, template
        FROM first_window CROSS JOIN newest
        WHERE first_window.first_window >= newest.t - INTERVAL 24 HOUR
        ORDER BY priority, first_window, fingerprint""";
    SqlException e = assertThrows(SqlException.class, () -> bq.analyze(newClusters, Map.of()));
    assertTrue(e.getMessage().contains("ORDER BY does not support expressions of type STRUCT"));

    String deadLetters =
        """
        SELECT reason, step, COUNT(*) AS `proj.ds.dead_letters`, MIN(received_at) AS first_received
        FROM `proj.ds.dead_letters` GROUP BY reason, step""";
    ResolvedQueryStmt s = (ResolvedQueryStmt) bq.analyze(deadLetters, Map.of());
    assertEquals("proj.ds.dead_letters", s.getOutputColumnList().get(2).getName());

    String top =
        """
        WITH latest AS (SELECT * FROM `proj.ds.clusters_latest` WHERE entry_count > 0),
        newest AS (SELECT MAX(window_end) AS t FROM latest)
        SELECT fingerprint, SUM(entry_count) AS entries
        FROM latest CROSS JOIN newest
        WHERE latest.window_start >= newest.t - INTERVAL 24 HOUR
        GROUP BY fingerprint""";
    assertFalse(prunes(bq.analyze(top, Map.of())));
  }

  @Test
  void everyPlaceholderIsKnownAndEveryTextUsesOnlyThem() {
    for (String name : SqlTexts.VIEWS) {
      String text = SqlTexts.resource("/sql/" + name + ".sql");
      assertFalse(SqlTexts.placeholders(text).contains("now"), name + " takes no time");
    }
    List<String> texts = new ArrayList<>();
    SqlTexts.VIEWS.forEach(v -> texts.add(SqlTexts.resource("/sql/" + v + ".sql")));
    SqlTexts.ANALYST.forEach(a -> texts.add(SqlTexts.resource("/sql/analyst/" + a + ".sql")));
    for (String text : texts) {
      for (String line : text.split("\n")) {
        // A name filled into a comment would comment out the rest of an inlined view.
        int comment = line.indexOf("--");
        assertFalse(comment >= 0 && line.indexOf("${", comment) >= 0, line);
      }
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SqlTexts.render("SELECT * FROM ${clusters}", t -> t, null));
    assertTrue(e.getMessage().contains("${clusters}"));
  }

  private static final Set<String> PARTITIONING =
      Set.of("window_start", "received_at", "synced_at");

  private static final Set<String> COMPARISONS =
      Set.of("$greater", "$greater_or_equal", "$less", "$less_or_equal", "$equal", "$between");

  /**
   * Whether a filter compares a partitioning column (window_start, received_at, synced_at) with an
   * expression of no column and no subquery: what BigQuery needs to prune partitions.
   */
  static boolean prunes(ResolvedStatement statement) {
    boolean[] found = {false};
    statement.accept(
        new ResolvedNodes.Visitor() {
          @Override
          public void visit(ResolvedFilterScan scan) {
            scan.getFilterExpr()
                .accept(
                    new ResolvedNodes.Visitor() {
                      @Override
                      public void visit(ResolvedFunctionCall call) {
                        if (COMPARISONS.contains(call.getFunction().getName())) {
                          List<ResolvedExpr> args = call.getArgumentList();
                          boolean column =
                              args.get(0) instanceof ResolvedColumnRef ref
                                  && PARTITIONING.contains(ref.getColumn().getName());
                          if (column
                              && args.subList(1, args.size()).stream().allMatch(a -> constant(a))) {
                            found[0] = true;
                          }
                        }
                        super.visit(call);
                      }
                    });
            super.visit(scan);
          }
        });
    return found[0];
  }

  private static boolean constant(ResolvedExpr e) {
    boolean[] refers = {false};
    e.accept(
        new ResolvedNodes.Visitor() {
          @Override
          public void visit(ResolvedColumnRef ref) {
            refers[0] = true;
          }

          @Override
          public void visit(ResolvedSubqueryExpr sub) {
            refers[0] = true;
          }
        });
    return !refers[0];
  }
}
