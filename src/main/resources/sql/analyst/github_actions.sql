-- GitHub sync decisions of the last 30 days by outcome: how many, for how many fingerprints, and
-- the latest. Run it as top_clusters_24h.sql says; synced_at is the partitioning column.
SELECT action, COUNT(*) AS decisions, COUNT(DISTINCT fingerprint) AS fingerprints,
  MAX(synced_at) AS last_decision
FROM ${github_sync}
WHERE synced_at >= ${now} - INTERVAL 30 DAY
GROUP BY action
ORDER BY decisions DESC, action;
