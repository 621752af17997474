-- Contradictions between stored figures, subscribers to alerts, and the outbox of alert emails.

-- Finding a new figure's stored peers looks them up by subject. DuckDB 2.0
-- answers `subject = ?` from a single-column index but does not use the
-- (subject, metric) index of 001 for `subject = ? AND metric = ?`.
CREATE INDEX article_figures_subject ON article_figures (subject);

-- One row per conflict: all figures that disagree about one subject, metric,
-- chip and unit. `id` is derived from the two figures that first disagreed,
-- so recording the same conflict again finds the same row. A third source that
-- disagrees with a member joins the conflict (contradiction_members) instead
-- of starting a new one. `a_*` and `b_*` name the pair shown side by side: the
-- most confident disagreeing pair seen so far, `a` the older article.
CREATE TABLE contradiction_records (
    id                  VARCHAR PRIMARY KEY,        -- 'c' + 15 hex digits
    subject             VARCHAR NOT NULL,
    metric              VARCHAR NOT NULL,
    chip                VARCHAR NOT NULL DEFAULT '',  -- '' when the metric has no chip
    unit                VARCHAR NOT NULL,
    status              VARCHAR NOT NULL DEFAULT 'open',  -- open | dismissed | resolved
    confidence          DOUBLE NOT NULL,            -- of the shown pair: min of both figures, lowered for weak cases
    relative_difference DOUBLE NOT NULL,            -- |a - b| / max(|a|, |b|), ranges at their midpoint
    transposition       BOOLEAN NOT NULL,           -- same digits in another order: 294 vs 249
    reason              VARCHAR NOT NULL,
    a_url               VARCHAR NOT NULL,
    a_start             INTEGER NOT NULL,
    a_end               INTEGER NOT NULL,
    a_kind              VARCHAR NOT NULL,
    b_url               VARCHAR NOT NULL,
    b_start             INTEGER NOT NULL,
    b_end               INTEGER NOT NULL,
    b_kind              VARCHAR NOT NULL,
    first_seen          TIMESTAMPTZ NOT NULL,
    last_seen           TIMESTAMPTZ NOT NULL,       -- when a source last joined
    status_changed_at   TIMESTAMPTZ
);
CREATE INDEX contradiction_records_subject_metric ON contradiction_records (subject, metric);

-- Every figure taking part in a conflict, with its values as they were when it
-- joined (a later re-extraction of the article does not rewrite history).
CREATE TABLE contradiction_members (
    contradiction_id VARCHAR NOT NULL,
    article_url      VARCHAR NOT NULL,
    start_offset     INTEGER NOT NULL,
    end_offset       INTEGER NOT NULL,
    kind             VARCHAR NOT NULL,
    value            DOUBLE NOT NULL,
    value_high       DOUBLE,
    unit             VARCHAR NOT NULL,
    qualifier        VARCHAR NOT NULL,
    quote            VARCHAR NOT NULL,
    confidence       DOUBLE NOT NULL,
    joined_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (contradiction_id, article_url, start_offset, end_offset, kind)
);
CREATE INDEX contradiction_members_figure
    ON contradiction_members (article_url, start_offset, end_offset, kind);

-- Analysts' view: each conflict with its two shown figures side by side.
CREATE VIEW contradictions AS
SELECT
    r.id, r.status, r.subject, r.metric, nullif(r.chip, '') AS chip,
    r.confidence, r.relative_difference, r.transposition, r.reason,
    (SELECT count(*) FROM contradiction_members m WHERE m.contradiction_id = r.id) AS sources,
    ma.value AS a_value, ma.value_high AS a_value_high, ma.unit AS a_unit,
    ma.qualifier AS a_qualifier, ma.quote AS a_quote, ma.confidence AS a_confidence,
    r.a_url, aa.outlet AS a_outlet, aa.title AS a_title, aa.published_at AS a_published_at,
    mb.value AS b_value, mb.value_high AS b_value_high, mb.unit AS b_unit,
    mb.qualifier AS b_qualifier, mb.quote AS b_quote, mb.confidence AS b_confidence,
    r.b_url, ab.outlet AS b_outlet, ab.title AS b_title, ab.published_at AS b_published_at,
    r.first_seen, r.last_seen
FROM contradiction_records r
JOIN contradiction_members ma ON ma.contradiction_id = r.id AND ma.article_url = r.a_url
    AND ma.start_offset = r.a_start AND ma.end_offset = r.a_end AND ma.kind = r.a_kind
JOIN contradiction_members mb ON mb.contradiction_id = r.id AND mb.article_url = r.b_url
    AND mb.start_offset = r.b_start AND mb.end_offset = r.b_end AND mb.kind = r.b_kind
LEFT JOIN articles aa ON aa.url = r.a_url
LEFT JOIN articles ab ON ab.url = r.b_url;

-- Alert subscribers: from the config file (synced each cycle) or added with
-- `monitor subscribers add`. An unsubscribed address stays unsubscribed even
-- while the config still lists it; `active` is false for a config subscriber
-- no longer in the config.
CREATE TABLE subscribers (
    email           VARCHAR PRIMARY KEY,            -- lower-cased
    subjects        VARCHAR[] NOT NULL DEFAULT [],  -- glob patterns; empty = every subject
    metrics         VARCHAR[] NOT NULL DEFAULT [],  -- empty = every metric
    source          VARCHAR NOT NULL,               -- config | cli
    token           VARCHAR NOT NULL UNIQUE,        -- for List-Unsubscribe and `monitor unsubscribe`
    active          BOOLEAN NOT NULL DEFAULT true,
    subscribed_at   TIMESTAMPTZ NOT NULL,           -- alerts for conflicts first seen from then on
    unsubscribed_at TIMESTAMPTZ
);

-- One alert email per (conflict, subscriber): queued once, sent once.
CREATE TABLE outbox (
    contradiction_id VARCHAR NOT NULL,
    email            VARCHAR NOT NULL,
    message_id       VARCHAR NOT NULL,              -- stable: the same for every attempt
    status           VARCHAR NOT NULL DEFAULT 'queued',  -- queued | sending | sent | failed
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_error       VARCHAR,
    message          VARCHAR NOT NULL,              -- the rendered RFC 5322 message, as sent
    queued_at        TIMESTAMPTZ NOT NULL,
    claimed_at       TIMESTAMPTZ,                   -- when a delivery run took it (status sending)
    last_attempt_at  TIMESTAMPTZ,
    sent_at          TIMESTAMPTZ,
    PRIMARY KEY (contradiction_id, email)
);
