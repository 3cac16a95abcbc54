//! `tdkt diff`: the same list under two rule sets.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::path::PathBuf;
use tdkt::cli::{DiffArgs, Exit, diff, diff_format::DiffFormat};

const LIST: &str = "examples/danh-sach-mau.csv";
const RATES: &str = "tests/fixtures/lists/ty-le.csv";
const CAP: &str = "rules/dia-phuong/cstdcs-15-luat-2022";

fn run(
    lists: &[&str],
    base: &[&str],
    new: &[&str],
    set: &[&str],
    format: DiffFormat,
) -> (String, Exit) {
    let args = DiffArgs {
        lists: lists.iter().map(PathBuf::from).collect(),
        tables: Vec::new(),
        base: base.iter().map(PathBuf::from).collect(),
        new: new.iter().map(PathBuf::from).collect(),
        set: set.iter().map(|s| s.to_string()).collect(),
        format,
        // Two threads on pieces of 80 bytes: the diff of a list read in
        // pieces must be the diff of one pass.
        spread: tdkt::cli::Spread {
            threads: std::num::NonZeroUsize::new(2).unwrap(),
            piece_size: std::num::NonZeroUsize::new(80),
        },
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = diff(&args, &mut out, &mut err);
    let err = String::from_utf8(err).unwrap();
    assert!(err.is_empty(), "{err}");
    (String::from_utf8(out).unwrap(), exit)
}

fn json(out: &str) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(out).unwrap();
    // Rule-file hashes change with every edit of a rule file.
    for side in ["base", "new"] {
        v[side]["files"] = serde_json::Value::Null;
    }
    v
}

#[test]
fn a_parameter_change_15_to_20_percent() {
    let (out, exit) = run(
        &[RATES],
        &[CAP],
        &[],
        &["ty_le_cstdcs=20%"],
        DiffFormat::Text,
    );
    assert_eq!(exit, Exit::Fail);
    assert!(out.contains("hạn mức 4 → 6"), "{out}");
    insta::assert_snapshot!(out);
    let (out, _) = run(
        &[RATES],
        &[CAP],
        &[],
        &["ty_le_cstdcs=20%"],
        DiffFormat::Json,
    );
    insta::assert_json_snapshot!(json(&out));
}

#[test]
fn a_replaced_criterion_or_becomes_and() {
    let (out, exit) = run(
        &[LIST],
        &[],
        &["examples/du-thao/cstdcs-htxs-va-sang-kien"],
        &[],
        DiffFormat::Text,
    );
    assert_eq!(exit, Exit::Fail);
    insta::assert_snapshot!(out);
    let (out, _) = run(
        &[LIST],
        &[],
        &["examples/du-thao/cstdcs-htxs-va-sang-kien"],
        &[],
        DiffFormat::Json,
    );
    let v = json(&out);
    let flips = v["lists"][0]["flips"].as_array().unwrap();
    assert_eq!(flips.len(), 2);
    for f in flips {
        for field in [
            "key",
            "award",
            "base_verdict",
            "new_verdict",
            "base_reasons",
            "new_reasons",
        ] {
            assert!(!f[field].is_null(), "{field} missing in {f}");
        }
        assert_eq!(f["base_verdict"], "pass");
        assert_eq!(f["new_verdict"], "fail");
    }
    insta::assert_json_snapshot!(v);
}

#[test]
fn an_added_rate_the_50_percent_non_leader_rule() {
    let (out, exit) = run(
        &[LIST],
        &[],
        &["rules/dia-phuong/khong-lanh-dao-50"],
        &[],
        DiffFormat::Text,
    );
    insta::assert_snapshot!(out);
    let (out, _) = run(
        &[LIST],
        &[],
        &["rules/dia-phuong/khong-lanh-dao-50"],
        &[],
        DiffFormat::Json,
    );
    let v = json(&out);
    insta::assert_json_snapshot!(v);
    let groups = v["lists"][0]["groups"].as_array().unwrap();
    // A rate the base does not have: every group it fails is new.
    assert!(groups.iter().all(|g| g["base_verdict"].is_null()));
    assert_eq!(
        exit == Exit::Fail,
        !groups.is_empty() || !v["lists"][0]["flips"].as_array().unwrap().is_empty()
    );
}

#[test]
fn an_overlay_chain() {
    let (out, _) = run(
        &[LIST],
        &["rules/dia-phuong/khong-lanh-dao-50"],
        &["tests/fixtures/rules/chuoi"],
        &[],
        DiffFormat::Text,
    );
    insta::assert_snapshot!(out);
    let (out, _) = run(
        &[LIST],
        &["rules/dia-phuong/khong-lanh-dao-50"],
        &["tests/fixtures/rules/chuoi"],
        &[],
        DiffFormat::Json,
    );
    insta::assert_json_snapshot!(json(&out));
}

#[test]
fn several_years_are_reported_each_and_in_total() {
    let (out, _) = run(
        &[LIST, RATES],
        &[CAP],
        &[],
        &["ty_le_cstdcs=20%"],
        DiffFormat::Text,
    );
    assert!(out.contains("Tổng cộng 2 danh sách"), "{out}");
}

#[test]
fn csv_lists_each_flip() {
    let (out, _) = run(
        &[LIST],
        &[],
        &["examples/du-thao/cstdcs-htxs-va-sang-kien"],
        &[],
        DiffFormat::Csv,
    );
    // For Excel: a byte-order mark, names, awards by their names.
    assert!(out.starts_with('\u{feff}'));
    insta::assert_snapshot!(out.replace("\r\n", "\n"));
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][2], "CB002");
    assert_eq!(&rows[0][3], "Trần Thị Bích");
    assert_eq!(&rows[0][4], "Phòng Tổ chức cán bộ");
    assert_eq!(&rows[0][5], "Chiến sĩ thi đua cơ sở");
    assert_eq!(&rows[0][6], "đạt");
    assert_eq!(&rows[0][7], "không đạt");
}

#[test]
fn csv_cells_are_neutralised_and_text_output_draws_controls() {
    let dir = std::env::temp_dir().join(format!("tdkt-diff-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let list = std::fs::read_to_string(LIST)
        .unwrap()
        .replacen("CB002", "=CB002", 1)
        .replacen("Trần Thị Bích", "Trần \u{1b}[31mThị Bình", 1);
    let path = dir.join("ds.csv");
    std::fs::write(&path, list).unwrap();
    let path = path.to_str().unwrap();
    let new = ["examples/du-thao/cstdcs-htxs-va-sang-kien"];
    let (out, _) = run(&[path], &[], &new, &[], DiffFormat::Csv);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(&rows[0][2], "'=CB002");
    let (text, _) = run(&[path], &[], &new, &[], DiffFormat::Text);
    assert!(text.contains("Trần ␛[31mThị Bình"), "{text}");
    assert!(!text.contains('\u{1b}'));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A small deterministic generator of lists with every kind of value.
fn random_list(seed: u64, rows: usize) -> String {
    let mut x = seed;
    let mut next = |n: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % n
    };
    let ratings = [
        "Hoàn thành xuất sắc nhiệm vụ",
        "Hoàn thành tốt nhiệm vụ",
        "Hoàn thành nhiệm vụ",
        "",
        "sai",
    ];
    let awards = [
        "Lao động tiên tiến",
        "Chiến sĩ thi đua cơ sở",
        "Giấy khen",
        "Bằng khen",
        "",
    ];
    let yes = ["Có", "Không", ""];
    let mut s = String::from(
        "Mã cán bộ,Đơn vị,\"Giữ chức vụ lãnh đạo, quản lý\",Xếp loại chất lượng,Số tháng công tác trong năm,Số tháng nghỉ thai sản,Hình thức kỷ luật (trong năm),Đang xem xét kỷ luật/thanh tra,Có sáng kiến được công nhận,Có đề tài KH đã nghiệm thu,\"Số tháng đi đào tạo, bồi dưỡng\",Kết quả đào tạo,Hình thức đề nghị\n",
    );
    for i in 0..rows {
        s.push_str(&format!(
            "R{i},Phòng {},{},{},{},,{},{},{},{},{},,{}\n",
            next(4),
            yes[next(2) as usize],
            ratings[next(5) as usize],
            next(14),
            if next(8) == 0 { "Khiển trách" } else { "" },
            yes[next(3) as usize],
            yes[next(3) as usize],
            yes[next(3) as usize],
            next(15),
            awards[next(5) as usize],
        ));
    }
    s
}

#[test]
fn a_rule_set_against_itself_never_flips() {
    let dir = std::env::temp_dir().join(format!("tdkt-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for seed in 1..=5u64 {
        let path = dir.join(format!("ds-{seed}.csv"));
        std::fs::write(&path, random_list(seed * 7919, 60)).unwrap();
        let p = path.display().to_string();
        for rules in [
            &[][..],
            &["rules/nd-91-2017"][..],
            &["rules/dia-phuong/khong-lanh-dao-50"][..],
        ] {
            let (out, exit) = run(&[&p], rules, rules, &[], DiffFormat::Json);
            let v = json(&out);
            assert_eq!(v["total"]["flips"], 0, "seed {seed}: {out}");
            assert_eq!(v["total"]["groups_changed"], 0, "seed {seed}");
            assert_eq!(exit, Exit::Pass);
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn other_tables_are_shared_by_both_sides() {
    let args = DiffArgs {
        lists: vec![PathBuf::from("examples/ca-nhan-tap-the-mau.csv")],
        tables: vec![
            "tap_the=examples/tap-the-mau.csv".into(),
            "lich_su=examples/lich-su-mau.csv".into(),
        ],
        base: Vec::new(),
        new: Vec::new(),
        set: vec!["ty_le_ldtt_ttldtt=40%".into()],
        format: DiffFormat::Json,
        spread: tdkt::cli::Spread::threads(1),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = diff(&args, &mut out, &mut err);
    assert_eq!(String::from_utf8(err).unwrap(), "");
    let v = json(&String::from_utf8(out).unwrap());
    // TT02: 2 of 4 members meet LĐTT; above 40 % but not above 50 %.
    let flips = v["lists"][0]["flips"].as_array().unwrap();
    assert_eq!(flips.len(), 1, "{v:#}");
    assert_eq!(flips[0]["key"], "TT02");
    assert_eq!(flips[0]["base_verdict"], "fail");
    assert_eq!(flips[0]["new_verdict"], "pass");
    assert_eq!(exit, Exit::Fail);
}

#[test]
fn messages_show_the_parameter_in_force() {
    let (out, exit) = run(
        &[LIST],
        &[],
        &[],
        &["thang_cong_tac_toi_thieu=10"],
        DiffFormat::Text,
    );
    assert_eq!(exit, Exit::Fail);
    assert!(
        out.contains("mới: Không phải cá nhân mới tuyển dụng dưới 10 tháng"),
        "{out}"
    );
}

const NEW_COLUMN: &str = "tests/fixtures/rules/du-thao-cot-moi";

#[test]
fn a_draft_reading_a_new_column_runs_on_last_years_list_and_says_why() {
    let (out, exit) = run(&[LIST], &[], &[NEW_COLUMN], &[], DiffFormat::Text);
    // A result, not an error: the list lacks the column, the check goes on.
    assert_eq!(exit, Exit::Fail);
    let line = "  Danh sách thiếu cột mà bộ quy tắc mới đọc: «Đã đăng ký thi đua» — các tiêu chí đọc cột này là chưa xác định";
    assert!(out.contains(line), "{out}");
    // Near the top: before the totals.
    assert!(out.find(line) < out.find("Đề nghị đạt"), "{out}");
    assert!(!out.contains("bộ quy tắc gốc đọc"), "{out}");
    insta::assert_snapshot!(out);

    let (out, _) = run(&[LIST], &[], &[NEW_COLUMN], &[], DiffFormat::Json);
    let v = json(&out);
    // The ballot's columns (written after the council votes) are absent
    // from both sides alike; this test is about the draft's own column.
    let mut absent = v["lists"][0]["absent_columns"].clone();
    for side in ["base", "new"] {
        if let Some(cols) = absent[side].as_array_mut() {
            cols.retain(|c| {
                !["so_phieu_dong_y", "so_thanh_vien_hoi_dong"]
                    .contains(&c["id"].as_str().unwrap_or(""))
            });
        }
    }
    // Bằng khen (Điều 74 khoản 1) reads the council's «Đạt theo trường
    // hợp khác», CSTĐ cấp bộ, tỉnh the initiative's scope, in both sets
    // («Năm xét» only once a history is given).
    let scope = serde_json::json!({"table": "ca_nhan", "id": "sang_kien_cap", "header": "Phạm vi ảnh hưởng của sáng kiến, đề tài"});
    let khac = serde_json::json!({"table": "ca_nhan", "id": "truong_hop_khac", "header": "Đạt theo trường hợp khác của điều luật"});
    assert_eq!(absent["base"], serde_json::json!([scope, khac]));
    assert_eq!(
        absent["new"],
        serde_json::json!([scope, khac, {"table": "ca_nhan", "id": "da_dang_ky", "header": "Đã đăng ký thi đua"}])
    );
    let flips = v["lists"][0]["flips"].as_array().unwrap();
    assert!(!flips.is_empty());
    // Every passing LĐTT (and the CSTĐCS that needs it) turns unknown,
    // never fail: the column is missing, not "no".
    for f in flips {
        assert_eq!(f["base_verdict"], "pass", "{f}");
        assert_eq!(f["new_verdict"], "unknown", "{f}");
    }
    let ldtt = &v["lists"][0]["new"]["awards"]["Lao động tiên tiến"];
    assert_eq!(ldtt[0], 0, "no LĐTT can pass without the column: {ldtt}");
    insta::assert_json_snapshot!(v);

    let (out, _) = run(&[LIST], &[], &[NEW_COLUMN], &[], DiffFormat::Csv);
    let mut r = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(
        &r.headers().unwrap()[10],
        "Cột danh sách thiếu (bộ quy tắc mới)"
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), flips.len());
    for row in &rows {
        assert_eq!(
            &row[10],
            "«Phạm vi ảnh hưởng của sáng kiến, đề tài»: các tiêu chí đọc cột này là chưa xác định; «Đạt theo trường hợp khác của điều luật»: các tiêu chí đọc cột này là chưa xác định; «Số phiếu đồng ý»: chưa bỏ phiếu, tiêu chí bỏ phiếu chờ Hội đồng; «Số thành viên Hội đồng»: chưa bỏ phiếu, tiêu chí bỏ phiếu chờ Hội đồng; «Đã đăng ký thi đua»: các tiêu chí đọc cột này là chưa xác định"
        );
    }
}

#[test]
fn columns_both_rule_sets_lack_are_told_apart_from_the_new_ones() {
    let (out, _) = run(
        &["tests/fixtures/lists/thieu-cot.csv"],
        &[],
        &[NEW_COLUMN],
        &[],
        DiffFormat::Text,
    );
    let new: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("thiếu cột mà bộ quy tắc mới đọc"))
        .collect();
    assert_eq!(new.len(), 1, "{out}");
    assert!(new[0].contains("«Đã đăng ký thi đua»"), "{out}");
    let both = out
        .lines()
        .find(|l| l.contains("thiếu cột mà cả hai bộ quy tắc đọc như nhau"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(both.contains("«Số tháng công tác trong năm»"), "{both}");
    assert!(
        both.contains("«Số tháng nghỉ thai sản» (tính là 0)"),
        "{both}"
    );
    assert!(!both.contains("Đã đăng ký"), "{both}");

    // The other way round: a column only the base reads.
    let (out, _) = run(
        &["tests/fixtures/lists/thieu-cot.csv"],
        &[NEW_COLUMN],
        &["rules/luat-2022"],
        &[],
        DiffFormat::Text,
    );
    assert!(
        out.contains("  Danh sách thiếu cột mà bộ quy tắc gốc đọc: «Đã đăng ký thi đua» — các tiêu chí đọc cột này là chưa xác định"),
        "{out}"
    );
    assert!(!out.contains("bộ quy tắc mới đọc"), "{out}");
}
