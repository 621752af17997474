-- Analysts' view: every reported value of each subject and metric over time.
--
-- A series is one subject, metric, unit and chip (the key contradictions use);
-- its reports are ordered by the article's date (published, else fetched).
-- Within one article the value stated first counts as the most recent: news
-- leads with the current figure ("cut the price to $4.50, from $9").
-- Figures with no subject belong to no series and are left out.
CREATE VIEW figure_history AS
WITH reported AS (
    SELECT
        f.subject, f.metric, f.unit, f.chip,
        coalesce(a.published_at, a.fetched_at) AS reported_at,
        a.published_at, a.fetched_at,
        a.outlet, a.url AS article_url, a.title AS article_title,
        f.value, f.value_high, f.qualifier, f.confidence, f.kind, f.quote,
        f.start_offset, f.end_offset
    FROM article_figures f
    JOIN articles a ON a.url = f.article_url
    WHERE f.subject IS NOT NULL
),
open_members AS (
    SELECT
        m.article_url, m.start_offset, m.end_offset, m.kind,
        list(m.contradiction_id ORDER BY m.contradiction_id) AS ids
    FROM contradiction_members m
    JOIN contradiction_records c ON c.id = m.contradiction_id
    WHERE c.status = 'open'
    GROUP BY m.article_url, m.start_offset, m.end_offset, m.kind
)
SELECT
    r.subject, r.metric, r.unit, r.chip,
    r.reported_at, r.published_at, r.fetched_at,
    r.outlet, r.article_url, r.article_title,
    r.value, r.value_high, r.qualifier, r.confidence, r.kind, r.quote,
    r.start_offset, r.end_offset,
    row_number() OVER series AS report_number,
    count(*) OVER (PARTITION BY r.subject, r.metric, r.unit, coalesce(r.chip, '')) AS reports,
    lag(r.value) OVER series AS previous_value,
    lag(r.outlet) OVER series AS previous_outlet,
    r.value / nullif(lag(r.value) OVER series, 0) - 1 AS change_from_previous,
    coalesce(m.ids, []::VARCHAR[]) AS open_contradiction_ids
FROM reported r
LEFT JOIN open_members m ON m.article_url = r.article_url AND m.start_offset = r.start_offset
    AND m.end_offset = r.end_offset AND m.kind = r.kind
WINDOW series AS (
    PARTITION BY r.subject, r.metric, r.unit, coalesce(r.chip, '')
    ORDER BY r.reported_at, r.article_url, r.start_offset DESC
)
ORDER BY r.subject, r.metric, r.unit, r.chip NULLS FIRST, report_number;
