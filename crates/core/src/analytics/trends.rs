//! Tag use over time: tag assignments counted by year or month, one series a tag (or one for
//! all tags together), each zero-filled over the same periods so that they plot on one axis.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use super::share;
use crate::views::analytics::TagTrendPoint;

/// Tag assignments counted by `(year, month)`, as the assignments store them.
pub type MonthCounts = BTreeMap<(i64, i64), i64>;

/// The length of the periods of a trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Granularity {
    /// Calendar years: periods `2009`.
    Year,
    /// Calendar months: periods `2009-04`.
    Month,
}

/// One tag to follow: its id, its text and its assignments by month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagSeries {
    /// The tag's id.
    pub tag_id: i64,
    /// The tag's text.
    pub value: String,
    /// The tag's assignments by `(year, month)`.
    pub months: MonthCounts,
}

/// A period as `(year, month)`; by year, the month is 0.
type Period = (i64, i64);

/// The period of a `(year, month)`.
fn period_of((year, month): (i64, i64), granularity: Granularity) -> Period {
    match granularity {
        Granularity::Year => (year, 0),
        Granularity::Month => (year, month),
    }
}

fn next_period((year, month): Period, granularity: Granularity) -> Period {
    match granularity {
        Granularity::Year => (year + 1, 0),
        Granularity::Month if month >= 12 => (year + 1, 1),
        Granularity::Month => (year, month + 1),
    }
}

fn period_label((year, month): Period, granularity: Granularity) -> String {
    match granularity {
        Granularity::Year => format!("{year:04}"),
        Granularity::Month => format!("{year:04}-{month:02}"),
    }
}

/// Counts of `months` by period within the years, keyed by period.
fn by_period(
    months: &MonthCounts,
    granularity: Granularity,
    years: &RangeInclusive<i64>,
) -> BTreeMap<Period, i64> {
    let mut periods = BTreeMap::new();
    for (&key, &count) in months.range((*years.start(), 0)..=(*years.end(), 12)) {
        *periods.entry(period_of(key, granularity)).or_default() += count;
    }
    periods
}

/// Trend series within `years`: one for each of `tags` in the order given, or, without tags,
/// one of every assignment (`totals`) with a null tag. Every series runs over each period
/// from the first to the last holding any assignment, zero-filled, and gives each count's
/// share of the period's `totals`.
pub fn tag_trends(
    totals: &MonthCounts,
    tags: &[TagSeries],
    granularity: Granularity,
    years: RangeInclusive<i64>,
) -> Vec<TagTrendPoint> {
    let totals = by_period(totals, granularity, &years);
    let (Some(&first), Some(&last)) = (totals.keys().next(), totals.keys().next_back()) else {
        return Vec::new();
    };
    let mut periods = vec![first];
    while let Some(&period) = periods.last()
        && period < last
    {
        periods.push(next_period(period, granularity));
    }
    let mut points = Vec::with_capacity(tags.len().max(1) * periods.len());
    let mut add_series =
        |tag_id: Option<i64>, value: Option<&str>, counts: &BTreeMap<Period, i64>| {
            for &period in &periods {
                let count = counts.get(&period).copied().unwrap_or(0);
                points.push(TagTrendPoint {
                    period: period_label(period, granularity),
                    tag_id,
                    value: value.map(str::to_owned),
                    count,
                    share: share(count, totals.get(&period).copied().unwrap_or(0)),
                });
            }
        };
    if tags.is_empty() {
        add_series(None, None, &totals);
    }
    for tag in tags {
        let counts = by_period(&tag.months, granularity, &years);
        add_series(Some(tag.tag_id), Some(&tag.value), &counts);
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(counts: &[((i64, i64), i64)]) -> MonthCounts {
        counts.iter().copied().collect()
    }

    #[test]
    fn monthly_periods_roll_over_into_the_next_year() {
        assert_eq!(next_period((2009, 12), Granularity::Month), (2010, 1));
        assert_eq!(next_period((2009, 4), Granularity::Month), (2009, 5));
        assert_eq!(period_label((2009, 4), Granularity::Month), "2009-04");
        assert_eq!(period_label((2009, 0), Granularity::Year), "2009");
    }

    #[test]
    fn trend_series_are_zero_filled_between_the_first_and_last_period() {
        let totals = months(&[((2008, 11), 4), ((2009, 2), 3)]);
        let rock = TagSeries {
            tag_id: 1,
            value: "rock".into(),
            months: months(&[((2008, 11), 2), ((2009, 2), 3)]),
        };
        let points = tag_trends(&totals, &[rock], Granularity::Month, 1000..=9999);
        let counts: Vec<(&str, i64, f64)> = points
            .iter()
            .map(|p| (p.period.as_str(), p.count, p.share))
            .collect();
        assert_eq!(
            counts,
            [
                ("2008-11", 2, 0.5),
                ("2008-12", 0, 0.0),
                ("2009-01", 0, 0.0),
                ("2009-02", 3, 1.0)
            ]
        );
        assert!(points.iter().all(|p| p.value.as_deref() == Some("rock")));
        let by_year = tag_trends(&totals, &[], Granularity::Year, 2009..=2009);
        assert_eq!(by_year.len(), 1);
        assert_eq!((by_year[0].count, by_year[0].tag_id), (3, None));
    }

    #[test]
    fn series_share_the_periods_of_all_assignments_even_where_a_tag_has_none() {
        // Years 2005 to 2007 hold assignments; the tag only 2006, and a tag never applied
        // still gets its zero-filled series.
        let totals = months(&[((2005, 3), 2), ((2006, 7), 4), ((2007, 1), 1)]);
        let tags = [
            TagSeries {
                tag_id: 7,
                value: "jazz".into(),
                months: months(&[((2006, 7), 1)]),
            },
            TagSeries {
                tag_id: 9,
                value: "polka".into(),
                months: MonthCounts::new(),
            },
        ];
        let points = tag_trends(&totals, &tags, Granularity::Year, 1000..=9999);
        let rows: Vec<(Option<i64>, &str, i64, f64)> = points
            .iter()
            .map(|p| (p.tag_id, p.period.as_str(), p.count, p.share))
            .collect();
        assert_eq!(
            rows,
            [
                (Some(7), "2005", 0, 0.0),
                (Some(7), "2006", 1, 0.25),
                (Some(7), "2007", 0, 0.0),
                (Some(9), "2005", 0, 0.0),
                (Some(9), "2006", 0, 0.0),
                (Some(9), "2007", 0, 0.0),
            ]
        );
    }

    #[test]
    fn years_outside_the_range_are_left_out_and_no_assignment_gives_no_points() {
        let totals = months(&[((2005, 3), 2), ((2006, 7), 4)]);
        let points = tag_trends(&totals, &[], Granularity::Month, 2006..=2006);
        assert_eq!(points.len(), 1);
        assert_eq!((points[0].period.as_str(), points[0].count), ("2006-07", 4));
        assert!(tag_trends(&totals, &[], Granularity::Year, 2010..=2011).is_empty());
    }
}
