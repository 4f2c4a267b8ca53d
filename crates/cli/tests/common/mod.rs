//! What the binary's test files share: a tiny but complete dataset.

#![allow(dead_code, reason = "each test binary uses part of this module")]

use std::path::Path;

/// A tiny but complete dataset, as (file name, content).
pub const TINY: [(&str, &str); 5] = [
    (
        "artists.dat",
        "id\tname\turl\tpictureURL\n1\tA\thttp://a\t\n2\tB\thttp://b\t\n",
    ),
    ("tags.dat", "tagID\ttagValue\r\n1\trock\r\n"),
    (
        "user_artists.dat",
        "userID\tartistID\tweight\r\n7\t1\t10\r\n7\t2\t3\r\n",
    ),
    (
        "user_taggedartists.dat",
        "userID\tartistID\ttagID\tday\tmonth\tyear\r\n7\t1\t1\t1\t4\t2009\r\n",
    ),
    ("user_friends.dat", "userID\tfriendID\r\n7\t8\r\n8\t7\r\n"),
];

pub fn write_tiny(dir: &Path) {
    for (name, content) in TINY {
        std::fs::write(dir.join(name), content).unwrap();
    }
}
