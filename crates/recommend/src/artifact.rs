//! The model file: a trained [`Recommender`] written once (`soundstream train --out FILE`)
//! and loaded anywhere (`soundstream serve --model FILE`), so that replicas share one model
//! and training can run as a batch job on another machine.
//!
//! Layout, little-endian: the magic `SSMODEL\0`; the format version (u32); the length (u32)
//! and bytes of a JSON [`ModelInfo`] (what was trained from what, and how well it did,
//! readable without decoding the model); the length (u64) of the payload; the SHA-256 of the
//! info and payload bytes together; the payload, the recommender in postcard (a compact,
//! stable serde encoding). A file of another version, cut short or altered is refused with
//! one line saying which.
//!
//! The payload is streamed both ways (`postcard::to_io` while hashing; checked in one pass,
//! then decoded from the file in a second): at 100x it is several hundred MB, and holding its
//! bytes beside the model they encode would add that much to the process's peak.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use postcard::de_flavors::Flavor;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{Recommender, TrainingData, TrainingReport};

/// The first bytes of every model file.
const MAGIC: &[u8; 8] = b"SSMODEL\0";
/// The version of the layout and of the encoded structures; a file of another version is
/// refused (retrain it with this build). 2: the hybrid's weights carry its spread, and the
/// tag model records whether its tags were capped to their best artists. 3: the index holds
/// each user's known artists (tagged, not played).
pub const FORMAT_VERSION: u32 = 3;

/// What the training data was: row counts and a hash of the rows, so that a model can be
/// matched with the database it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataFingerprint {
    /// Known users.
    pub users: usize,
    /// Artists named in the catalogue.
    pub artists: usize,
    /// Listen rows.
    pub listens: usize,
    /// Tag assignment rows.
    pub tag_assignments: usize,
    /// Friendship rows.
    pub friendships: usize,
    /// SHA-256 (hex) of every row above in the order given, ids and values little-endian.
    pub sha256: String,
}

impl DataFingerprint {
    /// The fingerprint of `data`.
    pub fn of(data: &TrainingData) -> Self {
        let mut h = Sha256::new();
        for &u in &data.users {
            h.update(u.to_le_bytes());
        }
        for &(u, a, w) in &data.listens {
            h.update(u.to_le_bytes());
            h.update(a.to_le_bytes());
            h.update(w.to_le_bytes());
        }
        for &(u, f) in &data.friendships {
            h.update(u.to_le_bytes());
            h.update(f.to_le_bytes());
        }
        for &(u, a, t) in &data.tag_assignments {
            h.update(u.to_le_bytes());
            h.update(a.to_le_bytes());
            h.update(t.to_le_bytes());
        }
        Self {
            users: data.users.len(),
            artists: data.artist_names.len(),
            listens: data.listens.len(),
            tag_assignments: data.tag_assignments.len(),
            friendships: data.friendships.len(),
            sha256: hex(&h.finalize()),
        }
    }
}

/// What a model file says about its model, readable without decoding it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// [`FORMAT_VERSION`] of the file.
    pub format_version: u32,
    /// Version of the crate that wrote it.
    pub written_by: String,
    /// When it was written, in milliseconds since the epoch.
    pub written_at_ms: i64,
    /// The training data.
    pub data: DataFingerprint,
    /// The training report: timings, the models chosen for the data's size, validation
    /// NDCG and coverage, the blend weights.
    pub report: TrainingReport,
}

/// A model file that cannot be written or used.
#[derive(Debug, thiserror::Error)]
pub enum ArtifactError {
    /// Reading or writing failed.
    #[error("{path}: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause (in the message, not as a source: one line says it all).
        cause: std::io::Error,
    },
    /// Not a model file at all.
    #[error("{0}: not a SoundStream model file (no SSMODEL header)")]
    NotAModel(PathBuf),
    /// Written by a build with another format.
    #[error(
        "{path}: model format version {found}, this build reads version {expected}; retrain it with `soundstream train --out`"
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// Shorter than its header says, or altered since it was written.
    #[error(
        "{0}: the model file is truncated or corrupted (checksum mismatch); copy or retrain it"
    )]
    Corrupted(PathBuf),
    /// The checksum matched but the content does not decode (a bug, or a forged file).
    #[error("{path}: the model does not decode: {reason}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Recommender {
    /// Writes the model to `path` (through a temporary file renamed into place, so a reader
    /// never sees half a file), with the fingerprint of the data it was trained on.
    pub fn save(&self, path: &Path, data: DataFingerprint) -> Result<ModelInfo, ArtifactError> {
        let io = |cause| ArtifactError::Io {
            path: path.to_owned(),
            cause,
        };
        let info = ModelInfo {
            format_version: FORMAT_VERSION,
            written_by: env!("CARGO_PKG_VERSION").to_owned(),
            written_at_ms: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64),
            data,
            report: self.report().clone(),
        };
        let info_bytes = serde_json::to_vec(&info).expect("the info serialises");
        let tmp = path.with_extension("partial");
        let mut out = BufWriter::new(File::create(&tmp).map_err(io)?);
        out.write_all(MAGIC).map_err(io)?;
        out.write_all(&FORMAT_VERSION.to_le_bytes()).map_err(io)?;
        out.write_all(&(info_bytes.len() as u32).to_le_bytes())
            .map_err(io)?;
        out.write_all(&info_bytes).map_err(io)?;
        // The length and the checksum come before the payload: a placeholder now, the
        // figures once the payload has streamed past.
        let sums_at = out.stream_position().map_err(io)?;
        out.write_all(&[0u8; 8 + 32]).map_err(io)?;
        let mut hashed = HashingWriter {
            out,
            hash: Sha256::new(),
            len: 0,
        };
        hashed.hash.update(&info_bytes);
        postcard::to_io(self, &mut hashed).map_err(|e| ArtifactError::Decode {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        let HashingWriter { mut out, hash, len } = hashed;
        out.seek(SeekFrom::Start(sums_at)).map_err(io)?;
        out.write_all(&len.to_le_bytes()).map_err(io)?;
        out.write_all(&hash.finalize()).map_err(io)?;
        out.into_inner()
            .map_err(|e| io(e.into_error()))?
            .sync_all()
            .map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)?;
        Ok(info)
    }

    /// The same model rebuilt through its serialised form: every vector at its exact length in
    /// one fresh allocation, as a loaded model file has them. A model just trained holds
    /// vectors grown by doubling, and their buffers sit among the pages of training's freed
    /// temporaries, which the allocator then cannot give back.
    ///
    /// The form goes through an unnamed temporary file (in `TMPDIR`), so the copy never sits
    /// beside the model in memory; if the file cannot be written, through memory instead.
    pub fn compacted(self) -> Self {
        let file = tempfile::tempfile().and_then(|file| {
            let mut out = BufWriter::with_capacity(1 << 20, file);
            postcard::to_io(&self, &mut out).map_err(std::io::Error::other)?;
            let mut file = out.into_inner().map_err(|e| e.into_error())?;
            file.rewind()?;
            Ok(file)
        });
        match file {
            Ok(file) => {
                drop(self);
                decode_stream(BufReader::with_capacity(1 << 20, file))
                    .expect("a model decodes from the file it was just written to")
            }
            // No writable temporary directory: the same, with the copy in memory for a moment.
            Err(_) => {
                let bytes = postcard::to_stdvec(&self).expect("a model serialises");
                drop(self);
                postcard::from_bytes(&bytes).expect("a model deserialises from its own bytes")
            }
        }
    }

    /// Loads a model written by [`Recommender::save`], checking its version and checksum.
    pub fn load(path: &Path) -> Result<(Recommender, ModelInfo), ArtifactError> {
        let (info, info_bytes, mut file) = read_header(path)?;
        let corrupted = || ArtifactError::Corrupted(path.to_owned());
        let mut len = [0u8; 8];
        file.read_exact(&mut len).map_err(|_| corrupted())?;
        let mut checksum = [0u8; 32];
        file.read_exact(&mut checksum).map_err(|_| corrupted())?;
        let len = u64::from_le_bytes(len);
        let payload_at = file.stream_position().map_err(|cause| ArtifactError::Io {
            path: path.to_owned(),
            cause,
        })?;
        // One pass to check, one to decode: a damaged file is refused before anything is
        // built from it, and the payload is never held whole.
        let mut h = Sha256::new();
        h.update(&info_bytes);
        let read =
            std::io::copy(&mut (&mut file).take(len), &mut HashSink(&mut h)).map_err(|cause| {
                ArtifactError::Io {
                    path: path.to_owned(),
                    cause,
                }
            })?;
        if read != len || h.finalize().as_slice() != checksum {
            return Err(corrupted());
        }
        file.seek(SeekFrom::Start(payload_at))
            .map_err(|cause| ArtifactError::Io {
                path: path.to_owned(),
                cause,
            })?;
        let model = decode_stream(file.take(len)).map_err(|e| ArtifactError::Decode {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        Ok((model, info))
    }
}

/// A writer that hashes and counts what goes through it.
struct HashingWriter<W> {
    out: W,
    hash: Sha256,
    len: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// A sink that only hashes.
struct HashSink<'a>(&'a mut Sha256);

impl Write for HashSink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Decodes a recommender from a postcard stream.
fn decode_stream(reader: impl Read) -> postcard::Result<Recommender> {
    let arena = bumpalo::Bump::new();
    let mut de = postcard::Deserializer::from_flavor(Streamed {
        reader,
        arena: &arena,
        temp: Vec::new(),
    });
    Recommender::deserialize(&mut de)
}

/// A postcard source reading a stream. postcard lends strings out of its input for the
/// whole decoding; those (the names, a few MB) are copied into `arena`, and everything else is
/// read straight into the values, so no copy of the payload is ever held.
struct Streamed<'de, R> {
    reader: R,
    arena: &'de bumpalo::Bump,
    /// The bytes of one number at a time.
    temp: Vec<u8>,
}

impl<'de, R: Read + 'de> Flavor<'de> for Streamed<'de, R> {
    type Remainder = ();
    type Source = ();

    fn pop(&mut self) -> postcard::Result<u8> {
        let mut byte = [0u8];
        self.reader
            .read_exact(&mut byte)
            .map_err(|_| postcard::Error::DeserializeUnexpectedEnd)?;
        Ok(byte[0])
    }

    fn try_take_n(&mut self, ct: usize) -> postcard::Result<&'de [u8]> {
        // Read before allocating: a damaged length must not reserve memory it does not have.
        let mut bytes = Vec::new();
        (&mut self.reader)
            .take(ct as u64)
            .read_to_end(&mut bytes)
            .map_err(|_| postcard::Error::DeserializeUnexpectedEnd)?;
        if bytes.len() != ct {
            return Err(postcard::Error::DeserializeUnexpectedEnd);
        }
        Ok(self.arena.alloc_slice_copy(&bytes))
    }

    fn try_take_n_temp<'a>(&'a mut self, ct: usize) -> postcard::Result<&'a [u8]>
    where
        'de: 'a,
    {
        if self.temp.len() < ct {
            self.temp.resize(ct, 0);
        }
        self.reader
            .read_exact(&mut self.temp[..ct])
            .map_err(|_| postcard::Error::DeserializeUnexpectedEnd)?;
        Ok(&self.temp[..ct])
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
}

/// The info of a model file, without decoding (or checking) the model.
pub fn read_info(path: &Path) -> Result<ModelInfo, ArtifactError> {
    read_header(path).map(|h| h.0)
}

fn read_header(path: &Path) -> Result<(ModelInfo, Vec<u8>, BufReader<File>), ArtifactError> {
    let io = |cause| ArtifactError::Io {
        path: path.to_owned(),
        cause,
    };
    let mut file = BufReader::new(File::open(path).map_err(io)?);
    let mut magic = [0u8; 8];
    if file.read_exact(&mut magic).is_err() || &magic != MAGIC {
        return Err(ArtifactError::NotAModel(path.to_owned()));
    }
    let corrupted = || ArtifactError::Corrupted(path.to_owned());
    let mut word = [0u8; 4];
    file.read_exact(&mut word).map_err(|_| corrupted())?;
    let version = u32::from_le_bytes(word);
    if version != FORMAT_VERSION {
        return Err(ArtifactError::Version {
            path: path.to_owned(),
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    file.read_exact(&mut word).map_err(|_| corrupted())?;
    let mut info_bytes = Vec::new();
    (&mut file)
        .take(u64::from(u32::from_le_bytes(word)))
        .read_to_end(&mut info_bytes)
        .map_err(io)?;
    let info = serde_json::from_slice(&info_bytes).map_err(|_| corrupted())?;
    Ok((info, info_bytes, file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::two_groups;
    use crate::{Config, Strategy};

    fn trained() -> (Recommender, TrainingData) {
        let data = two_groups();
        let config = Config {
            ials: crate::config::IalsConfig {
                factors: 4,
                ..Default::default()
            },
            threads: 2,
            ..Config::default()
        };
        (Recommender::train(&data, &config), data)
    }

    #[test]
    fn a_saved_model_loads_and_answers_the_same() {
        let (rec, data) = trained();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.ssm");
        let written = rec.save(&path, DataFingerprint::of(&data)).unwrap();
        let (loaded, info) = Recommender::load(&path).unwrap();
        assert_eq!(info, written);
        assert_eq!(info.data.listens, data.listens.len());
        assert_eq!(read_info(&path).unwrap(), info);
        for user in 1..=6 {
            for strategy in Strategy::ALL {
                assert_eq!(
                    loaded.recommend(user, strategy, 5).unwrap(),
                    rec.recommend(user, strategy, 5).unwrap(),
                    "user {user}, {strategy}"
                );
            }
            assert_eq!(
                loaded.similar_users(user, 3).unwrap(),
                rec.similar_users(user, 3).unwrap()
            );
        }
        assert_eq!(loaded.report(), rec.report());
    }

    #[test]
    fn a_compacted_model_answers_the_same() {
        let (rec, _) = trained();
        let expected: Vec<_> = (1..=6)
            .flat_map(|user| Strategy::ALL.map(|s| rec.recommend(user, s, 5).unwrap()))
            .collect();
        let report = rec.report().clone();
        let compacted = rec.compacted();
        let answered: Vec<_> = (1..=6)
            .flat_map(|user| Strategy::ALL.map(|s| compacted.recommend(user, s, 5).unwrap()))
            .collect();
        assert_eq!(answered, expected);
        assert_eq!(compacted.report(), &report);
    }

    #[test]
    fn a_damaged_or_foreign_file_is_refused_with_its_reason() {
        let (rec, data) = trained();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("model.ssm");
        rec.save(&path, DataFingerprint::of(&data)).unwrap();
        let bytes = std::fs::read(&path).unwrap();

        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        let err = Recommender::load(&path).unwrap_err();
        assert!(matches!(err, ArtifactError::Corrupted(_)), "{err}");
        assert!(err.to_string().contains("checksum"), "{err}");

        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        assert!(matches!(
            Recommender::load(&path).unwrap_err(),
            ArtifactError::Corrupted(_)
        ));

        let mut other = bytes.clone();
        other[8] = 99;
        std::fs::write(&path, &other).unwrap();
        let err = Recommender::load(&path).unwrap_err();
        assert!(err.to_string().contains("format version 99"), "{err}");

        std::fs::write(&path, b"userID\tartistID\n").unwrap();
        assert!(matches!(
            Recommender::load(&path).unwrap_err(),
            ArtifactError::NotAModel(_)
        ));
        let missing = dir.path().join("none.ssm");
        assert!(matches!(
            Recommender::load(&missing).unwrap_err(),
            ArtifactError::Io { .. }
        ));
    }
}
