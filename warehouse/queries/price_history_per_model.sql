-- How have each model's prices moved? Every reported price per unit (API token
-- prices, GPU-hour rates), oldest first, with the change from the report before.
SELECT
    subject, metric, unit, reported_at::DATE AS reported_on, outlet,
    value AS price, previous_value AS previous_price,
    round(100 * change_from_previous, 1) AS change_pct,
    qualifier, article_url, quote
FROM figure_history
WHERE metric LIKE 'inference_price%' OR unit LIKE '%/%'
ORDER BY subject, metric, unit, report_number;
