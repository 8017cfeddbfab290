//! A list entry's `feature_access`, kept compactly: 10,000 users each carry
//! about seven (area, level) pairs drawn from a dozen words, and a
//! `BTreeMap<String, String>` spent ~650 bytes on each of them (a tree node
//! plus fourteen tiny strings) — the largest part of the dashboard's memory
//! (docs/PERFORMANCE.md). Here the pairs sit in one boxed slice, sorted by
//! area, and a word Brevo is known to send is a one-byte index into a table;
//! anything else is kept as it came, in its own box. It reads like the map
//! it replaces: `get`, `iter`, `keys`, `values`, `len`, in key order.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The `feature_access` areas the live API sends for members (spec §2.5);
/// the mock sends the same.
pub const LIVE_ACCESS_AREAS: [&str; 7] = [
    "marketing",
    "conversations",
    "crm",
    "transactional",
    "phone",
    "meetings",
    "sequences",
];

/// The levels seen or documented. Only a memory saving, as the areas are
/// here: a word in neither table is stored as it came.
const LEVELS: [&str; 8] = [
    "none", "full", "custom", "owner", "admin", "all", "basic", "view",
];

/// The known words: an index below 7 is an area, above it a level.
fn known(at: usize) -> Option<&'static str> {
    LIVE_ACCESS_AREAS
        .get(at)
        .or_else(|| LEVELS.get(at.checked_sub(LIVE_ACCESS_AREAS.len())?))
        .copied()
}

fn known_index(text: &str) -> Option<u8> {
    let at = LIVE_ACCESS_AREAS
        .iter()
        .position(|k| *k == text)
        .or_else(|| {
            LEVELS
                .iter()
                .position(|k| *k == text)
                .map(|at| at + LIVE_ACCESS_AREAS.len())
        })?;
    u8::try_from(at).ok()
}

/// A word of `feature_access`: 16 bytes (the box's non-null pointer leaves
/// room for the index).
#[derive(Clone, PartialEq, Eq)]
enum Word {
    Known(u8),
    Other(Box<str>),
}

impl Word {
    fn new(text: &str) -> Self {
        match known_index(text) {
            Some(at) => Self::Known(at),
            None => Self::Other(text.into()),
        }
    }

    fn from_string(text: String) -> Self {
        match known_index(&text) {
            Some(at) => Self::Known(at),
            None => Self::Other(text.into_boxed_str()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Self::Known(at) => known(usize::from(*at)).unwrap_or_default(),
            Self::Other(text) => text,
        }
    }
}

/// `feature_access`: area → level, unique areas in ascending order (as the
/// map it replaces iterated). An area sent twice keeps its last level.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FeatureAccess {
    pairs: Box<[(Word, Word)]>,
}

impl FeatureAccess {
    pub fn new() -> Self {
        Self::default()
    }

    /// The level of `area`, if Brevo sent one.
    pub fn get(&self, area: &str) -> Option<&str> {
        self.pairs
            .binary_search_by(|(key, _)| key.as_str().cmp(area))
            .ok()
            .and_then(|at| self.pairs.get(at))
            .map(|(_, value)| value.as_str())
    }

    pub fn contains_key(&self, area: &str) -> bool {
        self.get(area).is_some()
    }

    /// (area, level) in ascending order of area.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.pairs.iter().map(|(k, _)| k.as_str())
    }

    pub fn values(&self) -> impl Iterator<Item = &str> + '_ {
        self.pairs.iter().map(|(_, v)| v.as_str())
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Sorted by area, the last of equal areas kept (a map's `insert`).
    fn from_pairs(mut pairs: Vec<(Word, Word)>) -> Self {
        // Stable: equal areas stay in arrival order, so the last one wins.
        pairs.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        let mut unique: Vec<(Word, Word)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match unique.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => unique.push(pair),
            }
        }
        Self {
            pairs: unique.into_boxed_slice(),
        }
    }
}

impl fmt::Debug for FeatureAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for FeatureAccess {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self::from_pairs(
            iter.into_iter()
                .map(|(k, v)| (Word::new(k.as_ref()), Word::new(v.as_ref())))
                .collect(),
        )
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> From<[(K, V); N]> for FeatureAccess {
    fn from(pairs: [(K, V); N]) -> Self {
        pairs.into_iter().collect()
    }
}

impl From<BTreeMap<String, String>> for FeatureAccess {
    fn from(map: BTreeMap<String, String>) -> Self {
        map.into_iter().collect()
    }
}

impl Serialize for FeatureAccess {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self.iter() {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// An object of strings, exactly as `BTreeMap<String, String>` read it.
impl<'de> Deserialize<'de> for FeatureAccess {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pairs;
        impl<'de> Visitor<'de> for Pairs {
            type Value = FeatureAccess;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of strings")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                // A hostile size hint must not reserve much.
                let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0).min(16));
                while let Some((key, value)) = map.next_entry::<Text, Text>()? {
                    pairs.push((key.0, value.0));
                }
                Ok(FeatureAccess::from_pairs(pairs))
            }
        }
        deserializer.deserialize_map(Pairs)
    }
}

/// A string read without a copy when the input allows it.
struct Text(Word);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Words;
        impl Visitor<'_> for Words {
            type Value = Text;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Text, E> {
                Ok(Text(Word::new(text)))
            }

            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Text, E> {
                Ok(Text(Word::from_string(text)))
            }
        }
        deserializer.deserialize_str(Words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_takes_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<Word>(), 16);
    }

    #[test]
    fn every_known_word_comes_back_as_itself() {
        for word in LIVE_ACCESS_AREAS.iter().chain(&LEVELS) {
            assert!(matches!(Word::new(word), Word::Known(_)), "{word}");
            assert_eq!(Word::new(word).as_str(), *word);
        }
        assert_eq!(Word::new("Full").as_str(), "Full");
    }

    #[test]
    fn it_reads_like_the_map_it_replaced() {
        let access: FeatureAccess = serde_json::from_str(
            r#"{"crm":"none","marketing":"full","zz\u00e9":"od\"d","crm":"custom"}"#,
        )
        .expect("decodes");
        let map: BTreeMap<String, String> = serde_json::from_str(
            r#"{"crm":"none","marketing":"full","zz\u00e9":"od\"d","crm":"custom"}"#,
        )
        .expect("decodes");
        assert_eq!(access, FeatureAccess::from(map.clone()));
        assert!(
            access
                .iter()
                .eq(map.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        );
        assert_eq!(access.get("crm"), Some("custom"));
        assert_eq!(access.get("zzé"), Some("od\"d"));
        assert_eq!(access.get("phone"), None);
        assert_eq!(
            serde_json::to_string(&access).expect("encodes"),
            serde_json::to_string(&map).expect("encodes")
        );
    }

    #[test]
    fn what_a_map_refused_it_refuses() {
        for body in [r#"{"crm":1}"#, r#"["crm"]"#, r#"{"crm":null}"#] {
            assert!(
                serde_json::from_str::<FeatureAccess>(body).is_err(),
                "{body}"
            );
            assert!(
                serde_json::from_str::<BTreeMap<String, String>>(body).is_err(),
                "{body}"
            );
        }
    }
}
