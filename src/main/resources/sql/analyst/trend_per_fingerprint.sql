-- Entries per window for every problem over the last 7 days, with the change from its previous
-- window (the first window of the span has none). Run it as top_clusters_24h.sql says; the filter
-- on window_start against a constant reads only those days' partitions in BigQuery.
-- Rows with no entries are quiet or resolved state changes, not problems seen in a window.
SELECT
  fingerprint,
  window_start,
  entry_count,
  entry_count - LAG(entry_count) OVER (PARTITION BY fingerprint ORDER BY window_start) AS change,
  priority
FROM ${problems_latest}
WHERE window_start >= ${now} - INTERVAL 7 DAY AND entry_count > 0
ORDER BY fingerprint, window_start;
