-- How did the last cycles go? The 20 most recent runs, newest first, with what
-- each found and how many failures it recorded.
SELECT
    started_at, finished_at, status,
    round(epoch(finished_at - started_at), 1) AS seconds,
    feeds_polled, feeds_not_modified, feeds_failed,
    new_articles, article_errors, figures,
    contradictions_new, alerts_sent, len(errors) AS errors
FROM runs
ORDER BY started_at DESC
LIMIT 20;
