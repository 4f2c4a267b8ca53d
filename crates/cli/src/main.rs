//! The `soundstream` command line: one binary whose subcommands run SoundStream's jobs.
//! It owns configuration (flags with environment fallbacks) and the one-line error output;
//! the work itself lives in the library crates.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use soundstream_import::fetch::{DATASET_SHA256, DATASET_URL, FetchSpec, fetch};
use soundstream_import::{ImportOptions, import_dir};
use soundstream_store::Store;

#[derive(Debug, Parser)]
#[command(
    name = "soundstream",
    version,
    about = "SoundStream: the Last.fm hetrec2011-lastfm-2k dataset as a database, for studying music listening"
)]
struct Cli {
    /// Database: sqlite://PATH (embedded file, the default) or postgres://USER:PASSWORD@HOST:PORT/DB.
    #[arg(
        long,
        global = true,
        env = "SOUNDSTREAM_DATABASE_URL",
        default_value = "sqlite://soundstream.db"
    )]
    database_url: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Load the Last.fm dataset into the database, replacing what it holds, in one transaction,
    /// then print the statistics, the consistency checks and every row that was not stored.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// Folder holding the dataset's .dat files. Without it, the GroupLens archive is downloaded
    /// (once) into the cache folder and verified.
    #[arg(long, env = "SOUNDSTREAM_DATA_DIR")]
    data_dir: Option<PathBuf>,

    /// Where the downloaded archive is kept [default: $XDG_CACHE_HOME/soundstream, or ~/.cache/soundstream].
    #[arg(long, env = "SOUNDSTREAM_CACHE_DIR")]
    cache_dir: Option<PathBuf>,

    /// URL of the dataset archive (a mirror, say).
    #[arg(long, env = "SOUNDSTREAM_DATASET_URL", default_value = DATASET_URL)]
    dataset_url: String,

    /// Expected SHA-256 of the archive, 64 hex digits.
    #[arg(long, env = "SOUNDSTREAM_DATASET_SHA256", default_value = DATASET_SHA256, value_parser = parse_sha256)]
    dataset_sha256: String,

    /// Print the whole report as JSON on stdout, every rejected row included.
    #[arg(long)]
    json: bool,

    /// Import only when the database holds no artist yet; otherwise leave it as it is.
    #[arg(long)]
    if_empty: bool,
}

fn parse_sha256(s: &str) -> Result<String, String> {
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(s.to_ascii_lowercase())
    } else {
        Err("expected 64 hexadecimal digits".into())
    }
}

fn default_cache_dir() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("soundstream")
}

/// Progress bars only for a person at a terminal: never in CI logs or pipes.
fn interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

async fn import(database_url: &str, args: ImportArgs) -> anyhow::Result<()> {
    let store = Store::connect(database_url)
        .await
        .context("cannot open the database")?;
    if args.if_empty && !store.is_empty().await? {
        eprintln!(
            "the database already holds the dataset; nothing imported (drop --if-empty to re-import)"
        );
        return Ok(());
    }
    let progress = interactive();
    let (dir, downloaded) = match args.data_dir {
        Some(dir) => (dir, None),
        None => {
            let spec = FetchSpec {
                url: args.dataset_url,
                sha256: args.dataset_sha256,
                cache_dir: args.cache_dir.unwrap_or_else(default_cache_dir),
                progress,
            };
            let dir = tokio::task::spawn_blocking({
                let spec = spec.clone();
                move || fetch(&spec)
            })
            .await??;
            (dir, Some((spec.url, spec.sha256)))
        }
    };
    let report = import_dir(&store, &dir, downloaded, ImportOptions { progress }).await?;
    let text = if args.json {
        serde_json::to_string_pretty(&report)? + "\n"
    } else {
        report.to_string()
    };
    write_stdout(&text)
}

/// Writes to stdout; a reader that went away (`| head`) is not an error.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Import(args) => import(&cli.database_url, args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line: what failed and, from the innermost error, how to fix it.
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
