-- One row per problem and window: clusters_latest with every fingerprint that merged into another
-- (fingerprint_aliases, followed to the end of a chain of merges) counted under the id that
-- survived. Counts add up; first and last seen span the merged rows; the priority is the highest;
-- the descriptive columns are the survivor's own row's where it has one in the window, else those
-- of the merged row with the most entries. fingerprints says how many ids were counted together.
-- Runs on BigQuery and DuckDB; the names in placeholders are filled in as SqlTexts says.
WITH RECURSIVE chain AS (
  SELECT alias, fingerprint AS survivor, 1 AS hops
  FROM ${fingerprint_aliases}
  UNION ALL
  SELECT chain.alias, a.fingerprint AS survivor, chain.hops + 1 AS hops
  FROM chain
  JOIN ${fingerprint_aliases} AS a ON a.alias = chain.survivor
  WHERE chain.hops < 16
),
survivors AS (
  SELECT alias, survivor
  FROM chain
  WHERE TRUE
  QUALIFY ROW_NUMBER() OVER (PARTITION BY alias ORDER BY hops DESC, survivor) = 1
),
resolved AS (
  SELECT IFNULL(s.survivor, l.fingerprint) AS problem, l.*
  FROM ${clusters_latest} AS l
  LEFT JOIN survivors AS s ON s.alias = l.fingerprint
),
summed AS (
  SELECT
    *,
    SUM(entry_count) OVER (PARTITION BY problem, window_start) AS all_entries,
    MIN(first_seen) OVER (PARTITION BY problem, window_start) AS all_first_seen,
    MAX(last_seen) OVER (PARTITION BY problem, window_start) AS all_last_seen,
    MIN(priority) OVER (PARTITION BY problem, window_start) AS all_priority,
    MAX(is_spike) OVER (PARTITION BY problem, window_start) AS any_spike,
    COUNT(*) OVER (PARTITION BY problem, window_start) AS fingerprints,
    ROW_NUMBER() OVER (
      PARTITION BY problem, window_start
      ORDER BY CASE WHEN fingerprint = problem THEN 0 ELSE 1 END, entry_count DESC, fingerprint
    ) AS rank_in_window
  FROM resolved
)
SELECT
  problem AS fingerprint, template, service, module, function, source_lines, revisions, severity,
  all_priority AS priority, category, rule,
  all_entries AS entry_count,
  all_first_seen AS first_seen,
  all_last_seen AS last_seen,
  window_start, window_end, pane_timing, pane_index, is_final,
  samples, distinct_users, distinct_traces, trace_ids, run_id, attempt, runs,
  baseline_count, spike_ratio, any_spike AS is_spike, is_new, state, owner, windows_last_day,
  ignored, fingerprints
FROM summed
WHERE rank_in_window = 1
