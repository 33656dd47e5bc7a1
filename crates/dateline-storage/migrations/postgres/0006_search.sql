-- Full-text search with PostgreSQL's tsvector: a weighted vector per story (headline A, deck
-- and bylines B, body D), kept up to date in the same transaction as the story, with a GIN
-- index. The english configuration stems English and keeps other scripts' words whole.
ALTER TABLE articles ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector;

UPDATE articles a SET search_vector =
    setweight(to_tsvector('english', a.headline), 'A')
    || setweight(to_tsvector('english', COALESCE(a.deck, '')), 'B')
    || setweight(to_tsvector('simple', COALESCE((SELECT string_agg(au.name, ' ') FROM article_bylines b
                                                 JOIN authors au ON au.id = b.author_id WHERE b.article_id = a.id), '')), 'B')
    || setweight(to_tsvector('english', a.body), 'D');

CREATE INDEX articles_search ON articles USING GIN (search_vector);
