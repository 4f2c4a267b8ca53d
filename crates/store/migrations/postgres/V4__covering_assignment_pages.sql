-- Pages of tag assignments in time order (all of them, or one tag's) are index-only scans:
-- without day, month and year in the index, each of a 500-row page's rows cost a visit to the
-- table's heap.
DROP INDEX user_taggedartists_by_time;
CREATE INDEX user_taggedartists_by_time
    ON user_taggedartists ("timestamp", "userID", "artistID", "tagID") INCLUDE (day, month, year);
DROP INDEX user_taggedartists_by_tag;
CREATE INDEX user_taggedartists_by_tag
    ON user_taggedartists ("tagID", "timestamp", "userID", "artistID") INCLUDE (day, month, year);
