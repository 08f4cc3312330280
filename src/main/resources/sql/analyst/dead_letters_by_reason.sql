-- Dead letters by reason and step, with when they were first and last received.
-- DuckDB: duckdb gardener.duckdb < dead_letters_by_reason.sql
-- BigQuery: bq query --use_legacy_sql=false --dataset_id=PROJECT:DATASET < dead_letters_by_reason.sql
SELECT reason, step, COUNT(*) AS dead_letters, MIN(received_at) AS first_received,
  MAX(received_at) AS last_received
FROM dead_letters
GROUP BY reason, step
ORDER BY dead_letters DESC, reason, step;
