//! `soundstream export` as a user runs it, on the tiny dataset and on every configured engine:
//! exact CSV text, whole Parquet and Arrow files, stdout, the default file name, and one-line
//! errors for a table or format that does not exist.

use std::process::Output;

use crate::common::{soundstream, write_tiny};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The database URLs to test on: a SQLite file in `dir`, and a fresh PostgreSQL schema when
/// `SOUNDSTREAM_TEST_POSTGRES_URL` is set. Each holds the tiny dataset.
fn databases(dir: &std::path::Path) -> Vec<String> {
    let mut urls = vec![format!("sqlite://{}", dir.join("export.db").display())];
    if let Ok(base) = std::env::var("SOUNDSTREAM_TEST_POSTGRES_URL") {
        let schema = format!("export_cli_{}", std::process::id());
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
                .await
                .unwrap();
            let driver = tokio::spawn(conn);
            client
                .batch_execute(&format!("CREATE SCHEMA {schema}"))
                .await
                .unwrap();
            drop(client);
            let _ = driver.await;
        });
        let sep = if base.contains('?') { '&' } else { '?' };
        urls.push(format!("{base}{sep}options=-csearch_path%3D{schema}"));
    }
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    write_tiny(&data);
    for url in &urls {
        let out = soundstream()
            .args(["--database-url", url, "import", "--data-dir"])
            .arg(&data)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
    }
    urls
}

#[test]
fn every_table_exports_to_a_file_or_stdout_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    for url in databases(tmp.path()) {
        let export = |args: &[&str]| {
            soundstream()
                .current_dir(tmp.path())
                .args(["--database-url", &url, "export"])
                .args(args)
                .output()
                .unwrap()
        };
        for (table, csv) in [
            (
                "artists",
                "artist_id,name,url,picture_url,listeners,plays\r\n1,A,http://a,,1,10\r\n2,B,http://b,,1,3\r\n",
            ),
            (
                "users",
                "user_id,artists,plays,friends,tags_applied\r\n7,2,13,1,1\r\n8,0,0,1,0\r\n",
            ),
            ("tags", "tag_id,tag,usage,artists\r\n1,rock,1,1\r\n"),
            ("listens", "user_id,artist_id,plays\r\n7,1,10\r\n7,2,3\r\n"),
            (
                "tag_assignments",
                "user_id,artist_id,artist_name,tag_id,tag,tagged_at\r\n7,1,A,1,rock,2009-04-01T00:00:00Z\r\n",
            ),
            ("friendships", "user_id,friend_id\r\n7,8\r\n8,7\r\n"),
        ] {
            let out = export(&["--table", table, "--format", "csv", "--out", "-"]);
            assert!(out.status.success(), "{url} {table}: {}", stderr(&out));
            assert_eq!(String::from_utf8(out.stdout).unwrap(), csv, "{url} {table}");

            let file = tmp.path().join(format!("{table}.parquet"));
            let out = export(&["--table", table, "--out", file.to_str().unwrap()]);
            assert!(out.status.success(), "{}", stderr(&out));
            assert!(stderr(&out).starts_with(&format!("exported {table} as parquet to ")));
            let bytes = std::fs::read(&file).unwrap();
            assert!(
                bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
                "{url} {table}"
            );
            assert!(!tmp.path().join(format!("{table}.parquet.partial")).exists());

            let out = export(&["--table", table, "--format", "arrow", "--out", "-"]);
            assert!(out.status.success(), "{}", stderr(&out));
            // An IPC stream: messages behind 0xFFFFFFFF markers, ending with an empty one.
            assert!(out.stdout.starts_with(&[0xff; 4]), "{url} {table}");
            assert!(out.stdout.ends_with(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
        }
        // Without --out: soundstream-<table>.<format> in the current folder.
        let out = export(&["--table", "listens", "--format", "csv"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(tmp.path().join("soundstream-listens.csv").is_file());
    }
}

#[test]
fn an_unknown_table_or_format_is_one_line_listing_the_choices() {
    for (args, named) in [
        (["--table", "albums", "--format", "csv"], "artists"),
        (["--table", "listens", "--format", "xlsx"], "parquet"),
    ] {
        let out = soundstream()
            .args([
                "--database-url",
                "sqlite:///nonexistent/never-opened.db",
                "export",
            ])
            .args(args)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let text = stderr(&out);
        assert!(
            text.contains("invalid value") && text.contains(named),
            "{text}"
        );
    }
}
