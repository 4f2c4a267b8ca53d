//! The recommender's input: plain rows with external ids ([`TrainingData`]), and their indexed
//! form (`Indexed`: dense indexes, sparse matrices) that every model trains from.
//!
//! Play counts are damped as `ln(1 + plays)` here, once, for every model. The counts run from
//! 1 to 352,698: raw, one obsessive fan would dominate every similarity an artist has and a
//! user's top artist would drown the other 49; the logarithm keeps the order of a user's
//! preferences while compressing the range to about 0.7..12.8, which is what implicit-feedback
//! models expect of a confidence.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use soundstream_core::Dataset;

/// Everything the recommender learns from, with the dataset's own ids. Duplicated rows are
/// merged (play counts add up), rows with a non-positive play count are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrainingData {
    /// Every known user id, including users with no listens yet (they get cold-start lists,
    /// where an unknown id is an error). Users that appear in the other rows are known too.
    pub users: Vec<i64>,
    /// `(user, artist, plays)` rows.
    pub listens: Vec<(i64, i64, i64)>,
    /// `(user, friend)` rows; a friendship is symmetric whichever directions are given.
    pub friendships: Vec<(i64, i64)>,
    /// `(user, artist, tag)` rows: a user applied a tag to an artist.
    pub tag_assignments: Vec<(i64, i64, i64)>,
    /// Artist names for explanations; every artist named here is in the catalogue.
    pub artist_names: HashMap<i64, String>,
    /// Tag names for explanations.
    pub tag_names: HashMap<i64, String>,
}

impl TrainingData {
    /// The training data of a whole imported dataset.
    pub fn from_dataset(dataset: &Dataset) -> Self {
        Self {
            users: dataset.users.clone(),
            listens: dataset
                .listens
                .iter()
                .map(|l| (l.user_id, l.artist_id, l.weight))
                .collect(),
            friendships: dataset
                .friendships
                .iter()
                .map(|f| (f.user_id, f.friend_id))
                .collect(),
            tag_assignments: dataset
                .tag_assignments
                .iter()
                .map(|t| (t.user_id, t.artist_id, t.tag_id))
                .collect(),
            artist_names: dataset
                .artists
                .iter()
                .map(|a| (a.id, a.name.clone()))
                .collect(),
            tag_names: dataset
                .tags
                .iter()
                .map(|t| (t.id, t.value.clone()))
                .collect(),
        }
    }
}

impl From<&Dataset> for TrainingData {
    fn from(dataset: &Dataset) -> Self {
        Self::from_dataset(dataset)
    }
}

/// The damping of play counts every model trains on (see the module docs).
pub(crate) fn damp(plays: f64) -> f32 {
    (plays.max(0.0)).ln_1p() as f32
}

/// A compressed sparse row matrix: row `r` holds `idx[ptr[r]..ptr[r + 1]]` (sorted, unique
/// columns) with the values `val[..]` at the same positions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Csr {
    pub ptr: Vec<usize>,
    pub idx: Vec<u32>,
    pub val: Vec<f32>,
}

impl Csr {
    /// Builds a matrix of `rows` rows from `(row, column, value)` entries, summing duplicates.
    pub fn from_entries(rows: usize, mut entries: Vec<(u32, u32, f32)>) -> Self {
        entries.sort_unstable_by_key(|&(r, c, _)| (r, c));
        let mut ptr = vec![0usize; rows + 1];
        let mut idx: Vec<u32> = Vec::with_capacity(entries.len());
        let mut val: Vec<f32> = Vec::with_capacity(entries.len());
        let mut last: Option<(u32, u32)> = None;
        for (r, c, v) in entries {
            if last == Some((r, c)) {
                *val.last_mut().expect("a previous entry") += v;
                continue;
            }
            last = Some((r, c));
            ptr[r as usize + 1] += 1;
            idx.push(c);
            val.push(v);
        }
        for r in 0..rows {
            ptr[r + 1] += ptr[r];
        }
        Self { ptr, idx, val }
    }

    pub fn rows(&self) -> usize {
        self.ptr.len() - 1
    }

    pub fn nnz(&self) -> usize {
        self.idx.len()
    }

    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let range = self.ptr[r]..self.ptr[r + 1];
        (&self.idx[range.clone()], &self.val[range])
    }

    pub fn row_len(&self, r: usize) -> usize {
        self.ptr[r + 1] - self.ptr[r]
    }

    /// The value at `(r, c)`, zero when absent.
    pub fn get(&self, r: usize, c: u32) -> f32 {
        let (idx, val) = self.row(r);
        idx.binary_search(&c).map_or(0.0, |p| val[p])
    }

    pub fn transpose(&self, cols: usize) -> Self {
        let mut ptr = vec![0usize; cols + 1];
        for &c in &self.idx {
            ptr[c as usize + 1] += 1;
        }
        for c in 0..cols {
            ptr[c + 1] += ptr[c];
        }
        let mut next = ptr.clone();
        let mut idx = vec![0u32; self.nnz()];
        let mut val = vec![0f32; self.nnz()];
        // Rows are visited in order, so each transposed row comes out sorted.
        for r in 0..self.rows() {
            let (cs, vs) = self.row(r);
            for (&c, &v) in cs.iter().zip(vs) {
                let at = next[c as usize];
                idx[at] = r as u32;
                val[at] = v;
                next[c as usize] += 1;
            }
        }
        Self { ptr, idx, val }
    }

    pub fn bytes(&self) -> usize {
        self.ptr.len() * 8 + self.idx.len() * 4 + self.val.len() * 4
    }
}

/// Sorted sets of columns per row: a sparse 0/1 matrix with no values to store.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct RowSets {
    ptr: Vec<usize>,
    idx: Vec<u32>,
}

impl RowSets {
    /// `rows` rows from `(row, column)` pairs in any order; duplicates count once.
    pub fn from_pairs(rows: usize, mut pairs: Vec<(u32, u32)>) -> Self {
        pairs.sort_unstable();
        pairs.dedup();
        let mut ptr = vec![0usize; rows + 1];
        for &(r, _) in &pairs {
            ptr[r as usize + 1] += 1;
        }
        for r in 0..rows {
            ptr[r + 1] += ptr[r];
        }
        Self {
            ptr,
            idx: pairs.into_iter().map(|p| p.1).collect(),
        }
    }

    /// Row `r`'s columns, sorted; empty for a row past the end.
    pub fn row(&self, r: usize) -> &[u32] {
        match (self.ptr.get(r), self.ptr.get(r + 1)) {
            (Some(&a), Some(&b)) => &self.idx[a..b],
            _ => &[],
        }
    }

    pub fn bytes(&self) -> usize {
        self.ptr.len() * 8 + self.idx.len() * 4
    }
}

/// The training data with dense indexes (users, artists and tags each numbered from 0 in id
/// order) and the sparse matrices the models share.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Indexed {
    pub users: Vec<i64>,
    pub items: Vec<i64>,
    pub tags: Vec<i64>,
    /// Users x artists, damped plays.
    pub ui: Csr,
    /// Raw play counts, aligned with `ui.val` (only the textbook user-kNN baseline uses them).
    pub ui_raw: Vec<f32>,
    /// Artists x users, damped plays.
    pub iu: Csr,
    /// Users x users, symmetric, 1.0 per friendship.
    pub friends: Csr,
    /// Users x tags: how many artists the user applied the tag to.
    pub user_tags: Csr,
    /// Artists x tags: how many users applied the tag to the artist.
    pub item_tags: Csr,
    /// Users x artists: the artists a user tagged but does not play. The user
    /// knows them, so no list recommends them, as no list recommends what they play.
    pub known: RowSets,
    /// Listeners per artist.
    pub listeners: Vec<u32>,
}

fn position(sorted: &[i64], id: i64) -> Option<usize> {
    sorted.binary_search(&id).ok()
}

impl Indexed {
    pub fn build(data: &TrainingData) -> Self {
        let mut users: Vec<i64> = data.users.clone();
        users.extend(data.listens.iter().map(|l| l.0));
        users.extend(data.friendships.iter().flat_map(|f| [f.0, f.1]));
        users.extend(data.tag_assignments.iter().map(|t| t.0));
        users.sort_unstable();
        users.dedup();
        let mut items: Vec<i64> = data.artist_names.keys().copied().collect();
        items.extend(data.listens.iter().map(|l| l.1));
        items.extend(data.tag_assignments.iter().map(|t| t.1));
        items.sort_unstable();
        items.dedup();
        let mut tags: Vec<i64> = data.tag_names.keys().copied().collect();
        tags.extend(data.tag_assignments.iter().map(|t| t.2));
        tags.sort_unstable();
        tags.dedup();

        let u = |id| position(&users, id).expect("every user is indexed") as u32;
        let i = |id| position(&items, id).expect("every artist is indexed") as u32;
        let t = |id| position(&tags, id).expect("every tag is indexed") as u32;

        let raw = Csr::from_entries(
            users.len(),
            data.listens
                .iter()
                .filter(|l| l.2 > 0)
                .map(|&(user, item, w)| (u(user), i(item), w as f32))
                .collect(),
        );
        let ui = Csr {
            val: raw.val.iter().map(|&w| damp(f64::from(w))).collect(),
            ..raw.clone()
        };
        let iu = ui.transpose(items.len());
        let listeners = (0..items.len()).map(|j| iu.row_len(j) as u32).collect();

        let friends = Csr::from_entries(
            users.len(),
            data.friendships
                .iter()
                .filter(|f| f.0 != f.1)
                .flat_map(|&(a, b)| [(u(a), u(b), 1.0), (u(b), u(a), 1.0)])
                .collect(),
        );
        let friends = Csr {
            val: vec![1.0; friends.nnz()],
            ..friends
        };

        // A user who applies a tag twice to one artist counts once.
        let mut assignments: Vec<(u32, u32, u32)> = data
            .tag_assignments
            .iter()
            .map(|&(user, item, tag)| (u(user), i(item), t(tag)))
            .collect();
        assignments.sort_unstable();
        assignments.dedup();
        let user_tags = Csr::from_entries(
            users.len(),
            assignments.iter().map(|&(u, _, t)| (u, t, 1.0)).collect(),
        );
        let item_tags = Csr::from_entries(
            items.len(),
            assignments.iter().map(|&(_, i, t)| (i, t, 1.0)).collect(),
        );
        let known = RowSets::from_pairs(
            users.len(),
            assignments
                .iter()
                .filter(|&&(u, i, _)| ui.row(u as usize).0.binary_search(&i).is_err())
                .map(|&(u, i, _)| (u, i))
                .collect(),
        );

        Self {
            users,
            items,
            tags,
            ui,
            ui_raw: raw.val,
            iu,
            friends,
            user_tags,
            item_tags,
            known,
            listeners,
        }
    }

    pub fn user(&self, id: i64) -> Option<usize> {
        position(&self.users, id)
    }

    pub fn item(&self, id: i64) -> Option<usize> {
        position(&self.items, id)
    }

    pub fn n_users(&self) -> usize {
        self.users.len()
    }

    pub fn n_items(&self) -> usize {
        self.items.len()
    }

    /// Approximate heap bytes of each part.
    pub fn memory(&self) -> Vec<(&'static str, usize)> {
        vec![
            (
                "ids",
                (self.users.len() + self.items.len() + self.tags.len()) * 8
                    + self.listeners.len() * 4,
            ),
            ("users x artists", self.ui.bytes() + self.ui_raw.len() * 4),
            ("artists x users", self.iu.bytes()),
            ("friends", self.friends.bytes()),
            ("users x tags", self.user_tags.bytes()),
            ("artists x tags", self.item_tags.bytes()),
            ("tagged, not played", self.known.bytes()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_artists_are_those_tagged_and_not_played() {
        let data = TrainingData {
            listens: vec![(1, 10, 2), (2, 11, 1)],
            // User 1 tags 10 (played), 12 twice with two tags, and 11 (played by user 2 only).
            tag_assignments: vec![(1, 10, 5), (1, 12, 5), (1, 12, 6), (1, 11, 5), (2, 11, 5)],
            ..TrainingData::default()
        };
        let idx = Indexed::build(&data);
        let (user1, user2) = (idx.user(1).unwrap(), idx.user(2).unwrap());
        let ids = |row: &[u32]| {
            row.iter()
                .map(|&i| idx.items[i as usize])
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(idx.known.row(user1)), vec![11, 12]);
        assert!(idx.known.row(user2).is_empty());
        assert!(
            idx.known.row(idx.n_users()).is_empty(),
            "past the end: none"
        );
    }

    #[test]
    fn duplicates_merge_and_friendships_become_symmetric() {
        let data = TrainingData {
            users: vec![9],
            listens: vec![(1, 10, 2), (1, 10, 3), (2, 11, 0)],
            friendships: vec![(1, 2), (1, 1)],
            tag_assignments: vec![(1, 10, 5), (1, 10, 5)],
            ..TrainingData::default()
        };
        let idx = Indexed::build(&data);
        assert_eq!(idx.users, vec![1, 2, 9]);
        assert_eq!(idx.items, vec![10, 11]);
        assert_eq!(idx.ui.nnz(), 1, "the zero-play row is ignored");
        assert_eq!(idx.ui_raw, vec![5.0]);
        assert!((idx.ui.val[0] - 6f32.ln()).abs() < 1e-6);
        assert_eq!(idx.friends.row(0).0, &[1]);
        assert_eq!(idx.friends.row(1).0, &[0]);
        assert_eq!(idx.item_tags.row(0).1, &[1.0]);
    }

    #[test]
    fn a_transpose_keeps_every_entry() {
        let m = Csr::from_entries(2, vec![(0, 2, 1.0), (1, 0, 2.0), (1, 2, 3.0)]);
        let t = m.transpose(3);
        assert_eq!(t.row(0), (&[1u32][..], &[2.0f32][..]));
        assert_eq!(t.row(2), (&[0u32, 1][..], &[1.0f32, 3.0][..]));
        assert_eq!(t.get(2, 1), 3.0);
        assert_eq!(t.get(1, 0), 0.0);
    }
}
