-- Entries per window for every fingerprint, with the change from its previous window.
-- DuckDB: duckdb gardener.duckdb < trend_per_fingerprint.sql
-- BigQuery: bq query --use_legacy_sql=false --dataset_id=PROJECT:DATASET < trend_per_fingerprint.sql
WITH latest AS (SELECT * FROM clusters_latest)
SELECT
  fingerprint,
  window_start,
  entry_count,
  entry_count - LAG(entry_count) OVER (PARTITION BY fingerprint ORDER BY window_start) AS change,
  priority
FROM latest
ORDER BY fingerprint, window_start;
