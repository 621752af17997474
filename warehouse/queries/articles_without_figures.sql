-- Which stored articles gave no figures at all? Worth a look when checking the
-- extractor: some are simply not about costs, others may be misses.
SELECT a.outlet, a.published_at::DATE AS published_on, a.title, a.url, length(a.text) AS text_chars
FROM articles a
WHERE NOT EXISTS (SELECT 1 FROM article_figures f WHERE f.article_url = a.url)
ORDER BY a.published_at DESC NULLS LAST, a.url;
