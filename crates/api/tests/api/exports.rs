//! The bulk exports on the real dataset, on every configured engine: each table in each
//! format is read back with the Arrow, Parquet and CSV readers and compared, row for row,
//! with the raw files (as the importer reads them) and with what the JSON API answers; then
//! over a real socket: headers, keys, errors, and clients that hang up part-way.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, TimestampMillisecondType};
use arrow_array::{Array, RecordBatch};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use soundstream_core::Dataset;
use soundstream_export::{Format, schema};
use soundstream_store::Backend;
use soundstream_store::export::ExportTable;
use tower::ServiceExt;

use crate::common::{TestApp, assert_invalid, get, real_apps};

/// The table counts the README states for the stored real dataset.
const COUNTS: [(ExportTable, usize); 6] = [
    (ExportTable::Artists, 17_632),
    (ExportTable::Users, 1_892),
    (ExportTable::Tags, 11_946),
    (ExportTable::Listens, 92_834),
    (ExportTable::TagAssignments, 184_941),
    (ExportTable::Friendships, 25_434),
];

/// `GET uri` in-process: status, headers and the whole body.
async fn download(app: &TestApp, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = app
        .router
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes().to_vec();
    (parts.status, parts.headers, bytes)
}

/// An exported file read back as one record batch with the published schema.
fn read_back(table: ExportTable, format: Format, bytes: Vec<u8>) -> RecordBatch {
    let schema = schema(table);
    let batches: Vec<RecordBatch> = match format {
        Format::Parquet => parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
            bytes::Bytes::from(bytes),
        )
        .unwrap()
        .build()
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap(),
        Format::Arrow => {
            arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None)
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        }
        Format::Csv => {
            // The CSV reader parses the ISO 8601 text into plain timestamps; the zone (UTC,
            // written as `Z`) is put back to compare with the typed formats.
            let plain = Arc::new(arrow_schema::Schema::new(
                schema
                    .fields()
                    .iter()
                    .map(|f| match f.data_type() {
                        arrow_schema::DataType::Timestamp(unit, _) => f
                            .as_ref()
                            .clone()
                            .with_data_type(arrow_schema::DataType::Timestamp(*unit, None)),
                        _ => f.as_ref().clone(),
                    })
                    .collect::<Vec<_>>(),
            ));
            arrow_csv::ReaderBuilder::new(plain)
                .with_header(true)
                .with_batch_size(65_536)
                .build(std::io::Cursor::new(bytes))
                .unwrap()
                .map(|b| {
                    let b = b.unwrap();
                    let columns = b
                        .columns()
                        .iter()
                        .map(|c| match c.data_type() {
                            arrow_schema::DataType::Timestamp(..) => Arc::new(
                                c.as_primitive::<TimestampMillisecondType>()
                                    .clone()
                                    .with_timezone("UTC"),
                            )
                                as arrow_array::ArrayRef,
                            _ => c.clone(),
                        })
                        .collect();
                    RecordBatch::try_new(schema.clone(), columns).unwrap()
                })
                .collect()
        }
    };
    assert_eq!(
        batches[0].schema().fields(),
        schema.fields(),
        "{table} as {format}"
    );
    arrow_select::concat::concat_batches(&batches[0].schema(), &batches).unwrap()
}

fn ints(batch: &RecordBatch, column: &str) -> Vec<i64> {
    let column = batch.column_by_name(column).unwrap();
    match column.data_type() {
        arrow_schema::DataType::Timestamp(..) => column
            .as_primitive::<TimestampMillisecondType>()
            .values()
            .to_vec(),
        _ => column.as_primitive::<Int64Type>().values().to_vec(),
    }
}

fn texts(batch: &RecordBatch, column: &str) -> Vec<Option<String>> {
    let column = batch.column_by_name(column).unwrap().as_string::<i32>();
    (0..column.len())
        .map(|i| column.is_valid(i).then(|| column.value(i).to_owned()))
        .collect()
}

/// Every row of a JSON list endpoint, page by page.
async fn all_pages(app: &TestApp, path: &str) -> Vec<serde_json::Value> {
    let mut items = Vec::new();
    loop {
        let (status, body) = get(app, &format!("{path}?limit=500&skip={}", items.len())).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let page = body["items"].as_array().unwrap().clone();
        if page.is_empty() {
            return items;
        }
        items.extend(page);
    }
}

fn json_ints(items: &[serde_json::Value], field: &str) -> Vec<i64> {
    items.iter().map(|i| i[field].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn every_table_in_every_format_holds_the_raw_files_rows_and_the_apis_values() {
    let dir = std::path::PathBuf::from(std::env::var_os("SOUNDSTREAM_DATA_DIR").unwrap());
    let raw = tokio::task::spawn_blocking(move || soundstream_import::read_dataset(&dir))
        .await
        .unwrap()
        .unwrap()
        .dataset;
    for app in real_apps().await {
        let engine = app.backend();
        let exported = every_table_in_every_format(&app).await;

        // The raw files, as the importer reads them.
        assert_catalogue_is_the_raw_files(&exported, &raw);
        assert_user_rows_are_the_raw_files(engine, &exported, &raw);

        // The JSON API's values, for every artist, user and tag.
        assert_counters_are_the_apis(&app, &exported).await;
    }
}

/// Every table downloaded in every format, checked to hold its README count and the same
/// values in each format; one batch per table.
async fn every_table_in_every_format(app: &TestApp) -> HashMap<ExportTable, RecordBatch> {
    let engine = app.backend();
    let mut exported = HashMap::new();
    for (table, count) in COUNTS {
        let mut first: Option<RecordBatch> = None;
        for format in Format::ALL {
            let uri = format!("/v1/exports/{table}?format={format}");
            let (status, headers, bytes) = download(app, &uri).await;
            assert_eq!(status, StatusCode::OK, "{engine:?} {uri}");
            assert_eq!(headers["content-type"], format.content_type());
            let batch = read_back(table, format, bytes);
            assert_eq!(batch.num_rows(), count, "{engine:?} {uri}");
            match &first {
                // Every format holds the same values, CSV included (its only loss, NULL
                // against empty text, does not arise: no stored text is empty).
                Some(parquet) => assert_eq!(&batch, parquet, "{engine:?} {uri}"),
                None => first = Some(batch),
            }
        }
        exported.insert(table, first.unwrap());
    }
    exported
}

/// The artists, users and tags tables hold the raw files' rows.
fn assert_catalogue_is_the_raw_files(exported: &HashMap<ExportTable, RecordBatch>, raw: &Dataset) {
    let artists = &exported[&ExportTable::Artists];
    assert_eq!(
        ints(artists, "artist_id"),
        raw.artists.iter().map(|a| a.id).collect::<Vec<_>>()
    );
    assert_eq!(
        texts(artists, "name"),
        raw.artists
            .iter()
            .map(|a| Some(a.name.clone()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        texts(artists, "url"),
        raw.artists
            .iter()
            .map(|a| a.url.clone())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        texts(artists, "picture_url"),
        raw.artists
            .iter()
            .map(|a| a.picture_url.clone())
            .collect::<Vec<_>>()
    );
    let users = &exported[&ExportTable::Users];
    assert_eq!(ints(users, "user_id"), raw.users);
    let tags = &exported[&ExportTable::Tags];
    assert_eq!(
        ints(tags, "tag_id"),
        raw.tags.iter().map(|t| t.id).collect::<Vec<_>>()
    );
    assert_eq!(
        texts(tags, "tag"),
        raw.tags
            .iter()
            .map(|t| Some(t.value.clone()))
            .collect::<Vec<_>>()
    );
}

/// The listens, tag assignments and friendships tables hold the raw files' rows, the
/// assignments with their artist's name and their tag's text.
fn assert_user_rows_are_the_raw_files(
    engine: Backend,
    exported: &HashMap<ExportTable, RecordBatch>,
    raw: &Dataset,
) {
    let listens = &exported[&ExportTable::Listens];
    for (column, values) in [
        ("user_id", raw.listens.iter().map(|l| l.user_id).collect()),
        (
            "artist_id",
            raw.listens.iter().map(|l| l.artist_id).collect(),
        ),
        (
            "plays",
            raw.listens.iter().map(|l| l.weight).collect::<Vec<_>>(),
        ),
    ] {
        assert_eq!(ints(listens, column), values, "{engine:?} listens.{column}");
    }
    let assignments = &exported[&ExportTable::TagAssignments];
    let ta = &raw.tag_assignments;
    for (column, values) in [
        ("user_id", ta.iter().map(|t| t.user_id).collect()),
        ("artist_id", ta.iter().map(|t| t.artist_id).collect()),
        ("tag_id", ta.iter().map(|t| t.tag_id).collect()),
        (
            "tagged_at",
            ta.iter().map(|t| t.timestamp).collect::<Vec<_>>(),
        ),
    ] {
        assert_eq!(
            ints(assignments, column),
            values,
            "{engine:?} tag_assignments.{column}"
        );
    }
    let artist_names: HashMap<i64, &str> = raw
        .artists
        .iter()
        .map(|a| (a.id, a.name.as_str()))
        .collect();
    let tag_texts: HashMap<i64, &str> = raw.tags.iter().map(|t| (t.id, t.value.as_str())).collect();
    assert_eq!(
        texts(assignments, "artist_name"),
        ta.iter()
            .map(|t| Some(artist_names[&t.artist_id].to_owned()))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        texts(assignments, "tag"),
        ta.iter()
            .map(|t| Some(tag_texts[&t.tag_id].to_owned()))
            .collect::<Vec<_>>()
    );
    // The earliest assignment, dated 1956: a negative timestamp, kept as such.
    assert_eq!(
        ints(assignments, "tagged_at").iter().min(),
        Some(&-428_716_800_000)
    );
    let friendships = &exported[&ExportTable::Friendships];
    assert_eq!(
        ints(friendships, "user_id"),
        raw.friendships
            .iter()
            .map(|f| f.user_id)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        ints(friendships, "friend_id"),
        raw.friendships
            .iter()
            .map(|f| f.friend_id)
            .collect::<Vec<_>>()
    );
}

/// The artists', users' and tags' counters are those the JSON API answers for each of them.
async fn assert_counters_are_the_apis(app: &TestApp, exported: &HashMap<ExportTable, RecordBatch>) {
    let artists = &exported[&ExportTable::Artists];
    let users = &exported[&ExportTable::Users];
    let tags = &exported[&ExportTable::Tags];
    let api = all_pages(app, "/v1/artists").await;
    assert_eq!(ints(artists, "artist_id"), json_ints(&api, "id"));
    assert_eq!(ints(artists, "listeners"), json_ints(&api, "listeners"));
    assert_eq!(ints(artists, "plays"), json_ints(&api, "plays"));
    let api = all_pages(app, "/v1/users").await;
    assert_eq!(ints(users, "user_id"), json_ints(&api, "id"));
    for column in ["artists", "plays", "friends", "tags_applied"] {
        assert_eq!(
            ints(users, column),
            json_ints(&api, column),
            "users.{column}"
        );
    }
    let api = all_pages(app, "/v1/tags").await;
    assert_eq!(ints(tags, "tag_id"), json_ints(&api, "id"));
    assert_eq!(ints(tags, "usage"), json_ints(&api, "usage"));
    assert_eq!(ints(tags, "artists"), json_ints(&api, "artists"));
    // And one row read as a person would: Metallica, as the README quotes it.
    let metallica = ints(artists, "artist_id")
        .iter()
        .position(|&id| id == 707)
        .unwrap();
    assert_eq!(
        (
            ints(artists, "listeners")[metallica],
            ints(artists, "plays")[metallica]
        ),
        (224, 371_916)
    );
}

#[tokio::test]
async fn unknown_tables_formats_and_parameters_are_422s_naming_the_field() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/exports/tag-assignments").await;
        assert_invalid(status, &body, "table");
        let (status, body) = get(&app, "/v1/exports/listens?format=xlsx").await;
        assert_invalid(status, &body, "format");
        let (status, body) = get(&app, "/v1/exports/listens?formats=csv").await;
        assert_invalid(status, &body, "formats");
        let (status, body) = get(&app, "/v1/exports/listens?format=csv&format=arrow").await;
        assert_invalid(status, &body, "format");
    }
}

/// Sends `GET path` on a fresh connection; returns the stream after the request is written.
fn request(addr: SocketAddr, path: &str, headers: &str) -> std::net::TcpStream {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: t\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    stream
}

/// The head and the de-chunked body of a whole response.
fn response(mut stream: std::net::TcpStream) -> (String, Vec<u8>) {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..end].to_vec()).unwrap();
    let mut rest = &raw[end + 4..];
    if !head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return (head, rest.to_vec());
    }
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap(), 16).unwrap();
        rest = &rest[line_end + 2..];
        if size == 0 {
            return (head, body);
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

#[tokio::test]
async fn over_a_real_socket_an_export_streams_as_an_attachment_and_hung_up_clients_free_their_slots()
 {
    for app in real_apps().await {
        let engine = app.backend();
        let (_, read_key) = app
            .store
            .create_key("exports test reader", soundstream_store::KeyScope::Read)
            .await
            .unwrap();
        let router = soundstream_api::app(soundstream_api::AppState::new(app.store.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
        });
        tokio::task::spawn_blocking(move || {
            // More clients than export slots hang up after the first bytes: each must give
            // its slot and connection back, or the export after them would wait forever.
            for _ in 0..soundstream_store::export::MAX_CONCURRENT_EXPORTS + 2 {
                let mut stream = request(addr, "/v1/exports/tag_assignments?format=csv", "");
                let mut some = [0u8; 4096];
                stream.read_exact(&mut some).unwrap();
                drop(stream);
            }
            // Anonymous, and with a read-only key: reads are public.
            for auth in ["", &format!("Authorization: Bearer {read_key}\r\n")] {
                let stream = request(addr, "/v1/exports/tag_assignments", auth);
                let (head, body) = response(stream);
                assert!(head.starts_with("HTTP/1.1 200"), "{engine:?} {head}");
                let lower = head.to_ascii_lowercase();
                assert!(
                    lower.contains("content-type: application/vnd.apache.parquet"),
                    "{head}"
                );
                assert!(
                    lower.contains(
                        "content-disposition: attachment; filename=\"soundstream-tag_assignments.parquet\""
                    ),
                    "{head}"
                );
                assert!(lower.contains("transfer-encoding: chunked"), "{head}");
                let batch = read_back(ExportTable::TagAssignments, Format::Parquet, body);
                assert_eq!(batch.num_rows(), 184_941, "{engine:?}");
            }
            let (head, body) = response(request(addr, "/v1/exports/friendships?format=csv", ""));
            assert!(
                head.to_ascii_lowercase()
                    .contains("content-type: text/csv; charset=utf-8"),
                "{head}"
            );
            assert!(body.starts_with(b"user_id,friend_id\r\n2,275\r\n"), "{engine:?}");
            let (head, body) = response(request(addr, "/v1/exports/albums", ""));
            assert!(head.starts_with("HTTP/1.1 422"), "{head}");
            let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body["error"]["fields"][0]["field"], "table", "{body}");
        })
        .await
        .unwrap();
        server.abort();
    }
}
