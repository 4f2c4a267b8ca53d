-- The change log: one row per committed write (its changes as JSON), numbered in commit order
-- (a write takes the database's write lock before it numbers its row), so every read model,
-- this process's and every replica's, applies the same writes in the same order.
CREATE TABLE changes (
    seq  INTEGER PRIMARY KEY,
    at   INTEGER NOT NULL,
    body TEXT NOT NULL
);

-- The dataset's epoch: an import replaces the whole content and bumps it, which tells the
-- read models to rebuild rather than apply.
CREATE TABLE read_model_meta (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    epoch INTEGER NOT NULL
);
INSERT INTO read_model_meta (id, epoch) VALUES (1, 1);

-- A tag's first and last use, and keyset pages of one tag's assignments by time, in one
-- index range (WITHOUT ROWID: the entries carry the primary key too).
DROP INDEX user_taggedartists_by_tag;
CREATE INDEX user_taggedartists_by_tag ON user_taggedartists ("tagID", "timestamp");
