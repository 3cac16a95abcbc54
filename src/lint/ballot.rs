//! `L-ballot-default`: a ballot criterion reading a column that has a
//! `default` or `absent` value never waits for the vote: before the
//! ballot its blank cells read as that value (votes `default 0` would fail
//! every candidate the council has not voted on yet).

use crate::diagnostic::Diagnostic;
use crate::semantic::RuleSet;

pub fn check(rules: &RuleSet, out: &mut Vec<Diagnostic>) {
    let plan = &rules.plan;
    for award in &rules.ast.awards {
        let Some(def) = plan.award(&award.id.name).map(|a| &plan.awards[a]) else {
            continue;
        };
        let table = &plan.tables[def.table];
        let filled: Vec<&str> = table
            .columns
            .iter()
            .filter(|c| c.ballot && (c.default.is_some() || c.absent.is_some()))
            .map(|c| c.header.as_str())
            .collect();
        if filled.is_empty() {
            continue;
        }
        for c in award.criteria.iter().filter(|c| c.ballot) {
            out.push(
                Diagnostic::warning(
                    "L-ballot-default",
                    c.expr.span,
                    format!(
                        "tiêu chí bỏ phiếu đọc cột có giá trị mặc định: «{}»",
                        filled.join("», «")
                    ),
                )
                .label("ô trống không còn là chưa bỏ phiếu")
                .help("bỏ `default`/`absent` ở các cột kết quả bỏ phiếu: ô trống trước phiên họp phải là chờ bỏ phiếu"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::semantic::{RuleSet, load_text};

    fn lint(text: &str) -> Vec<String> {
        let rules: RuleSet = load_text("t.tdkt", text, &[]).expect("loads");
        crate::lint::lint(&rules)
            .into_iter()
            .map(|d| d.code.to_string())
            .collect()
    }

    const BASE: &str = r#"
rules "t"
source s = "S"
table ca_nhan "DS" key ma {
  ma text "Mã"
  phieu int DEFAULT "Số phiếu đồng ý"
  tv int "Số thành viên Hội đồng"
}
award A "A" for ca_nhan where tv > 0 {
  require ballot p: phieu >= 80% of tv "Phiếu" cite s "Điều 1"
}
"#;

    #[test]
    fn a_vote_column_with_a_default_is_flagged() {
        let with = BASE.replace(
            "int DEFAULT \"Số phiếu đồng ý\"",
            "int \"Số phiếu đồng ý\" default 0",
        );
        assert!(lint(&with).contains(&"L-ballot-default".to_string()));
        let without = BASE.replace(" DEFAULT", "");
        assert!(!lint(&without).contains(&"L-ballot-default".to_string()));
    }
}
