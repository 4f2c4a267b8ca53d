//! Import benchmark: prints how long reading the dataset whole, loading a whole dataset into a
//! database, and the streamed import (files to database, what `soundstream import` runs) take,
//! as the median (and min/max) of several runs. Not a test: it asserts nothing. For larger
//! datasets and peak memory per engine, `scripts/bench-import` runs the release binary.
//!
//! `SOUNDSTREAM_DATA_DIR=../shared/data/hetrec2011-lastfm-2k cargo bench -p soundstream-import`
//! Set `SOUNDSTREAM_BENCH_POSTGRES_URL` to measure PostgreSQL too.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use soundstream_import::{ImportOptions, import_dir, read_dataset};
use soundstream_store::Store;

const RUNS: usize = 7;

fn summary(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:7.1} ms   min {:7.1} ms   max {:7.1} ms   ({} runs)",
        ms(samples[samples.len() / 2]),
        ms(samples[0]),
        ms(samples[samples.len() - 1]),
        samples.len()
    )
}

async fn bench_store(label: &str, url: &str, dir: &std::path::Path, fresh: impl Fn()) {
    let mut load = Vec::new();
    let mut whole = Vec::new();
    for _ in 0..RUNS {
        fresh();
        let store = Store::connect(url).await.expect("database");
        let start = Instant::now();
        let dataset = read_dataset(dir).expect("dataset").dataset;
        let loading = Instant::now();
        store
            .replace_dataset(Arc::new(dataset), Arc::new(|_, _| {}))
            .await
            .expect("load");
        load.push(loading.elapsed());
        whole.push(start.elapsed());
    }
    println!("{label:<34} read+load {}", summary(whole));
    println!("{label:<34}      load {}", summary(load));
    let mut streamed = Vec::new();
    for _ in 0..RUNS {
        fresh();
        let store = Store::connect(url).await.expect("database");
        let start = Instant::now();
        import_dir(&store, dir, None, ImportOptions::default())
            .await
            .expect("import");
        streamed.push(start.elapsed());
    }
    println!("{label:<34}  streamed {}", summary(streamed));
    // A second import over a full database: the data to replace must be deleted first.
    let store = Store::connect(url).await.expect("database");
    let mut again = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let dataset = read_dataset(dir).expect("dataset").dataset;
        store
            .replace_dataset(Arc::new(dataset), Arc::new(|_, _| {}))
            .await
            .expect("load");
        again.push(start.elapsed());
    }
    println!("{label:<34} re-import {}", summary(again));
}

#[tokio::main]
async fn main() {
    let Some(dir) = std::env::var_os("SOUNDSTREAM_DATA_DIR").map(PathBuf::from) else {
        eprintln!("set SOUNDSTREAM_DATA_DIR to the hetrec2011-lastfm-2k folder");
        std::process::exit(2);
    };
    let mut parse = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let dataset = read_dataset(&dir).expect("dataset").dataset;
        parse.push(start.elapsed());
        std::hint::black_box(dataset);
    }
    println!("{:<34}      read {}", "files -> dataset", summary(parse));

    let tmp = tempfile::tempdir().expect("temp dir");
    let db = tmp.path().join("bench.db");
    let url = format!("sqlite://{}", db.display());
    bench_store("sqlite (fresh file)", &url, &dir, || {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
        }
    })
    .await;

    if let Ok(pg) = std::env::var("SOUNDSTREAM_BENCH_POSTGRES_URL") {
        bench_store("postgres", &pg, &dir, || {}).await;
    }
}
