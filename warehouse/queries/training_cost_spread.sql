-- How far apart are the training costs reported for each model? Lowest and
-- highest reported value (projections left out), how many outlets, and the
-- ratio between the extremes: 1.0 means every report agrees.
SELECT
    subject, unit,
    count(*) AS reports,
    count(DISTINCT outlet) AS outlets,
    min(value) AS lowest,
    max(coalesce(value_high, value)) AS highest,
    round(max(coalesce(value_high, value)) / nullif(min(value), 0), 3) AS spread_ratio,
    arg_min(outlet, value) AS lowest_outlet,
    arg_max(outlet, coalesce(value_high, value)) AS highest_outlet,
    bool_or(len(open_contradiction_ids) > 0) AS has_open_contradiction
FROM figure_history
WHERE metric = 'training_cost' AND qualifier <> 'projection'
GROUP BY subject, unit
ORDER BY spread_ratio DESC, reports DESC, subject;
