//! `soundstream train --out FILE`: trains the recommender from the database, as the server
//! would, and writes it as a model file (versioned, checksummed, with the fingerprint of the
//! data and the validation metrics) that `soundstream serve --model FILE` loads in seconds.
//! Training can so run as a batch job on another machine, and replicas share one model.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use soundstream_recommend::Progress;

/// Arguments of `soundstream train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Where to write the model file (replaced atomically).
    #[arg(long)]
    out: PathBuf,

    /// Print the model file's info as JSON on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs `soundstream train`.
pub async fn train(database_url: &str, args: TrainArgs) -> anyhow::Result<()> {
    let store = soundstream_store::Store::connect(database_url)
        .await
        .context("cannot open the database")?;
    anyhow::ensure!(
        !store.is_empty().await?,
        "the database holds no artist: run `soundstream import` first"
    );
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        anyhow::ensure!(
            dir.is_dir(),
            "cannot write {}: {} is not a folder",
            args.out.display(),
            dir.display()
        );
    }
    let progress = Arc::new(Progress::default());
    let start = Instant::now();
    // Progress on stderr every few seconds: training at 100x takes minutes.
    let reporter = {
        let progress = progress.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(5)).await;
                let r = progress.report();
                eprintln!(
                    "{:>6.1} s  {} {:.0} %",
                    start.elapsed().as_secs_f64(),
                    r.phase.as_str(),
                    r.fraction * 100.0
                );
            }
        })
    };
    let info = soundstream_api::recommender::train_to_file(&store, &args.out, progress).await;
    reporter.abort();
    let info = info?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&info)?);
    } else {
        let validation = |name: &str| {
            info.report
                .validation_ndcg
                .iter()
                .find(|v| v.0 == name)
                .map_or(f64::NAN, |v| v.1)
        };
        println!(
            "wrote {} ({} users, {} artists, {} listens; data sha256 {}) in {:.1} s",
            args.out.display(),
            info.data.users,
            info.data.artists,
            info.data.listens,
            &info.data.sha256[..16],
            start.elapsed().as_secs_f64()
        );
        println!("models: {}", info.report.models.join("; "));
        println!(
            "validation: NDCG@10 {:.4}, coverage@10 {:.4}",
            validation("hybrid"),
            validation("hybrid coverage")
        );
    }
    Ok(())
}
