//! `soundstream export`: a whole table as a Parquet, Arrow IPC stream or CSV file, straight
//! from the database (no server needed), through the same store reader and encoder as the
//! API's `GET /v1/exports/{table}`, so both give the same bytes.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use soundstream_export::{Format, encode, file_name};
use soundstream_store::Store;
use soundstream_store::export::{DEFAULT_BATCH_ROWS, ExportTable};

/// The options of `soundstream export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The table to export.
    #[arg(long, value_parser = PossibleValuesParser::new(ExportTable::ALL.map(ExportTable::name))
        .map(|name| ExportTable::from_name(&name).expect("one of the possible values")))]
    table: ExportTable,

    /// The file format.
    #[arg(long, default_value = "parquet",
          value_parser = PossibleValuesParser::new(Format::ALL.map(Format::name))
              .map(|name| Format::from_name(&name).expect("one of the possible values")))]
    format: Format,

    /// The file to write (replaced only once the export is complete), or `-` for stdout
    /// [default: soundstream-<table>.<format> in the current folder].
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Runs `soundstream export`.
pub async fn export(database_url: &str, args: ExportArgs) -> anyhow::Result<()> {
    let out = args
        .out
        .unwrap_or_else(|| PathBuf::from(file_name(args.table, args.format)));
    let store = Store::connect(database_url)
        .await
        .context("cannot open the database")?;
    let started = std::time::Instant::now();
    let mut batches = store.export(args.table, DEFAULT_BATCH_ROWS).await?;
    batches.started().await?;
    let mut bytes = encode(batches, args.format);
    if out == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        while let Some(chunk) = bytes.next().await {
            match stdout.write_all(&chunk?) {
                // A reader that went away (`| head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(()),
                other => other.context("cannot write to stdout")?,
            }
        }
        return stdout.flush().context("cannot write to stdout");
    }
    // Written beside the target and renamed at the end: an interrupted export never leaves
    // a file that looks whole.
    let mut partial = out.clone().into_os_string();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&partial)
            .with_context(|| format!("cannot create {}", partial.display()))?,
    );
    let mut written = 0usize;
    let result: anyhow::Result<()> = async {
        while let Some(chunk) = bytes.next().await {
            let chunk = chunk?;
            written += chunk.len();
            file.write_all(&chunk)?;
        }
        file.flush()?;
        Ok(())
    }
    .await;
    if let Err(e) = result {
        let _ = std::fs::remove_file(&partial);
        return Err(e.context(format!("cannot export {} to {}", args.table, out.display())));
    }
    std::fs::rename(&partial, &out)
        .with_context(|| format!("cannot move {} to {}", partial.display(), out.display()))?;
    eprintln!(
        "exported {} as {} to {} ({:.1} MB in {:.2} s)",
        args.table,
        args.format,
        out.display(),
        written as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
