//! `tdkt rules show`: the effective rule set after merging its layers, each
//! declaration marked with the file it comes from.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use clap::Parser;
use tdkt::cli::{Cli, Command, Exit, rules};

/// Runs `tdkt ARGS…` (a `rules` command) and returns stdout, stderr, exit.
fn run(args: &[&str]) -> (String, String, Exit) {
    let cli = Cli::try_parse_from(std::iter::once("tdkt").chain(args.iter().copied()))
        .expect("arguments parse");
    let Command::Rules(args) = cli.command else {
        panic!("not a `rules` command");
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let exit = rules(&args, &mut out, &mut err);
    (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
        exit,
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (out, err, exit) = run(&all);
    assert_eq!((exit, err.as_str()), (Exit::Pass, ""));
    serde_json::from_str(&out).unwrap()
}

fn find<'a>(list: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("`{id}` not in {list}"))
}

#[test]
fn local_overlay_text() {
    let (out, err, exit) = run(&[
        "rules",
        "show",
        "--rules",
        "rules/dia-phuong/khong-lanh-dao-50",
    ]);
    assert_eq!((exit, err.as_str()), (Exit::Pass, ""));
    assert!(out.contains("  [lớp] rules/dia-phuong/khong-lanh-dao-50/khong-lanh-dao-50.tdkt\n"));
    assert!(out.contains("  [gốc] rules/luat-2022/ca-nhan.tdkt\n"));
    insta::assert_snapshot!("local_overlay_text", out);
}

#[test]
fn old_regime_text_replaces_and_removes() {
    let (out, err, exit) = run(&["rules", "show", "--rules", "rules/nd-91-2017"]);
    assert_eq!((exit, err.as_str()), (Exit::Pass, ""));
    // Every title of the regime is listed (none is dropped); criteria of the
    // 2022 law the old regime lacks are named as removed.
    let awards = out
        .split("\nDanh hiệu (")
        .nth(1)
        .and_then(|s| s.split("\nTỷ lệ (").next())
        .unwrap();
    for kept in ["CSTD_BO_TINH", "CSTD_TQ", "TTLDTT", "TTLDXS", "BK_TTG"] {
        assert!(awards.contains(&format!("\n  {kept} «")), "{kept}");
    }
    for (criterion, award) in [("sau_ky_luat", "CSTD_BO_TINH"), ("co_bang_khen", "BK_TTG")] {
        assert!(
            out.contains(&format!(
                "  tiêu chí {criterion} của {award} [lớp: rules/nd-91-2017/lich-su.tdkt]\n"
            )),
            "{criterion}"
        );
    }
    // A replaced criterion: the overlay's condition, marked as the overlay's.
    assert!(out.contains(
        "    • xep_loai: xep_loai >= HTT\n        «Hoàn thành tốt nhiệm vụ được giao»\n"
    ));
    assert!(out.contains("        [lớp: rules/nd-91-2017/ca-nhan.tdkt] (thay tiêu chí gốc)\n"));
    insta::assert_snapshot!("old_regime_text", out);
}

#[test]
fn json_origin_of_a_replaced_criterion() {
    let v = json(&["rules", "show", "--rules", "rules/nd-91-2017"]);
    let ldtt = find(&v["awards"], "LDTT");
    assert_eq!(
        ldtt["origin"],
        serde_json::json!({"layer": "base", "file": "rules/luat-2022/ca-nhan.tdkt"})
    );
    assert_eq!(
        ldtt["amended_in"],
        serde_json::json!(["rules/nd-91-2017/ca-nhan.tdkt"])
    );
    let xep_loai = find(&ldtt["criteria"], "xep_loai");
    assert_eq!(
        xep_loai["origin"],
        serde_json::json!({"layer": "overlay", "file": "rules/nd-91-2017/ca-nhan.tdkt"})
    );
    assert_eq!(xep_loai["replace"], true);
    assert_eq!(xep_loai["condition"], "xep_loai >= HTT");
    assert_eq!(
        xep_loai["cite"],
        "Điều 24 khoản 1 điểm a Luật Thi đua, khen thưởng năm 2003 (sửa đổi, bổ sung năm 2013)"
    );
    // A criterion added by the overlay is the overlay's, not a replacement.
    let dao_tao = find(&ldtt["criteria"], "dao_tao");
    assert_eq!(dao_tao["origin"]["layer"], "overlay");
    assert_eq!(dao_tao["replace"], false);
    // A base award the overlay leaves alone keeps the base's origin.
    let base = json(&[
        "rules",
        "show",
        "--rules",
        "rules/dia-phuong/khong-lanh-dao-50",
    ]);
    let cstdcs = find(&base["awards"], "CSTDCS");
    assert_eq!(cstdcs["amended_in"], serde_json::json!([]));
    for c in cstdcs["criteria"].as_array().unwrap() {
        assert_eq!(c["origin"]["file"], "rules/luat-2022/ca-nhan.tdkt");
    }
    let rate = find(&base["rates"], "KHONG_LANH_DAO_50");
    assert_eq!(rate["origin"]["layer"], "overlay");
    assert_eq!(rate["rounding"], "up");
    assert_eq!(rate["rounding_param"], "lam_tron_khong_lanh_dao");
    // Criteria the old regime lacks are listed as removed, with their award.
    assert!(
        v["removed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "criterion"
                && r["id"] == "sau_ky_luat"
                && r["award"] == "CSTD_BO_TINH")
    );
}

#[test]
fn set_shows_overridden_values() {
    let (out, err, exit) = run(&[
        "rules",
        "show",
        "--rules",
        "rules/dia-phuong/khong-lanh-dao-50",
        "--set",
        "ty_le_khong_lanh_dao=60%",
        "--set",
        "lam_tron_khong_lanh_dao=half-up",
    ]);
    assert_eq!((exit, err.as_str()), (Exit::Pass, ""));
    assert!(out.contains("  ty_le_khong_lanh_dao: percent = 60% (--set; trong tệp: 50%) — "));
    assert!(
        out.contains("  lam_tron_khong_lanh_dao: rounding = half-up (--set; trong tệp: up) — ")
    );
    assert!(out.contains("    tỷ lệ áp dụng: 60%\n"));
    assert!(out.contains(
        "    làm tròn: half-up (làm tròn nửa lên), theo tham số lam_tron_khong_lanh_dao\n"
    ));
    // A parameter left alone is not marked.
    assert!(out.contains("  ty_le_ldtt_ttldtt: percent = 50% — "));

    let v = json(&[
        "rules",
        "show",
        "--rules",
        "rules/dia-phuong/khong-lanh-dao-50",
        "--set",
        "ty_le_khong_lanh_dao=60%",
    ]);
    let p = find(&v["params"], "ty_le_khong_lanh_dao");
    assert_eq!(p["value"], "60%");
    assert_eq!(p["written"], "50%");
    assert_eq!(p["overridden"], true);
    assert_eq!(find(&v["params"], "ty_le_ldtt_ttldtt")["overridden"], false);
}

#[test]
fn default_rule_set_is_all_base() {
    let v = json(&["rules", "show"]);
    assert_eq!(v["effective"], "2024-01-01");
    assert!(!v["files"].as_array().unwrap().is_empty());
    assert!(
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["layer"] == "base")
    );
    assert_eq!(v["removed"], serde_json::json!([]));
}

#[test]
fn unknown_parameter_and_broken_rules_exit_2() {
    let (out, err, exit) = run(&["rules", "show", "--set", "khong_co=1"]);
    assert_eq!(exit, Exit::Error);
    assert_eq!(out, "");
    assert!(!err.is_empty());

    let (out, err, exit) = run(&["rules", "show", "--rules", "tests/rules-err/err_cycle.tdkt"]);
    assert_eq!(exit, Exit::Error);
    assert_eq!(out, "");
    assert!(err.contains("E-self-reference"), "{err}");
    assert!(err.contains("bộ quy tắc có 1 lỗi"), "{err}");
}

/// A fresh directory holding `files` (name, text).
fn scratch(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("rules_show")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const BASE: &str = r#"table t "Bảng" key ma {
  ma     text             "Mã"     alias "Mã số"
  nghi   int  in 0..12    "Nghỉ"   alias "Số tháng nghỉ", "Nghỉ (tháng)" absent 0
  ghi    text?            "Ghi chú"
}
"#;

#[test]
fn aliases_and_absent_are_shown() {
    let dir = scratch("shown", &[("goc/t.tdkt", BASE)]);
    let path = dir.join("goc");
    let v = json(&["rules", "show", "--rules", path.to_str().unwrap()]);
    let cols = &find(&v["tables"], "t")["columns"];
    let nghi = find(cols, "nghi");
    assert_eq!(
        nghi["aliases"],
        serde_json::json!(["Số tháng nghỉ", "Nghỉ (tháng)"])
    );
    assert_eq!(nghi["absent"], "0");
    assert_eq!(find(cols, "ghi")["aliases"], serde_json::json!([]));
    assert_eq!(find(cols, "ghi")["absent"], serde_json::Value::Null);
    let (out, _, exit) = run(&["rules", "show", "--rules", path.to_str().unwrap()]);
    assert_eq!(exit, Exit::Pass);
    assert!(out.contains(
        "    nghi int in 0..12 «Nghỉ» (hoặc «Số tháng nghỉ», «Nghỉ (tháng)»), thiếu cột thì coi là 0\n"
    ));
    assert!(out.contains("    ma text «Mã» (hoặc «Mã số»)\n"), "{out}");
}

#[test]
fn an_overlay_column_replaces_aliases_and_absent() {
    let overlay = "extends \"../goc\"\ntable t \"Bảng\" key ma {\n  nghi int in 0..12 \"Nghỉ\" alias \"Tháng nghỉ\"\n}\n";
    let dir = scratch("overlay", &[("goc/t.tdkt", BASE), ("lop/t.tdkt", overlay)]);
    let path = dir.join("lop");
    let v = json(&["rules", "show", "--rules", path.to_str().unwrap()]);
    let cols = &find(&v["tables"], "t")["columns"];
    let nghi = find(cols, "nghi");
    assert_eq!(nghi["aliases"], serde_json::json!(["Tháng nghỉ"]));
    assert_eq!(nghi["absent"], serde_json::Value::Null);
    assert_eq!(nghi["origin"]["layer"], "overlay");
    // Columns the overlay leaves alone keep theirs.
    assert_eq!(find(cols, "ma")["aliases"], serde_json::json!(["Mã số"]));
}

#[test]
fn the_plan_carries_aliases_and_absent() {
    use tdkt::semantic::model::Value;
    let dir = scratch("plan", &[("goc/t.tdkt", BASE)]);
    let rules = tdkt::semantic::load(&[dir.join("goc")], tdkt::semantic::Origin::Disk, &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let t = &rules.plan.tables[0];
    let col = |id: &str| t.columns.iter().find(|c| c.id == id).unwrap();
    assert_eq!(col("nghi").aliases, ["Số tháng nghỉ", "Nghỉ (tháng)"]);
    assert_eq!(col("nghi").absent, Some(Value::Int(0)));
    assert_eq!(col("ma").aliases, ["Mã số"]);
    assert_eq!(col("ghi").absent, None);
}

/// A criterion an overlay removes is named as removed, with its layer (no
/// shipped set removes a single criterion any more).
#[test]
fn a_removed_criterion_is_named() {
    let base = "source s = \"Nguồn\"\ntable t \"Bảng\" key ma {\n  ma text \"Mã\"\n  a bool \"A\"\n  b bool \"B\"\n}\naward X \"Danh hiệu X\" for t where a or b {\n  require mot: a \"A\" cite s \"Điều 1\"\n  require hai: b \"B\" cite s \"Điều 2\"\n}\n";
    let overlay = "extends \"../goc\"\naward X {\n  remove hai\n}\n";
    let dir = scratch("removed", &[("goc/t.tdkt", base), ("lop/t.tdkt", overlay)]);
    let path = dir.join("lop");
    let (out, err, exit) = run(&["rules", "show", "--rules", path.to_str().unwrap()]);
    assert_eq!((exit, err.as_str()), (Exit::Pass, ""), "{out}");
    assert!(out.contains("  tiêu chí hai của X [lớp: "), "{out}");
    assert!(!out.contains("• hai:"), "{out}");
}

#[test]
fn the_registration_overlay_shows_its_targets() {
    let j = json(&[
        "rules",
        "show",
        "--rules",
        "rules/dia-phuong/dang-ky-thi-dua",
    ]);
    let t = &j["targets"][0];
    assert_eq!(t["table"], "chi_tieu");
    assert_eq!(t["candidates"], "ca_nhan");
    assert_eq!(t["group"], "don_vi");
    assert!(t["cite"].as_str().unwrap().starts_with("đăng ký thi đua"));
    let (text, _, _) = run(&[
        "rules",
        "show",
        "--rules",
        "rules/dia-phuong/dang-ky-thi-dua",
    ]);
    assert!(text.contains("bảng chỉ tiêu: chi_tieu"), "{text}");
    // The base has none.
    let base = json(&["rules", "show", "--rules", "rules/luat-2022"]);
    assert!(base.get("targets").is_none());
}
