-- Full-text search with SQLite's FTS5: one row per story, rowid = article id, kept up to date
-- in the same transaction as the story. Porter stemming for English; unicode61 splits other
-- scripts (Korean among them) at spaces and punctuation.
CREATE VIRTUAL TABLE article_search USING fts5(
    headline, deck, bylines, body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO article_search (rowid, headline, deck, bylines, body)
SELECT a.id, a.headline, COALESCE(a.deck, ''),
       COALESCE((SELECT group_concat(au.name, ' ') FROM article_bylines b JOIN authors au ON au.id = b.author_id
                 WHERE b.article_id = a.id), ''),
       a.body
FROM articles a;
