//! Selections, keys, packed words and group rows of a list's evaluation.

use super::outcome::group_rows;
use super::*;
use crate::data::Cell;

#[test]
fn one_look_at_the_proposal_gives_each_selection() {
    // For every cell a proposal column can hold, in an optional and a
    // required column, the memo set from one look equals what each
    // award's `where` finds.
    for ty in ["DeNghi?", "DeNghi"] {
        let text = format!(
            "rules \"t\" effective 2025-01-01\n\
             enum DeNghi {{\n  A = \"Loại A\"\n  B = \"Loại B\"\n}}\n\
             table t \"T\" key ma {{\n  ma text \"Mã\"\n  de_nghi {ty} \"Đề nghị\"\n}}\n\
             award A \"A\" for t where de_nghi = A {{\n  require x: ma is not none \"x\"\n}}\n\
             award B \"B\" for t where de_nghi = B {{\n  require x: ma is not none \"x\"\n}}\n"
        );
        let rules = crate::semantic::load_text("t.tdkt", &text, &[]).unwrap();
        let linked = Linked::default();
        let mut judge = Judge::new(&rules.plan, 0, &linked, Keep::All);
        assert!(judge.by_proposal.is_some(), "{ty}");
        for cell in [Cell::Enum(0), Cell::Enum(1), Cell::Blank, Cell::Invalid] {
            let row = Row {
                cells: vec![Cell::Text, cell.clone()],
                texts: vec!["1".into(), String::new()],
                ..Row::default()
            };
            judge.memo.reset();
            judge.propose_by_value(&row);
            for a in 0..2 {
                let mut fresh = Memo::new(2);
                assert_eq!(
                    judge.ev.proposed(a, &row, &mut judge.memo),
                    judge.ev.proposed(a, &row, &mut fresh),
                    "{ty}, {cell:?}, award {a}"
                );
            }
        }
    }
}

#[test]
fn rows_whose_keys_are_not_recorded_are_a_data_issue() {
    let text = "rules \"t\" effective 2025-01-01\n\
                table t \"T\" key ma {\n  ma text \"Mã\"\n}\n";
    let rules = crate::semantic::load_text("t.tdkt", text, &[]).unwrap();
    let table = &rules.plan.tables[0];
    let mut reader = TableReader::from_bytes("t.csv", "Mã\nA\nB\nA\n".into(), table, &[]).unwrap();
    let linked = Linked::default();
    let mut te = TableEval::new(&rules.plan, 0, &linked, Keep::All);
    reader.set_eager_texts(&te.eager_texts());
    let filler = reader.text_filler();
    let mut judge = te.judge(1);
    let (mut row, mut issues) = (Row::default(), Vec::new());
    while reader.read_row(&mut row, &mut issues).unwrap() {
        judge.row(&mut row, &filler);
    }
    // As if these rows came after four billion others.
    let base = u64::from(u32::MAX);
    te.absorb(judge.take(&filler), base);
    let outcome = te.finish(1, &filler);
    let said: Vec<(u64, &str)> = outcome
        .issues
        .iter()
        .map(|i| (i.row, i.column.as_str()))
        .collect();
    // The first row under the header is row 2; no repeat is reported.
    assert_eq!(said, vec![(base + 2, "ma")], "{:?}", outcome.issues);
    assert!(outcome.issues[0].message.contains("không được dò trùng"));
}

#[test]
fn packed_words_give_back_slot_and_sides() {
    let sides = [Tri::False, Tri::True, Tri::Unknown];
    for slot in [0, 1, 4095, UNLOGGED_SLOT - 1] {
        for num in sides {
            for den in sides {
                let word = pack(slot, num, den).unwrap();
                assert_eq!(unpack(word), (slot, num, den));
            }
        }
    }
    assert_eq!(pack(UNLOGGED_SLOT, Tri::True, Tri::True), None);
}

#[test]
fn rows_of_listed_groups_only_in_row_order() {
    let w = |slot, num, den| pack(slot, num, den).unwrap();
    let log = [
        (w(1, Tri::True, Tri::True), 2),
        (w(0, Tri::False, Tri::True), 3),
        (w(1, Tri::Unknown, Tri::True), 5),
        (w(1, Tri::False, Tri::Unknown), 8),
        (w(0, Tri::True, Tri::True), 9),
    ];
    let rows = group_rows(&log, &[false, true]);
    assert_eq!(rows[0], (vec![], vec![], vec![]));
    assert_eq!(rows[1], (vec![2], vec![2, 5], vec![5, 8]));
    let rows = group_rows(&log, &[true, true]);
    assert_eq!(rows[0], (vec![9], vec![3, 9], vec![]));
}
