//! Names of generated artists and tags, their URLs and pictures: a function of the ordinal
//! (and the seed, for pictures and quirks), unique by construction, with the real data's
//! quirks in small proportions: accented and non-Latin names (UTF-8 in artists.dat), quotes
//! and apostrophes in names, ISO-8859-1 tag values, artists without a picture.

/// A 64-bit mix of a seed and a number (splitmix64's finaliser): decisions that must not
/// depend on the order of generation, such as a name's quirks.
pub(crate) fn mix(seed: u64, n: u64) -> u64 {
    let mut z = seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[rustfmt::skip]
const ADJECTIVES: &[&str] = &[
    "Velvet", "Silent", "Electric", "Broken", "Golden", "Crimson", "Hollow", "Burning", "Frozen",
    "Wild", "Black", "White", "Neon", "Lunar", "Solar", "Savage", "Gentle", "Lost", "Secret",
    "Holy", "Wicked", "Sonic", "Cosmic", "Rusty", "Paper", "Glass", "Iron", "Silver", "Scarlet",
    "Midnight", "Northern", "Southern", "Eastern", "Western", "Distant", "Restless", "Haunted",
    "Sleeping", "Dancing", "Falling", "Rising", "Screaming", "Whispering", "Drunken", "Lonely",
    "Happy", "Sad", "Crystal", "Atomic", "Magnetic", "Digital", "Analog", "Plastic", "Wooden",
    "Stone", "Bitter", "Sweet", "Royal", "Little", "Big", "Young", "Old", "Dead", "Living", "Blue",
    "Red", "Green", "Violet", "Grey", "Pale", "Dark", "Bright", "Strange", "Fuzzy", "Quiet",
    "Loud", "Heavy", "Tender", "Mad", "Naked", "Infinite", "Empty", "Ancient", "Modern",
    "Tropical", "Arctic", "Urban", "Rural", "Mystic", "Phantom", "Vintage", "Future", "Dusty",
    "Stellar", "Shiny", "Hidden", "Frantic", "Mellow", "Rebel", "Fragile", "Kaleidoscopic",
    "Psychedelic", "Glorious",
];

#[rustfmt::skip]
const NOUNS: &[&str] = &[
    "Owls", "Wolves", "Machines", "Ghosts", "Lovers", "Pilots", "Saints", "Sinners", "Horses",
    "Tigers", "Foxes", "Ravens", "Crows", "Kings", "Queens", "Knights", "Monks", "Sailors",
    "Drivers", "Dreamers", "Strangers", "Hearts", "Bones", "Mirrors", "Rivers", "Mountains",
    "Oceans", "Stars", "Planets", "Comets", "Rockets", "Robots", "Angels", "Demons", "Vampires",
    "Witches", "Giants", "Dwarves", "Pirates", "Cowboys", "Outlaws", "Prophets", "Poets",
    "Painters", "Dancers", "Singers", "Drummers", "Brothers", "Sisters", "Daughters", "Sons",
    "Children", "Twins", "Echoes", "Shadows", "Flowers", "Roses", "Lilies", "Orchids", "Seeds",
    "Leaves", "Trees", "Forests", "Islands", "Cities", "Streets", "Bridges", "Towers", "Gardens",
    "Engines", "Wheels", "Bells", "Drums", "Guitars", "Violins", "Pianos", "Radios", "Satellites",
    "Lanterns", "Candles", "Flames", "Sparks", "Storms", "Clouds", "Waves", "Tides", "Winds",
    "Sparrows", "Swans", "Whales", "Sharks", "Snakes", "Spiders", "Bees", "Moths", "Butterflies",
    "Beetles", "Diamonds", "Pearls", "Daggers", "Arrows", "Rock'n'Rollers",
];

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Clara", "David", "Elena", "Frank", "Greta", "Hugo", "Ida", "Jonas", "Kate",
    "Leo", "Maria", "Nina", "Oscar", "Paula", "Quentin", "Rosa", "Sam", "Tina", "Ulla", "Victor",
    "Wanda", "Xavier", "Yara", "Zack", "Amelia", "Bruno", "Chloe", "Dmitri", "Emma", "Felix",
    "Gwen", "Henry", "Irene", "Jack", "Kira", "Lucas", "Mila", "Noah", "Olga", "Pedro", "Rita",
    "Simon", "Tom", "Uma", "Vera", "Will", "Yusuf", "Zoe", "Alice", "Boris", "Carmen", "Diego",
    "Eva", "Fabio", "Gina", "Hannah", "Igor", "Julia", "Karl", "Lena", "Marco", "Nora", "Otto",
    "Pia", "Ruben", "Sofia", "Theo", "Ursula", "Vince", "Wendy", "Yann", "Zara", "Adele", "Billy",
    "Cleo", "Dave", "Ella", "Fred", "Grace", "Hank", "Iris", "Jimmy", "Kurt", "Lily", "Miles",
    "Nick", "Ozzy", "Patti", "Ray", "Stevie", "Tori", "Van", "Whitney", "Ziggy", "Björk", "José",
    "Zoë", "Jürgen", "Ångström", "Søren", "Renée", "Chloé", "Çelik", "Łukasz", "Mário", "Sergeï",
    "Владимир", "Анна", "Юрий", "ゆい", "はると", "Дмитрий", "Ólafur", "Sigrún",
];

#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "Smith", "Jones", "Brown", "Taylor", "Wilson", "Evans", "Thomas", "Roberts", "Walker",
    "Wright", "Green", "Hall", "Wood", "Harris", "Martin", "Clarke", "Jackson", "Turner", "Hill",
    "Moore", "Cooper", "Ward", "King", "Baker", "Parker", "Young", "Allen", "Mitchell", "Bell",
    "Carter", "Morris", "Cook", "Bailey", "Miller", "Davis", "Garcia", "Lopez", "Silva", "Costa",
    "Rossi", "Bianchi", "Ferrari", "Novak", "Kowalski", "Nowak", "Petrov", "Ivanova", "Schmidt",
    "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Schulz", "Dubois", "Laurent", "Moreau",
    "Lefebvre", "Girard", "Bonnet", "Jansen", "Visser", "Bakker", "Andersen", "Nielsen", "Hansen",
    "Larsen", "Johansson", "Lindqvist", "Nyström", "Virtanen", "Korhonen", "Tanaka", "Suzuki",
    "Sato", "Kim", "Park", "Lee", "Chen", "Wang", "Nguyen", "Singh", "Patel", "Khan", "Ali",
    "Haddad", "Cohen", "Levi", "O'Brien", "O'Connor", "D'Angelo", "McCartney", "MacLeod",
    "Fitzgerald", "Gallagher", "Sullivan", "Murphy", "Byrne", "Walsh", "Doyle", "Quinn", "Müller",
    "Schäfer", "Gómez", "Peña", "Núñez", "Pérez", "Sjöberg", "Øvergaard", "Dvořák", "Иванов",
    "Смирнов", "やまだ", "Ferreira", "Gonçalves", "Da Silva",
];

#[rustfmt::skip]
const PLACES: &[&str] = &[
    "Paris", "Berlin", "Lisbon", "Tokyo", "Memphis", "Detroit", "Manchester", "Bristol", "Oslo",
    "Reykjavik", "Havana", "Lagos", "Seoul", "Kyoto", "Vienna", "Prague", "Warsaw", "Athens",
    "Cairo", "Mumbai", "Sydney", "Auckland", "Montreal", "Chicago", "Seattle", "Brooklyn",
    "Nashville", "Austin", "Glasgow", "Dublin", "Helsinki", "Madrid", "Sevilla", "Napoli",
    "Istanbul", "Tbilisi", "Bogotá", "São Paulo", "Montréal", "Zürich", "København",
];

/// An artist's name: unique for each ordinal. Patterns rotate with the ordinal; past a
/// pattern's capacity a number is appended. A few names hold a quoted nickname, as
/// `Lee "Scratch" Perry` does.
pub(crate) fn artist_name(seed: u64, ordinal: u64) -> String {
    let pattern = ordinal % 5;
    let j = ordinal / 5;
    let pick = |list: &[&str], n: u64| list[(n % list.len() as u64) as usize].to_owned();
    let (mut name, capacity) = match pattern {
        0 => {
            let (a, n) = (j % ADJECTIVES.len() as u64, j / ADJECTIVES.len() as u64);
            (
                format!("The {} {}", pick(ADJECTIVES, a), pick(NOUNS, n)),
                (ADJECTIVES.len() * NOUNS.len()) as u64,
            )
        }
        1 => {
            let (f, l) = (j % FIRST_NAMES.len() as u64, j / FIRST_NAMES.len() as u64);
            (
                format!("{} {}", pick(FIRST_NAMES, f), pick(LAST_NAMES, l)),
                (FIRST_NAMES.len() * LAST_NAMES.len()) as u64,
            )
        }
        2 => {
            let (a, n) = (j % ADJECTIVES.len() as u64, j / ADJECTIVES.len() as u64);
            (
                format!("{}{}", pick(ADJECTIVES, a), pick(NOUNS, n).to_lowercase()),
                (ADJECTIVES.len() * NOUNS.len()) as u64,
            )
        }
        3 => {
            let (f, n) = (j % FIRST_NAMES.len() as u64, j / FIRST_NAMES.len() as u64);
            (
                format!("{} & the {}", pick(FIRST_NAMES, f), pick(NOUNS, n)),
                (FIRST_NAMES.len() * NOUNS.len()) as u64,
            )
        }
        _ => {
            let (n, p) = (j % NOUNS.len() as u64, j / NOUNS.len() as u64);
            (
                format!("{} of {}", pick(NOUNS, n), pick(PLACES, p)),
                (NOUNS.len() * PLACES.len()) as u64,
            )
        }
    };
    let round = j / capacity;
    if round > 0 {
        name.push(' ');
        name.push_str(&(round + 1).to_string());
    }
    // About one name in a thousand holds a nickname in double quotes (real: 16 of 17,632).
    // Inserted after the first word, so the name without it is still the unique base name.
    if mix(seed ^ 0x5155_4F54, ordinal).is_multiple_of(1_000) {
        let nickname = pick(ADJECTIVES, mix(seed, ordinal) >> 8);
        let at = name.find(' ').unwrap_or(name.len());
        name.insert_str(at, &format!(" \"{nickname}\""));
    }
    name
}

/// The artist's Last.fm page: the name with spaces as `+` and other bytes percent-encoded.
pub(crate) fn artist_url(name: &str) -> String {
    let mut url = String::with_capacity(25 + name.len() * 2);
    url.push_str("http://www.last.fm/music/");
    for &b in name.as_bytes() {
        match b {
            b' ' => url.push('+'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                url.push(char::from(b));
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

/// The artist's picture URL, or empty for about 2.5 % of artists (real: 444 of 17,632).
pub(crate) fn picture_url(seed: u64, id: u64) -> String {
    let h = mix(seed ^ 0x5049_4354, id);
    if h % 10_000 < 252 {
        return String::new();
    }
    // Extensions as measured: 13,972 jpg, 2,978 png, 238 gif.
    let ext = match (h >> 16) % 1_000 {
        0..=812 => "jpg",
        813..=985 => "png",
        _ => "gif",
    };
    format!(
        "http://userserve-ak.last.fm/serve/252/{}.{ext}",
        (h >> 24) % 66_000_000 + 1_000
    )
}

/// The most used tags come first: the Pitman-Yor process creates the popular tags early.
#[rustfmt::skip]
const GENRES: &[&str] = &[
    "rock", "pop", "alternative", "electronic", "indie", "female vocalists", "80s", "dance",
    "alternative rock", "classic rock", "british", "indie rock", "singer-songwriter", "hard rock",
    "experimental", "metal", "ambient", "90s", "new wave", "seen live", "chillout", "hip-hop",
    "punk", "folk", "electronica", "rnb", "soul", "jazz", "instrumental", "progressive rock",
    "heavy metal", "psychedelic", "post-punk", "soundtrack", "synthpop", "industrial",
    "death metal", "black metal", "thrash metal", "gothic", "emo", "hardcore", "blues", "country",
    "reggae", "funk", "disco", "trip-hop", "downtempo", "house", "techno", "trance",
    "drum and bass", "dubstep", "grunge", "britpop", "shoegaze", "post-rock", "noise", "lo-fi",
    "garage", "ska", "latin", "bossa nova", "mpb", "j-pop", "k-pop", "visual kei", "classical",
    "opera", "world", "new age", "acoustic", "love", "favorites", "beautiful", "awesome", "cover",
    "live", "guitar", "piano", "male vocalists", "american", "german", "french", "swedish",
    "japanese", "brazilian", "polish", "russian", "spanish", "italian", "canadian", "irish",
];

#[rustfmt::skip]
const TAG_MODIFIERS: &[&str] = &[
    "dark", "post", "math", "melodic", "symphonic", "atmospheric", "experimental", "psychedelic",
    "minimal", "acoustic", "avant-garde", "neo", "nu", "proto", "retro", "modern", "prog", "early",
    "underground", "epic", "dreamy", "raw", "brutal", "technical", "chill", "uplifting", "sad",
    "happy", "angry", "romantic", "lush", "sparse", "hypnotic", "cinematic", "finnish",
    "norwegian", "danish", "dutch", "belgian", "austrian", "swiss", "czech", "hungarian", "greek",
    "turkish", "israeli", "mexican", "argentinian", "chilean", "colombian", "cuban", "korean",
    "chinese", "indian", "african", "australian", "scottish", "welsh", "texas", "california",
    "detroit", "chicago", "london", "berlin", "seattle", "tokyo", "60s", "70s", "00s", "2010s",
    "instrumental", "female-fronted", "all-female", "one-man", "bedroom", "stoner", "sludge",
    "doom", "gothic", "christian",
];

#[rustfmt::skip]
const TAG_QUALIFIERS: &[&str] = &[
    "best of", "my", "favourite", "essential", "loved", "guilty pleasure", "summer", "winter",
    "night", "morning", "road trip", "workout", "rainy day", "sunday", "party", "study",
    "heartbreak", "nostalgic", "underrated", "overrated", "forgotten", "discovered", "vinyl",
    "radio", "festival", "club", "lounge", "cafe", "wedding", "driving", "sleep", "focus",
];

/// Words written in ISO-8859-1 in tags.dat, as the real file's `tropic\xe1lia` is.
#[rustfmt::skip]
const LATIN1_WORDS: &[&str] = &[
    "tropicália", "français", "español", "fußball", "mágico", "düsseldorf", "ärzte", "legião",
    "canción", "chanson française", "música", "brasileño",
];

/// A tag's value: unique for each ordinal, and the flag saying it is written in ISO-8859-1.
/// Ordinals run over genres, then modifier + genre, then qualifier + modifier + genre, then a
/// numbered round of the same.
pub(crate) fn tag_value(seed: u64, ordinal: u64) -> (String, bool) {
    let (g, m, q) = (
        GENRES.len() as u64,
        TAG_MODIFIERS.len() as u64,
        TAG_QUALIFIERS.len() as u64,
    );
    let mut value = if ordinal < g {
        GENRES[ordinal as usize].to_owned()
    } else if ordinal < g + g * m {
        let j = ordinal - g;
        format!(
            "{} {}",
            TAG_MODIFIERS[(j / g) as usize],
            GENRES[(j % g) as usize]
        )
    } else {
        let j = ordinal - g - g * m;
        let round = j / (g * m * q);
        let j = j % (g * m * q);
        let mut v = format!(
            "{}: {} {}",
            TAG_QUALIFIERS[(j / (g * m)) as usize],
            TAG_MODIFIERS[(j / g % m) as usize],
            GENRES[(j % g) as usize]
        );
        if round > 0 {
            v.push_str(&format!(" {}", round + 1));
        }
        v
    };
    // A Latin-1 word before an ASCII value keeps the value unique: no other value starts with
    // a non-ASCII word.
    let draw = (mix(seed ^ 0x4C41_5431, ordinal) % 1_000_000) as f64;
    let latin1 = ordinal >= g && draw < crate::fit::tagging::LATIN1_SHARE * 1e6;
    if latin1 {
        let word = LATIN1_WORDS[(mix(seed, ordinal) % LATIN1_WORDS.len() as u64) as usize];
        value = format!("{word} {value}");
    }
    (value, latin1)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn artist_names_are_unique_past_every_patterns_capacity() {
        let names: Vec<String> = (0..400_000).map(|i| artist_name(7, i)).collect();
        let distinct: HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), names.len());
        assert!(names.iter().all(|n| !n.chars().any(char::is_control)));
        assert!(
            names.iter().any(|n| n.contains('"')),
            "some names are quoted"
        );
        assert!(
            names.iter().any(|n| n.contains('\'')),
            "some hold apostrophes"
        );
        let non_ascii = names.iter().filter(|n| !n.is_ascii()).count();
        assert!(
            (0.03..0.2).contains(&(non_ascii as f64 / names.len() as f64)),
            "{non_ascii} non-ASCII names"
        );
    }

    #[test]
    fn tag_values_are_unique_and_a_few_are_latin1() {
        let values: Vec<(String, bool)> = (0..300_000).map(|i| tag_value(3, i)).collect();
        let distinct: HashSet<&String> = values.iter().map(|(v, _)| v).collect();
        assert_eq!(distinct.len(), values.len());
        let latin1: Vec<&String> = values.iter().filter(|(_, l)| *l).map(|(v, _)| v).collect();
        assert!(
            !latin1.is_empty() && latin1.len() < 1_000,
            "{}",
            latin1.len()
        );
        for value in latin1 {
            assert!(value.chars().all(|c| (c as u32) < 256) && !value.is_ascii());
        }
        // Only the flagged values leave ASCII: every other line of tags.dat is UTF-8 and ASCII.
        assert!(values.iter().all(|(v, l)| *l || v.is_ascii()));
        // One line, one field: no control character (a line break would split the row).
        assert!(values.iter().all(|(v, _)| !v.chars().any(char::is_control)));
    }

    #[test]
    fn urls_encode_what_is_not_plain() {
        assert_eq!(
            artist_url("Herman's Hermits & Co"),
            "http://www.last.fm/music/Herman%27s+Hermits+%26+Co"
        );
        assert_eq!(
            artist_url("Röyksopp"),
            "http://www.last.fm/music/R%C3%B6yksopp"
        );
    }
}
