-- The latest pane of every fingerprint x window: each pane's count already includes the earlier
-- panes (accumulating), so this is the current count per window. Runs on BigQuery and DuckDB;
-- ${cluster_windows} is `project.dataset.cluster_windows` on BigQuery, cluster_windows in DuckDB.
SELECT *
FROM ${cluster_windows}
WHERE TRUE
QUALIFY ROW_NUMBER() OVER (PARTITION BY fingerprint, window_start ORDER BY pane_index DESC) = 1
