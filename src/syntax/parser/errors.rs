//! Syntax errors worded for people: what pest expected, in Vietnamese,
//! with a hint when a likely cause is known.

use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use crate::syntax::hints;

/// Turns a pest error into a diagnostic with Vietnamese wording.
pub(super) fn syntax_error(file: FileId, text: &str, e: pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let (message, help) = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<String> = positives.iter().map(|r| rule_name(*r)).collect();
            names.sort();
            names.dedup();
            let found = e
                .line()
                .get(e.line_col_pos()..)
                .unwrap_or("")
                .chars()
                .take(12)
                .collect::<String>();
            let found = found.split_whitespace().next().unwrap_or("").to_string();
            if let Some(d) = hints::cause(file, text, start, &found) {
                return d;
            }
            let msg = if found.is_empty() {
                "cú pháp không hợp lệ: gặp cuối dòng hoặc cuối tệp".to_string()
            } else {
                format!("cú pháp không hợp lệ tại `{found}`")
            };
            let expected = format!("cần: {}", names.join(", "));
            let help = match hints::nearest_keyword(&found, &names) {
                Some(near) => format!("{near} ({expected})"),
                None => expected,
            };
            (msg, Some(help))
        }
        ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    Diagnostic::error("E-syntax", Span::new(file, start, end.max(start)), message)
        .label("ở đây")
        .with_help(help)
}

trait LineColPos {
    fn line_col_pos(&self) -> usize;
}

impl LineColPos for pest::error::Error<Rule> {
    /// Byte offset of the error column within `line()`.
    fn line_col_pos(&self) -> usize {
        let col = match self.line_col {
            pest::error::LineColLocation::Pos((_, c))
            | pest::error::LineColLocation::Span((_, c), _) => c,
        };
        self.line()
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(self.line().len(), |(i, _)| i)
    }
}

/// What a grammar rule is called in a message.
fn rule_name(rule: Rule) -> String {
    let name = match rule {
        Rule::ident => "một tên",
        Rule::string => "một chuỗi \"…\"",
        Rule::expr => "một biểu thức",
        Rule::cite => "`cite NGUỒN \"Điều …\"`",
        Rule::criterion => "`require`",
        Rule::column => "một cột",
        Rule::derived => "`= count(…)`",
        Rule::enum_value => "một giá trị `MÃ = \"nhãn\"`",
        Rule::EOI => "hết tệp",
        Rule::int_lit | Rule::decimal_lit => "một số",
        Rule::percent_lit => "một tỷ lệ phần trăm (vd. `15%`)",
        Rule::date_lit => "một ngày `yyyy-mm-dd`",
        Rule::rounding_mode => "`down`, `up`, `half-up` hoặc `exact`",
        Rule::le | Rule::ge | Rule::lt | Rule::gt => "`<=`, `>=`, `<` hoặc `>`",
        Rule::eq
        | Rule::ne
        | Rule::implies
        | Rule::or
        | Rule::and
        | Rule::add
        | Rule::sub
        | Rule::share_of => "một toán tử",
        Rule::in_set | Rule::in_linked | Rule::is_none | Rule::is_not_none => {
            "`in {…}` hoặc `is none`"
        }
        Rule::branch => "một nhánh `BIỂU_THỨC \"nhãn\"`",
        Rule::count_expr => "`count(…)`",
        Rule::rate_body => "`count(…) <= P of count(…)`",
        Rule::verdict => "`pass`, `fail`, `unknown` hoặc `pending`",
        Rule::example_row | Rule::expect => "một dòng ví dụ hoặc `expect`",
        Rule::example_field => "`cột: giá trị`",
        Rule::header => "`rules \"…\"`",
        Rule::extends_decl => "`extends`",
        Rule::source_decl => "`source`",
        Rule::enum_decl => "`enum`",
        Rule::table_decl => "`table`",
        Rule::param_decl => "`param`",
        Rule::award_decl => "`award`",
        Rule::rate_decl => "`rate`",
        Rule::target_decl => "`target`",
        Rule::example_decl => "`example`",
        Rule::default_value => "`default`",
        Rule::column_aliases => "`alias \"…\"`",
        Rule::absent_value => "`absent`",
        Rule::rounding => "`rounding`",
        Rule::ordered => "`ordered`",
        Rule::optional_mark => "`?`",
        Rule::criterion_name => "`tên:`",
        Rule::criterion_mode => "`require` hoặc `replace`",
        other => {
            let debug = format!("{other:?}");
            return match debug.strip_prefix("kw_") {
                Some(word) => format!("`{word}`"),
                None => "một từ khóa".to_string(),
            };
        }
    };
    name.to_string()
}
