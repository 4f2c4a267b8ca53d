//! The analytics endpoints against the real dataset, on every configured engine: exact values
//! computed independently (Python's `sqlite3`, `statistics` and `fractions` over a database
//! imported by `soundstream import`), 404s and 422s. Nothing here writes to the database.
//!
//! One file though over 500 lines: a test per endpoint with its independently computed
//! expectations, and the helpers they share; `analytics::` runs the area as one.

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::common::{TestApp, assert_invalid, assert_not_found, get, real_apps};

/// `GET uri`, asserting a 200.
async fn ok(app: &TestApp, uri: &str) -> Value {
    let (status, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{:?} {uri}: {body}", app.backend());
    body
}

fn f64_of(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("{value} is not a number"))
}

/// Asserts `actual` is within `tolerance` of `expected`.
fn assert_close(actual: &Value, expected: f64, tolerance: f64) {
    let actual = f64_of(actual);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{actual} is not within {tolerance} of {expected}"
    );
}

/// Asserts `actual` is within a relative `tolerance` of `expected`.
fn assert_relative(actual: &Value, expected: f64, tolerance: f64) {
    let actual = f64_of(actual);
    assert!(
        (actual / expected - 1.0).abs() <= tolerance,
        "{actual} is not within {tolerance} (relative) of {expected}"
    );
}

fn column<'a>(items: &'a Value, field: &str) -> Vec<&'a Value> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|item| &item[field])
        .collect()
}

#[tokio::test]
async fn the_summary_counts_every_table_and_friendships_as_pairs() {
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/summary").await;
        let counts = [
            ("artists", 17_632),
            ("users", 1_892),
            ("tags", 11_946),
            ("listens", 92_834),
            ("tag_assignments", 184_941),
            ("friendship_rows", 25_434),
            ("friendship_pairs", 12_717),
            ("total_plays", 69_183_975),
            ("artists_with_listeners", 17_632),
            ("users_with_listens", 1_892),
            ("tags_used", 9_718),
            ("users_who_tag", 1_891),
            ("users_with_friends", 1_892),
        ];
        for (field, expected) in counts {
            assert_eq!(body[field], expected, "{:?} {field}", app.backend());
        }
        assert_close(&body["artists_per_user"], 92_834.0 / 1_892.0, 1e-12);
        assert_close(&body["listeners_per_artist"], 92_834.0 / 17_632.0, 1e-12);
        assert_close(&body["plays_per_listen"], 69_183_975.0 / 92_834.0, 1e-9);
        assert_close(
            &body["tag_assignments_per_user"],
            184_941.0 / 1_892.0,
            1e-12,
        );
        assert_close(&body["friends_per_user"], 25_434.0 / 1_892.0, 1e-12);
        assert_eq!(body["first_tag_assignment"], "1956-06-01");
        assert_eq!(body["last_tag_assignment"], "2011-05-09");
    }
}

#[tokio::test]
async fn top_artists_rank_by_plays_or_by_listeners() {
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/top-artists?limit=3").await;
        assert_eq!(
            body["items"][0],
            json!({
                "id": 289, "name": "Britney Spears", "url": "http://www.last.fm/music/Britney+Spears",
                "picture_url": body["items"][0]["picture_url"], "listeners": 522, "plays": 2_393_140
            })
        );
        assert_eq!(column(&body["items"], "id"), [289, 72, 89]);
        assert_eq!(
            column(&body["items"], "plays"),
            [2_393_140, 1_301_308, 1_291_387]
        );

        let body = ok(&app, "/v1/analytics/top-artists?by=listeners&limit=5").await;
        assert_eq!(column(&body["items"], "id"), [89, 289, 288, 227, 300]);
        assert_eq!(body["items"][0]["name"], "Lady Gaga");
        assert_eq!(
            column(&body["items"], "listeners"),
            [611, 522, 484, 480, 473]
        );

        let body = ok(&app, "/v1/analytics/top-artists").await;
        assert_eq!(body["items"].as_array().unwrap().len(), 10);
    }
}

#[tokio::test]
async fn top_tags_come_with_their_reach_in_artists_and_users() {
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/top-tags?limit=3").await;
        assert_eq!(
            body["items"],
            json!([
                {"tag_id": 73, "value": "rock", "usage": 7_459, "artists": 2_248, "users": 671},
                {"tag_id": 24, "value": "pop", "usage": 5_401, "artists": 1_726, "users": 585},
                {"tag_id": 79, "value": "alternative", "usage": 5_223, "artists": 1_718, "users": 532},
            ])
        );
    }
}

#[tokio::test]
async fn active_users_rank_by_plays_artists_tags_or_friends() {
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/active-users?limit=2").await;
        assert_eq!(
            body["items"],
            json!([
                {"user_id": 757, "plays": 480_039, "artists": 50, "tags_applied": 57, "friends": 32},
                {"user_id": 2000, "plays": 468_409, "artists": 50, "tags_applied": 7, "friends": 28},
            ])
        );
        // Ties (every user has at most 50 artists) are broken by user id.
        let body = ok(&app, "/v1/analytics/active-users?by=artists&limit=3").await;
        assert_eq!(column(&body["items"], "user_id"), [2, 3, 4]);
        let body = ok(&app, "/v1/analytics/active-users?by=tags&limit=3").await;
        assert_eq!(column(&body["items"], "user_id"), [1672, 1380, 1249]);
        assert_eq!(column(&body["items"], "tags_applied"), [2558, 2068, 1971]);
        let body = ok(&app, "/v1/analytics/active-users?by=friends&limit=3").await;
        assert_eq!(column(&body["items"], "user_id"), [1543, 1281, 831]);
        assert_eq!(column(&body["items"], "friends"), [119, 110, 106]);
    }
}

#[tokio::test]
async fn the_listening_distribution_has_the_real_quantiles() {
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/listening-distribution").await;
        assert_eq!(body["bins_per_decade"], 5);
        let artists = &body["artist_plays"];
        assert_eq!(
            (&artists["count"], &artists["sum"], &artists["zeros"]),
            (&json!(17_632), &json!(69_183_975), &json!(0))
        );
        assert_eq!(
            (&artists["min"], &artists["max"]),
            (&json!(1), &json!(2_393_140))
        );
        for (field, expected) in [
            ("p10", 28.0),
            ("p25", 113.0),
            ("p50", 350.0),
            ("p75", 1_234.25),
            ("p90", 4_645.4),
            ("p99", 60_096.01),
            ("mean", 3_923.773_536_751_361),
        ] {
            assert_close(&artists[field], expected, 1e-6);
        }
        let listens = &body["listen_weights"];
        assert_eq!(
            (&listens["count"], &listens["min"], &listens["max"]),
            (&json!(92_834), &json!(1), &json!(352_698))
        );
        for (field, expected) in [
            ("p10", 37.0),
            ("p25", 107.0),
            ("p50", 260.0),
            ("p75", 614.0),
            ("p90", 1_387.0),
            ("p99", 7_228.01),
            ("mean", 745.243_930_025_637_2),
        ] {
            assert_close(&listens[field], expected, 1e-6);
        }
    }
}

#[tokio::test]
async fn the_histograms_are_contiguous_log_bins_holding_every_positive_value() {
    for app in real_apps().await {
        let body = ok(
            &app,
            "/v1/analytics/listening-distribution?bins_per_decade=1",
        )
        .await;
        let bins = &body["listen_weights"]["histogram"];
        assert_eq!(
            column(bins, "count"),
            [3_205, 18_550, 57_004, 13_444, 606, 25]
        );
        assert_eq!(column(bins, "lower"), [1.0, 10.0, 100.0, 1e3, 1e4, 1e5]);
        assert_eq!(column(bins, "upper")[5], 1e6);

        let body = ok(&app, "/v1/analytics/listening-distribution").await;
        let bins = body["artist_plays"]["histogram"].as_array().unwrap();
        // 1 .. 2,393,140 at five bins per decade: bins 0 (from 1) to 31 (from 10^6.2).
        assert_eq!(bins.len(), 32);
        let counts: Vec<i64> = bins.iter().map(|b| b["count"].as_i64().unwrap()).collect();
        assert_eq!(counts[..6], [129, 113, 108, 260, 205, 398]);
        assert_eq!(counts[29..], [5, 3, 1]);
        assert_eq!(counts.iter().sum::<i64>(), 17_632);
        for pair in bins.windows(2) {
            assert_eq!(pair[0]["upper"], pair[1]["lower"]);
        }
        let weights = body["listen_weights"]["histogram"].as_array().unwrap();
        assert_eq!(weights.len(), 28);
        assert_eq!(weights[12]["count"], 13_213);
        assert_close(&weights[12]["lower"], 251.188_643_150_957_97, 1e-9);
    }
}

#[tokio::test]
async fn gini_lorenz_top_shares_and_the_long_tail_describe_concentration() {
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/listening-distribution").await;
        // Exact rational arithmetic in Python: 0.8926663885622388.
        assert_close(&body["gini"], 0.892_666_388_562_238_8, 1e-12);
        assert_eq!(body["top_1_percent"]["artists"], 177);
        assert_eq!(body["top_1_percent"]["plays"], 35_994_938);
        assert_close(
            &body["top_1_percent"]["plays_share"],
            35_994_938.0 / 69_183_975.0,
            1e-12,
        );
        assert_eq!(body["top_10_percent"]["artists"], 1_764);
        assert_eq!(body["top_10_percent"]["plays"], 58_776_647);

        assert_eq!(body["head_share"], 0.8);
        assert_eq!(body["head"]["artists"], 1_189);
        assert_eq!(body["head"]["plays"], 55_350_018);
        assert_close(&body["head"]["artists_share"], 1_189.0 / 17_632.0, 1e-12);
        assert_close(&body["head"]["plays_share"], 0.800_041_021_060_151_6, 1e-12);
        assert_eq!(body["tail"]["artists"], 17_632 - 1_189);
        assert_eq!(body["tail"]["plays"], 69_183_975 - 55_350_018);

        let lorenz = body["lorenz"].as_array().unwrap();
        assert_eq!(lorenz.len(), 101);
        assert_eq!(lorenz[0], json!({"artists_share": 0.0, "plays_share": 0.0}));
        assert_eq!(
            lorenz[100],
            json!({"artists_share": 1.0, "plays_share": 1.0})
        );
        for (k, artists, plays) in [
            (10, 0.099_988_656_987_295_82, 0.000_292_119_670_776_361_1),
            (50, 0.5, 0.016_580_414_756_451_91),
            (90, 0.900_011_343_012_704_1, 0.150_496_903_365_266_3),
            (99, 0.990_018_148_820_326_7, 0.480_591_119_547_554_2),
        ] {
            assert_close(&lorenz[k]["artists_share"], artists, 1e-12);
            assert_close(&lorenz[k]["plays_share"], plays, 1e-12);
        }
    }
}

#[tokio::test]
async fn tag_trends_count_every_assignment_per_year_zero_filled() {
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/tag-trends").await;
        let items = body["items"].as_array().unwrap();
        // 1956 to 2011, the years without assignments included.
        assert_eq!(items.len(), 56);
        assert_eq!(
            items[0],
            json!({"period": "1956", "tag_id": null, "value": null, "count": 3, "share": 1.0})
        );
        assert_eq!(items[1]["count"], 1);
        assert_eq!(
            items[2],
            json!({"period": "1958", "tag_id": null, "value": null, "count": 0, "share": 0.0})
        );
        let count = |period: &str| {
            items
                .iter()
                .find(|p| p["period"] == period)
                .map(|p| p["count"].as_i64().unwrap())
        };
        assert_eq!(count("2009"), Some(42_934));
        assert_eq!(count("2010"), Some(54_607));
        assert_eq!(count("2011"), Some(15_038));
        let total: i64 = items.iter().map(|p| p["count"].as_i64().unwrap()).sum();
        assert_eq!(total, 184_941);
    }
}

#[tokio::test]
async fn tag_trends_follow_tags_by_month_within_the_years_asked() {
    for app in real_apps().await {
        let body = ok(
            &app,
            "/v1/analytics/tag-trends?granularity=month&tags=ROCK&from_year=2009&to_year=2009",
        )
        .await;
        let items = body["items"].as_array().unwrap();
        assert_eq!(items.len(), 12);
        assert_eq!(items[0]["period"], "2009-01");
        assert_eq!(items[3]["period"], "2009-04");
        assert_eq!(
            (&items[3]["tag_id"], &items[3]["value"]),
            (&json!(73), &json!("rock"))
        );
        assert_eq!(items[3]["count"], 168);
        assert_close(&items[3]["share"], 168.0 / 3_229.0, 1e-12);

        let body = ok(
            &app,
            "/v1/analytics/tag-trends?tags=rock,pop&from_year=2005",
        )
        .await;
        let items = body["items"].as_array().unwrap();
        assert_eq!(items.len(), 14, "two series of 2005..2011");
        let rock: Vec<i64> = items[..7]
            .iter()
            .map(|p| p["count"].as_i64().unwrap())
            .collect();
        assert_eq!(rock, [79, 544, 952, 1_471, 1_736, 2_027, 650]);
        assert!(items[7..].iter().all(|p| p["value"] == "pop"));
    }
}

#[tokio::test]
async fn a_trend_tag_is_a_value_first_and_otherwise_an_id() {
    for app in real_apps().await {
        // "2008" is the text of tag 706; tag id 2008 is "the strokes".
        let body = ok(&app, "/v1/analytics/tag-trends?tags=2008").await;
        assert_eq!(body["items"][0]["tag_id"], 706);
        let body = ok(&app, "/v1/analytics/tag-trends?tags=73&tags=rock").await;
        let ids: Vec<&Value> = column(&body["items"], "tag_id");
        assert!(ids.iter().all(|id| **id == 73), "one series: {ids:?}");
    }
}

#[tokio::test]
async fn an_unknown_trend_tag_is_a_422_naming_it() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/analytics/tag-trends?tags=rock,nosuchtag").await;
        assert_invalid(status, &body, "tags");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("'nosuchtag'"),
            "{body}"
        );
        let (status, body) = get(&app, "/v1/analytics/tag-trends?tags=999999").await;
        assert_invalid(status, &body, "tags");
        let (status, body) = get(&app, "/v1/analytics/tag-trends?granularity=week").await;
        assert_invalid(status, &body, "granularity");
        let (status, body) =
            get(&app, "/v1/analytics/tag-trends?from_year=2010&to_year=2009").await;
        assert_invalid(status, &body, "from_year");
        let (status, body) = get(&app, "/v1/analytics/tag-trends?to_year=20000").await;
        assert_invalid(status, &body, "to_year");
    }
}

#[tokio::test]
async fn the_social_graph_has_the_real_degree_distribution() {
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/social").await;
        assert_eq!(body["users"], 1_892);
        assert_eq!(body["friendship_pairs"], 12_717);
        assert_eq!(body["users_without_friends"], 0);
        assert_close(&body["mean_degree"], 25_434.0 / 1_892.0, 1e-12);
        assert_eq!(body["median_degree"], 6.0);
        assert_eq!(body["max_degree"], 119);
        let distribution = body["degree_distribution"].as_array().unwrap();
        assert_eq!(distribution.len(), 91);
        assert_eq!(
            distribution[..3],
            [
                json!({"degree": 1, "users": 203}),
                json!({"degree": 2, "users": 213}),
                json!({"degree": 3, "users": 182}),
            ]
        );
        let users: i64 = distribution
            .iter()
            .map(|d| d["users"].as_i64().unwrap())
            .sum();
        assert_eq!(users, 1_892);
    }
}

#[tokio::test]
async fn the_social_scatter_has_one_point_per_user() {
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/social").await;
        let points = body["points"].as_array().unwrap();
        assert_eq!(points.len(), 1_892);
        let user_2 = &points[0];
        assert_eq!(user_2["user_id"], 2);
        assert_eq!(user_2["friends"], 13);
        assert_eq!(user_2["distinct_artists"], 50);
        assert_eq!(user_2["distinct_tags"], 1_104);
        assert_eq!(user_2["plays"], 168_737);
        assert_close(&user_2["play_entropy"], 5.247_626_731_230_754, 1e-12);
    }
}

#[tokio::test]
async fn friends_correlate_with_diversity_as_computed_independently() {
    // Python: statistics.correlation on the values and on average ranks; p-values by Simpson
    // integration of the t density with n - 2 = 1,890 degrees of freedom.
    let expected = [
        (
            "distinct_artists",
            [
                0.022_416_917_049_607_358,
                0.974_800_929_729_353_1,
                0.329_783_761_038_167,
            ],
            [
                0.037_246_416_342_033_44,
                1.620_379_917_973_598_3,
                0.105_317_509_254_613_58,
            ],
        ),
        (
            "play_entropy",
            [
                -0.157_148_969_045_602,
                -6.917_869_908_031_712_5,
                6.253_092_092_164_243e-12,
            ],
            [
                -0.251_882_826_136_933_25,
                -11.315_214_897_388_502,
                9.080_352_120_980_08e-29,
            ],
        ),
        (
            "distinct_tags",
            [
                0.379_473_660_828_547_4,
                17.831_000_924_486_57,
                7.425_050_896_705_489e-66,
            ],
            [
                0.394_653_367_504_021_14,
                18.672_888_747_099_854,
                1.516_137_077_296_442_2e-71,
            ],
        ),
    ];
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/social").await;
        let correlations = body["correlations"].as_array().unwrap();
        assert_eq!(correlations.len(), 3);
        for ((measure, pearson, spearman), actual) in expected.iter().zip(correlations) {
            assert_eq!(actual["measure"], *measure);
            assert_eq!(actual["n"], 1_892);
            for (name, [r, t, p]) in [("pearson", pearson), ("spearman", spearman)] {
                let test = &actual[name];
                assert_close(&test["r"], *r, 1e-9);
                assert_relative(&test["t"], *t, 1e-9);
                assert_relative(&test["p_value"], *p, 1e-6);
            }
        }
    }
}

#[tokio::test]
async fn the_tag_cloud_of_the_whole_dataset_weighs_tags_on_a_log_scale() {
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/tag-cloud").await;
        let items = body["items"].as_array().unwrap();
        assert_eq!(items.len(), 50);
        assert_eq!(
            items[0],
            json!({"tag_id": 73, "value": "rock", "count": 7_459, "weight": 1.0})
        );
        assert_eq!(items[49]["count"], 700);
        assert_eq!(items[49]["weight"], 0.0);
        let weight = ((5_401_f64).ln() - 700_f64.ln()) / (7_459_f64.ln() - 700_f64.ln());
        assert_eq!(
            (&items[1]["value"], &items[1]["count"]),
            (&json!("pop"), &json!(5_401))
        );
        assert_close(&items[1]["weight"], weight, 1e-12);
    }
}

#[tokio::test]
async fn the_tag_cloud_of_an_artist_a_user_or_tags_counts_within_that_scope() {
    for app in real_apps().await {
        let body = ok(&app, "/v1/analytics/tag-cloud?artist_id=707&limit=3").await;
        assert_eq!(
            column(&body["items"], "value"),
            ["metal", "thrash metal", "heavy metal"]
        );
        assert_eq!(column(&body["items"], "count"), [48, 45, 45]);
        assert_eq!(column(&body["items"], "weight")[2], 0.0);

        let body = ok(&app, "/v1/analytics/tag-cloud?user_id=2").await;
        assert_eq!(body["items"].as_array().unwrap().len(), 26);
        assert_eq!(column(&body["items"], "tag_id")[..3], [13, 14, 15]);
        assert_eq!(column(&body["items"], "count")[..3], [5, 4, 4]);
        // A user who never tagged has an empty cloud.
        let body = ok(&app, "/v1/analytics/tag-cloud?user_id=573").await;
        assert_eq!(body["items"], json!([]));

        let body = ok(&app, "/v1/analytics/tag-cloud?tags=metal&limit=3").await;
        assert_eq!(column(&body["items"], "tag_id"), [73, 386, 72]);
        assert_eq!(column(&body["items"], "count"), [1_230, 895, 854]);
        let body = ok(&app, "/v1/analytics/tag-cloud?tags=metal,73&limit=3").await;
        assert_eq!(column(&body["items"], "tag_id"), [72, 79, 386]);
        assert_eq!(column(&body["items"], "count"), [808, 717, 608]);
    }
}

#[tokio::test]
async fn tag_cloud_scopes_are_validated() {
    for app in real_apps().await {
        let (status, body) = get(&app, "/v1/analytics/tag-cloud?artist_id=999999").await;
        assert_not_found(status, &body);
        assert_eq!(body["error"]["message"], "artist 999999 does not exist");
        let (status, body) = get(&app, "/v1/analytics/tag-cloud?user_id=999999").await;
        assert_not_found(status, &body);
        assert_eq!(body["error"]["message"], "user 999999 does not exist");
        let (status, body) = get(&app, "/v1/analytics/tag-cloud?artist_id=707&user_id=2").await;
        assert_invalid(status, &body, "artist_id");
        assert_invalid(status, &body, "user_id");
        let (status, body) = get(&app, "/v1/analytics/tag-cloud?user_id=2&tags=rock").await;
        assert_invalid(status, &body, "tags");
        let (status, body) = get(&app, "/v1/analytics/tag-cloud?tags=nosuchtag").await;
        assert_invalid(status, &body, "tags");
        let (status, body) = get(&app, "/v1/analytics/tag-cloud?artist_id=0").await;
        assert_invalid(status, &body, "artist_id");
        let (status, body) = get(&app, "/v1/analytics/tag-cloud?limit=201").await;
        assert_invalid(status, &body, "limit");
    }
}

#[tokio::test]
async fn analytics_parameters_are_validated() {
    for app in real_apps().await {
        for (uri, field) in [
            ("/v1/analytics/top-artists?limit=0", "limit"),
            ("/v1/analytics/top-artists?limit=101", "limit"),
            ("/v1/analytics/top-artists?by=name", "by"),
            ("/v1/analytics/top-artists?sort=plays", "sort"),
            ("/v1/analytics/top-tags?limit=ten", "limit"),
            ("/v1/analytics/active-users?by=age", "by"),
            ("/v1/analytics/active-users?limit=-1", "limit"),
            (
                "/v1/analytics/listening-distribution?bins_per_decade=0",
                "bins_per_decade",
            ),
            (
                "/v1/analytics/listening-distribution?bins_per_decade=21",
                "bins_per_decade",
            ),
            ("/v1/analytics/summary?verbose=1", "verbose"),
            ("/v1/analytics/social?limit=5", "limit"),
        ] {
            let (status, body) = get(&app, uri).await;
            assert_invalid(status, &body, field);
        }
    }
}

#[tokio::test]
async fn every_engine_gives_the_same_analytics() {
    let apps = real_apps().await;
    if std::env::var_os("SOUNDSTREAM_TEST_POSTGRES_URL").is_some() {
        assert_eq!(
            apps.len(),
            2,
            "PostgreSQL is configured: both engines answer"
        );
    }
    let uris = [
        "/v1/analytics/summary",
        "/v1/analytics/top-artists?by=listeners&limit=100",
        "/v1/analytics/top-tags?limit=100",
        "/v1/analytics/active-users?by=tags&limit=100",
        "/v1/analytics/listening-distribution",
        "/v1/analytics/tag-trends?granularity=month&tags=rock,pop,2008",
        "/v1/analytics/social",
        "/v1/analytics/tag-cloud?tags=metal&limit=200",
        "/v1/analytics/tag-cloud?user_id=1672&limit=200",
    ];
    for uri in uris {
        let mut answers = Vec::new();
        for app in &apps {
            answers.push(ok(app, uri).await);
        }
        for other in &answers[1..] {
            assert!(*other == answers[0], "{uri} differs between engines");
        }
    }
}
