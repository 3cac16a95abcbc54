//! Three-valued (Kleene) logic: a blank or invalid cell makes what reads it
//! unknown, never true or false.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tri {
    #[serde(rename = "fail")]
    False,
    Unknown,
    #[serde(rename = "pass")]
    True,
}

impl Tri {
    pub fn from_bool(b: bool) -> Tri {
        if b { Tri::True } else { Tri::False }
    }

    pub fn and(self, other: Tri) -> Tri {
        self.min(other)
    }

    pub fn or(self, other: Tri) -> Tri {
        self.max(other)
    }

    pub fn negate(self) -> Tri {
        match self {
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
            Tri::True => Tri::False,
        }
    }

    /// The verdict word used in JSON: `pass`, `fail` or `unknown`.
    pub fn word(self) -> &'static str {
        match self {
            Tri::False => "fail",
            Tri::Unknown => "unknown",
            Tri::True => "pass",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tri::*;

    #[test]
    fn kleene_tables() {
        assert_eq!(True.and(Unknown), Unknown);
        assert_eq!(False.and(Unknown), False);
        assert_eq!(True.or(Unknown), True);
        assert_eq!(False.or(Unknown), Unknown);
        assert_eq!(Unknown.negate(), Unknown);
        assert_eq!(False.negate(), True);
    }
}
