-- GitHub sync decisions by outcome: how many, for how many fingerprints, and the latest.
-- DuckDB: duckdb gardener.duckdb < github_actions.sql
-- BigQuery: bq query --use_legacy_sql=false --dataset_id=PROJECT:DATASET < github_actions.sql
SELECT action, COUNT(*) AS decisions, COUNT(DISTINCT fingerprint) AS fingerprints,
  MAX(synced_at) AS last_decision
FROM github_sync
GROUP BY action
ORDER BY decisions DESC, action;
