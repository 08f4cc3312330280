-- Entries per window for every fingerprint, with the change from its previous window.
-- DuckDB: duckdb gardener.duckdb < trend_per_fingerprint.sql
-- BigQuery: bq query --use_legacy_sql=false --dataset_id=PROJECT:DATASET < trend_per_fingerprint.sql
-- Rows with no entries are quiet or resolved state changes, not clusters seen in a window.
WITH latest AS (SELECT * FROM clusters_latest WHERE entry_count > 0)
SELECT
  fingerprint,
  window_start,
  entry_count,
  entry_count - LAG(entry_count) OVER (PARTITION BY fingerprint ORDER BY window_start) AS change,
  priority
FROM latest
ORDER BY fingerprint, window_start;
