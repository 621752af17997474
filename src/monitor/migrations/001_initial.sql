-- Feeds, articles and their fetch failures, extracted figures, and one row per cycle.

CREATE TABLE feeds (
    url                  VARCHAR PRIMARY KEY,       -- as configured
    name                 VARCHAR NOT NULL,
    outlet               VARCHAR NOT NULL,
    title                VARCHAR,                   -- the feed's own title
    etag                 VARCHAR,                   -- conditional-GET state
    last_modified        VARCHAR,
    last_polled_at       TIMESTAMPTZ,
    last_success_at      TIMESTAMPTZ,
    last_status          VARCHAR,                   -- ok | not_modified | error
    last_http_status     INTEGER,
    last_error           VARCHAR,
    consecutive_failures INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE articles (
    url          VARCHAR PRIMARY KEY,               -- canonical URL: no tracking params, no fragment
    guid         VARCHAR,
    feed_url     VARCHAR NOT NULL,
    outlet       VARCHAR NOT NULL,
    title        VARCHAR,
    author       VARCHAR,
    published_at TIMESTAMPTZ,
    fetched_at   TIMESTAMPTZ NOT NULL,
    site_name    VARCHAR,
    text         VARCHAR NOT NULL,
    text_hash    VARCHAR NOT NULL
);
CREATE INDEX articles_guid ON articles (guid);

-- Entries whose page could not be fetched or gave no text; retried until gave_up.
CREATE TABLE article_failures (
    url             VARCHAR PRIMARY KEY,
    guid            VARCHAR,
    feed_url        VARCHAR NOT NULL,
    title           VARCHAR,
    published_at    TIMESTAMPTZ,
    reason          VARCHAR NOT NULL,               -- http_status | timeout | not_html | no_text | ...
    error           VARCHAR NOT NULL,
    attempts        INTEGER NOT NULL,
    first_failed_at TIMESTAMPTZ NOT NULL,
    last_attempt_at TIMESTAMPTZ NOT NULL,
    gave_up         BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE article_figures (
    article_url       VARCHAR NOT NULL,
    start_offset      INTEGER NOT NULL,             -- into articles.text
    end_offset        INTEGER NOT NULL,
    kind              VARCHAR NOT NULL,             -- cost | chips
    subject           VARCHAR,
    metric            VARCHAR NOT NULL,
    value             DOUBLE NOT NULL,
    value_high        DOUBLE,
    unit              VARCHAR NOT NULL,
    chip              VARCHAR,
    qualifier         VARCHAR NOT NULL,
    quote             VARCHAR NOT NULL,
    confidence        DOUBLE NOT NULL,
    extractor_version VARCHAR NOT NULL,
    extracted_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (article_url, start_offset, end_offset, kind)
);
CREATE INDEX article_figures_subject_metric ON article_figures (subject, metric);

CREATE TABLE runs (
    run_id             VARCHAR PRIMARY KEY,
    flow_run_id        VARCHAR,
    started_at         TIMESTAMPTZ NOT NULL,
    finished_at        TIMESTAMPTZ,
    status             VARCHAR NOT NULL,            -- running | completed | failed
    feeds_polled       INTEGER NOT NULL DEFAULT 0,
    feeds_not_modified INTEGER NOT NULL DEFAULT 0,
    feeds_failed       INTEGER NOT NULL DEFAULT 0,
    entries_seen       INTEGER NOT NULL DEFAULT 0,
    new_articles       INTEGER NOT NULL DEFAULT 0,
    article_errors     INTEGER NOT NULL DEFAULT 0,
    figures            INTEGER NOT NULL DEFAULT 0,
    errors             VARCHAR[] NOT NULL DEFAULT []  -- one line per recorded failure
);

-- Analysts' view: each figure with its article's URL, outlet, date and title.
CREATE VIEW figures AS
SELECT
    f.kind, f.subject, f.metric, f.value, f.value_high, f.unit, f.chip, f.qualifier,
    f.confidence, f.quote, f.start_offset, f.end_offset,
    a.url AS article_url, a.outlet, a.title AS article_title,
    a.published_at, a.fetched_at, f.extractor_version
FROM article_figures f
JOIN articles a ON a.url = f.article_url;
