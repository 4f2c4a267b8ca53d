//! Prints the shape of dataset folders side by side, as a Markdown table:
//! `cargo run --release -p soundstream-generate --example shape -- NAME=DIR...`.

use std::path::PathBuf;

use soundstream_generate::shape::{Shape, markdown_table};

fn main() -> std::io::Result<()> {
    let mut columns = Vec::new();
    for arg in std::env::args().skip(1) {
        let (name, dir) = arg.split_once('=').unwrap_or((&arg, &arg));
        let shape = Shape::measure(&PathBuf::from(dir))?;
        columns.push((name.to_owned(), shape));
    }
    print!("{}", markdown_table(&columns));
    Ok(())
}
