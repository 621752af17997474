-- What is the latest reported figure for each model (or company), per metric?
-- One row per subject, metric, unit and chip: the last report of its series in
-- `figure_history` (the most recent article; within it, the value stated first).
SELECT
    subject, metric, value, value_high, unit, chip, qualifier, confidence,
    outlet, reported_at::DATE AS reported_on, reports, article_url, quote
FROM figure_history
WHERE report_number = reports
ORDER BY subject, metric, unit, chip;
