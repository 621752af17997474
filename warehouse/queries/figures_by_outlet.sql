-- Which outlets report the most figures, how sure the extractor is of them,
-- and how many of them are in an open contradiction?
SELECT
    a.outlet,
    count(DISTINCT a.url) AS articles,
    count(f.article_url) AS figures,
    count(DISTINCT f.subject) AS subjects,
    round(avg(f.confidence), 3) AS mean_confidence,
    count(h.article_url) FILTER (WHERE len(h.open_contradiction_ids) > 0)
        AS figures_in_open_contradictions,
    max(a.published_at)::DATE AS latest_article_on
FROM articles a
LEFT JOIN article_figures f ON f.article_url = a.url
LEFT JOIN figure_history h ON h.article_url = f.article_url
    AND h.start_offset = f.start_offset AND h.end_offset = f.end_offset AND h.kind = f.kind
GROUP BY a.outlet
ORDER BY figures DESC, a.outlet;
