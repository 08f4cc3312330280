-- Dead letters of the last 7 days by reason and step: when they were first and last received, and
-- the span of the entries' own times where the input had one (a backfill receives old entries).
-- Run it as top_clusters_24h.sql says; received_at is the partitioning column.
SELECT reason, step, COUNT(*) AS dead_letters, MIN(received_at) AS first_received,
  MAX(received_at) AS last_received, COUNT(entry_time) AS with_entry_time,
  MIN(entry_time) AS first_entry_time, MAX(entry_time) AS last_entry_time
FROM ${dead_letters}
WHERE received_at >= ${now} - INTERVAL 7 DAY
GROUP BY reason, step
ORDER BY dead_letters DESC, reason, step;
