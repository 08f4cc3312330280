-- Dead letters of the last 7 days by reason and step, with when they were first and last
-- received. Run it as top_clusters_24h.sql says; received_at is the partitioning column.
SELECT reason, step, COUNT(*) AS dead_letters, MIN(received_at) AS first_received,
  MAX(received_at) AS last_received
FROM ${dead_letters}
WHERE received_at >= ${now} - INTERVAL 7 DAY
GROUP BY reason, step
ORDER BY dead_letters DESC, reason, step;
