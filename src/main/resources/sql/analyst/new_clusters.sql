-- Clusters first seen in the last 24 hours of data: nothing of theirs in any earlier window.
-- DuckDB: duckdb gardener.duckdb < new_clusters.sql
-- BigQuery: bq query --use_legacy_sql=false --dataset_id=PROJECT:DATASET < new_clusters.sql
-- Rows with no entries are quiet or resolved state changes, not clusters seen in a window.
WITH latest AS (SELECT * FROM clusters_latest WHERE entry_count > 0),
newest AS (SELECT MAX(window_end) AS t FROM latest),
first_window AS (
  SELECT fingerprint, MIN(window_start) AS first_window, SUM(entry_count) AS entries,
    MIN(priority) AS priority, ANY_VALUE(service) AS service, ANY_VALUE(template) AS template
  FROM latest GROUP BY fingerprint
)
SELECT fingerprint, service, priority, first_window, entries, template
FROM first_window CROSS JOIN newest
WHERE first_window.first_window >= newest.t - INTERVAL 24 HOUR
ORDER BY priority, first_window, fingerprint;
