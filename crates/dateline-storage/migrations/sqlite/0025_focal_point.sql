-- Crops centre on a photo's focal point (issue 18): whole percent of the upright picture's
-- width from the left and height from the top; the centre until an editor chooses.
ALTER TABLE media ADD COLUMN focal_x INTEGER NOT NULL DEFAULT 50;
ALTER TABLE media ADD COLUMN focal_y INTEGER NOT NULL DEFAULT 50;
