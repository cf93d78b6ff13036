//! Values written as strings in input files (an event name, a track, a date), deserialized so
//! that an error points at the string itself.

use std::fmt;

/// Deserialize a string through `parse`, inside the deserializer's own string handling, so that
/// an error is positioned right after the offending string.
///
/// With serde_json, an error raised after `String::deserialize` returns is positioned where the
/// enclosing object ends, which for its last field is past the closing brace and would lose the
/// field's path (see `input::source`, which finds the path from the position).
pub(crate) fn deserialize_parsed<'de, D, T, E>(
    d: D,
    expecting: &'static str,
    parse: fn(&str) -> Result<T, E>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    E: fmt::Display,
{
    struct V<T, E> {
        expecting: &'static str,
        parse: fn(&str) -> Result<T, E>,
    }
    impl<T, E: fmt::Display> serde::de::Visitor<'_> for V<T, E> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<Er: serde::de::Error>(self, v: &str) -> Result<T, Er> {
            (self.parse)(v).map_err(Er::custom)
        }
    }
    d.deserialize_str(V { expecting, parse })
}
