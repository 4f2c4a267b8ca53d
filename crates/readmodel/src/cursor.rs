//! Opaque page cursors: where the next page of a list starts, as the sort key and id of the
//! last item served. A cursor names the list and order it belongs to, so one used with
//! another list or order is refused instead of silently paging wrong.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// One part of a cursor's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// An integer (a count, an id, a timestamp).
    Int(i64),
    /// Text (a folded name).
    Text(String),
}

/// Where a page starts: after the item with this key, in the list and order named by `scope`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The list and order, e.g. `artists/listeners/desc`.
    pub scope: String,
    /// The sort key of the last item served, then its id(s).
    pub key: Vec<Part>,
}

/// Why a cursor was refused; the message names what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    /// Not a cursor this server issued.
    #[error("is not a cursor; pass the `next` value of the previous page unchanged")]
    Malformed,
    /// A cursor of another list or order.
    #[error("belongs to another list or order ({found}); keep the same parameters while paging")]
    OtherList {
        /// The scope the cursor carries.
        found: String,
    },
}

impl Cursor {
    /// A cursor for `scope` after the item keyed `key`.
    pub fn new(scope: impl Into<String>, key: Vec<Part>) -> Self {
        Self {
            scope: scope.into(),
            key,
        }
    }

    /// The cursor as an opaque URL-safe token.
    pub fn encode(&self) -> String {
        let mut parts = vec![Value::from(self.scope.clone())];
        parts.extend(self.key.iter().map(|p| match p {
            Part::Int(v) => Value::from(*v),
            Part::Text(t) => Value::from(t.clone()),
        }));
        URL_SAFE_NO_PAD.encode(Value::Array(parts).to_string())
    }

    /// Reads a token issued for `scope`.
    pub fn decode(token: &str, scope: &str) -> Result<Vec<Part>, CursorError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(token.as_bytes())
            .map_err(|_| CursorError::Malformed)?;
        let Ok(Value::Array(values)) = serde_json::from_slice::<Value>(&bytes) else {
            return Err(CursorError::Malformed);
        };
        let mut values = values.into_iter();
        let Some(Value::String(found)) = values.next() else {
            return Err(CursorError::Malformed);
        };
        if found != scope {
            return Err(CursorError::OtherList { found });
        }
        values
            .map(|v| match v {
                Value::Number(n) => n.as_i64().map(Part::Int).ok_or(CursorError::Malformed),
                Value::String(s) => Ok(Part::Text(s)),
                _ => Err(CursorError::Malformed),
            })
            .collect()
    }
}

/// Reads the integers of a key of `n` integers.
pub fn ints<const N: usize>(key: &[Part]) -> Result<[i64; N], CursorError> {
    if key.len() != N {
        return Err(CursorError::Malformed);
    }
    let mut out = [0; N];
    for (slot, part) in out.iter_mut().zip(key) {
        match part {
            Part::Int(v) => *slot = *v,
            Part::Text(_) => return Err(CursorError::Malformed),
        }
    }
    Ok(out)
}

/// Reads a key of one text and one integer.
pub fn text_and_id(key: &[Part]) -> Result<(String, i64), CursorError> {
    match key {
        [Part::Text(t), Part::Int(id)] => Ok((t.clone(), *id)),
        _ => Err(CursorError::Malformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_is_refused_for_another_list() {
        let cursor = Cursor::new(
            "artists/name/asc",
            vec![Part::Text("\"weird al\" yankovic".into()), Part::Int(42)],
        );
        let token = cursor.encode();
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(
            Cursor::decode(&token, "artists/name/asc").unwrap(),
            cursor.key
        );
        assert_eq!(
            Cursor::decode(&token, "artists/name/desc"),
            Err(CursorError::OtherList {
                found: "artists/name/asc".into()
            })
        );
        assert_eq!(
            Cursor::decode("not a cursor", "x"),
            Err(CursorError::Malformed)
        );
        assert_eq!(ints::<2>(&[Part::Int(3), Part::Int(4)]), Ok([3, 4]));
        assert!(ints::<2>(&[Part::Int(3)]).is_err());
    }
}
