//! Calendar dates of tag assignments and their millisecond timestamps.
//!
//! The dataset gives a tag assignment's date as day/month/year and (in a file not always
//! shipped) a millisecond timestamp; each can be derived from the other. Derivations use UTC
//! midnight: the original timestamps were taken at midnight Madrid time, which UTC cannot
//! reproduce, so a derived timestamp says "that day", not "that instant".

use time::{Date, Month, OffsetDateTime};

/// Why a day/month/year triple is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{day}/{month}/{year} is not a calendar date")]
pub struct InvalidDate {
    /// Day as given.
    pub day: i64,
    /// Month as given.
    pub month: i64,
    /// Year as given.
    pub year: i64,
}

/// Milliseconds since the Unix epoch of 00:00 UTC on the given day (negative before 1970).
pub fn midnight_utc_ms(day: i64, month: i64, year: i64) -> Result<i64, InvalidDate> {
    let invalid = InvalidDate { day, month, year };
    let month_enum = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or(invalid.clone())?;
    let date = i32::try_from(year)
        .ok()
        .zip(u8::try_from(day).ok())
        .and_then(|(y, d)| Date::from_calendar_date(y, month_enum, d).ok())
        .ok_or(invalid)?;
    Ok(date.midnight().assume_utc().unix_timestamp() * 1000)
}

/// The UTC calendar day `(day, month, year)` that contains the given instant, or `None` when
/// the instant is outside the years the calendar library represents (±9999).
pub fn utc_date_of_ms(timestamp_ms: i64) -> Option<(i64, i64, i64)> {
    let dt = OffsetDateTime::from_unix_timestamp(timestamp_ms.div_euclid(1000)).ok()?;
    Some((
        i64::from(dt.day()),
        i64::from(u8::from(dt.month())),
        i64::from(dt.year()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn midnight_of_a_date_after_the_epoch() {
        assert_eq!(midnight_utc_ms(1, 4, 2009), Ok(1_238_544_000_000));
    }

    #[test]
    fn dates_before_1970_give_negative_timestamps() {
        assert_eq!(midnight_utc_ms(1, 1, 1956), Ok(-441_849_600_000));
        assert_eq!(utc_date_of_ms(-441_849_600_000), Some((1, 1, 1956)));
    }

    #[test]
    fn an_impossible_date_is_rejected() {
        assert!(midnight_utc_ms(30, 2, 2009).is_err());
        assert!(midnight_utc_ms(1, 13, 2009).is_err());
        assert!(midnight_utc_ms(0, 1, 2009).is_err());
    }

    #[test]
    fn a_timestamp_one_ms_before_midnight_belongs_to_the_previous_day() {
        assert_eq!(utc_date_of_ms(-1), Some((31, 12, 1969)));
    }
}
