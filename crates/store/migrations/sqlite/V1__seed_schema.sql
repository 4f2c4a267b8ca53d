-- The six tables of the seed, with its names and keys. Child tables are clustered on their
-- composite primary key (WITHOUT ROWID): reads by user walk one B-tree range.
CREATE TABLE artists (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    url          TEXT,
    "pictureURL" TEXT
);

CREATE TABLE users (
    "userID" INTEGER PRIMARY KEY
);

CREATE TABLE tags (
    "tagID"    INTEGER PRIMARY KEY,
    "tagValue" TEXT NOT NULL UNIQUE
);

CREATE TABLE user_artists (
    "userID"   INTEGER NOT NULL REFERENCES users ("userID") ON DELETE CASCADE,
    "artistID" INTEGER NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    weight     INTEGER NOT NULL CHECK (weight >= 0),
    PRIMARY KEY ("userID", "artistID")
) WITHOUT ROWID;
CREATE INDEX user_artists_by_artist ON user_artists ("artistID");

CREATE TABLE user_taggedartists (
    "userID"    INTEGER NOT NULL REFERENCES users ("userID") ON DELETE CASCADE,
    "artistID"  INTEGER NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    "tagID"     INTEGER NOT NULL REFERENCES tags ("tagID") ON DELETE CASCADE,
    "timestamp" INTEGER NOT NULL,
    day         INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    month       INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    year        INTEGER NOT NULL,
    PRIMARY KEY ("userID", "artistID", "tagID")
) WITHOUT ROWID;
CREATE INDEX user_taggedartists_by_artist ON user_taggedartists ("artistID", "tagID");
CREATE INDEX user_taggedartists_by_tag ON user_taggedartists ("tagID");
CREATE INDEX user_taggedartists_by_time ON user_taggedartists ("timestamp");

CREATE TABLE user_friends (
    "userID"   INTEGER NOT NULL REFERENCES users ("userID") ON DELETE CASCADE,
    "friendID" INTEGER NOT NULL REFERENCES users ("userID") ON DELETE CASCADE,
    PRIMARY KEY ("userID", "friendID"),
    CHECK ("userID" <> "friendID")
) WITHOUT ROWID;
CREATE INDEX user_friends_by_friend ON user_friends ("friendID");
