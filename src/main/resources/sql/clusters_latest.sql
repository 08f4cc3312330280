-- The current count of every fingerprint x window. Each run (an input, identified by a digest of
-- its files, or a streaming job) writes accumulating panes: its latest pane per window holds its
-- count. A re-run of the same input is a later attempt of the same run and replaces it. Different
-- runs counted different entries (another file, the job before a restart or a replacement), so
-- their counts add up. Runs on BigQuery and DuckDB; the names in placeholders are filled in as
-- SqlTexts says (`project.dataset.name` on BigQuery, the bare name in DuckDB).
WITH attempts AS (
  SELECT IFNULL(run_id, '') AS run_id, MAX(IFNULL(attempt, 0)) AS attempt
  FROM ${cluster_windows}
  GROUP BY 1
),
runs AS (
  SELECT w.*
  FROM ${cluster_windows} AS w
  JOIN attempts AS a
    ON IFNULL(w.run_id, '') = a.run_id AND IFNULL(w.attempt, 0) = a.attempt
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (
    PARTITION BY w.run_id, w.fingerprint, w.window_start ORDER BY w.pane_index DESC) = 1
),
summed AS (
  SELECT
    *,
    SUM(entry_count) OVER (PARTITION BY fingerprint, window_start) AS all_entries,
    MIN(first_seen) OVER (PARTITION BY fingerprint, window_start) AS all_first_seen,
    MAX(last_seen) OVER (PARTITION BY fingerprint, window_start) AS all_last_seen,
    MIN(is_final) OVER (PARTITION BY fingerprint, window_start) AS all_final,
    COUNT(*) OVER (PARTITION BY fingerprint, window_start) AS runs,
    ROW_NUMBER() OVER (
      PARTITION BY fingerprint, window_start ORDER BY entry_count DESC, run_id) AS rank_in_window
  FROM runs
)
-- Where several runs saw a window, the descriptive columns are those of the run with the most
-- entries in it; distinct users and traces are that run's (a lower bound).
SELECT
  fingerprint, template, service, module, function, source_lines, revisions, severity, priority,
  category, rule,
  all_entries AS entry_count,
  all_first_seen AS first_seen,
  all_last_seen AS last_seen,
  window_start, window_end, pane_timing, pane_index,
  all_final AS is_final,
  samples, distinct_users, distinct_traces, trace_ids, run_id, attempt, runs,
  baseline_count, spike_ratio, is_spike, is_new, state, owner, windows_last_day, ignored
FROM summed
WHERE rank_in_window = 1
