-- Per-feed schedule and backoff state, skipped runs, and the feed_health view.

ALTER TABLE feeds ADD COLUMN next_poll_at TIMESTAMPTZ;   -- not polled before this (NULL: every cycle)
ALTER TABLE feeds ADD COLUMN failing_since TIMESTAMPTZ;  -- first failure of the current streak
ALTER TABLE feeds ADD COLUMN retired_at TIMESTAMPTZ;     -- answered 404/410 for retire_after_days

ALTER TABLE runs ADD COLUMN feeds_skipped INTEGER NOT NULL DEFAULT 0;  -- not due yet (schedule, backoff)

-- One row per configured feed: is it healthy, and if not since when and why.
CREATE VIEW feed_health AS
WITH article_counts AS (
    SELECT feed_url, count(*) AS articles, max(fetched_at) AS latest_article_at
    FROM articles GROUP BY feed_url
), figure_counts AS (
    SELECT a.feed_url, count(*) AS figures
    FROM article_figures f JOIN articles a ON a.url = f.article_url
    GROUP BY a.feed_url
)
SELECT
    f.url, f.name, f.outlet,
    CASE
        WHEN f.retired_at IS NOT NULL THEN 'retired'
        WHEN f.last_polled_at IS NULL THEN 'never_polled'
        WHEN f.consecutive_failures = 0 THEN 'ok'
        WHEN f.failing_since <= now() - INTERVAL 1 DAY THEN 'failing_for_a_day'
        ELSE 'failing'
    END AS health,
    f.last_status, f.last_http_status, f.last_error,
    f.last_polled_at, f.last_success_at, f.consecutive_failures, f.failing_since,
    CASE WHEN f.consecutive_failures > 0 THEN now() - f.failing_since END AS failing_for,
    f.next_poll_at, f.retired_at,
    coalesce(ac.articles, 0) AS articles, ac.latest_article_at,
    coalesce(fc.figures, 0) AS figures
FROM feeds f
LEFT JOIN article_counts ac ON ac.feed_url = f.url
LEFT JOIN figure_counts fc ON fc.feed_url = f.url;
