-- Photos' smaller copies are made in the background (issue 18): the formats a photo's copies
-- exist in, space-separated ("avif webp jpeg"); empty until they are made. Photos stored
-- before this had their JPEG copies made on upload.
ALTER TABLE media ADD COLUMN variant_formats TEXT NOT NULL DEFAULT 'jpeg';
