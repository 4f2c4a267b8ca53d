//! The PostgreSQL engine: a deadpool of tokio-postgres connections, the PostgreSQL
//! migrations, and the queries; the bulk load of a whole dataset (binary COPY, in one
//! transaction) is `postgres/load.rs`, as SQLite's is `sqlite/load.rs`.

use std::error::Error;

use bytes::BytesMut;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{Config, NoTls};

use crate::decode::FromRow;
use crate::{Row, Statement, StoreError, Value};

mod load;

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
