-- The change log: one row per committed write (its changes as JSON), numbered in commit order
-- (a write holds a transaction-level advisory lock while it numbers its row and commits), so
-- every read model, this process's and every replica's, applies the same writes in the same
-- order.
CREATE TABLE changes (
    seq  BIGINT PRIMARY KEY,
    at   BIGINT NOT NULL,
    body TEXT NOT NULL
);

-- The dataset's epoch: an import replaces the whole content and bumps it, which tells the
-- read models to rebuild rather than apply.
CREATE TABLE read_model_meta (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    epoch BIGINT NOT NULL
);
INSERT INTO read_model_meta (id, epoch) VALUES (1, 1);

-- Keyset pages of tag assignments (by time, then key), overall and for one tag, and a tag's
-- first and last use, each in one index range.
DROP INDEX user_taggedartists_by_tag;
CREATE INDEX user_taggedartists_by_tag
    ON user_taggedartists ("tagID", "timestamp", "userID", "artistID");
DROP INDEX user_taggedartists_by_time;
CREATE INDEX user_taggedartists_by_time
    ON user_taggedartists ("timestamp", "userID", "artistID", "tagID");
