//! Getting the dataset when no local folder is given: the GroupLens archive is downloaded
//! once into a cache folder, its SHA-256 verified, and unpacked next to it. Later imports reuse
//! the unpacked folder without touching the network.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::files;

/// Where GroupLens publishes the dataset.
pub const DATASET_URL: &str =
    "https://files.grouplens.org/datasets/hetrec2011/hetrec2011-lastfm-2k.zip";

/// SHA-256 of the published archive.
pub const DATASET_SHA256: &str = "6738f48195667ff03caaab4d32ca9a3133d8cc026b7c3cdaf6ce1010e913c59c";

/// Why the archive could not be had.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The HTTP download failed.
    #[error(
        "cannot download {url}: {reason}; without internet access, pass --data-dir (or SOUNDSTREAM_DATA_DIR) with the unpacked dataset"
    )]
    Download {
        /// The archive's URL.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The archive is not the one expected.
    #[error(
        "the archive from {url} has sha256 {actual}, expected {expected}: the download is corrupt or the file changed upstream (pass --dataset-sha256 to accept another archive)"
    )]
    Checksum {
        /// The archive's URL.
        url: String,
        /// The SHA-256 expected.
        expected: String,
        /// The SHA-256 of what was received.
        actual: String,
    },
    /// The archive is not a readable zip, or lacks a required file.
    #[error("cannot unpack {path}: {reason}")]
    Unzip {
        /// The archive.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The cache folder cannot be written.
    #[error(
        "cache folder {path}: {source} (choose another with --cache-dir or SOUNDSTREAM_CACHE_DIR)"
    )]
    Io {
        /// The path at fault.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
}

/// What to fetch and where to keep it.
#[derive(Debug, Clone)]
pub struct FetchSpec {
    /// The archive's URL.
    pub url: String,
    /// The archive's expected SHA-256, lowercase hex.
    pub sha256: String,
    /// The folder where the archive and its unpacked files are kept.
    pub cache_dir: PathBuf,
    /// Draw a download progress bar (hidden anyway when stderr is not a terminal).
    pub progress: bool,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> FetchError + '_ {
    move |source| FetchError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The folder holding the unpacked `.dat` files: from the cache when it is there, otherwise
/// downloaded, verified and unpacked first.
pub fn fetch(spec: &FetchSpec) -> Result<PathBuf, FetchError> {
    let expected = spec.sha256.to_ascii_lowercase();
    let short = expected.get(..12).unwrap_or(&expected);
    let unpacked = spec.cache_dir.join(format!("hetrec2011-lastfm-2k-{short}"));
    if files::REQUIRED.iter().all(|f| unpacked.join(f).is_file()) {
        return Ok(unpacked);
    }
    fs::create_dir_all(&spec.cache_dir).map_err(io_error(&spec.cache_dir))?;
    let archive = spec
        .cache_dir
        .join(format!("hetrec2011-lastfm-2k-{short}.zip"));
    let have_archive = archive.is_file() && sha256_of_file(&archive)? == expected;
    if !have_archive {
        download(spec, &archive, &expected)?;
    }
    unpack(&archive, &unpacked)?;
    Ok(unpacked)
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_of_file(path: &Path) -> Result<String, FetchError> {
    let mut file = fs::File::open(path).map_err(io_error(path))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(io_error(path))?;
        if n == 0 {
            return Ok(hex(&hasher.finalize()));
        }
        hasher.update(&buf[..n]);
    }
}

/// Streams the archive to `<archive>.part` while hashing it, and renames it into place only
/// when the hash matches: an interrupted or corrupt download never passes for the archive.
fn download(spec: &FetchSpec, archive: &Path, expected: &str) -> Result<(), FetchError> {
    let failed = |reason: String| FetchError::Download {
        url: spec.url.clone(),
        reason,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(20)))
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let mut response = agent
        .get(&spec.url)
        .call()
        .map_err(|e| failed(e.to_string()))?;
    let length = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let bar = if spec.progress {
        ProgressBar::with_draw_target(length, ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("downloading [{bar:40}] {bytes}/{total_bytes}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let part = archive.with_extension("zip.part");
    let mut out = fs::File::create(&part).map_err(io_error(&part))?;
    let mut body = response.body_mut().as_reader();
    let mut hasher = Sha256::new();
    let mut buf = vec![0; 1 << 16];
    loop {
        let n = body.read(&mut buf).map_err(|e| failed(e.to_string()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(io_error(&part))?;
        bar.inc(n as u64);
    }
    out.sync_all().map_err(io_error(&part))?;
    bar.finish_and_clear();
    let actual = hex(&hasher.finalize());
    if actual != expected {
        let _ = fs::remove_file(&part);
        return Err(FetchError::Checksum {
            url: spec.url.clone(),
            expected: expected.to_owned(),
            actual,
        });
    }
    fs::rename(&part, archive).map_err(io_error(archive))
}

/// Unpacks the dataset's files (by base name, whatever folder the zip holds them in) into a
/// temporary folder renamed into place at the end.
fn unpack(archive: &Path, target: &Path) -> Result<(), FetchError> {
    let bad = |reason: String| FetchError::Unzip {
        path: archive.to_owned(),
        reason,
    };
    let file = fs::File::open(archive).map_err(io_error(archive))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| bad(e.to_string()))?;
    let staging = target.with_extension(format!("unpacking-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).map_err(io_error(&staging))?;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| bad(e.to_string()))?;
        let Some(name) = entry
            .enclosed_name()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        else {
            continue;
        };
        if entry.is_dir() || !(name.ends_with(".dat") || name == "readme.txt") {
            continue;
        }
        let path = staging.join(&name);
        let mut out = fs::File::create(&path).map_err(io_error(&path))?;
        std::io::copy(&mut entry, &mut out).map_err(|e| bad(format!("{name}: {e}")))?;
    }
    if let Some(missing) = files::REQUIRED.iter().find(|f| !staging.join(f).is_file()) {
        let _ = fs::remove_dir_all(&staging);
        return Err(bad(format!("the archive has no {missing}")));
    }
    let _ = fs::remove_dir_all(target);
    fs::rename(&staging, target).map_err(io_error(target))
}
