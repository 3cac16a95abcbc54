//! The page's simulation of a new standard (`/mo-phong`) without a browser:
//! the same list under a base regime and under changed parameters or an
//! uploaded draft, compared as `tdkt diff` compares them.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

mod web;

use axum::http::StatusCode;
use tdkt::serve::Config;
use web::*;

/// The shipped overlay with a 15 % CSTĐCS rate per unit: the base regime.
const BASE: &str = "dia-phuong/cstdcs-15-luat-2022";

/// Phòng A: one CSTĐCS proposal among four who meet the LĐTT standard
/// (15 % of 4 rounds down to 0: the rate fails; 30 % gives 1). Phòng B:
/// `eight` worked 8 months (enough under the minimum of 6, not of 10).
fn council(eight: &str) -> String {
    format!(
        "{HEADER}\
         CB001,Nguyễn Văn An,Phòng A,Hoàn thành xuất sắc nhiệm vụ,12,,,Không,Có,Không,Chiến sĩ thi đua cơ sở\n\
         CB002,Trần Thị Bích,Phòng A,Hoàn thành tốt nhiệm vụ,12,,,Không,Không,Không,Lao động tiên tiến\n\
         CB003,Phạm Văn Cường,Phòng A,Hoàn thành tốt nhiệm vụ,12,,,Không,Không,Không,Lao động tiên tiến\n\
         CB004,Hoàng Thị Dung,Phòng A,Hoàn thành tốt nhiệm vụ,12,,,Không,Không,Không,Lao động tiên tiến\n\
         CB005,{eight},Phòng B,Hoàn thành tốt nhiệm vụ,8,,,Không,Không,Không,Lao động tiên tiến\n"
    )
}

/// The row of the flips table that names `name`.
fn flip_row<'p>(page: &'p str, name: &str) -> &'p str {
    let flips = page
        .split("Đề nghị đổi kết quả")
        .nth(1)
        .unwrap_or_else(|| panic!("a flips table:\n{page}"));
    let at = flips
        .find(name)
        .unwrap_or_else(|| panic!("{name} flips:\n{page}"));
    let start = flips[..at].rfind("<tr").unwrap();
    let end = at + flips[at..].find("</tr>").unwrap();
    &flips[start..end]
}

#[tokio::test]
async fn a_changed_parameter_flips_a_named_candidate_and_a_units_rate() {
    let s = state(Config::default());
    let csv = council("Lê Thị Tám");
    let parts = [
        Part::File("tep-1", "ds.csv", csv.as_bytes()),
        Part::Text("che-do", BASE),
        Part::Text("dat-thang_cong_tac_toi_thieu", "10"),
        Part::Text("dat-ty_le_cstdcs", "30%"),
    ];
    let (status, body, location) = post_to(&s, "/mo-phong", &parts).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let location = location.expect("a Location");
    assert!(location.starts_with("/mo-phong/"), "{location}");
    let (status, page) = post_at(&s, "/mo-phong", &parts).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("thang_cong_tac_toi_thieu=10") && page.contains("ty_le_cstdcs=30%"),
        "the new standard is named with its parameters"
    );
    // Lê Thị Tám: 8 months pass under 6, fail under 10, with the reason.
    let row = flip_row(&page, "Lê Thị Tám");
    assert!(row.contains("Phòng B") && row.contains("CB005"), "{row}");
    assert!(row.contains("đạt → <b>không đạt</b>"), "{row}");
    assert!(row.contains("Điều"), "the reason cites the law: {row}");
    // Nobody else's verdict changes.
    let flips = page.split("Đề nghị đổi kết quả").nth(1).unwrap();
    assert!(
        !flips
            .split("Tỷ lệ theo đơn vị đổi")
            .next()
            .unwrap()
            .contains("Trần Thị Bích")
    );
    // Phòng A's rate: limit 0 → 1, from failing to passing.
    let rates = page
        .split("Tỷ lệ theo đơn vị đổi")
        .nth(1)
        .unwrap_or_else(|| panic!("a rates table:\n{page}"));
    let at = rates.find("Phòng A").expect("Phòng A's rate changes");
    let row = &rates[at..at + rates[at..].find("</tr>").unwrap()];
    assert!(row.contains("không đạt → <b>đạt</b>"), "{row}");
    // Totals side by side, as `tdkt diff`'s text.
    assert!(page.contains("Đề nghị đạt") && page.contains("Tỷ lệ theo đơn vị không đạt"));

    // The download is the command line's CSV: the flip, with its name.
    let (status, csv, headers) = get(&s, &format!("{location}/so-sanh.csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-disposition"], "attachment");
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with('\u{feff}'), "Excel reads UTF-8 by its mark");
    assert!(
        csv.contains("Lê Thị Tám") && csv.contains("không đạt"),
        "{csv}"
    );
    assert_eq!(
        get(&s, &format!("{location}/khac.csv")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_page_shows_what_tdkt_diff_finds() {
    // The same comparison through the library, as `tdkt diff --set` runs it.
    let csv = council("Lê Thị Tám");
    let base = tdkt::Rules::shipped(BASE, &[]).unwrap().unwrap();
    let set = [tdkt::engine::Override {
        name: "thang_cong_tac_toi_thieu".into(),
        value: "10".into(),
    }];
    let new = tdkt::Rules::shipped(BASE, &set).unwrap().unwrap();
    let diff = tdkt::Check::each(&[&base, &new])
        .list(tdkt::ListSource::bytes("ds.csv", csv.as_bytes()))
        .unwrap()
        .run_diff("ds.csv")
        .unwrap();
    let names: Vec<&str> = diff
        .flips
        .iter()
        .filter_map(|f| f.name.as_deref())
        .collect();
    assert_eq!(names, ["Lê Thị Tám"]);
    assert_eq!(diff.flips[0].unit.as_deref(), Some("Phòng B"));

    let s = state(Config::default());
    let (status, page) = post_at(
        &s,
        "/mo-phong",
        &[
            Part::File("tep-1", "ds.csv", csv.as_bytes()),
            Part::Text("che-do", BASE),
            Part::Text("dat-thang_cong_tac_toi_thieu", "10"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains(&format!("Đề nghị đổi kết quả ({})", diff.flips.len())));
    for g in &diff.groups {
        assert!(page.contains(&g.rule_label), "{} is shown", g.rule_label);
    }
    assert!(
        page.contains(&format!("Tỷ lệ theo đơn vị đổi ({})", diff.groups.len())),
        "{:#?}",
        diff.groups
    );
}

#[tokio::test]
async fn a_draft_with_a_syntax_error_shows_where_and_the_server_goes_on() {
    let s = state(Config::default());
    let csv = council("Lê Thị Tám");
    let bad =
        "rules \"Dự thảo tỉnh\"\nextends \"luat-2022\"\nparam ty_le_cstdcs: percent = = 20%\n";
    let (status, page) = post_at(
        &s,
        "/mo-phong",
        &[
            Part::File("tep-1", "ds.csv", csv.as_bytes()),
            Part::Text("che-do", BASE),
            Part::File("quy-tac", "du-thao.tdkt", bad.as_bytes()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Không mô phỏng được"), "{page}");
    assert!(
        page.contains("du-thao.tdkt:3"),
        "the diagnostic names the file and line: {page}"
    );
    assert!(page.contains("name=\"quy-tac\""), "the form is shown again");
    assert_eq!(get(&s, "/mo-phong").await.0, StatusCode::OK);
    // A simulation with nothing new is refused with the reason.
    let (status, page) = post_at(
        &s,
        "/mo-phong",
        &[Part::File("tep-1", "ds.csv", csv.as_bytes())],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Chưa có tiêu chuẩn mới"), "{page}");
}

#[tokio::test]
async fn a_draft_overlay_is_compared_with_the_base() {
    let s = state(Config::default());
    let csv = council("Lê Thị Tám");
    let draft = "rules \"Dự thảo tỉnh: 10 tháng\"\nextends \"dia-phuong/cstdcs-15-luat-2022\"\nparam thang_cong_tac_toi_thieu: int = 10 cite tinh \"Dự thảo, Điều 2\"\nsource tinh = \"Dự thảo quy định của tỉnh\"\n";
    let (status, page) = post_at(
        &s,
        "/mo-phong",
        &[
            Part::File("tep-1", "ds.csv", csv.as_bytes()),
            Part::Text("che-do", BASE),
            Part::File("quy-tac", "du-thao.tdkt", draft.as_bytes()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("Dự thảo tỉnh: 10 tháng"),
        "the draft is named"
    );
    assert!(flip_row(&page, "Lê Thị Tám").contains("không đạt"));
}

#[tokio::test]
async fn a_script_in_a_name_is_escaped_in_the_comparison() {
    let s = state(Config::default());
    let csv = council("<script>alert(1)</script>");
    let (status, page) = post_at(
        &s,
        "/mo-phong",
        &[
            Part::File("tep-1", "<img src=x onerror=alert(2)>.csv", csv.as_bytes()),
            Part::Text("che-do", BASE),
            Part::Text("dat-thang_cong_tac_toi_thieu", "10"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(!page.contains("<script>alert(1)"), "a name is escaped");
    assert!(flip_row(&page, "&lt;script&gt;alert(1)&lt;/script&gt;").contains("không đạt"));
    assert!(!page.contains("<img src=x"), "a file name is escaped");
    assert!(page.contains("&lt;img src=x onerror=alert(2)&gt;.csv"));
}

#[tokio::test]
async fn the_form_offers_the_lists_regimes_and_parameters_with_citations() {
    let s = state(Config::default());
    let (status, body, _) = get(&s, "/mo-phong").await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(body).unwrap();
    for want in [
        "action=\"/mo-phong\"",
        "tep-1",
        "bang-1",
        "che-do",
        "quy-tac",
        "dat-thang_cong_tac_toi_thieu",
        "Điều 1 khoản 5 điểm d",
        // Only the 2017 regime and the 15 % overlay have it.
        "dat-ty_le_cstdcs",
    ] {
        assert!(page.contains(want), "the form lacks {want}");
    }
    assert!(!page.contains("<script"), "the page runs no script");
    let (_, body, _) = get(&s, "/").await;
    assert!(
        String::from_utf8(body)
            .unwrap()
            .contains("href=\"/mo-phong\""),
        "the check form links to the simulation"
    );
    assert_eq!(get(&s, "/mo-phong/0000").await.0, StatusCode::NOT_FOUND);
}
