//! "Did you mean" hints for unknown names.

/// The closest candidate to `name`, if it is close enough to be a typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let name = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_levenshtein(&name, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A help line: "ý bạn là `x`?" or the list of what exists.
pub fn hint<'a>(
    name: &str,
    what: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> String {
    match closest(name, candidates.clone()) {
        Some(c) => format!("ý bạn là `{c}`?"),
        None => {
            let all: Vec<&str> = candidates.into_iter().take(12).collect();
            if all.is_empty() {
                format!("chưa có {what} nào được khai báo")
            } else {
                format!(
                    "các {what} đã khai báo: {}",
                    all.iter()
                        .map(|c| format!("`{c}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        }
    }
}
