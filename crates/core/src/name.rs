//! What a name people read must be (artist names, tag values, API key names): 1 to 500
//! characters, at least one of them visible, no control characters, and no bidirectional
//! controls (which can make a name display as something else, CVE-2021-42574). Names are
//! stored in Unicode NFC, so that `metál` typed with a combining accent and `metál` typed
//! with a precomposed one are the same name.
//!
//! "Invisible" is white space (Unicode `White_Space`) or a default-ignorable code point
//! (`Default_Ignorable_Code_Point`: zero-width spaces and joiners, soft hyphens, variation
//! selectors, fillers) in the Basic Multilingual Plane, and the Braille blank. The three
//! ranges of default-ignorables above it (tags, musical and shorthand format controls) count
//! as visible: the OpenAPI document states these rules as regular expressions, and JSON Schema
//! patterns (ECMA-262 without the `u` flag) cannot name code points above U+FFFF.
//! [`NAME_PATTERN`] and [`TAG_PATTERN`] say the same as [`check_name`] and [`check_tag`],
//! character for character (tested).

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The most characters (code points) in a name.
pub const MAX_NAME_CHARS: usize = 500;

/// Why a name is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameProblem {
    /// Empty, or only white space.
    #[error("must not be empty")]
    Empty,
    /// More than [`MAX_NAME_CHARS`] characters.
    #[error("is longer than 500 characters")]
    TooLong,
    /// A control character (U+0000-U+001F, U+007F-U+009F).
    #[error("must not contain control characters (tabs, newlines...)")]
    Control,
    /// A bidirectional embedding, override or isolate (U+202A-U+202E, U+2066-U+2069).
    #[error(
        "must not contain bidirectional control characters (U+202A-U+202E, U+2066-U+2069), \
         which change how the text around them is displayed"
    )]
    Bidi,
    /// Nothing but invisible characters (zero-width spaces, joiners, fillers...).
    #[error("must contain a visible character, not only invisible ones (such as U+200B)")]
    Invisible,
    /// A comma (tags only: search separates tags with commas).
    #[error("must not contain commas (search separates tags with commas)")]
    Comma,
    /// White space at either end (tags only: search trims what it is given).
    #[error("must not start or end with spaces")]
    Padded,
}

/// A bidirectional embedding, override or isolate: LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI,
/// PDI. (The marks LRM, RLM and ALM do not reorder what follows them; they are allowed, as
/// invisible characters.)
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A character that displays as nothing: white space, a default-ignorable code point of the
/// Basic Multilingual Plane, or the Braille blank.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{206F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
        )
}

/// Checks a name: see the module's rules.
pub fn check_name(name: &str) -> Result<(), NameProblem> {
    if name.trim().is_empty() {
        return Err(NameProblem::Empty);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(NameProblem::TooLong);
    }
    if name.chars().any(char::is_control) {
        return Err(NameProblem::Control);
    }
    if name.chars().any(is_bidi_control) {
        return Err(NameProblem::Bidi);
    }
    if name.chars().all(is_invisible) {
        return Err(NameProblem::Invisible);
    }
    Ok(())
}

/// Checks a tag's text: a name, without commas, and without white space at either end.
pub fn check_tag(tag: &str) -> Result<(), NameProblem> {
    check_name(tag)?;
    if tag.contains(',') {
        return Err(NameProblem::Comma);
    }
    if tag.trim() != tag {
        return Err(NameProblem::Padded);
    }
    Ok(())
}

/// `name` in Unicode NFC (borrowed when it is already).
pub fn nfc(name: &str) -> Cow<'_, str> {
    match is_nfc_quick(name.chars()) {
        IsNormalized::Yes => Cow::Borrowed(name),
        _ => {
            let normalized: String = name.nfc().collect();
            if normalized == name {
                Cow::Borrowed(name)
            } else {
                Cow::Owned(normalized)
            }
        }
    }
}

/// Why a name taken as given (an imported one) would not be accepted as it is by the API:
/// a rule it breaks, or that it is not in NFC. `None` for an ordinary name.
pub fn unusual(name: &str) -> Option<String> {
    if let Err(problem) = check_name(name) {
        return Some(problem.to_string());
    }
    match nfc(name) {
        Cow::Borrowed(_) => None,
        Cow::Owned(normalized) => Some(format!(
            "is not in Unicode NFC (the API would store it as {normalized:?})"
        )),
    }
}

/// `name` with every character a reader could not see or tell apart written as `\u{...}`:
/// controls, bidirectional controls, invisible characters other than the space, and
/// combining marks (so that a decomposed `é` shows as `e\u{301}`).
pub fn escaped(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let hidden = c.is_control()
            || is_bidi_control(c)
            || (is_invisible(c) && c != ' ')
            || unicode_normalization::char::is_combining_mark(c);
        if hidden {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Control characters and bidirectional controls, as a character class body.
macro_rules! forbidden {
    () => {
        r"\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
    };
}

/// White space that is not a control character, as a character class body.
macro_rules! spaces {
    () => {
        r" \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
    };
}

/// Every white space character (`White_Space`, what `str::trim` removes), as a class body.
macro_rules! white_space {
    () => {
        concat!(r"\t\n\x0b\x0c\r\x85", spaces!())
    };
}

/// Default-ignorable code points of the BMP and the Braille blank, as a character class body.
macro_rules! ignorable {
    () => {
        r"\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    };
}

/// A tag without its anchors: see [`TAG_PATTERN`].
macro_rules! tag {
    () => {
        concat!(
            "(?:[^",
            forbidden!(),
            ",",
            spaces!(),
            "][^",
            forbidden!(),
            ",]*)?[^",
            forbidden!(),
            ",",
            spaces!(),
            ignorable!(),
            "](?:[^",
            forbidden!(),
            ",]*[^",
            forbidden!(),
            ",",
            spaces!(),
            "])?"
        )
    };
}

/// [`check_name`] as a regular expression (JSON Schema `pattern`; the length is `maxLength`).
pub const NAME_PATTERN: &str = concat!(
    "^[^",
    forbidden!(),
    "]*[^",
    forbidden!(),
    spaces!(),
    ignorable!(),
    "][^",
    forbidden!(),
    "]*$"
);

/// [`check_tag`] as a regular expression: no comma, no white space at either end, and a
/// visible character somewhere.
pub const TAG_PATTERN: &str = concat!("^", tag!(), "$");

/// One value of a list of tags in a query string (`tags=rock, indie`): tags separated by
/// commas, each a name once trimmed, empty pieces ignored. See [`check_tag_list_item`].
pub const TAG_LIST_PATTERN: &str = concat!(
    "^[",
    white_space!(),
    "]*(?:",
    tag!(),
    ")?[",
    white_space!(),
    "]*(?:,[",
    white_space!(),
    "]*(?:",
    tag!(),
    ")?[",
    white_space!(),
    "]*)*$"
);

/// Checks one value of a list of tags: every comma-separated piece, trimmed, is empty or a
/// name (the pieces are the tags; empty ones are ignored).
pub fn check_tag_list_item(item: &str) -> Result<(), NameProblem> {
    item.split(',')
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .try_for_each(check_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_need_a_visible_character_and_no_controls() {
        assert_eq!(check_name("Metallica"), Ok(()));
        assert_eq!(check_name("  a  "), Ok(()));
        assert_eq!(check_name("a\u{200B}b"), Ok(()));
        assert_eq!(
            check_name("\u{05D0}\u{200F}"),
            Ok(()),
            "an RLM mark is allowed"
        );
        assert_eq!(check_name(""), Err(NameProblem::Empty));
        assert_eq!(check_name(" \u{3000} "), Err(NameProblem::Empty));
        assert_eq!(check_name("\u{200B}"), Err(NameProblem::Invisible));
        assert_eq!(check_name("\u{3164}\u{FEFF}"), Err(NameProblem::Invisible));
        assert_eq!(check_name("abc\u{202E}fed"), Err(NameProblem::Bidi));
        assert_eq!(check_name("x\u{2066}y"), Err(NameProblem::Bidi));
        assert_eq!(check_name("a\tb"), Err(NameProblem::Control));
        assert_eq!(check_name(&"é".repeat(500)), Ok(()));
        assert_eq!(check_name(&"é".repeat(501)), Err(NameProblem::TooLong));
        assert_eq!(check_tag("post-rock"), Ok(()));
        assert_eq!(check_tag("rock,pop"), Err(NameProblem::Comma));
        assert_eq!(check_tag("rock\u{00A0}"), Err(NameProblem::Padded));
    }

    #[test]
    fn names_are_stored_in_nfc() {
        let decomposed = "meta\u{0301}l";
        assert_eq!(nfc(decomposed), "metál");
        assert!(matches!(nfc("metál"), Cow::Borrowed(_)));
        assert!(matches!(nfc("Metallica"), Cow::Borrowed(_)));
        assert!(unusual(decomposed).unwrap().contains("NFC"));
        assert!(unusual("\u{200B}").unwrap().contains("visible"));
        assert_eq!(unusual("Björk"), None);
        assert_eq!(
            escaped("meta\u{301}l \u{200b}\u{202e}"),
            "meta\\u{301}l \\u{200b}\\u{202e}"
        );
    }

    /// The patterns say what the checks do, for every character of the BMP alone, with a
    /// visible neighbour, and at either end of a tag.
    #[test]
    fn the_patterns_agree_with_the_checks_character_for_character() {
        let name = regex::Regex::new(NAME_PATTERN).unwrap();
        let tag = regex::Regex::new(TAG_PATTERN).unwrap();
        let list = regex::Regex::new(TAG_LIST_PATTERN).unwrap();
        let mut samples = Vec::new();
        for c in (0..=0xFFFFu32).filter_map(char::from_u32) {
            for s in [
                c.to_string(),
                format!("a{c}"),
                format!("{c}a"),
                format!("a{c}b"),
                format!("{c}{c}"),
                format!(" {c} ,a"),
                format!("a,{c}"),
            ] {
                samples.push(s);
            }
        }
        samples.extend(["\u{10000}".into(), "\u{E0001}".into(), "a\u{E0001}".into()]);
        for s in &samples {
            assert_eq!(
                name.is_match(s),
                check_name(s).is_ok(),
                "name {s:?} ({:?})",
                s.chars().map(|c| c as u32).collect::<Vec<_>>()
            );
            assert_eq!(
                tag.is_match(s),
                check_tag(s).is_ok(),
                "tag {s:?} ({:?})",
                s.chars().map(|c| c as u32).collect::<Vec<_>>()
            );
            assert_eq!(
                list.is_match(s),
                check_tag_list_item(s).is_ok(),
                "tag list {s:?} ({:?})",
                s.chars().map(|c| c as u32).collect::<Vec<_>>()
            );
        }
    }
}
