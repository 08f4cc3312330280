package dev.loggardener.sink;

import com.google.zetasql.Analyzer;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.LanguageOptions;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.ZetaSQLBuiltinFunctionOptions;
import com.google.zetasql.ZetaSQLOptions.ProductMode;
import com.google.zetasql.ZetaSQLType.TypeKind;
import com.google.zetasql.resolvedast.ResolvedNodes.ResolvedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Google's SQL analyzer (ZetaSQL, the open-source front end of BigQuery's GoogleSQL) in BigQuery's
 * product mode, with the tables the pipeline writes registered from the schema files the Java code
 * and Terraform read. A text it rejects would fail in BigQuery too.
 */
public final class BigQuerySql {
  /** The dataset the tables are registered in: texts name them `project.dataset.table`. */
  public static final String PROJECT = "proj";

  public static final String DATASET = "ds";

  private final SimpleCatalog catalog = new SimpleCatalog("bigquery");
  private final LanguageOptions language = new LanguageOptions();

  public BigQuerySql() {
    language.enableMaximumLanguageFeatures();
    language.setSupportsAllStatementKinds();
    language.setProductMode(ProductMode.PRODUCT_EXTERNAL);
    catalog.addZetaSQLFunctionsAndTypes(new ZetaSQLBuiltinFunctionOptions(language));
    SimpleCatalog project = catalog.addNewSimpleCatalog(PROJECT);
    SimpleCatalog dataset = project.addNewSimpleCatalog(DATASET);
    for (String table : TableSchemas.ALL) {
      SimpleTable t = new SimpleTable(table);
      for (TableSchemas.Column c : TableSchemas.columns(table)) {
        t.addSimpleColumn(new SimpleColumn(table, c.name(), type(c)));
      }
      dataset.addSimpleTable(t);
      // `proj.ds.table` in backticks is one identifier with dots in it, as BigQuery reads it.
      catalog.addSimpleTable(PROJECT + "." + DATASET + "." + table, t);
    }
  }

  /** A view of the dataset, as the views Terraform makes (resolvable like a table). */
  public void addView(String name, String sql) {
    ResolvedStatement s = analyze(sql, Map.of());
    SimpleTable t = new SimpleTable(name);
    for (var column :
        ((com.google.zetasql.resolvedast.ResolvedNodes.ResolvedQueryStmt) s)
            .getOutputColumnList()) {
      t.addSimpleColumn(new SimpleColumn(name, column.getName(), column.getColumn().getType()));
    }
    catalog.getCatalog(PROJECT).getCatalog(DATASET).addSimpleTable(t);
    catalog.addSimpleTable(PROJECT + "." + DATASET + "." + name, t);
  }

  private static Type type(TableSchemas.Column c) {
    TypeKind kind =
        switch (c.type()) {
          case "STRING" -> TypeKind.TYPE_STRING;
          case "INTEGER", "INT64" -> TypeKind.TYPE_INT64;
          case "FLOAT", "FLOAT64" -> TypeKind.TYPE_DOUBLE;
          case "BOOLEAN", "BOOL" -> TypeKind.TYPE_BOOL;
          case "TIMESTAMP" -> TypeKind.TYPE_TIMESTAMP;
          default -> throw new IllegalArgumentException("no BigQuery type for " + c);
        };
    Type t = TypeFactory.createSimpleType(kind);
    return c.repeated() ? TypeFactory.createArrayType(t) : t;
  }

  /**
   * Analyzes one statement with named query parameters ({@code @name}); throws ZetaSQL's {@code
   * SqlException} with BigQuery's message where BigQuery would refuse the text.
   */
  public ResolvedStatement analyze(String sql, Map<String, Type> parameters) {
    AnalyzerOptions options = new AnalyzerOptions();
    options.setLanguageOptions(language);
    for (Map.Entry<String, Type> p : parameters.entrySet()) {
      options.addQueryParameter(p.getKey(), p.getValue());
    }
    return Analyzer.analyzeStatement(strip(sql), options, catalog);
  }

  /** The text without its trailing semicolon (a view's text has none). */
  static String strip(String sql) {
    String s = sql.strip();
    return s.endsWith(";") ? s.substring(0, s.length() - 1) : s;
  }

  /** `proj.ds.name` for each table, as Terraform and the report qualify them. */
  public static String qualified(String name) {
    return "`" + PROJECT + "." + DATASET + "." + name + "`";
  }

  static List<String> names() {
    return new ArrayList<>(TableSchemas.ALL);
  }
}
