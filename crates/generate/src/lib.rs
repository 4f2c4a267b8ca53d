//! Generates datasets shaped like GroupLens' Last.fm hetrec2011-lastfm-2k at any scale: the
//! same files in the same formats (tab-separated, headers, LF or CRLF, ISO-8859-1 bytes in
//! tags.dat), deterministic by seed, with the real data's shape (long-tailed artist and tag
//! popularity, 50-artist lists, taste communities, heavy-tailed friendships mostly within
//! communities) and, in small proportions, its messiness (tag assignments naming artists
//! missing from artists.dat, quotes in names, dates before 1970).
//!
//! [`generate`] streams the files to disk user by user; memory grows with the catalogues and
//! the communities' memories, not with the files. docs/generator.md describes the model and
//! compares its output with the real files.

mod behaviour;
mod fenwick;
pub mod fit;
mod friends;
mod names;
mod out;
mod people;
mod pools;
pub mod shape;

use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub use fit::Targets;
pub use out::FileSummary;

use crate::behaviour::{Behaviour, UserRows};
use crate::out::{DatFile, Finished, latin1};

/// The files a generated dataset holds, as in the GroupLens archive.
pub const FILES: [&str; 6] = [
    "artists.dat",
    "tags.dat",
    "user_artists.dat",
    "user_taggedartists.dat",
    "user_friends.dat",
    "readme.txt",
];

/// The largest scale accepted: 10,000x the real dataset (18.9 M users).
pub const MAX_SCALE: f64 = 10_000.0;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Size relative to the real dataset (1.0 = 1,892 users); at most [`MAX_SCALE`].
    pub scale: f64,
    /// The seed: the same seed and scale give byte-identical files.
    pub seed: u64,
    /// Replace the dataset files already in the output folder.
    pub overwrite: bool,
}

/// How far a generation is, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Users generated so far.
    pub users_done: u64,
    /// Users to generate.
    pub users: u64,
}

/// What a generation wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The counts the scale laws asked for.
    pub targets: Targets,
    /// Each file written, in [`FILES`] order.
    pub files: Vec<FileSummary>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl Summary {
    /// The summary of one file, by name.
    pub fn file(&self, name: &str) -> Option<&FileSummary> {
        self.files.iter().find(|f| f.file == name)
    }
}

/// Why a dataset could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The scale is not a positive number up to the maximum, or too small to hold two users.
    #[error(
        "scale {0} is out of range: give a number from 0.002 (4 users) to {MAX_SCALE} (1.0 is the real dataset's size)"
    )]
    BadScale(f64),
    /// The output folder already holds a dataset file.
    #[error("{0} already exists: choose an empty folder or pass --force to replace the dataset")]
    Exists(PathBuf),
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

impl GenerateError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// A generator stream: one seed, independent streams for independent parts, so the friends
/// (built on another thread) never change the listens.
fn rng(seed: u64, stream: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    rng
}

/// Writes a Last.fm-shaped dataset into `dir` (created if missing), calling `progress` now
/// and then.
pub fn generate(
    config: &Config,
    dir: &Path,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Summary, GenerateError> {
    let start = Instant::now();
    if !(config.scale.is_finite() && config.scale <= MAX_SCALE && config.scale * 1_892.0 >= 3.5) {
        return Err(GenerateError::BadScale(config.scale));
    }
    let targets = Targets::for_scale(config.scale);
    std::fs::create_dir_all(dir).map_err(|e| GenerateError::io(dir, e))?;
    if !config.overwrite {
        for file in FILES {
            let path = dir.join(file);
            if path.exists() {
                return Err(GenerateError::Exists(path));
            }
        }
    }
    let users = people::users(&mut rng(config.seed, 0), targets.users, targets.communities);

    let (friends, listening) = std::thread::scope(|s| {
        let friends = s.spawn(|| write_friends(dir, config.seed, &users));
        let listening = write_listening(dir, config.seed, &users, targets, progress);
        (
            friends.join().expect("the friends thread does not panic"),
            listening,
        )
    });
    let (artists, tags, listens, assignments) = listening?;
    let friends = friends?;
    let readme = write_readme(
        dir,
        config,
        &[&artists, &tags, &listens, &assignments, &friends],
    )?;
    let finished = [artists, tags, listens, assignments, friends, readme];
    for file in &finished {
        file.publish(dir)?;
    }
    Ok(Summary {
        targets,
        files: finished.iter().map(|f| f.summary).collect(),
        seconds: start.elapsed().as_secs_f64(),
    })
}

fn write_friends(dir: &Path, seed: u64, users: &[people::User]) -> Result<Finished, GenerateError> {
    let pairs = friends::friendships(&mut rng(seed, 2), users);
    let rows = friends::rows(users, &pairs);
    drop(pairs);
    let mut file = DatFile::create(dir, "user_friends.dat", &["userID", "friendID"], true)?;
    for (user, friend) in rows {
        file.num(user).num(friend).end_line()?;
    }
    file.finish()
}

/// Listens and tag assignments, user by user, then the catalogues they created.
fn write_listening(
    dir: &Path,
    seed: u64,
    users: &[people::User],
    targets: Targets,
    progress: &dyn Fn(Progress),
) -> Result<(Finished, Finished, Finished, Finished), GenerateError> {
    let mut rng = rng(seed, 1);
    let circles = users.iter().map(|u| u.circle + 1).max().unwrap_or(1);
    let mut behaviour = Behaviour::new(circles, targets.communities);
    let mut listens = DatFile::create(
        dir,
        "user_artists.dat",
        &["userID", "artistID", "weight"],
        true,
    )?;
    let mut assignments = DatFile::create(
        dir,
        "user_taggedartists.dat",
        &["userID", "artistID", "tagID", "day", "month", "year"],
        true,
    )?;
    let mut rows = UserRows::default();
    let total = users.len() as u64;
    for (done, user) in users.iter().enumerate() {
        if done % 512 == 0 {
            progress(Progress {
                users_done: done as u64,
                users: total,
            });
        }
        behaviour.user(&mut rng, user, &mut rows);
        for &(artist, weight) in &rows.listens {
            listens.num(user.id).num(artist).num(weight).end_line()?;
        }
        for &(artist, tag, day, month, year) in &rows.tags {
            assignments
                .num(user.id)
                .num(artist)
                .num(tag)
                .num(day)
                .num(month)
                .num(year)
                .end_line()?;
        }
    }
    progress(Progress {
        users_done: total,
        users: total,
    });

    let mut artists = DatFile::create(
        dir,
        "artists.dat",
        &["id", "name", "url", "pictureURL"],
        false,
    )?;
    for (ordinal, &id) in behaviour.artists.ids.iter().enumerate() {
        let name = names::artist_name(seed, ordinal as u64);
        let url = names::artist_url(&name);
        let picture = names::picture_url(seed, u64::from(id));
        artists
            .num(id)
            .text(name.as_bytes())
            .text(url.as_bytes())
            .text(picture.as_bytes())
            .end_line()?;
    }
    let mut tags = DatFile::create(dir, "tags.dat", &["tagID", "tagValue"], true)?;
    for (ordinal, &(id, _)) in behaviour.tag_rows.iter().enumerate() {
        let (value, is_latin1) = names::tag_value(seed, ordinal as u64);
        let bytes = if is_latin1 {
            latin1(&value)
        } else {
            value.into_bytes()
        };
        tags.num(id).text(&bytes).end_line()?;
    }
    Ok((
        artists.finish()?,
        tags.finish()?,
        listens.finish()?,
        assignments.finish()?,
    ))
}

/// A readme that says what the folder is: synthetic data, how it was made, what it holds.
fn write_readme(
    dir: &Path,
    config: &Config,
    files: &[&Finished],
) -> Result<Finished, GenerateError> {
    let mut text = format!(
        "Synthetic data shaped like hetrec2011-lastfm-2k (GroupLens' Last.fm dataset).\n\
         It is NOT Last.fm data: every user, artist, tag and friendship is made up.\n\n\
         Generated by soundstream-generate {} with: soundstream generate --scale {} --seed {}\n\
         The same command writes byte-identical files.\n\n\
         Files (same formats as the original: tab-separated, one header line):\n",
        env!("CARGO_PKG_VERSION"),
        config.scale,
        config.seed
    );
    for f in files {
        text.push_str(&format!(
            "  {:<24} {:>10} rows {:>12} bytes\n",
            f.summary.file, f.summary.rows, f.summary.bytes
        ));
    }
    let text = text.replace('\n', "\r\n");
    let partial = dir.join(".readme.txt.partial");
    std::fs::write(&partial, &text).map_err(|e| GenerateError::io(&partial, e))?;
    Ok(Finished::new(
        FileSummary {
            file: "readme.txt",
            rows: text.lines().count() as u64,
            bytes: text.len() as u64,
        },
        partial,
    ))
}
