-- Entries per window for every fingerprint, with the change from its previous window.
-- DuckDB: duckdb gardener.duckdb < trend_per_fingerprint.sql
-- BigQuery: bq query --use_legacy_sql=false --dataset_id=PROJECT:DATASET < trend_per_fingerprint.sql
WITH latest AS (
  SELECT * FROM cluster_windows
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY fingerprint, window_start ORDER BY pane_index DESC) = 1
)
SELECT
  fingerprint,
  window_start,
  entry_count,
  entry_count - LAG(entry_count) OVER (PARTITION BY fingerprint ORDER BY window_start) AS change,
  priority
FROM latest
ORDER BY fingerprint, window_start;
