-- The six tables of the seed, with its names (quoted, so PostgreSQL keeps their case) and keys.
CREATE TABLE artists (
    id           BIGINT PRIMARY KEY,
    name         TEXT NOT NULL,
    url          TEXT,
    "pictureURL" TEXT
);

CREATE TABLE users (
    "userID" BIGINT PRIMARY KEY
);

CREATE TABLE tags (
    "tagID"    BIGINT PRIMARY KEY,
    "tagValue" TEXT NOT NULL UNIQUE
);

CREATE TABLE user_artists (
    "userID"   BIGINT NOT NULL REFERENCES users ("userID") ON DELETE CASCADE,
    "artistID" BIGINT NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    weight     BIGINT NOT NULL CHECK (weight >= 0),
    PRIMARY KEY ("userID", "artistID")
);
CREATE INDEX user_artists_by_artist ON user_artists ("artistID");

CREATE TABLE user_taggedartists (
    "userID"    BIGINT NOT NULL REFERENCES users ("userID") ON DELETE CASCADE,
    "artistID"  BIGINT NOT NULL REFERENCES artists (id) ON DELETE CASCADE,
    "tagID"     BIGINT NOT NULL REFERENCES tags ("tagID") ON DELETE CASCADE,
    "timestamp" BIGINT NOT NULL,
    day         INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    month       INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    year        INTEGER NOT NULL,
    PRIMARY KEY ("userID", "artistID", "tagID")
);
CREATE INDEX user_taggedartists_by_artist ON user_taggedartists ("artistID", "tagID");
CREATE INDEX user_taggedartists_by_tag ON user_taggedartists ("tagID");
CREATE INDEX user_taggedartists_by_time ON user_taggedartists ("timestamp");

CREATE TABLE user_friends (
    "userID"   BIGINT NOT NULL REFERENCES users ("userID") ON DELETE CASCADE,
    "friendID" BIGINT NOT NULL REFERENCES users ("userID") ON DELETE CASCADE,
    PRIMARY KEY ("userID", "friendID"),
    CHECK ("userID" <> "friendID")
);
CREATE INDEX user_friends_by_friend ON user_friends ("friendID");

-- ss_fold(text): Unicode lower-casing for case-insensitive search, the same on both engines
-- (SQLite gets it as a Rust function). lower() alone folds only ASCII under the C locale, so
-- use the ICU root collation when the server has it.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
        EXECUTE 'CREATE FUNCTION ss_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
                 AS $f$ SELECT lower(t COLLATE "und-x-icu") $f$';
    ELSE
        EXECUTE 'CREATE FUNCTION ss_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
                 AS $f$ SELECT lower(t) $f$';
    END IF;
END
$$;
