//! Several proposals for one person: two rows with the same staff code, or
//! one cell naming several. Each (person, proposal) is a candidate; the same
//! proposal twice is a data error; a rate counts proposals where it counts
//! proposals and people once where it counts people (a person on two rows
//! where people are counted is said to be counted twice).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::num::NonZeroUsize;
use std::path::PathBuf;
use tdkt::report::model::{Group, Report};
use tdkt::{Check, ListSource, Rules};

const HEADER: &str = "Mã cán bộ;Họ tên;Đơn vị;Lãnh đạo, quản lý;Xếp loại;Số tháng công tác;\
                      Hình thức kỷ luật;Đang xem xét kỷ luật;Sáng kiến;Hình thức đề nghị\n";

fn check(rows: &str, threads: usize) -> Report {
    let rules = Rules::load(&[PathBuf::from("tests/fixtures/rules/tinh-thu.tdkt")], &[]).unwrap();
    Check::new(&rules)
        .list(ListSource::bytes(
            "ds.csv",
            format!("{HEADER}{rows}").into_bytes(),
        ))
        .unwrap()
        .threads(threads)
        .piece_size(NonZeroUsize::new(64))
        .run()
        .unwrap()
        .report
}

fn candidates(r: &Report) -> Vec<(u64, String, String)> {
    r.candidates
        .iter()
        .map(|c| (c.row, c.key.clone(), c.award.to_string()))
        .collect()
}

fn group<'r>(r: &'r Report, rule: &str, unit: &str) -> &'r Group {
    r.groups
        .iter()
        .find(|g| g.rule == rule && g.group == unit)
        .unwrap_or_else(|| panic!("{rule} {unit}: {:?}", r.groups))
}

#[test]
fn one_cell_naming_two_proposals_gives_two_candidates() {
    let rows = "CB1;A;P;Không;HTXS;12;Không;Không;Có;CSTĐCS; Giấy khen\n\
                CB2;B;P;Không;HTT;12;Không;Không;Không;\"Lao động tiên tiến\nGiấy khen\"\n\
                CB3;C;P;Không;HTT;12;Không;Không;Không;GK, LĐTT\n";
    // The first row's cell is split by the list's own `;`: quote it.
    let rows = rows.replacen("CSTĐCS; Giấy khen", "\"CSTĐCS; Giấy khen\"", 1);
    for threads in [1, 2] {
        let r = check(&rows, threads);
        assert_eq!(
            candidates(&r),
            [
                (2, "CB1".into(), "CSTDCS".into()),
                (2, "CB1".into(), "GK".into()),
                (3, "CB2".into(), "LDTT".into()),
                (3, "CB2".into(), "GK".into()),
                (4, "CB3".into(), "GK".into()),
                (4, "CB3".into(), "LDTT".into()),
            ],
            "{threads} threads"
        );
        assert!(r.data_errors.is_empty(), "{:?}", r.data_errors);
        // Three people, six proposals.
        assert_eq!(r.inputs[0].rows, 3);
        assert_eq!(r.summary.candidates, 6);
    }
}

#[test]
fn a_label_with_commas_is_one_proposal() {
    let rows = "CB1;A;P;Không;HTT;12;Không;Không;Không;\
                \"Giấy khen, Bằng khen (cấp bộ, ngành, tỉnh)\"\n";
    let r = check(rows, 1);
    let awards: Vec<String> = r.candidates.iter().map(|c| c.award.to_string()).collect();
    assert_eq!(awards, ["GK", "BK"], "{:?}", r.data_errors);
}

#[test]
fn a_cell_with_an_unknown_part_is_one_unreadable_proposal() {
    let rows = "CB1;A;P;Không;HTT;12;Không;Không;Không;\"GK; Huy hiệu\"\n";
    let r = check(rows, 1);
    assert_eq!(r.summary.candidates, 1);
    assert_eq!(r.candidates[0].award.as_ref(), "");
    assert_eq!(r.data_errors.len(), 1);
    assert_eq!(r.data_errors[0].column, "de_nghi");
}

#[test]
fn two_rows_of_one_person_are_no_repeat_the_same_proposal_twice_is() {
    let rows = "CB1;A;P;Không;HTXS;12;Không;Không;Có;CSTĐCS\n\
                CB1;A;P;Không;HTXS;12;Không;Không;Có;Giấy khen\n\
                CB2;B;P;Không;HTT;12;Không;Không;Không;LĐTT\n\
                CB2;B;P;Không;HTT;12;Không;Không;Không;Lao động tiên tiến\n";
    for threads in [1, 2] {
        let r = check(rows, threads);
        assert_eq!(r.summary.candidates, 4);
        let repeats: Vec<(u64, &str)> = r
            .data_errors
            .iter()
            .map(|e| (e.row, e.message.as_str()))
            .collect();
        // CB1's second row is no error, but the rate counting people who
        // meet LĐTT would count CB1 twice: the secretary is told, with the
        // shape that counts right.
        assert_eq!(
            repeats,
            [
                (
                    3,
                    "«CB1» cũng có ở dòng 2 (đề nghị khác): khi đếm số người («Chiến sĩ thi đua \
                     cơ sở không quá 15% số cá nhân đạt Lao động tiên tiến»), người này được \
                     đếm hai lần"
                ),
                (
                    5,
                    "«CB2» được đề nghị «Lao động tiên tiến» hai lần: dòng 4 và dòng này"
                )
            ],
            "{threads} threads"
        );
    }
}

#[test]
fn a_rate_counts_proposals_and_people_each_once() {
    // Unit P: seven people meeting LĐTT, one of them (CB1) proposed for
    // CSTĐCS and Giấy khen in one cell. 15 % of 7 is 1,05 → 1: CB1's
    // CSTĐCS is within the limit. Counted twice, CB1 would make the
    // denominator 8 and the Giấy khen rate would count two proposals.
    let mut rows = String::from("CB1;A;P;Không;HTXS;12;Không;Không;Có;\"CSTĐCS; Giấy khen\"\n");
    for i in 2..=7 {
        rows.push_str(&format!(
            "CB{i};N{i};P;Không;HTT;12;Không;Không;Không;LĐTT\n"
        ));
    }
    let r = check(&rows, 1);
    let cstdcs = group(&r, "CSTDCS_15", "P");
    assert_eq!((cstdcs.numerator, cstdcs.denominator), (1, 7), "{cstdcs:?}");
    let leaders = group(&r, "KHONG_LANH_DAO_50", "P");
    assert_eq!(
        (leaders.numerator, leaders.denominator),
        (1, 1),
        "{leaders:?}"
    );
}
