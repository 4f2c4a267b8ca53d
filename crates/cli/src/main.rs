//! The `soundstream` command line: one binary whose subcommands run SoundStream's jobs
//! (`import`, `serve`, `keys`, `evaluate`, `train`, `export`, `generate`).
//! It owns configuration (flags with environment fallbacks) and the one-line error output;
//! the work itself lives in the library crates.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

mod generate;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use soundstream_api::CorsOrigins;
use soundstream_api::limit::RateLimit;
use soundstream_import::fetch::{DATASET_SHA256, DATASET_URL, FetchSpec, fetch};
use soundstream_import::{ImportOptions, import_dir};
use soundstream_store::{KeyScope, Store};

mod export;
mod train;

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
    Serve(ServeArgs),
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

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "SOUNDSTREAM_ADDR", default_value = "127.0.0.1:8000")]
    addr: SocketAddr,

    /// Requests a second each client (API key, or address without one) may make, in bursts of
    /// as many; past that, 429 with Retry-After. 0 turns the limit off.
    #[arg(long, env = "SOUNDSTREAM_RATE_LIMIT", default_value_t = 1000)]
    rate_limit: u32,

    /// How many reverse proxies (load balancers) stand in front of the server, each appending
    /// the address it saw to X-Forwarded-For. The rate limit then counts the client those
    /// proxies saw; 0 (the default) ignores the header, which clients can forge.
    #[arg(long, env = "SOUNDSTREAM_TRUSTED_PROXIES", default_value_t = 0,
          value_parser = clap::value_parser!(u8).range(0..=10))]
    trusted_proxies: u8,

    /// The longest a request may take, in seconds, body upload included; past it, 503.
    #[arg(long, env = "SOUNDSTREAM_REQUEST_TIMEOUT", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout: u64,

    /// Web pages (origins) allowed to call the API from a browser, comma-separated:
    /// `https://dash.example.com,http://localhost:8501`, `*` for any, or empty for none.
    /// The default admits the dashboard on this machine only.
    #[arg(long, env = "SOUNDSTREAM_CORS_ORIGINS",
          default_value = "http://localhost:8501,http://127.0.0.1:8501",
          value_parser = CorsOrigins::parse)]
    cors_origins: CorsOrigins,

    /// Serve this model file (written by `soundstream train --out`) instead of training at
    /// start-up; retrained in the background after the first write.
    #[arg(long, env = "SOUNDSTREAM_MODEL")]
    model: Option<PathBuf>,

    /// Connections open at once, from all clients; past it a new one gets a 503 at once.
    #[arg(long, env = "SOUNDSTREAM_MAX_CONNECTIONS", default_value_t = 10_000,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_connections: u32,

    /// Connections open at once from one client address (IPv6: its /64); past it a new one
    /// gets a 503 at once. 0 turns the cap off. Default: 512, or off behind
    /// --trusted-proxies (the proxies are then the clients of this server).
    #[arg(long, env = "SOUNDSTREAM_MAX_CONNECTIONS_PER_CLIENT")]
    max_connections_per_client: Option<u32>,

    /// Seconds a client has to send a request's headers (and the first request of a new
    /// connection); past it the connection is closed.
    #[arg(long, env = "SOUNDSTREAM_HEADER_TIMEOUT", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,

    /// Seconds a connection may stay idle between requests (keep-alive) before it is closed;
    /// keep it above the idle timeout of a load balancer in front.
    #[arg(long, env = "SOUNDSTREAM_IDLE_TIMEOUT", default_value_t = 75,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    idle_timeout: u64,

    #[command(flatten)]
    source: SourceArgs,
}

impl ServeArgs {
    fn connection_limits(&self) -> soundstream_api::server::ConnectionLimits {
        let per_client = self
            .max_connections_per_client
            .unwrap_or(if self.trusted_proxies > 0 { 0 } else { 512 });
        soundstream_api::server::ConnectionLimits {
            max_connections: self.max_connections as usize,
            max_connections_per_client: per_client as usize,
            header_read_timeout: std::time::Duration::from_secs(self.header_timeout),
            idle_timeout: std::time::Duration::from_secs(self.idle_timeout),
        }
    }
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

/// The log filter: `SOUNDSTREAM_LOG` when set (an invalid one is an error, not silence), else
/// `info`.
fn log_filter() -> anyhow::Result<tracing_subscriber::EnvFilter> {
    match std::env::var("SOUNDSTREAM_LOG") {
        Err(std::env::VarError::NotPresent) => Ok(tracing_subscriber::EnvFilter::new("info")),
        Err(std::env::VarError::NotUnicode(_)) => {
            anyhow::bail!("SOUNDSTREAM_LOG is not valid UTF-8; set it to a level such as info")
        }
        Ok(value) => tracing_subscriber::EnvFilter::try_new(&value).map_err(|e| {
            anyhow::anyhow!(
                "SOUNDSTREAM_LOG='{value}' is not a log filter ({e}); use a level (error, warn, info, debug, trace) or e.g. soundstream=debug,info"
            )
        }),
    }
}

async fn serve(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    // Every setting is checked before anything starts: a wrong one is one line at once, not a
    // failure minutes later.
    let filter = log_filter()?;
    let limits = args.connection_limits();
    if let Some(dir) = &args.source.data_dir {
        soundstream_import::check_dir(dir)?;
    }
    // Human-readable logs at a terminal; one JSON object per line otherwise (log shippers).
    // Lines are written by a thread of their own, buffered while requests keep coming and
    // flushed whenever it catches up: a request never waits on a write to stderr (one system
    // call per line cost a tenth of a point read). Never lossy: when the queue is full, the
    // request path waits rather than drop a line. `_flush` writes what is left on return.
    let (writer, _flush) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .thread_name("soundstream-log")
        .finish(std::io::BufWriter::with_capacity(
            64 * 1024,
            std::io::stderr(),
        ));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    if std::io::stderr().is_terminal() {
        logs.init();
    } else {
        logs.json().with_current_span(true).init();
    }
    // The port first: a taken port should fail at once, not after an import.
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| {
            format!(
                "cannot listen on {}; choose another address with --addr or SOUNDSTREAM_ADDR",
                args.addr
            )
        })?;
    let store = open(database_url).await?;
    let mut state = soundstream_api::AppState::new(store.clone());
    if let Some(rate) = std::num::NonZeroU32::new(args.rate_limit) {
        state = state.with_rate_limit(
            RateLimit::per_second(rate).behind_proxies(args.trusted_proxies.into()),
        );
    }
    let http = soundstream_api::HttpOptions {
        request_timeout: std::time::Duration::from_secs(args.request_timeout),
        cors: args.cors_origins,
    };
    // The server answers from now on: /health/live at once, /health/ready with the phase
    // (importing, building the read model) until reads are served.
    // A model file is checked now: a wrong path or an old file is one line at start-up.
    if let Some(path) = &args.model {
        soundstream_recommend::artifact::read_info(path).context("cannot use the model file")?;
    }
    tokio::spawn(start_up(state.clone(), args.source, args.model));
    let addr = listener.local_addr()?;
    tracing::info!(%addr, "SoundStream API listening; docs at http://{addr}/docs");
    // On SIGTERM/Ctrl-C the server stops accepting and drains in-flight requests, for at
    // most DRAIN_TIMEOUT: a hung request must not keep the process from stopping.
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = soundstream_api::server::serve(
        listener,
        soundstream_api::app_with(state, &http),
        limits,
        async {
            shutdown_signal().await;
            let _ = stopping.send(());
        },
    );
    tokio::select! {
        result = server => result.context("the server stopped")?,
        () = async {
            if stopped.await.is_ok() {
                tokio::time::sleep(DRAIN_TIMEOUT).await;
            } else {
                std::future::pending::<()>().await;
            }
        } => tracing::warn!("requests still running after {DRAIN_TIMEOUT:?}; stopping anyway"),
    }
    tracing::info!("stopped");
    Ok(())
}

/// Brings a bound server to serving: imports the dataset into an empty database, builds the
/// read model, then follows the change log and trains the recommender, both in the
/// background. A failure is logged and shown by /health/ready; the server stays up.
async fn start_up(
    state: soundstream_api::AppState,
    source: SourceArgs,
    model: Option<std::path::PathBuf>,
) {
    use soundstream_api::state::Phase;
    let store = state.store.clone();
    let prepare = async {
        if store.is_empty().await? {
            state.startup.set(Phase::Importing);
            tracing::info!("the database is empty: importing the dataset first");
            let progress = interactive();
            let (dir, downloaded) = dataset_dir(source, progress).await?;
            let report = import_dir(&store, &dir, downloaded, ImportOptions { progress }).await?;
            tracing::info!(
                artists = report.tables.artists,
                users = report.tables.users,
                rejected = report.rejected.len(),
                millis = report.timings_ms.total,
                "dataset imported"
            );
            state.startup.set(Phase::Serving);
        }
        state
            .model
            .build()
            .await
            .context("cannot build the read model")?;
        anyhow::Ok(())
    };
    if let Err(e) = prepare.await {
        tracing::error!(error = format!("{e:#}"), "start-up failed");
        state.startup.set(Phase::Failed(format!("{e:#}")));
        return;
    }
    tokio::spawn(state.model.clone().follow());
    // Trained (or loaded) in the background; the labelled fallback answers meanwhile.
    if let Err(e) = state.recommender.clone().start(store, model).await {
        tracing::error!(error = %e, "cannot use the model file; serving the fallback");
    }
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

/// How long a stopping server waits for in-flight requests.
const DRAIN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// Resolves on Ctrl-C or SIGTERM; in-flight requests are then drained before exit.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
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
        Command::Serve(args) => serve(&cli.database_url, args).await,
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
