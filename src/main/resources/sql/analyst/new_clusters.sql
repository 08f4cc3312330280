-- Problems first seen in the last 24 hours: nothing of theirs (under any id merged into them) in
-- any earlier window. A first appearance needs every window, so this one query reads the whole
-- table (only the columns it names). Run it as top_clusters_24h.sql says.
-- Rows with no entries are quiet or resolved state changes, not problems seen in a window.
WITH firsts AS (
  SELECT fingerprint, MIN(window_start) AS first_window, SUM(entry_count) AS entries,
    MIN(priority) AS priority, ANY_VALUE(service) AS service, ANY_VALUE(template) AS template
  FROM ${problems_latest}
  WHERE entry_count > 0
  GROUP BY fingerprint
)
SELECT fingerprint, service, priority, first_window, entries, template
FROM firsts
WHERE first_window >= ${now} - INTERVAL 24 HOUR
ORDER BY priority, first_window, fingerprint;
