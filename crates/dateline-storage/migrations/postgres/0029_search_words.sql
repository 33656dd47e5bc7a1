-- A story's words as written (lower case, parted only where a letter or digit stops), with
-- their positions: what a quoted phrase is checked against, so the check reads a vector the
-- search row holds instead of the story's whole text. Written by the storage layer with the
-- story's weighted vector (the words are parted in Rust, by the same rule as the phrase
-- typed); filled for the stories already there when this migration runs.
ALTER TABLE article_search ADD COLUMN words tsvector NOT NULL DEFAULT ''::tsvector;

-- Where the vectors are kept. Search checks and ranks the weighted vector of each of up to a
-- thousand candidates: kept in the row (it is 2 to 3 kB, and does not compress), it is read
-- with the row, where out of line each read was a lookup in the TOAST table, most of the
-- time a query took. The words as written are read only for a phrase, so they go out of
-- line first when a row is too long for the page.
ALTER TABLE article_search SET (toast_tuple_target = 4080);
ALTER TABLE article_search ALTER COLUMN document SET STORAGE MAIN;
ALTER TABLE article_search ALTER COLUMN words SET STORAGE EXTERNAL;
-- A value written before stays where it was kept: write each story's vector again.
UPDATE article_search SET document = document || ''::tsvector;

-- A section's newest stories, for a search within a section: with it the planner can take
-- the stories both the word's index and the section's name, instead of checking the word
-- in every story of the section or the section of every story with the word.
CREATE INDEX article_search_section ON article_search (section_id, article_id);
