-- Top clusters of the last 24 hours of data (before the newest window, so it works on backfills).
-- DuckDB: duckdb gardener.duckdb < top_clusters_24h.sql
-- BigQuery: bq query --use_legacy_sql=false --dataset_id=PROJECT:DATASET < top_clusters_24h.sql
-- Rows with no entries are quiet or resolved state changes, not clusters seen in a window.
WITH latest AS (SELECT * FROM clusters_latest WHERE entry_count > 0),
newest AS (SELECT MAX(window_end) AS t FROM latest)
SELECT
  fingerprint,
  ANY_VALUE(service) AS service,
  MIN(priority) AS priority,
  SUM(entry_count) AS entries,
  COUNT(*) AS windows,
  MIN(first_seen) AS first_seen,
  MAX(last_seen) AS last_seen,
  ANY_VALUE(template) AS template
FROM latest CROSS JOIN newest
WHERE latest.window_start >= newest.t - INTERVAL 24 HOUR
GROUP BY fingerprint
ORDER BY priority, entries DESC, fingerprint
LIMIT 20;
