-- Top problems of the last 24 hours: merged fingerprints counted under the surviving id.
-- Run it: scripts/gardener sql src/main/resources/sql/analyst/top_clusters_24h.sql (DuckDB, where
-- "now" is the newest window's end, so it works on a backfill), or print it for BigQuery with
-- --bigquery PROJECT.DATASET (there "now" is CURRENT_TIMESTAMP(); --now sets either).
-- The filter is on window_start, the partitioning column, against a constant: BigQuery reads only
-- the last day's partitions. Rows with no entries are quiet or resolved state changes.
SELECT
  fingerprint,
  ANY_VALUE(service) AS service,
  MIN(priority) AS priority,
  SUM(entry_count) AS entries,
  COUNT(*) AS windows,
  MIN(first_seen) AS first_seen,
  MAX(last_seen) AS last_seen,
  ANY_VALUE(template) AS template
FROM ${problems_latest}
WHERE window_start >= ${now} - INTERVAL 24 HOUR AND entry_count > 0
GROUP BY fingerprint
ORDER BY priority, entries DESC, fingerprint
LIMIT 20;
