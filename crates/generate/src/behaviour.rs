//! What each user does, one user at a time in id order: the artists they listen to with their
//! play counts, then the artists they tag, with which tags and when. Users are generated in
//! the order the files list them, so rows stream to disk as they are made; what persists
//! between users is the two catalogues (artists, tags) and their communities' memories.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use rustc_hash::FxHashSet;

use crate::fit::{dates, listens, tagging, weights};
use crate::people::User;
use crate::pools::{Draw, Ids, Pool};

/// A row of user_artists.dat (the user is implied).
pub(crate) type ListenRow = (u32, u64);

/// A row of user_taggedartists.dat (the user is implied): artist id, tag id, day, month, year.
pub(crate) type TagRow = (u32, u32, u8, u8, u16);

/// The catalogues and their ids, growing as users are generated.
pub(crate) struct Behaviour {
    pub artists: Pool,
    pub artist_ids: Ids,
    pub tags: Pool,
    pub tag_ids: Ids,
    /// Every id of tags.dat in increasing order, with whether some assignment uses it.
    pub tag_rows: Vec<(u32, bool)>,
    /// Circles come first among the pools' groups, then communities, then everyone.
    circles: u32,
    communities: u32,
    normal: Normal<f64>,
    months: Vec<u32>,
}

/// The rows of one user, sorted as the files want them.
#[derive(Debug, Default)]
pub(crate) struct UserRows {
    pub listens: Vec<ListenRow>,
    pub tags: Vec<TagRow>,
}

impl Behaviour {
    pub fn new(circles: u32, communities: u32) -> Self {
        // Groups: every circle, then every community, then everyone (the mainstream).
        let capacities = |[circle, community, everyone]: [u32; 3]| {
            let mut c = vec![circle; circles as usize];
            c.extend(std::iter::repeat_n(community, communities as usize));
            c.push(everyone);
            c
        };
        Self {
            artists: Pool::new(
                listens::DISCOUNT,
                listens::CONCENTRATION,
                capacities(listens::MEMORY),
            ),
            artist_ids: Ids::new(listens::ID_GAP),
            tags: Pool::new(
                tagging::DISCOUNT,
                tagging::CONCENTRATION,
                capacities(tagging::MEMORY),
            ),
            tag_ids: Ids::new(tagging::ID_GAP),
            tag_rows: Vec::new(),
            circles,
            communities,
            normal: Normal::new(0.0, 1.0).expect("a standard normal"),
            months: dates::MONTHS
                .iter()
                .scan(0, |sum, (_, n)| {
                    *sum += n;
                    Some(*sum)
                })
                .collect(),
        }
    }

    /// The pool groups of a user: their circle, their community and everyone.
    fn groups(&self, user: &User) -> [u32; 3] {
        [
            user.circle,
            self.circles + user.community,
            self.circles + self.communities,
        ]
    }

    fn gauss(&self, rng: &mut ChaCha8Rng) -> f64 {
        self.normal.sample(rng)
    }

    /// Generates one user's listens and tag assignments into `rows` (cleared first).
    pub fn user(&mut self, rng: &mut ChaCha8Rng, user: &User, rows: &mut UserRows) {
        rows.listens.clear();
        rows.tags.clear();
        let own = self.listens(rng, user, rows);
        self.tag_assignments(rng, user, &own, rows);
        rows.listens.sort_unstable();
        rows.tags.sort_unstable_by_key(|r| (r.0, r.1));
    }

    /// The user's artists (indices into the artist pool, in the order of preference) and their
    /// rows.
    fn listens(&mut self, rng: &mut ChaCha8Rng, user: &User, rows: &mut UserRows) -> Vec<u32> {
        let length = if rng.random::<f64>() < listens::FULL_LIST_SHARE {
            listens::LIST_CAP
        } else {
            rng.random_range(1..listens::LIST_CAP)
        };
        let groups = self.groups(user);
        let shares = [
            (groups[0], listens::SHARES[0]),
            (groups[1], listens::SHARES[1]),
            (groups[2], listens::SHARES[2]),
        ];
        let mut chosen: Vec<u32> = Vec::with_capacity(length);
        while chosen.len() < length {
            // A repeat of an artist already on the list is drawn again; after a few repeats
            // (a user of a tiny community), a new artist ends the search.
            let mut item = None;
            for _ in 0..32 {
                match self.artists.draw(rng, &shares) {
                    Draw::Existing(a) | Draw::Remembered(a) if chosen.contains(&a) => continue,
                    Draw::Existing(a) => {
                        item = Some((a, true));
                        break;
                    }
                    Draw::Remembered(a) => {
                        item = Some((a, false));
                        break;
                    }
                    Draw::New => break,
                }
            }
            // A new artist is the user's own find: their circle and community hear of it
            // only sometimes, so that most of the long tail keeps a single listener.
            let remembered = item.is_some() || rng.random::<f64>() < listens::NEW_REMEMBERED;
            let (a, counted) = item.unwrap_or_else(|| {
                let id = self.artist_ids.next(rng);
                (self.artists.create(id), true)
            });
            // Only the catalogue's own draws count in it, so that it grows as its draws^d.
            if counted {
                self.artists.record(a);
            }
            if remembered {
                for g in groups {
                    self.artists.remember(rng, a, g);
                }
            }
            chosen.push(a);
        }
        // Play counts: the r-th favourite gets exp(top - decay ln r + noise), sorted.
        let top = weights::TOP_LOG_MEAN + weights::TOP_LOG_SD * self.gauss(rng);
        let decay = weights::DECAY_MEDIAN * (weights::DECAY_LOG_SD * self.gauss(rng)).exp();
        let mut plays: Vec<u64> = (1..=length)
            .map(|r| {
                let log = top - decay * (r as f64).ln() + weights::NOISE_SD * self.gauss(rng);
                log.exp().round().max(1.0) as u64
            })
            .collect();
        plays.sort_unstable_by(|a, b| b.cmp(a));
        for (&a, &w) in chosen.iter().zip(&plays) {
            rows.listens.push((self.artists.ids[a as usize], w));
        }
        chosen
    }

    /// A tag new to the user: from their circle's or community's tags or the whole
    /// vocabulary; counted, and remembered by their groups.
    /// Returns the tag and whether it is a one-off (a brand-new tag its author never reuses).
    fn new_tag_for(
        &mut self,
        rng: &mut ChaCha8Rng,
        user: &User,
        vocabulary: &[(u32, u32)],
    ) -> (u32, bool) {
        let groups = self.groups(user);
        let shares = [
            (groups[0], tagging::SHARES[0]),
            (groups[1], tagging::SHARES[1]),
            (groups[2], tagging::SHARES[2]),
        ];
        let mut found = None;
        for _ in 0..32 {
            match self.tags.draw(rng, &shares) {
                Draw::Existing(t) | Draw::Remembered(t) if vocabulary.iter().any(|v| v.0 == t) => {
                    continue;
                }
                Draw::Existing(t) => {
                    found = Some((t, true));
                    break;
                }
                Draw::Remembered(t) => {
                    found = Some((t, false));
                    break;
                }
                Draw::New => break,
            }
        }
        let one_off = found.is_none() && rng.random::<f64>() < tagging::ONE_OFF;
        let remembered =
            found.is_some() || (!one_off && rng.random::<f64>() < tagging::NEW_REMEMBERED);
        let (t, counted) = found.unwrap_or_else(|| (self.create_tag(rng), true));
        if counted {
            self.tags.record(t);
        }
        if remembered {
            for g in groups {
                self.tags.remember(rng, t, g);
            }
        }
        (t, one_off)
    }

    /// A tag nobody used yet, with its id.
    fn create_tag(&mut self, rng: &mut ChaCha8Rng) -> u32 {
        // Some tags are in tags.dat though nobody used them (real: 2,197 of 11,946), with ids
        // among the others'.
        if rng.random::<f64>() < tagging::UNUSED_PER_USED {
            let id = self.tag_ids.next(rng);
            self.tag_rows.push((id, false));
        }
        let id = self.tag_ids.next(rng);
        self.tag_rows.push((id, true));
        self.tags.create(id)
    }

    fn tag_assignments(
        &mut self,
        rng: &mut ChaCha8Rng,
        user: &User,
        own: &[u32],
        rows: &mut UserRows,
    ) {
        let pairs = (tagging::PAIRS_LOG_MEAN + tagging::PAIRS_LOG_SD * self.gauss(rng))
            .exp()
            .round()
            .clamp(1.0, tagging::MAX_PAIRS) as usize;
        // The user's vocabulary: (tag, uses), reused as in a Chinese restaurant process.
        let mut vocabulary: Vec<(u32, u32)> = Vec::new();
        let mut uses = 0u32;
        let mut tagged: FxHashSet<u32> = FxHashSet::default();
        let user_dates = self.user_dates(rng, pairs);
        let mut pair_tags: Vec<u32> = Vec::new();
        for _ in 0..pairs {
            let Some(artist) = self.tagged_artist(rng, user, own, &tagged) else {
                continue;
            };
            tagged.insert(artist);
            let k = self.tags_per_pair(rng);
            let date = user_dates[rng.random_range(0..user_dates.len())];
            pair_tags.clear();
            for _ in 0..k {
                let Some(t) = self.next_tag(rng, user, &mut vocabulary, &mut uses, &pair_tags)
                else {
                    break;
                };
                pair_tags.push(t);
                let date = if rng.random::<f64>() < dates::OTHER_DATE_SHARE {
                    user_dates[rng.random_range(0..user_dates.len())]
                } else {
                    date
                };
                let (day, month, year) = if rng.random::<f64>() < dates::ODD_DATE_SHARE {
                    // As the real 1956, 1957 and 1979 rows: dates before the service existed.
                    (1, 1 + (t % 12) as u8, [1956, 1957, 1979][t as usize % 3])
                } else {
                    date
                };
                rows.tags
                    .push((artist, self.tags.ids[t as usize], day, month, year));
            }
        }
    }

    /// The artist of the user's next tagged pair (an external id), not one tagged already.
    /// The source (a missing artist, the user's own list, their community's, anyone's) is
    /// chosen once, so that a user who has tagged their whole list does not shift the shares.
    fn tagged_artist(
        &self,
        rng: &mut ChaCha8Rng,
        user: &User,
        own: &[u32],
        tagged: &FxHashSet<u32>,
    ) -> Option<u32> {
        let r = rng.random::<f64>();
        let missing = &self.artist_ids.skipped;
        let mut source = if r < tagging::MISSING_ARTIST_SHARE && !missing.is_empty() {
            0
        } else if r < tagging::MISSING_ARTIST_SHARE + tagging::OWN_ARTIST_SHARE {
            1
        } else if r < tagging::MISSING_ARTIST_SHARE
            + tagging::OWN_ARTIST_SHARE
            + tagging::COMMUNITY_ARTIST_SHARE
        {
            2
        } else {
            3
        };
        while source < 4 {
            for _ in 0..16 {
                let id = match source {
                    // An artist absent from artists.dat: the importer rejects these rows.
                    0 => missing[rng.random_range(0..missing.len())],
                    1 => self.artists.ids[own[rng.random_range(0..own.len())] as usize],
                    2 => match self.artists.remembered_by(rng, self.groups(user)[1]) {
                        Some(a) => self.artists.ids[a as usize],
                        None => break,
                    },
                    _ => self.artists.ids[self.artists.uniform(rng)? as usize],
                };
                if !tagged.contains(&id) {
                    return Some(id);
                }
            }
            // Exhausted (say, every artist of the user's list is tagged): the next source.
            source = source.max(1) + 1;
        }
        None
    }

    fn tags_per_pair(&self, rng: &mut ChaCha8Rng) -> usize {
        let p = if rng.random::<f64>() < tagging::HEAVY_PAIR_SHARE {
            0.92
        } else {
            tagging::EXTRA_TAG_P
        };
        let mut k = 1;
        while k < tagging::VOCABULARY_CAP && rng.random::<f64>() < p {
            k += 1;
        }
        k
    }

    /// The next tag of a pair: one of the user's (in proportion to their uses) or a new one,
    /// never one the pair has already.
    fn next_tag(
        &mut self,
        rng: &mut ChaCha8Rng,
        user: &User,
        vocabulary: &mut Vec<(u32, u32)>,
        uses: &mut u32,
        pair: &[u32],
    ) -> Option<u32> {
        for _ in 0..16 {
            let full = vocabulary.len() >= tagging::VOCABULARY_CAP;
            let reuse = *uses > 0
                && (full
                    || rng.random::<f64>() * (tagging::USER_CONCENTRATION + f64::from(*uses))
                        >= tagging::USER_CONCENTRATION);
            if reuse {
                let mut target = rng.random_range(0..*uses);
                let mut pick = 0;
                for (i, &(_, n)) in vocabulary.iter().enumerate() {
                    if target < n {
                        pick = i;
                        break;
                    }
                    target -= n;
                }
                let t = vocabulary[pick].0;
                if pair.contains(&t) {
                    continue;
                }
                vocabulary[pick].1 += 1;
                *uses += 1;
                return Some(t);
            }
            let (t, one_off) = self.new_tag_for(rng, user, vocabulary);
            // A one-off stays in the vocabulary (it counts towards the cap) with no weight:
            // it is never drawn again.
            let weight = u32::from(!one_off);
            vocabulary.push((t, weight));
            *uses += weight;
            return Some(t);
        }
        None
    }

    /// The dates (day, month, year) a user tags on: about 0.9 sqrt(assignments) months
    /// around a month drawn from the real distribution.
    fn user_dates(&self, rng: &mut ChaCha8Rng, pairs: usize) -> Vec<(u8, u8, u16)> {
        let expected_rows = pairs as f64 * 2.6;
        let wanted =
            (dates::DATES_PER_SQRT_ROW * expected_rows.sqrt() * (0.3 * self.gauss(rng)).exp())
                .round()
                .clamp(1.0, 70.0) as usize;
        let total = *self.months.last().expect("months");
        let center = self
            .months
            .partition_point(|&c| c <= rng.random_range(0..total));
        let spread = 2.0 + wanted as f64;
        let mut chosen: Vec<usize> = vec![center];
        for _ in 0..wanted * 4 {
            if chosen.len() >= wanted {
                break;
            }
            // Months outside the data's range are drawn again, not piled on its edges.
            let m = (center as f64 + spread * self.gauss(rng)).round();
            if m < 0.0 || m >= dates::MONTHS.len() as f64 {
                continue;
            }
            let m = m as usize;
            if !chosen.contains(&m) {
                chosen.push(m);
            }
        }
        chosen
            .into_iter()
            .map(|m| {
                let ((year, month), _) = dates::MONTHS[m];
                let day = if (year, month) == (2011, 5) {
                    let total: u32 = dates::MAY_2011_DAYS.iter().map(|d| d.1).sum();
                    let mut x = rng.random_range(0..total);
                    let mut day = 1;
                    for &(d, n) in &dates::MAY_2011_DAYS {
                        if x < n {
                            day = d;
                            break;
                        }
                        x -= n;
                    }
                    day
                } else {
                    1
                };
                (day, month, year)
            })
            .collect()
    }
}
