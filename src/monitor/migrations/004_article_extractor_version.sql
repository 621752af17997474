-- Which extractor version produced an article's figures (NULL: before this was kept),
-- so `monitor reextract` can find the articles a newer extractor has not seen.
ALTER TABLE articles ADD COLUMN extractor_version VARCHAR;
UPDATE articles SET extractor_version = (
    SELECT max(f.extractor_version) FROM article_figures f WHERE f.article_url = articles.url
);
