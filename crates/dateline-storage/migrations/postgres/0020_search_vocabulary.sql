-- Every word the archive's stories have used (lower case, as search splits them), for
-- correcting a reader's typo. Written with each story's index entry; filled from the stories
-- already there when this migration runs. A word stays after the story that used it changes:
-- a suggestion is only ever shown when it finds published stories.
CREATE TABLE search_vocabulary (
    word TEXT PRIMARY KEY
);
