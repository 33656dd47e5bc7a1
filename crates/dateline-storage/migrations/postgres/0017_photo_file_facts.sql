-- What a photo's file said of itself when it came in (its IPTC record and XMP: caption,
-- credit, creator, copyright, source, date, place, keywords, alt text), each with where in the
-- file it was read, as a JSON array. Kept beside the row because the stored file no longer
-- carries its XMP.
CREATE TABLE media_file_facts (
    media_id BIGINT PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
    facts TEXT NOT NULL
);
