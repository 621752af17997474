-- What are the biggest funding rounds reported? Ranked within each currency
-- (no exchange rates are applied); a round several outlets report is one row.
SELECT
    rank() OVER (PARTITION BY unit ORDER BY value DESC) AS rank_in_currency,
    subject, value, value_high, unit, qualifier,
    count(*) AS reports,
    list(DISTINCT outlet ORDER BY outlet) AS outlets,
    min(reported_at)::DATE AS first_reported_on,
    arg_min(article_url, reported_at) AS first_article_url,
    arg_min(quote, reported_at) AS quote
FROM figure_history
WHERE metric = 'funding'
GROUP BY subject, value, value_high, unit, qualifier
ORDER BY unit = 'USD' DESC, unit, value DESC, subject;
