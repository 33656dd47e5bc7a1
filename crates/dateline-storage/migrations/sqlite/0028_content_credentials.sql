-- What a photo's Content Credentials (C2PA) said when its file came in (issue 18): who signed
-- it and whether the file matched, as JSON; empty for a photo that carried none. The stored
-- file no longer carries the manifest, so this is what remains of it.
ALTER TABLE media ADD COLUMN content_credentials TEXT NOT NULL DEFAULT '';
