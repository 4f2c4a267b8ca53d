//! `soundstream serve`: checks every setting, binds the port, then serves the API at once
//! while the start-up (an import into an empty database, the read model, the recommender)
//! runs in the background, and drains in-flight requests on SIGTERM or Ctrl-C.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use soundstream_api::CorsOrigins;
use soundstream_api::limit::RateLimit;
use soundstream_import::{ImportOptions, import_dir};
use soundstream_store::Store;

use crate::{SourceArgs, dataset_dir, interactive, open};

/// Arguments of `soundstream serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    // Each option is declared alike (flag, environment variable, default, accepted range), as
    // clap reads them: a deliberate likeness, one declaration per option.
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

/// Runs `soundstream serve` until a signal stops it.
pub async fn serve(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    // Every setting is checked before anything starts: a wrong one is one line at once, not a
    // failure minutes later.
    let filter = log_filter()?;
    let limits = args.connection_limits();
    if let Some(dir) = &args.source.data_dir {
        soundstream_import::check_dir(dir)?;
    }
    let _flush = init_logs(filter);
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
    let state = app_state(store, &args);
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
    serve_until_stopped(listener, state, &http, limits).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Installs the log subscriber: human-readable lines at a terminal, one JSON object per line
/// otherwise (for log shippers). The guard it returns writes what is left when dropped.
///
/// Lines are written by a thread of their own, buffered while requests keep coming and
/// flushed whenever it catches up: a request never waits on a write to stderr (one system
/// call per line cost a tenth of a point read). Never lossy: when the queue is full, the
/// request path waits rather than drop a line.
fn init_logs(filter: tracing_subscriber::EnvFilter) -> tracing_appender::non_blocking::WorkerGuard {
    let (writer, flush) = tracing_appender::non_blocking::NonBlockingBuilder::default()
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
    flush
}

/// The API's state over `store`, with the rate limit the arguments ask for.
fn app_state(store: Store, args: &ServeArgs) -> soundstream_api::AppState {
    let mut state = soundstream_api::AppState::new(store.clone());
    if let Some(rate) = std::num::NonZeroU32::new(args.rate_limit) {
        state = state.with_rate_limit(
            RateLimit::per_second(rate).behind_proxies(args.trusted_proxies.into()),
        );
    }
    state
}

/// Serves the API on `listener` until SIGTERM or Ctrl-C, then drains in-flight requests.
///
/// On SIGTERM/Ctrl-C the server stops accepting and drains in-flight requests, for at most
/// DRAIN_TIMEOUT: a hung request must not keep the process from stopping.
async fn serve_until_stopped(
    listener: tokio::net::TcpListener,
    state: soundstream_api::AppState,
    http: &soundstream_api::HttpOptions,
    limits: soundstream_api::server::ConnectionLimits,
) -> anyhow::Result<()> {
    let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = soundstream_api::app_with(state, http);
    let server = soundstream_api::server::serve(listener, app, limits, async {
        shutdown_signal().await;
        let _ = stopping.send(());
    });
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
    Ok(())
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

/// Brings a bound server to serving: imports the dataset into an empty database, builds the
/// read model, then follows the change log and trains the recommender, both in the
/// background. A failure is logged and shown by /health/ready; the server stays up.
async fn start_up(state: soundstream_api::AppState, source: SourceArgs, model: Option<PathBuf>) {
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
