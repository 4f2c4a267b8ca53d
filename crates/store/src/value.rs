//! The engine-neutral currency of the store: parameters going into SQL and rows coming back.
//!
//! Both engines bind [`Value`]s and materialise results as [`Row`]s, so every query of the
//! store is written once, with `$1`-style placeholders, and runs on SQLite and PostgreSQL.

use crate::StoreError;

/// One SQL value: a bound parameter or a column of a result row.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A 64-bit integer (any integer column).
    Int(i64),
    /// A double-precision float.
    Real(f64),
    /// UTF-8 text.
    Text(String),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Int(_) => "integer",
            Value::Real(_) => "real",
            Value::Text(_) => "text",
        }
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Builds a `Vec<Value>` of query parameters: `args![user_id, name]`.
#[macro_export]
macro_rules! args {
    ($($x:expr),* $(,)?) => { vec![$($crate::Value::from($x)),*] };
}

/// One result row, materialised, with typed accessors that fail with the column at fault.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub(crate) Vec<Value>);

impl Row {
    fn at(&self, column: usize) -> Result<&Value, StoreError> {
        // `ok_or_else`: the error's message is formatted only when a column is missing, not
        // on every read of every row (it was a tenth of a 500-row page's time).
        self.0.get(column).ok_or_else(|| StoreError::Decode {
            column,
            expected: "a column",
            found: format!("a row of {} columns", self.0.len()),
        })
    }

    fn mismatch(&self, column: usize, expected: &'static str) -> StoreError {
        StoreError::Decode {
            column,
            expected,
            found: self.0.get(column).map_or("nothing", Value::kind).to_owned(),
        }
    }

    /// The integer in `column`.
    pub fn i64(&self, column: usize) -> Result<i64, StoreError> {
        match self.at(column)? {
            Value::Int(v) => Ok(*v),
            _ => Err(self.mismatch(column, "integer")),
        }
    }

    /// The integer in `column`, or `None` for NULL.
    pub fn opt_i64(&self, column: usize) -> Result<Option<i64>, StoreError> {
        match self.at(column)? {
            Value::Null => Ok(None),
            _ => self.i64(column).map(Some),
        }
    }

    /// The number in `column` as a float (integers are widened: `AVG` and `SUM` differ by engine).
    pub fn f64(&self, column: usize) -> Result<f64, StoreError> {
        match self.at(column)? {
            Value::Real(v) => Ok(*v),
            Value::Int(v) => Ok(*v as f64),
            _ => Err(self.mismatch(column, "number")),
        }
    }

    /// The text in `column`.
    pub fn string(&self, column: usize) -> Result<String, StoreError> {
        match self.at(column)? {
            Value::Text(v) => Ok(v.clone()),
            _ => Err(self.mismatch(column, "text")),
        }
    }

    /// The text in `column`, or `None` for NULL.
    pub fn opt_string(&self, column: usize) -> Result<Option<String>, StoreError> {
        match self.at(column)? {
            Value::Null => Ok(None),
            _ => self.string(column).map(Some),
        }
    }
}

/// Rewrites PostgreSQL placeholders (`$1`) into SQLite's numbered form (`?1`).
///
/// SQLite also parses `$1`, but as a *named* parameter numbered by first appearance, which
/// would silently swap arguments in `... $2 ... $1 ...`. Quoted text is left alone.
pub(crate) fn to_sqlite_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) => {
                out.push('?');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_numbered_sqlite_parameters() {
        assert_eq!(
            to_sqlite_placeholders("SELECT $2, $1 FROM t WHERE a = $10"),
            "SELECT ?2, ?1 FROM t WHERE a = ?10"
        );
    }

    #[test]
    fn dollars_inside_quotes_are_not_placeholders() {
        assert_eq!(
            to_sqlite_placeholders("SELECT '$1', \"$2\" WHERE x = $3"),
            "SELECT '$1', \"$2\" WHERE x = ?3"
        );
    }

    #[test]
    fn accessors_name_the_column_at_fault() {
        let row = Row(vec![Value::Int(1), Value::Text("x".into()), Value::Null]);
        assert_eq!(row.i64(0).unwrap(), 1);
        assert_eq!(row.f64(0).unwrap(), 1.0);
        assert_eq!(row.opt_string(2).unwrap(), None);
        let err = row.i64(1).unwrap_err().to_string();
        assert!(err.contains("column 1"), "{err}");
    }
}
