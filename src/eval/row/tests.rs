//! Conditions on one row: unknown branches and several proposals.

use super::*;

/// A one-table rule set: `x` and `y` are optional bools, `de_nghi` a
/// proposal; award `A` reads `any of { x, y }`.
fn rules() -> crate::semantic::RuleSet {
    let text = "rules \"t\" effective 2025-01-01\n\
                enum DeNghi {\n  A = \"Loại A\"\n  B = \"Loại B\"\n}\n\
                table t \"T\" key ma {\n  ma text \"Mã\"\n  x bool \"X\"\n  y bool \"Y\"\n  de_nghi DeNghi? \"Đề nghị\"\n}\n\
                award A \"A\" for t where de_nghi = A {\n  require c: any of {\n    x \"x\"\n    y \"y\"\n  }\n    \"x hoặc y\"\n}\n\
                award B \"B\" for t where de_nghi = B {\n  require c: x \"x\"\n}\n";
    crate::semantic::load_text("t.tdkt", text, &[]).unwrap()
}

fn row(x: Cell, y: Cell, proposal: u16) -> Row {
    Row {
        cells: vec![Cell::Text, x, y, Cell::Enum(proposal)],
        texts: vec!["1".into(), String::new(), String::new(), String::new()],
        ..Row::default()
    }
}

#[test]
fn any_of_is_unknown_when_one_branch_fails_and_another_is_unknown() {
    let rules = rules();
    let linked = super::super::linked::Linked::default();
    let ev = RowEval::new(&rules.plan, 0, &linked);
    let any = &rules.plan.awards[0].criteria[0].cond;
    let mut memo = Memo::new(2);
    let t = Cell::Bool(true);
    let f = Cell::Bool(false);
    let cases = [
        (f.clone(), Cell::Invalid, Tri::Unknown),
        (Cell::Absent, f.clone(), Tri::Unknown),
        (f.clone(), f.clone(), Tri::False),
        (Cell::Invalid, t.clone(), Tri::True),
        (t.clone(), Cell::Absent, Tri::True),
    ];
    for (x, y, want) in cases {
        memo.reset();
        let r = row(x.clone(), y.clone(), 0);
        assert_eq!(ev.cond(any, &r, &mut memo), want, "{x:?} {y:?}");
    }
}

#[test]
fn a_cell_naming_several_proposals_is_read_as_each() {
    let rules = rules();
    let linked = super::super::linked::Linked::default();
    let ev = RowEval::new(&rules.plan, 0, &linked);
    let proposed_b = Cond::Proposed(1);
    // The row read as its first proposal (A); the cell also named B.
    let mut r = row(Cell::Bool(true), Cell::Bool(false), 0);
    assert_eq!(ev.cond_person(&proposed_b, &r), Tri::False);
    r.several = Some((3, vec![0, 1]));
    assert_eq!(ev.cond_person(&proposed_b, &r), Tri::True);
    // What does not read the proposal is read once, the same.
    let both = Cond::And(Box::new(proposed_b), Box::new(Cond::Meets(1)));
    assert_eq!(ev.cond_person(&both, &r), Tri::True);
    r.cells[1] = Cell::Bool(false);
    assert_eq!(ev.cond_person(&both, &r), Tri::False);
}
