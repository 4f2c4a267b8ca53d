//! The `soundstream` command line: one binary whose subcommands run SoundStream's jobs
//! (`import`, `serve`, `keys`, `evaluate`, `train`, `export`, `generate`).
//! It owns configuration (flags with environment fallbacks) and the one-line error output;
//! the work itself lives in the library crates. `import`, `keys` and `evaluate` are here;
//! the others each have a module of their own, with their arguments.

mod export;
mod generate;
mod serve;
mod train;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use soundstream_import::fetch::{DATASET_SHA256, DATASET_URL, FetchSpec, fetch};
use soundstream_import::{ImportOptions, import_dir};
use soundstream_store::{KeyScope, Store};

/// mimalloc rather than glibc's allocator: after training, the recommender's temporary
/// matrices (~150 MB at peak) go back to the operating system instead of staying resident.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gives mimalloc's freed pages back to the operating system at once (it otherwise purges
/// them lazily, when the threads that freed them allocate again: at 100x, a training's 2 GB
/// stayed resident on an idle server). Called after the read model is built and after a
/// model is swapped in (`soundstream_core::memory`), never per request: purging on every
/// free made each 100x search fault its memory back in (216 against 620 req/s).
#[allow(unsafe_code)]
fn release_memory() {
    // SAFETY: mi_collect has no preconditions; it only walks mimalloc's own structures.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

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
        default_value = "sqlite://soundstream.db",
        // It may hold a password: --help must not print it.
        hide_env_values = true
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
    /// Serve the REST API (docs at /docs), importing the dataset first when the database is empty.
    Serve(serve::ServeArgs),
    /// Measure the recommender offline: a seeded 80/20 holdout of each user's listens, every
    /// strategy and two reference baselines, Precision/Recall/NDCG/MAP@10, hit rate, coverage.
    Evaluate(EvaluateArgs),
    /// Train the recommender from the database and write it as a model file, for `serve
    /// --model` (on this machine or another).
    Train(train::TrainArgs),
    /// Manage the API keys that writes need (create, list, revoke).
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Write a whole table (artists, users, tags, listens, tag_assignments, friendships) as a
    /// Parquet, Arrow or CSV file, from the database, without a server.
    Export(export::ExportArgs),
    /// Write a Last.fm-shaped dataset of any size (same files and formats), deterministic by seed.
    Generate(generate::GenerateArgs),
}

#[derive(Debug, Args)]
struct EvaluateArgs {
    /// Seed of the holdout split: the same seed gives the same table.
    #[arg(long, default_value_t = 42)]
    seed: u64,

    /// Print the evaluation as JSON.
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    source: SourceArgs,
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Create a key and print it; it is stored hashed and cannot be shown again.
    Create {
        /// Whose key it is (a person, a service).
        #[arg(long)]
        name: String,
        /// `write` (reads and writes) or `read` (identifies a reader, writes nothing).
        #[arg(long, value_enum, default_value_t = Scope::Write)]
        scope: Scope,
    },
    /// List the keys (prefix, name, scope, dates; never the secret).
    List {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key by id or prefix; it stops working within a second (a running server trusts
    /// a key it verified for a second).
    Revoke {
        /// The key's id or prefix (`ss_` and 12 hex digits).
        key: String,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Scope {
    Read,
    Write,
}

/// Where the dataset's files come from.
#[derive(Debug, Args)]
struct SourceArgs {
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
}

#[derive(Debug, Args)]
struct ImportArgs {
    #[command(flatten)]
    source: SourceArgs,

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

/// Finds the dataset's folder: the one given, or the verified download.
async fn dataset_dir(
    source: SourceArgs,
    progress: bool,
) -> anyhow::Result<(PathBuf, Option<(String, String)>)> {
    if let Some(dir) = source.data_dir {
        return Ok((dir, None));
    }
    let spec = FetchSpec {
        url: source.dataset_url,
        sha256: source.dataset_sha256,
        cache_dir: source.cache_dir.unwrap_or_else(default_cache_dir),
        progress,
    };
    let dir = tokio::task::spawn_blocking({
        let spec = spec.clone();
        move || fetch(&spec)
    })
    .await??;
    Ok((dir, Some((spec.url, spec.sha256))))
}

async fn open(database_url: &str) -> anyhow::Result<Store> {
    Store::connect(database_url)
        .await
        .context("cannot open the database")
}

async fn import(database_url: &str, args: ImportArgs) -> anyhow::Result<()> {
    let store = open(database_url).await?;
    if args.if_empty && !store.is_empty().await? {
        eprintln!(
            "the database already holds the dataset; nothing imported (drop --if-empty to re-import)"
        );
        return Ok(());
    }
    let progress = interactive();
    let (dir, downloaded) = dataset_dir(args.source, progress).await?;
    let report = import_dir(&store, &dir, downloaded, ImportOptions { progress }).await?;
    let text = if args.json {
        serde_json::to_string_pretty(&report)? + "\n"
    } else {
        report.to_string()
    };
    write_stdout(&text)
}

async fn evaluate(database_url: &str, args: EvaluateArgs) -> anyhow::Result<()> {
    let store = open(database_url).await?;
    if store.is_empty().await? {
        let (dir, downloaded) = dataset_dir(args.source, interactive()).await?;
        import_dir(&store, &dir, downloaded, ImportOptions::default()).await?;
    }
    let data = soundstream_api::recommender::training_data(store.training_rows(&|_, _| {}).await?);
    let seed = args.seed;
    let evaluation = tokio::task::spawn_blocking(move || {
        soundstream_recommend::evaluate(&data, seed, &soundstream_recommend::Config::default())
    })
    .await?;
    if args.json {
        write_stdout(&(serde_json::to_string_pretty(&evaluation)? + "\n"))
    } else {
        write_stdout(&format!("{evaluation}\n"))
    }
}

async fn keys(database_url: &str, command: KeysCommand) -> anyhow::Result<()> {
    let store = open(database_url).await?;
    match command {
        KeysCommand::Create { name, scope } => {
            // A name people read in `keys list`: the API's rules for names, stored in NFC.
            let name = soundstream_core::name::nfc(&name).into_owned();
            if let Err(problem) = soundstream_core::name::check_name(&name) {
                anyhow::bail!("--name {problem}: say whose key it is, in visible characters");
            }
            let scope = match scope {
                Scope::Read => KeyScope::Read,
                Scope::Write => KeyScope::Write,
            };
            let (key, secret) = store.create_key(&name, scope).await?;
            eprintln!(
                "created {:?} key {} ({}); store it now, it is not shown again:",
                key.scope, key.id, key.name
            );
            write_stdout(&format!("{secret}\n"))
        }
        KeysCommand::List { json } => {
            let keys = store.list_keys().await?;
            if json {
                return write_stdout(&(serde_json::to_string_pretty(&keys)? + "\n"));
            }
            let mut text = format!(
                "{:>4}  {:<16} {:<6} {:<8} {}\n",
                "id", "prefix", "scope", "state", "name"
            );
            for k in keys {
                let state = if k.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                let scope = format!("{:?}", k.scope).to_lowercase();
                text += &format!(
                    "{:>4}  {:<16} {:<6} {:<8} {}\n",
                    k.id, k.prefix, scope, state, k.name
                );
            }
            write_stdout(&text)
        }
        KeysCommand::Revoke { key } => {
            anyhow::ensure!(
                store.revoke_key(&key).await?,
                "no active key with id or prefix '{key}'; `soundstream keys list` shows them"
            );
            eprintln!("revoked {key}");
            Ok(())
        }
    }
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
    soundstream_core::memory::set_release(release_memory);
    let serving = matches!(cli.command, Command::Serve(_));
    let result = match cli.command {
        Command::Import(args) => import(&cli.database_url, args).await,
        Command::Serve(args) => serve::serve(&cli.database_url, args).await,
        Command::Keys(command) => keys(&cli.database_url, command).await,
        Command::Evaluate(args) => evaluate(&cli.database_url, args).await,
        Command::Export(args) => export::export(&cli.database_url, args).await,
        Command::Generate(args) => generate::run(args),
        Command::Train(args) => train::train(&cli.database_url, args).await,
    };
    let failed = match result {
        Ok(()) => false,
        Err(err) => {
            // One line: what failed and, from the innermost error, how to fix it.
            eprintln!("error: {err:#}");
            true
        }
    };
    if serving {
        // A stopped server exits now. Returning would drop the runtime, which waits for its
        // blocking threads: a training run (minutes at 100x) kept a SIGTERM'd process alive
        // until it finished, past any orchestrator's grace period. Nothing is lost: the logs
        // were flushed when `serve` returned, the database commits every write, and a model
        // file is only ever replaced whole.
        std::process::exit(i32::from(failed));
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
