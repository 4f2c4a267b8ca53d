//! Transactions whose statements depend on each other's results, on either engine: a write
//! that reads what it is about to change (to report what changed), or a read of many tables
//! from one consistent snapshot (to build a read model).
//!
//! The body is one synchronous closure over a [`Tx`], run on a blocking thread: SQLite is
//! synchronous anyway, and PostgreSQL's asynchronous client is driven from that thread with
//! `Handle::block_on`. So each operation is written once, with ordinary control flow, for
//! both engines.

use std::pin::pin;

use futures_util::StreamExt;
use rusqlite::{TransactionBehavior, params_from_iter};
use tokio::runtime::Handle;

use crate::postgres::{param_refs, to_row as pg_row};
use crate::sqlite::to_row as sqlite_row;
use crate::value::to_sqlite_placeholders;
use crate::{Backend, Engine, Row, Store, StoreError, Value};

/// The transaction-level advisory lock every PostgreSQL write takes first: writes are
/// numbered in the change log in the order they commit (see `changes`).
const WRITE_LOCK: i64 = 0x5355_4e44; // "SUND"

/// Statements run inside one transaction.
pub trait Tx {
    /// The engine this transaction runs on.
    fn backend(&self) -> Backend;
    /// Runs a query and returns every row.
    fn query(&mut self, sql: &str, params: Vec<Value>) -> Result<Vec<Row>, StoreError>;
    /// Runs a writing statement and returns the number of rows it changed.
    fn execute(&mut self, sql: &str, params: Vec<Value>) -> Result<u64, StoreError>;
    /// Runs a query and hands each row to `each` as it arrives, never holding the whole
    /// result: for scans of millions of rows.
    fn for_each(
        &mut self,
        sql: &str,
        params: Vec<Value>,
        each: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
}

/// What a transaction is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Reads from one snapshot.
    Read,
    /// Writes, serialised with every other write (of every process on this database).
    Write,
}

struct SqliteTx<'a>(&'a rusqlite::Transaction<'a>);

impl Tx for SqliteTx<'_> {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn query(&mut self, sql: &str, params: Vec<Value>) -> Result<Vec<Row>, StoreError> {
        let mut rows = Vec::new();
        self.for_each(sql, params, &mut |row| {
            rows.push(row);
            Ok(())
        })?;
        Ok(rows)
    }

    fn execute(&mut self, sql: &str, params: Vec<Value>) -> Result<u64, StoreError> {
        let sql = to_sqlite_placeholders(sql);
        let changed = self
            .0
            .prepare_cached(&sql)?
            .execute(params_from_iter(params.iter()))?;
        Ok(changed as u64)
    }

    fn for_each(
        &mut self,
        sql: &str,
        params: Vec<Value>,
        each: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let sql = to_sqlite_placeholders(sql);
        let mut stmt = self.0.prepare_cached(&sql)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query(params_from_iter(params.iter()))?;
        while let Some(row) = rows.next()? {
            each(sqlite_row(row, columns)?)?;
        }
        Ok(())
    }
}

struct PgTx<'a> {
    tx: deadpool_postgres::Transaction<'a>,
    runtime: Handle,
}

impl Tx for PgTx<'_> {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn query(&mut self, sql: &str, params: Vec<Value>) -> Result<Vec<Row>, StoreError> {
        let tx = &self.tx;
        self.runtime.block_on(async {
            let stmt = tx.prepare_cached(sql).await?;
            let rows = tx.query(&stmt, &param_refs(&params)).await?;
            rows.iter().map(pg_row).collect()
        })
    }

    fn execute(&mut self, sql: &str, params: Vec<Value>) -> Result<u64, StoreError> {
        let tx = &self.tx;
        self.runtime.block_on(async {
            let stmt = tx.prepare_cached(sql).await?;
            Ok(tx.execute(&stmt, &param_refs(&params)).await?)
        })
    }

    // The trait's signature again, as every implementation states it (a deliberate repetition,
    // one per engine).
    fn for_each(
        &mut self,
        sql: &str,
        params: Vec<Value>,
        each: &mut dyn FnMut(Row) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let tx = &self.tx;
        self.runtime.block_on(async {
            let stmt = tx.prepare_cached(sql).await?;
            let mut rows = pin!(tx.query_raw(&stmt, param_refs(&params)).await?);
            while let Some(row) = rows.next().await {
                each(pg_row(&row?)?)?;
            }
            Ok(())
        })
    }
}

impl Store {
    /// Runs `body` in one transaction on a blocking thread; commits when it returns `Ok`,
    /// rolls back otherwise.
    pub(crate) async fn run_tx<R, F>(&self, mode: Mode, body: F) -> Result<R, StoreError>
    where
        F: FnOnce(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
        R: Send + 'static,
    {
        match &*self.engine {
            Engine::Sqlite(engine) => {
                engine
                    .with_conn(move |conn| {
                        // IMMEDIATE takes the write lock up front, so two writers queue on
                        // busy_timeout instead of one failing when it upgrades from a read.
                        let behavior = match mode {
                            Mode::Read => TransactionBehavior::Deferred,
                            Mode::Write => TransactionBehavior::Immediate,
                        };
                        let tx = conn.transaction_with_behavior(behavior)?;
                        let result = body(&mut SqliteTx(&tx))?;
                        tx.commit()?;
                        Ok(result)
                    })
                    .await
            }
            Engine::Postgres(engine) => {
                let engine = engine.clone();
                let runtime = Handle::current();
                tokio::task::spawn_blocking(move || {
                    let mut client = runtime.block_on(engine.client())?;
                    let tx = runtime.block_on(async {
                        let builder = client.build_transaction();
                        match mode {
                            // One snapshot for every query of the read.
                            Mode::Read => {
                                builder
                                    .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
                                    .read_only(true)
                                    .start()
                                    .await
                            }
                            Mode::Write => builder.start().await,
                        }
                    })?;
                    let mut pg = PgTx {
                        tx,
                        runtime: runtime.clone(),
                    };
                    if mode == Mode::Write {
                        pg.execute("SELECT pg_advisory_xact_lock($1)", vec![WRITE_LOCK.into()])?;
                    }
                    let result = body(&mut pg)?;
                    runtime.block_on(pg.tx.commit())?;
                    Ok(result)
                })
                .await
                .map_err(|e| StoreError::Pool(format!("the transaction's thread failed: {e}")))?
            }
        }
    }

    /// Runs `body` in one read-only transaction: every query sees the same snapshot.
    pub async fn read<R, F>(&self, body: F) -> Result<R, StoreError>
    where
        F: FnOnce(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
        R: Send + 'static,
    {
        self.run_tx(Mode::Read, body).await
    }
}
