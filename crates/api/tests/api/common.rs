//! Test support for the API: the real dataset imported once per engine for the whole test
//! binary (SQLite always, PostgreSQL when `SOUNDSTREAM_TEST_POSTGRES_URL` is set), an app per
//! test over it, and request helpers that return the status and the JSON body.
//!
//! Two databases per engine: `real_apps()` for tests that only read (they assert exact values
//! of the real data, so nothing may write there) and `scratch_apps()` for tests that write.
//! Every area's writing tests share the scratch database, so a test there must only touch rows
//! it creates itself, with ids in its area's own range (below), distinct per test, so that
//! tests running in parallel do not see each other:
//!
//! | ids                   | area                                        |
//! |-----------------------|---------------------------------------------|
//! | 1,000,000 - 1,999,999 | users, artists                              |
//! | 2,000,000 - 2,999,999 | tags                                        |
//! | 3,000,000 - 3,999,999 | auth                                        |
//! | 4,000,000 - 4,999,999 | names, recommendations                      |
//! | 5,000,000 - 5,099,999 | bad_input (never written: the sweep checks) |
//! | 7,000,000 - 7,999,999 | http                                        |
//! | 9,000,000 and up      | users (then the next free id is known)      |
//!
//! Tags are created by value, with their own values. The one exception to "rows of its own":
//! the recommendation tests add listens of real artists (Metallica and three more) for user 2
//! and a new user, since a recommender needs real tastes; no test of the scratch database
//! checks those artists' or user 2's exact counts.

use std::path::PathBuf;
use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use soundstream_api::{AppState, app};
use soundstream_import::{ImportOptions, import_dir};
use soundstream_store::{Backend, Store};
use tower::ServiceExt;

/// An app over a database holding the real dataset.
pub struct TestApp {
    /// The router, called in-process.
    pub router: Router,
    /// The store under it.
    pub store: Store,
    /// The state the router serves (its read model, its recommender).
    pub state: AppState,
    /// A write-scoped API key, sent with every request by [`send`].
    pub key: String,
}

impl TestApp {
    /// Which engine this app runs on, for assertion messages.
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }
}

fn data_dir() -> PathBuf {
    std::env::var_os("SOUNDSTREAM_DATA_DIR")
        .map(PathBuf::from)
        .expect("set SOUNDSTREAM_DATA_DIR to the hetrec2011-lastfm-2k folder to run the API tests")
}

/// Runs `make` (which creates a fresh database and returns its URL) and imports the real
/// dataset into it, on a runtime of its own: the tests' runtimes come and go, this one is done.
fn imported<F, Fut>(make: F) -> Option<(String, String)>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Option<String>>,
{
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let url = make().await?;
            let store = Store::connect(&url).await.unwrap();
            import_dir(&store, &data_dir(), None, ImportOptions::default())
                .await
                .expect("import the real dataset");
            let (_, key) = store
                .create_key("tests", soundstream_store::KeyScope::Write)
                .await
                .unwrap();
            Some((url, key))
        })
    })
    .join()
    .unwrap()
}

/// The two databases of each engine: read-only and scratch.
#[derive(Clone, Copy)]
enum Use {
    Read,
    Scratch,
}

fn sqlite_url(usage: Use) -> &'static (String, String) {
    static READ: OnceLock<(String, String)> = OnceLock::new();
    static SCRATCH: OnceLock<(String, String)> = OnceLock::new();
    let cell = match usage {
        Use::Read => &READ,
        Use::Scratch => &SCRATCH,
    };
    cell.get_or_init(|| {
        imported(|| async {
            // Kept for the whole test run: the folder is left behind on purpose.
            let dir = tempfile::tempdir().unwrap().keep();
            Some(format!("sqlite://{}", dir.join("api.db").display()))
        })
        .unwrap()
    })
}

fn postgres_url(usage: Use) -> Option<&'static (String, String)> {
    static READ: OnceLock<Option<(String, String)>> = OnceLock::new();
    static SCRATCH: OnceLock<Option<(String, String)>> = OnceLock::new();
    let cell = match usage {
        Use::Read => &READ,
        Use::Scratch => &SCRATCH,
    };
    cell.get_or_init(|| {
        imported(|| async {
            let base = std::env::var("SOUNDSTREAM_TEST_POSTGRES_URL").ok()?;
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            let schema = format!("api_{}_{nanos}", std::process::id());
            let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
                .await
                .expect("PostgreSQL of SOUNDSTREAM_TEST_POSTGRES_URL");
            let driver = tokio::spawn(conn);
            client
                .batch_execute(&format!("CREATE SCHEMA {schema}"))
                .await
                .unwrap();
            drop(client);
            let _ = driver.await;
            let sep = if base.contains('?') { '&' } else { '?' };
            Some(format!("{base}{sep}options=-csearch_path%3D{schema}"))
        })
    })
    .as_ref()
}

async fn app_at((url, key): &(String, String)) -> TestApp {
    let store = Store::connect(url).await.unwrap();
    let state = AppState::start(store.clone())
        .await
        .expect("the read model builds");
    TestApp {
        router: app(state.clone()),
        state,
        store,
        key: key.clone(),
    }
}

/// An app over the real dataset on SQLite, for tests that only read.
pub async fn real_app() -> TestApp {
    app_at(sqlite_url(Use::Read)).await
}

async fn apps(usage: Use) -> Vec<TestApp> {
    let mut apps = vec![app_at(sqlite_url(usage)).await];
    if let Some(url) = postgres_url(usage) {
        apps.push(app_at(url).await);
    }
    apps
}

/// Apps over the real dataset on every configured engine (SQLite, and PostgreSQL if set),
/// for tests that only read.
pub async fn real_apps() -> Vec<TestApp> {
    apps(Use::Read).await
}

/// Apps over a second copy of the real dataset on every configured engine, for tests that
/// write (only rows they create themselves).
pub async fn scratch_apps() -> Vec<TestApp> {
    apps(Use::Scratch).await
}

/// Sends a request with an optional JSON body; returns the status and the body as JSON
/// (`Value::Null` for an empty body).
pub async fn send(
    app: &TestApp,
    method: Method,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    // The key on reads too, as the SDK sends it: a client reads its own writes at once
    // (session consistency); anonymous reads may lag writes by up to a second.
    let mut request = Request::builder().method(method.clone()).uri(uri);
    if !app.key.is_empty() {
        request = request.header("authorization", format!("Bearer {}", app.key));
    }
    let body = match body {
        Some(json) => {
            request = request.header("content-type", "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let response = app
        .router
        .clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| {
            panic!(
                "{uri}: body is not JSON: {}",
                String::from_utf8_lossy(&bytes)
            )
        })
    };
    (status, json)
}

/// Calls a router in-process with a request the test built itself; the response as it is.
pub async fn call(router: &Router, request: Request<Body>) -> axum::response::Response {
    router.clone().oneshot(request).await.unwrap()
}

/// The `key` field of every item of a list's answer.
pub fn ids(body: &Value, key: &str) -> Vec<i64> {
    body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {body}"))
        .iter()
        .map(|item| item[key].as_i64().unwrap())
        .collect()
}

/// `GET uri`.
pub async fn get(app: &TestApp, uri: &str) -> (StatusCode, Value) {
    send(app, Method::GET, uri, None).await
}

/// Asserts a 422 whose error names `field` among the invalid fields.
pub fn assert_invalid(status: StatusCode, body: &Value, field: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "validation_failed", "{body}");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&field),
        "expected {field} among {fields:?}: {body}"
    );
}

/// Asserts a 404 in the common error format.
pub fn assert_not_found(status: StatusCode, body: &Value) {
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["code"], "not_found", "{body}");
}

/// A model trained once per engine on its read-only database.
fn trained(
    usage_url: &'static (String, String),
) -> std::sync::Arc<soundstream_api::recommender::Trained> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    static MODELS: OnceLock<Mutex<HashMap<String, Arc<soundstream_api::recommender::Trained>>>> =
        OnceLock::new();
    let models = MODELS.get_or_init(Default::default);
    let mut models = models.lock().unwrap();
    let url = usage_url.0.clone();
    models
        .entry(url.clone())
        .or_insert_with(|| {
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Runtime::new().unwrap();
                runtime.block_on(async move {
                    let store = Store::connect(&url).await.unwrap();
                    let handle = soundstream_api::recommender::RecommenderHandle::default();
                    handle.train(&store).await.unwrap()
                })
            })
            .join()
            .unwrap()
        })
        .clone()
}

/// Apps over the real dataset on every configured engine, serving a trained recommender; for
/// tests that only read.
pub async fn recommending_apps() -> Vec<TestApp> {
    let mut apps = Vec::new();
    let mut urls = vec![sqlite_url(Use::Read)];
    urls.extend(postgres_url(Use::Read));
    for url in urls {
        let model = tokio::task::spawn_blocking(move || trained(url))
            .await
            .unwrap();
        let app = app_at(url).await;
        apps.push(app.with_model(model));
    }
    apps
}

impl TestApp {
    fn with_model(self, model: std::sync::Arc<soundstream_api::recommender::Trained>) -> Self {
        self.state.recommender.install(model);
        self
    }
}

/// Sends raw bytes as the body, with exactly the given headers plus, for a write, the app's
/// key. Returns the status and the body as JSON (`Value::Null` when empty, a JSON string
/// holding the text when it is not JSON, so that the caller can report it).
pub async fn send_bytes(
    app: &TestApp,
    method: Method,
    uri: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (StatusCode, Value) {
    // The key on reads too, as the SDK sends it: a client reads its own writes at once
    // (session consistency); anonymous reads may lag writes by up to a second.
    let mut request = Request::builder().method(method.clone()).uri(uri);
    if !app.key.is_empty() {
        request = request.header("authorization", format!("Bearer {}", app.key));
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .router
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    (status, json)
}
