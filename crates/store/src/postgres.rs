//! The PostgreSQL engine: a deadpool of tokio-postgres connections, the PostgreSQL
//! migrations, and the bulk load of a whole dataset, streamed with binary COPY, in one
//! transaction.

use std::error::Error;
use std::pin::Pin;

use bytes::BytesMut;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{Config, NoTls};

use crate::dataset::{LoadBatch, LoadMessage, LoadOutcome, LoadProgress, LoadReceiver, Written};
use crate::decode::FromRow;
use crate::{Row, Statement, StoreError, Value};

// The SQLite migrations say the same in that dialect (a deliberate twin: one set per engine);
// the files cannot carry a comment, as refinery checksums each applied migration.
mod migrations {
    refinery::embed_migrations!("migrations/postgres");
}

const POOL_SIZE: usize = 16;

/// Binds a [`Value`] to whatever type PostgreSQL inferred for the placeholder, so one query
/// text serves both engines (SQLite is dynamically typed; PostgreSQL is not).
impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT8 => v.to_sql(ty, out),
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::FLOAT8 => (*v as f64).to_sql(ty, out),
                Type::FLOAT4 => (*v as f32).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => v.to_string().to_sql(ty, out),
                _ => Err(format!("cannot bind an integer to a parameter of type {ty}").into()),
            },
            Value::Real(v) => match *ty {
                Type::FLOAT8 => v.to_sql(ty, out),
                Type::FLOAT4 => (*v as f32).to_sql(ty, out),
                _ => Err(format!("cannot bind a float to a parameter of type {ty}").into()),
            },
            Value::Text(v) => v.as_str().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

pub(crate) fn to_row(row: &tokio_postgres::Row) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let value = match *column.type_() {
            Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map(Value::Int),
            Type::INT4 => row
                .try_get::<_, Option<i32>>(i)?
                .map(|v| Value::Int(v.into())),
            Type::INT2 => row
                .try_get::<_, Option<i16>>(i)?
                .map(|v| Value::Int(v.into())),
            Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map(Value::Real),
            Type::FLOAT4 => row
                .try_get::<_, Option<f32>>(i)?
                .map(|v| Value::Real(v.into())),
            Type::BOOL => row
                .try_get::<_, Option<bool>>(i)?
                .map(|v| Value::Int(v.into())),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                row.try_get::<_, Option<String>>(i)?.map(Value::Text)
            }
            ref other => {
                return Err(StoreError::Decode {
                    column: i,
                    expected: "an integer, float, boolean or text column (CAST others in the SQL)",
                    found: other.to_string(),
                });
            }
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

pub(crate) fn param_refs(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

#[derive(Clone)]
pub(crate) struct PgEngine {
    pool: Pool,
}

impl PgEngine {
    pub(crate) async fn connect(url: &str) -> Result<Self, StoreError> {
        let config: Config =
            url.parse()
                .map_err(|e: tokio_postgres::Error| StoreError::BadUrl {
                    url: redact(url),
                    reason: e.to_string(),
                })?;
        // Migrations run on a dedicated connection before the pool exists.
        let (mut client, connection) =
            config
                .connect(NoTls)
                .await
                .map_err(|e| StoreError::Unreachable {
                    url: redact(url),
                    reason: causes(&e),
                })?;
        let driver = tokio::spawn(connection);
        // The schema folds text with ICU collations, which exist only in UTF8 databases; a
        // SQL_ASCII one would fail inside the first migration with a cryptic message.
        let encoding: String = client
            .query_one("SELECT getdatabaseencoding()", &[])
            .await?
            .get(0);
        if encoding != "UTF8" {
            return Err(StoreError::BadUrl {
                url: redact(url),
                reason: format!(
                    "the database's encoding is {encoding}, and SoundStream needs UTF8; create it with CREATE DATABASE ... ENCODING 'UTF8' TEMPLATE template0"
                ),
            });
        }
        migrations::migrations::runner()
            .run_async(&mut client)
            .await
            .map_err(|e| StoreError::Migration(causes(&e)))?;
        drop(client);
        let _ = driver.await;

        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(Runtime::Tokio1)
            .build()
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        Ok(Self { pool })
    }

    pub(crate) async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        self.pool.get().await.map_err(|e| match e {
            deadpool_postgres::PoolError::Backend(e) => StoreError::from(e),
            other => StoreError::Pool(other.to_string()),
        })
    }

    // The same methods as the SQLite engine's, over this engine's pool (the engine twin).
    pub(crate) fn pool_status(&self) -> (usize, usize, usize) {
        let status = self.pool.status();
        (status.size, status.available, status.max_size)
    }

    pub(crate) async fn query(
        &self,
        sql: &str,
        params: Vec<Value>,
    ) -> Result<Vec<Row>, StoreError> {
        let client = self.client().await?;
        let stmt = client.prepare_cached(sql).await?;
        let rows = client.query(&stmt, &param_refs(&params)).await?;
        rows.iter().map(to_row).collect()
    }

    pub(crate) async fn query_as<T: FromRow>(
        &self,
        sql: &str,
        params: Vec<Value>,
    ) -> Result<Vec<T>, StoreError> {
        let client = self.client().await?;
        let stmt = client.prepare_cached(sql).await?;
        let rows = client.query(&stmt, &param_refs(&params)).await?;
        rows.iter().map(T::from_row).collect()
    }

    pub(crate) async fn execute(&self, sql: &str, params: Vec<Value>) -> Result<u64, StoreError> {
        let client = self.client().await?;
        let stmt = client.prepare_cached(sql).await?;
        Ok(client.execute(&stmt, &param_refs(&params)).await?)
    }

    pub(crate) async fn transaction(
        &self,
        statements: Vec<Statement>,
    ) -> Result<Vec<u64>, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let mut changed = Vec::with_capacity(statements.len());
        for s in &statements {
            let stmt = tx.prepare_cached(&s.sql).await?;
            changed.push(tx.execute(&stmt, &param_refs(&s.params)).await?);
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// Replaces the six tables' content with the rows streamed through `rows`, in one
    /// transaction, with binary COPY: a crash or a dropped sender rolls everything back.
    pub(crate) async fn replace_dataset_streamed(
        &self,
        rows: LoadReceiver,
        progress: LoadProgress,
    ) -> Result<LoadOutcome, StoreError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let deferred = drop_deferred(&tx).await?;
        empty_tables(&tx).await?;
        if let Copied::Abandoned = copy_rows(&tx, rows, &progress).await? {
            // Dropping the transaction (and an unfinished COPY) rolls everything back.
            return Ok(LoadOutcome::Abandoned);
        }
        progress("indexes", 0);
        deferred.restore(&tx).await?;
        tx.batch_execute(crate::changes::NEW_EPOCH).await?;
        tx.commit().await?;
        // Fresh statistics, or the planner guesses on tables it last saw empty.
        client
            .batch_execute(
                "ANALYZE artists, users, tags, user_artists, user_taggedartists, user_friends",
            )
            .await?;
        Ok(LoadOutcome::Committed)
    }
}

/// The foreign keys and secondary indexes dropped for a load, as the catalog defined them.
struct Deferred {
    /// Table, name and definition of each foreign key.
    foreign_keys: Vec<tokio_postgres::Row>,
    /// Name and `CREATE INDEX` statement of each index.
    indexes: Vec<tokio_postgres::Row>,
}

/// Drops the foreign keys and the secondary indexes of the tables to load, returning their
/// definitions.
///
/// Foreign keys and secondary indexes are dropped and re-created after the COPY: each
/// foreign key is a trigger run per row (ten times the cost of the COPY itself), while
/// re-adding it validates the whole table in one join. Their definitions are read back from
/// the catalog, so the migrations stay their only source; DDL is transactional, so a rollback
/// or crash restores them with the data.
async fn drop_deferred(tx: &deadpool_postgres::Transaction<'_>) -> Result<Deferred, StoreError> {
    let foreign_keys = tx
        .query(
            "SELECT conrelid::regclass::text, conname::text, pg_get_constraintdef(oid)
             FROM pg_constraint
             WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
            &[],
        )
        .await?;
    let indexes = tx
        .query(
            "SELECT indexname::text, indexdef FROM pg_indexes
             WHERE schemaname = current_schema()
               AND tablename IN ('user_artists', 'user_taggedartists', 'user_friends')
               AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            &[],
        )
        .await?;
    for fk in &foreign_keys {
        let (table, name): (String, String) = (fk.get(0), fk.get(1));
        tx.batch_execute(&format!("ALTER TABLE {table} DROP CONSTRAINT \"{name}\""))
            .await?;
    }
    for index in &indexes {
        let name: String = index.get(0);
        tx.batch_execute(&format!("DROP INDEX \"{name}\"")).await?;
    }
    Ok(Deferred {
        foreign_keys,
        indexes,
    })
}

impl Deferred {
    /// Re-creates the indexes, then the foreign keys, which validates every row loaded.
    async fn restore(&self, tx: &deadpool_postgres::Transaction<'_>) -> Result<(), StoreError> {
        for index in &self.indexes {
            let definition: String = index.get(1);
            tx.batch_execute(&definition).await?;
        }
        for fk in &self.foreign_keys {
            let (table, name, definition): (String, String, String) =
                (fk.get(0), fk.get(1), fk.get(2));
            tx.batch_execute(&format!(
                "ALTER TABLE {table} ADD CONSTRAINT \"{name}\" {definition}"
            ))
            .await?;
        }
        Ok(())
    }
}

/// Empties the six tables, with the index builds to come given more memory.
async fn empty_tables(tx: &deadpool_postgres::Transaction<'_>) -> Result<(), StoreError> {
    // Index builds sort in memory up to maintenance_work_mem (64 MB by default): a quarter
    // GB for this transaction makes the 100x indexes a third faster. Never lowered.
    tx.batch_execute(
        "SELECT set_config('maintenance_work_mem', GREATEST(setting::bigint, 262144) || 'kB', true)
         FROM pg_settings WHERE name = 'maintenance_work_mem'",
    )
    .await?;
    // TRUNCATE is transactional in PostgreSQL: a rollback (or a crash) restores the data.
    tx.batch_execute(
        "TRUNCATE user_friends, user_taggedartists, user_artists, tags, users, artists",
    )
    .await?;
    Ok(())
}

/// How the stream of rows ended.
enum Copied {
    /// The sender asked for the commit: every row was copied.
    All,
    /// The sender went away without asking for it.
    Abandoned,
}

/// Copies every batch that comes through `rows` into its table, until the sender asks for the
/// commit or goes away.
async fn copy_rows(
    tx: &deadpool_postgres::Transaction<'_>,
    mut rows: LoadReceiver,
    progress: &LoadProgress,
) -> Result<Copied, StoreError> {
    // One COPY at a time on a connection: the current one ends when a batch of another
    // table comes.
    let mut copy: Option<(&'static str, Pin<Box<BinaryCopyInWriter>>)> = None;
    let mut written = Written::default();
    loop {
        match rows.0.recv().await {
            None => return Ok(Copied::Abandoned),
            Some(LoadMessage::Commit) => break,
            Some(LoadMessage::Rows(batch)) => {
                let table = batch.table();
                let writer = match &mut copy {
                    Some((current, writer)) if *current == table => writer,
                    _ => {
                        if let Some((_, mut previous)) = copy.take() {
                            previous.as_mut().finish().await?;
                        }
                        let (sql, types) = copy_of(&batch);
                        let sink = tx.copy_in(sql).await?;
                        &mut copy
                            .insert((table, Box::pin(BinaryCopyInWriter::new(sink, types))))
                            .1
                    }
                };
                write_batch(writer.as_mut(), &batch).await?;
                written.add(&batch, progress);
            }
        }
    }
    if let Some((_, mut last)) = copy.take() {
        last.as_mut().finish().await?;
    }
    Ok(Copied::All)
}

/// The COPY statement and column types of a batch's table.
fn copy_of(batch: &LoadBatch) -> (&'static str, &'static [Type]) {
    match batch {
        LoadBatch::Artists(_) => (
            r#"COPY artists (id, name, url, "pictureURL") FROM STDIN (FORMAT binary)"#,
            &[Type::INT8, Type::TEXT, Type::TEXT, Type::TEXT],
        ),
        LoadBatch::Users(_) => (
            r#"COPY users ("userID") FROM STDIN (FORMAT binary)"#,
            &[Type::INT8],
        ),
        LoadBatch::Tags(_) => (
            r#"COPY tags ("tagID", "tagValue") FROM STDIN (FORMAT binary)"#,
            &[Type::INT8, Type::TEXT],
        ),
        LoadBatch::Listens(_) => (
            r#"COPY user_artists ("userID", "artistID", weight) FROM STDIN (FORMAT binary)"#,
            &[Type::INT8, Type::INT8, Type::INT8],
        ),
        LoadBatch::TagAssignments(_) => (
            r#"COPY user_taggedartists ("userID", "artistID", "tagID", "timestamp", day, month, year)
               FROM STDIN (FORMAT binary)"#,
            &[
                Type::INT8,
                Type::INT8,
                Type::INT8,
                Type::INT8,
                Type::INT4,
                Type::INT4,
                Type::INT4,
            ],
        ),
        LoadBatch::Friendships(_) => (
            r#"COPY user_friends ("userID", "friendID") FROM STDIN (FORMAT binary)"#,
            &[Type::INT8, Type::INT8],
        ),
    }
}

/// Writes a batch's rows into the COPY of its table.
async fn write_batch(
    mut w: Pin<&mut BinaryCopyInWriter>,
    batch: &LoadBatch,
) -> Result<(), StoreError> {
    match batch {
        LoadBatch::Artists(rows) => {
            for a in rows {
                w.as_mut()
                    .write(&[&a.id, &a.name, &a.url, &a.picture_url])
                    .await?;
            }
        }
        LoadBatch::Users(rows) => {
            for u in rows {
                w.as_mut().write(&[u]).await?;
            }
        }
        LoadBatch::Tags(rows) => {
            for t in rows {
                w.as_mut().write(&[&t.id, &t.value]).await?;
            }
        }
        LoadBatch::Listens(rows) => {
            for l in rows {
                w.as_mut()
                    .write(&[&l.user_id, &l.artist_id, &l.weight])
                    .await?;
            }
        }
        LoadBatch::TagAssignments(rows) => {
            for t in rows {
                // The importer validated day/month/year, so they fit in 32 bits.
                let (day, month, year) = (t.day as i32, t.month as i32, t.year as i32);
                w.as_mut()
                    .write(&[
                        &t.user_id,
                        &t.artist_id,
                        &t.tag_id,
                        &t.timestamp,
                        &day,
                        &month,
                        &year,
                    ])
                    .await?;
            }
        }
        LoadBatch::Friendships(rows) => {
            for f in rows {
                w.as_mut().write(&[&f.user_id, &f.friend_id]).await?;
            }
        }
    }
    Ok(())
}

/// An error and its causes on one line: tokio-postgres's own message ("error connecting to
/// server") says nothing until its source ("Connection refused") is added.
fn causes(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !text.contains(&line) {
            text = format!("{text}: {line}");
        }
        source = cause.source();
    }
    text
}

/// The URL with its password hidden, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_error_messages() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
