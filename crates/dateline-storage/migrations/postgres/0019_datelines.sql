-- A story's dateline ("SEOUL, Nov. 29 (Hanbit News) --"): where and when it was filed, shown
-- at the start of its body. Agency stories get one shaped by their source's rule; staff
-- stories may carry one too.
ALTER TABLE articles ADD COLUMN dateline TEXT;
-- How a source's datelines are shaped from an item's place, its time and the agency's name:
-- {PLACE} (in capitals), {place} (as sent), {date} ("Nov. 29" in the paper's zone), {agency}.
-- Empty: the source's stories get no dateline.
ALTER TABLE wire_sources ADD COLUMN dateline_format TEXT NOT NULL DEFAULT '{PLACE}, {date} ({agency}) --';
