-- When an article's figures were last compared with the rest for contradictions.
-- NULL means not yet: a cycle that stopped between storing articles and comparing
-- them leaves them NULL, and the next cycle compares them.
ALTER TABLE articles ADD COLUMN compared_at TIMESTAMPTZ;
UPDATE articles SET compared_at = fetched_at;
