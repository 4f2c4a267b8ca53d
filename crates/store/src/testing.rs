//! Test support, behind the `testing` feature: a fresh, empty database per test on SQLite (a
//! real file in a temporary folder) and, when `SOUNDSTREAM_TEST_POSTGRES_URL` is set, on
//! PostgreSQL (a new schema of that database), so one test body checks both engines.

use crate::Store;

/// A fresh database for one test. The temporary folder lives as long as this value.
pub struct TestDb {
    /// The store opened on it, migrations applied.
    pub store: Store,
    /// Its URL, to open it again or hand it to a subprocess.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

/// A fresh SQLite database file.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temporary folder");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    TestDb {
        store: Store::connect(&url).await.expect("open SQLite"),
        url,
        _dir: Some(dir),
    }
}

/// A fresh schema on the PostgreSQL server of `SOUNDSTREAM_TEST_POSTGRES_URL`, or `None`
/// when the variable is not set.
pub async fn postgres() -> Option<TestDb> {
    let base = std::env::var("SOUNDSTREAM_TEST_POSTGRES_URL").ok()?;
    let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .expect("SOUNDSTREAM_TEST_POSTGRES_URL is set but PostgreSQL is unreachable");
    tokio::spawn(conn);
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let schema = format!(
        "t_{}_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_micros())
            .unwrap_or_default(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    client
        .batch_execute(&format!("CREATE SCHEMA {schema}"))
        .await
        .expect("create a test schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
    Some(TestDb {
        store: Store::connect(&url).await.expect("open PostgreSQL"),
        url,
        _dir: None,
    })
}

/// SQLite, plus PostgreSQL when it is configured: the databases every storage test runs on.
pub async fn backends() -> Vec<TestDb> {
    let mut dbs = vec![sqlite().await];
    dbs.extend(postgres().await);
    dbs
}
