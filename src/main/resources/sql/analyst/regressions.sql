-- Regressions: issues the gardener reopened (or replaced) because the error came back after the
-- issue was closed, and clusters back after 24 hours or more without a single entry.
-- DuckDB: duckdb gardener.duckdb < regressions.sql
-- BigQuery: bq query --use_legacy_sql=false --dataset_id=PROJECT:DATASET < regressions.sql
WITH latest AS (SELECT * FROM clusters_latest),
gaps AS (
  SELECT fingerprint, window_start,
    LAG(window_end) OVER (PARTITION BY fingerprint ORDER BY window_start) AS previous_end
  FROM latest
)
SELECT 'reopened issue' AS kind, fingerprint, window_start AS since, issue_number, detail
FROM github_sync
WHERE action = 'reopened' OR (action = 'created' AND detail LIKE 'regression%')
UNION ALL
SELECT 'back after a gap' AS kind, fingerprint, window_start AS since, NULL AS issue_number,
  'no entries since ' || CAST(previous_end AS STRING) AS detail
FROM gaps
WHERE previous_end IS NOT NULL AND window_start >= previous_end + INTERVAL 24 HOUR
ORDER BY since DESC, fingerprint;
