//! The generator's parameters and the scale laws, each fitted to a statistic measured on the
//! real hetrec2011-lastfm-2k files (docs/generator.md shows the measurements side by side with
//! what the generator produces). Nothing here depends on the seed.

/// The row counts that the scale laws ask for at scale `K` (the real dataset is `K = 1`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Targets {
    /// The scale factor.
    pub scale: f64,
    /// Users: 1,892 K.
    pub users: u64,
    /// Artists in `artists.dat`, about 17,632 K^0.6 (emergent: the Pitman-Yor process grows
    /// its catalogue as listens^0.6).
    pub artists: u64,
    /// Rows of `tags.dat`, about 11,946 K^0.5 (emergent, as for artists).
    pub tags: u64,
    /// Rows of `user_artists.dat`, about 92,834 K.
    pub listens: u64,
    /// Rows of `user_taggedartists.dat`, about 186,479 K.
    pub tag_assignments: u64,
    /// Rows of `user_friends.dat` (both directions), about 25,434 K.
    pub friendship_rows: u64,
    /// Taste communities: 15 K^0.5, so that a community holds about 126 users at 1x and 1,261 at
    /// 100x (scenes split as a service grows; their count grows more slowly than the users).
    pub communities: u32,
}

impl Targets {
    /// The targets at scale `k` (> 0).
    pub fn for_scale(k: f64) -> Self {
        let round = |x: f64| x.round().max(1.0) as u64;
        Self {
            scale: k,
            users: round(1_892.0 * k),
            artists: round(17_632.0 * k.powf(0.6)),
            tags: round(11_946.0 * k.sqrt()),
            listens: round(92_834.0 * k),
            tag_assignments: round(186_479.0 * k),
            friendship_rows: round(25_434.0 * k),
            communities: (15.0 * k.sqrt()).round().max(1.0) as u32,
        }
    }
}

/// How users choose the artists they listen to.
pub(crate) mod listens {
    /// Users with a full list of 50 artists: 1,829 of 1,892 in the real data.
    pub const FULL_LIST_SHARE: f64 = 1_829.0 / 1_892.0;
    /// The cap on a user's list (the dataset keeps each user's 50 most played artists).
    pub const LIST_CAP: usize = 50;
    /// Shares of a user's picks copied from what their friend circle, their community and
    /// everyone remember (a random remembered listen); the rest are Pitman-Yor draws. The
    /// circle and community give collaborative filtering its signal (friends share artists),
    /// everyone's memory the mainstream hits that a third of all users list.
    pub const SHARES: [f64; 3] = [0.45, 0.1, 0.2];
    /// How many listens a circle, a community and everyone remember (a uniform sample of
    /// their members' listens: memory stays bounded at any scale).
    pub const MEMORY: [u32; 3] = [60, 1_000, 3_000];
    /// Chance that a user's new artist enters their circle's and community's memory.
    pub const NEW_REMEMBERED: f64 = 0.45;
    /// Pitman-Yor discount of the catalogue. A Pitman-Yor catalogue grows as draws^discount
    /// once the draws outnumber the concentration; with the concentration below, 0.55 gives
    /// the K^0.6 law between 1x and 100x, and with the memories, 61 % of single-listener
    /// artists at 1x (real: 60.6 %).
    pub const DISCOUNT: f64 = 0.55;
    /// Pitman-Yor concentration, fitted so that 1x yields about 17,632 artists.
    pub const CONCENTRATION: f64 = 5_000.0;
    /// Share of new artist ids skipped (real: 1,113 gaps in ids 1..18,745); each skipped id is
    /// an artist missing from artists.dat that tag assignments may still name.
    pub const ID_GAP: f64 = 1_113.0 / 18_745.0;
}

/// Play counts ("weight") of a user's artists: the r-th favourite of user u gets
/// exp(top_u - decay_u ln r + noise), the list sorted. Fitted to the real medians by rank
/// (rank 1: 2,690, rank 10: 518, rank 50: 118) and the spread of users' totals.
pub(crate) mod weights {
    /// Mean of ln(play count of a user's favourite).
    pub const TOP_LOG_MEAN: f64 = 7.95;
    /// Standard deviation of ln(play count of a user's favourite) across users.
    pub const TOP_LOG_SD: f64 = 0.95;
    /// Median of a user's rank decay exponent (real: ln(2690/118)/ln 50 = 0.80).
    pub const DECAY_MEDIAN: f64 = 0.8;
    /// Standard deviation of ln(decay) across users (real top/50th ratio: q10 6, q90 166).
    pub const DECAY_LOG_SD: f64 = 0.3;
    /// Per-artist noise on ln(play count).
    pub const NOISE_SD: f64 = 0.3;
}

/// How users tag artists.
pub(crate) mod tagging {
    /// ln(artists a user tags) ~ Normal(mean, sd), capped: fitted to the real assignments per
    /// user (median 20, p90 276, p99 1,171; real ln(tagged artists): mean 2.29, sd 1.60).
    pub const PAIRS_LOG_MEAN: f64 = 2.05;
    /// See [`PAIRS_LOG_MEAN`].
    pub const PAIRS_LOG_SD: f64 = 1.95;
    /// The most artists one user tags (real: 1,208).
    pub const MAX_PAIRS: f64 = 450.0;
    /// Tags per tagged artist: 1 + a geometric number, with a heavy tail for a few (real: 44 %
    /// one tag, mean 2.62, max 50).
    pub const EXTRA_TAG_P: f64 = 0.58;
    /// Share of tagged artists that carry a heavy, long list of tags.
    pub const HEAVY_PAIR_SHARE: f64 = 0.03;
    /// A user's distinct tags are capped (real: at most 50).
    pub const VOCABULARY_CAP: usize = 50;
    /// Chinese-restaurant concentration of a user's own vocabulary: how readily they reuse a
    /// tag they used before (real: median 12 distinct tags for 20 assignments).
    pub const USER_CONCENTRATION: f64 = 4.0;
    /// Shares of a user's new tags taken from what their circle, their community and
    /// everyone remember (tags follow taste); the rest are Pitman-Yor draws.
    pub const SHARES: [f64; 3] = [0.1, 0.1, 0.05];
    /// How many tag adoptions a circle, a community and everyone remember.
    pub const MEMORY: [u32; 3] = [200, 1_000, 2_000];
    /// Chance that a user's new tag enters their circle's and community's memory.
    pub const NEW_REMEMBERED: f64 = 0.3;
    /// Chance that a brand-new tag is a one-off: used once, never reused by its author (real:
    /// 55 % of the used tags are used exactly once).
    pub const ONE_OFF: f64 = 0.75;
    /// Pitman-Yor discount of the tag vocabulary, fitted with the concentration to 11,946
    /// tags at 1x and a growth close to K^0.5 (measured: 3.6x from 1x to 10x, for 3.2x).
    pub const DISCOUNT: f64 = 0.45;
    /// Pitman-Yor concentration of the tag vocabulary.
    pub const CONCENTRATION: f64 = 2_500.0;
    /// Unused tags per used tag in tags.dat (real: 2,197 unused for 9,749 used).
    pub const UNUSED_PER_USED: f64 = 2_197.0 / 9_749.0;
    /// Share of new tag ids skipped (real: 702 gaps in ids 1..12,648).
    pub const ID_GAP: f64 = 702.0 / 12_648.0;
    /// Share of picks among the user's own listens, while some are untagged: fitted so that
    /// about 29 % of tagged artists are on the tagger's list, as measured (heavy taggers run
    /// out of their own 50).
    pub const OWN_ARTIST_SHARE: f64 = 0.45;
    /// Share of tagged artists drawn from the community's listens (the rest are drawn uniformly
    /// from the catalogue: the real tagged artists are less popular than the listened ones).
    pub const COMMUNITY_ARTIST_SHARE: f64 = 0.45;
    /// Share of tag assignments naming an artist missing from artists.dat (real: 1,538 of
    /// 186,479 rows, 0.82 %, naming 390 artists).
    pub const MISSING_ARTIST_SHARE: f64 = 1_538.0 / 186_479.0;
    /// Share of tags whose value is written in ISO-8859-1 (real: 8 of 11,946 lines).
    pub const LATIN1_SHARE: f64 = 8.0 / 11_946.0;
}

/// Dates of tag assignments: the month, the day (1, except a few days of May 2011) and a few
/// dates before 1970.
pub(crate) mod dates {
    /// Rows per month from August 2005 to May 2011 (no April 2011), as measured.
    pub const MONTHS: &[((u16, u8), u32)] = &[
        ((2005, 8), 941),
        ((2005, 9), 150),
        ((2005, 10), 366),
        ((2005, 11), 678),
        ((2005, 12), 348),
        ((2006, 1), 265),
        ((2006, 2), 538),
        ((2006, 3), 413),
        ((2006, 4), 430),
        ((2006, 5), 964),
        ((2006, 6), 330),
        ((2006, 7), 717),
        ((2006, 8), 1121),
        ((2006, 9), 754),
        ((2006, 10), 940),
        ((2006, 11), 1936),
        ((2006, 12), 1406),
        ((2007, 1), 1215),
        ((2007, 2), 1183),
        ((2007, 3), 1303),
        ((2007, 4), 1243),
        ((2007, 5), 875),
        ((2007, 6), 1416),
        ((2007, 7), 2089),
        ((2007, 8), 1676),
        ((2007, 9), 1649),
        ((2007, 10), 2330),
        ((2007, 11), 2840),
        ((2007, 12), 2596),
        ((2008, 1), 2373),
        ((2008, 2), 2155),
        ((2008, 3), 3535),
        ((2008, 4), 3034),
        ((2008, 5), 3703),
        ((2008, 6), 3789),
        ((2008, 7), 4144),
        ((2008, 8), 3997),
        ((2008, 9), 2954),
        ((2008, 10), 4011),
        ((2008, 11), 2958),
        ((2008, 12), 3620),
        ((2009, 1), 4108),
        ((2009, 2), 3532),
        ((2009, 3), 3592),
        ((2009, 4), 3258),
        ((2009, 5), 4144),
        ((2009, 6), 3015),
        ((2009, 7), 3231),
        ((2009, 8), 3560),
        ((2009, 9), 3136),
        ((2009, 10), 4563),
        ((2009, 11), 4292),
        ((2009, 12), 2935),
        ((2010, 1), 3532),
        ((2010, 2), 3860),
        ((2010, 3), 5030),
        ((2010, 4), 5116),
        ((2010, 5), 5124),
        ((2010, 6), 3900),
        ((2010, 7), 5170),
        ((2010, 8), 4916),
        ((2010, 9), 5001),
        ((2010, 10), 4250),
        ((2010, 11), 4466),
        ((2010, 12), 4633),
        ((2011, 1), 4496),
        ((2011, 2), 3437),
        ((2011, 3), 3661),
        ((2011, 5), 3531),
    ];
    /// Days of the May 2011 rows (the only month with days other than the 1st): 5, 6, 9.
    pub const MAY_2011_DAYS: [(u8, u32); 3] = [(5, 1505), (6, 1469), (9, 557)];
    /// Share of rows dated before 1970 (real: 5 of 186,479, in 1956, 1957 and 1979).
    pub const ODD_DATE_SHARE: f64 = 5.0 / 186_479.0;
    /// Distinct dates of a user: about this factor times sqrt(assignments) (real medians: 3
    /// dates for 8 assignments, 13 for 256, 27 for 1,024).
    pub const DATES_PER_SQRT_ROW: f64 = 0.9;
    /// Share of a tagged artist's tags given on another date than its first (real: 12.8 % of
    /// pairs span more than one date).
    pub const OTHER_DATE_SHARE: f64 = 0.06;
}

/// The friendship graph: heavy-tailed degrees, mostly within small circles of a community.
pub(crate) mod friends {
    /// ln(degree) ~ Normal(mean, sd) (real: 1.92, 1.18; median 6, mean 13.4).
    pub const DEGREE_LOG_MEAN: f64 = 1.92;
    /// See [`DEGREE_LOG_MEAN`].
    pub const DEGREE_LOG_SD: f64 = 1.25;
    /// The largest degree (real: 119).
    pub const MAX_DEGREE: u32 = 119;
    /// Users per friend circle (a subset of a community).
    pub const CIRCLE_SIZE: usize = 25;
    /// Share of friendships within the user's circle.
    pub const CIRCLE_SHARE: f64 = 0.5;
    /// Share of friendships elsewhere in the user's community (the rest go anywhere).
    pub const COMMUNITY_SHARE: f64 = 0.4;
    /// The most friends one user has in their circle.
    pub const CIRCLE_CAP: u32 = 15;
    /// The most friends one user has elsewhere in their community.
    pub const COMMUNITY_CAP: u32 = 60;
}

/// Share of user ids skipped (real: 1,892 users with ids 2..2,100).
pub(crate) const USER_ID_GAP: f64 = 207.0 / 2_099.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_x_asks_for_the_real_counts() {
        let t = Targets::for_scale(1.0);
        assert_eq!(
            (t.users, t.artists, t.tags, t.listens),
            (1_892, 17_632, 11_946, 92_834)
        );
        assert_eq!((t.tag_assignments, t.friendship_rows), (186_479, 25_434));
    }

    #[test]
    fn catalogues_grow_more_slowly_than_users() {
        let t = Targets::for_scale(100.0);
        assert_eq!(t.users, 189_200);
        // 100^0.6 = 15.85, 100^0.5 = 10.
        assert_eq!(t.artists, (17_632.0 * 100f64.powf(0.6)).round() as u64);
        assert_eq!(t.tags, 119_460);
        assert_eq!(t.communities, 150);
    }
}
