-- Regressions of the last 30 days: issues the gardener reopened (or replaced) because the error
-- came back after the issue was closed, and problems back after 24 hours or more without a single
-- entry. Run it as top_clusters_24h.sql says. A gap needs the window before it, however old, so
-- the second half reads every window (only the columns it names).
WITH gaps AS (
  SELECT fingerprint, window_start,
    LAG(window_end) OVER (PARTITION BY fingerprint ORDER BY window_start) AS previous_end
  FROM ${problems_latest}
  WHERE entry_count > 0
)
SELECT 'reopened issue' AS kind, fingerprint, window_start AS since, issue_number, detail
FROM ${github_sync}
WHERE synced_at >= ${now} - INTERVAL 30 DAY
  AND (action = 'reopened' OR (action = 'created' AND detail LIKE 'regression%'))
UNION ALL
SELECT 'back after a gap' AS kind, fingerprint, window_start AS since, NULL AS issue_number,
  'no entries since ' || CAST(previous_end AS STRING) AS detail
FROM gaps
WHERE previous_end IS NOT NULL AND window_start >= previous_end + INTERVAL 24 HOUR
  AND window_start >= ${now} - INTERVAL 30 DAY
ORDER BY since DESC, fingerprint;
