//! Generates a dataset without the CLI (for tuning): `--example gen -- SCALE SEED DIR`.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let config = soundstream_generate::Config {
        scale: args[1].parse().expect("a scale"),
        seed: args[2].parse().expect("a seed"),
        overwrite: true,
    };
    let summary = soundstream_generate::generate(&config, std::path::Path::new(&args[3]), &|_| {})
        .expect("generated");
    println!("{summary:?}");
}
