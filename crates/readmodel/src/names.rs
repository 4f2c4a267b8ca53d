//! Case-insensitive substring search over names (artists' names, tags' values), kept up to
//! date as names come and go: the folded names live in chunks of one string each, so a
//! search is one SIMD substring scan per chunk, and a rename or a deletion rewrites only its
//! chunk.

use memchr::memmem;
use rustc_hash::FxHashMap;

/// Names per chunk: a rename copies at most this many names.
const CHUNK: usize = 512;

/// Folds text for case-insensitive matching, as the store's `ss_fold` does.
pub fn fold(text: &str) -> String {
    text.to_lowercase()
}

#[derive(Debug, Clone, Default)]
struct Chunk {
    /// The folded names, each followed by a newline.
    text: String,
    /// Where each name starts in `text`.
    starts: Vec<u32>,
    /// The id of each name.
    ids: Vec<i64>,
}

impl Chunk {
    fn push(&mut self, id: i64, folded: &str) {
        self.starts.push(self.text.len() as u32);
        self.ids.push(id);
        // A newline cannot occur in a search needle (control characters are rejected), so no
        // match spans two names.
        self.text
            .extend(folded.chars().map(|c| if c == '\n' { ' ' } else { c }));
        self.text.push('\n');
    }

    fn name(&self, i: usize) -> &str {
        let start = self.starts[i] as usize;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |&s| s as usize);
        &self.text[start..end - 1]
    }

    /// Rewritten without entry `skip`, or with its name replaced.
    fn rewritten(&self, skip: usize, replacement: Option<&str>) -> Chunk {
        let mut chunk = Chunk::default();
        for i in 0..self.ids.len() {
            if i == skip {
                if let Some(name) = replacement {
                    chunk.push(self.ids[i], name);
                }
            } else {
                chunk.push(self.ids[i], self.name(i));
            }
        }
        chunk
    }
}

/// Folded names by id, searchable by substring.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    chunks: Vec<Chunk>,
    /// The chunk of each id.
    chunk_of: FxHashMap<i64, u32>,
}

impl NameIndex {
    /// Adds `id` with its (already folded) name.
    pub fn insert(&mut self, id: i64, folded: &str) {
        if self.chunks.last().is_none_or(|c| c.ids.len() >= CHUNK) {
            self.chunks.push(Chunk::default());
        }
        let last = self.chunks.len() - 1;
        self.chunks[last].push(id, folded);
        self.chunk_of.insert(id, last as u32);
    }

    /// Removes `id`.
    pub fn remove(&mut self, id: i64) {
        self.replace(id, None);
    }

    /// Gives `id` a new (folded) name.
    pub fn rename(&mut self, id: i64, folded: &str) {
        self.replace(id, Some(folded));
    }

    fn replace(&mut self, id: i64, name: Option<&str>) {
        let Some(&c) = self.chunk_of.get(&id) else {
            return;
        };
        let chunk = &mut self.chunks[c as usize];
        if let Some(i) = chunk.ids.iter().position(|&x| x == id) {
            *chunk = chunk.rewritten(i, name);
        }
        if name.is_none() {
            self.chunk_of.remove(&id);
        }
    }

    /// The ids whose folded name contains `needle` (folded too), each once, in no order.
    pub fn search(&self, needle: &str) -> Vec<i64> {
        let finder = memmem::Finder::new(needle.as_bytes());
        let mut found = Vec::new();
        for chunk in &self.chunks {
            let mut last = usize::MAX;
            for at in finder.find_iter(chunk.text.as_bytes()) {
                let i = chunk.starts.partition_point(|&s| s as usize <= at) - 1;
                if i != last {
                    found.push(chunk.ids[i]);
                    last = i;
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_name_once_and_follows_renames_and_removals() {
        let mut index = NameIndex::default();
        for (id, name) in [(1, "Abba"), (2, "Black Sabbath"), (3, "Metallica")] {
            index.insert(id, &fold(name));
        }
        let mut found = index.search("ab");
        found.sort_unstable();
        assert_eq!(found, [1, 2]);
        index.rename(1, &fold("Queen"));
        index.remove(3);
        assert_eq!(index.search("ab"), [2]);
        assert_eq!(index.search("que"), [1]);
        assert!(index.search("metal").is_empty());
        // No match spans the end of one name and the start of the next.
        assert!(index.search("hq").is_empty());
    }

    #[test]
    fn names_spread_over_many_chunks_are_all_found() {
        let mut index = NameIndex::default();
        for id in 0..2000 {
            index.insert(id, &format!("artist {id}"));
        }
        assert_eq!(index.search("artist").len(), 2000);
        index.remove(1500);
        assert_eq!(index.search("artist 150").len(), 10);
        assert_eq!(index.search("artist 1999"), [1999]);
    }
}
