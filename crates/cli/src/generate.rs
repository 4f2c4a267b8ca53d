//! `soundstream generate`: writes a Last.fm-shaped dataset of any size (the six files of the
//! GroupLens archive, in its formats) for benchmarks and scale tests; the model lives in the
//! soundstream-generate crate, this module owns the flags, the progress bar and the summary.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use soundstream_generate::{Config, Progress, generate};

/// Flags of `soundstream generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Size relative to the real dataset: 1 = 1,892 users, 100 = 189,200 users (artists grow
    /// as scale^0.6, tags as scale^0.5).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,

    /// Seed: the same seed and scale write byte-identical files.
    #[arg(long, default_value_t = 42)]
    seed: u64,

    /// Folder to write the files into (created if missing); `import --data-dir` reads it.
    #[arg(long)]
    out: PathBuf,

    /// Replace the dataset files the folder already holds.
    #[arg(long)]
    force: bool,
}

/// Runs `soundstream generate`.
pub fn run(args: GenerateArgs) -> anyhow::Result<()> {
    let config = Config {
        scale: args.scale,
        seed: args.seed,
        overwrite: args.force,
    };
    let bar = if crate::interactive() {
        ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("generating [{bar:40}] {pos}/{len} users, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let on_progress = {
        let bar = bar.clone();
        move |p: Progress| {
            bar.set_length(p.users);
            bar.set_position(p.users_done);
        }
    };
    let summary = generate(&config, &args.out, &on_progress)
        .with_context(|| format!("cannot generate a dataset in {}", args.out.display()))?;
    bar.finish_and_clear();
    let mut text = format!(
        "Generated a {}x Last.fm-shaped dataset (seed {}) in {} in {:.1} s:\n",
        args.scale,
        args.seed,
        args.out.display(),
        summary.seconds
    );
    for f in &summary.files {
        text.push_str(&format!(
            "  {:<24} {:>11} rows {:>9.1} MB\n",
            f.file,
            f.rows,
            f.bytes as f64 / 1e6
        ));
    }
    text.push_str(&format!(
        "Import it with: soundstream import --data-dir {}\n",
        args.out.display()
    ));
    crate::write_stdout(&text)
}
