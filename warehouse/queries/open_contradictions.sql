-- Which contradictions are still open? The widest first, both figures with
-- their outlets, dates and links, and how long each has been open.
SELECT
    id, subject, metric, chip,
    a_value, a_value_high, a_unit, a_outlet, a_published_at::DATE AS a_published_on, a_url,
    b_value, b_value_high, b_unit, b_outlet, b_published_at::DATE AS b_published_on, b_url,
    round(100 * relative_difference, 1) AS difference_pct,
    transposition, confidence, sources,
    first_seen::DATE AS first_seen_on,
    date_diff('day', first_seen, now()) AS days_open
FROM contradictions
WHERE status = 'open'
ORDER BY relative_difference DESC, confidence DESC, id;
