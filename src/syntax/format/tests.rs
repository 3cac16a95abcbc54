//! What `tdkt fmt` prints: layout, parentheses, alignment and comments.

use super::*;

fn fmt(text: &str) -> String {
    format(text).unwrap_or_else(|d| panic!("{d:?}"))
}

fn criterion(expr: &str) -> String {
    let text = format!("award A \"a\" for t {{\n  require {expr} \"m\"\n}}\n");
    let out = fmt(&text);
    let line = out.lines().nth(1).unwrap();
    line.trim_start_matches("  require ").to_string()
}

#[test]
fn parentheses_only_where_needed_or_clearer() {
    assert_eq!(criterion("((a = 1))"), "a = 1");
    assert_eq!(criterion("a and b or c"), "(a and b) or c");
    assert_eq!(criterion("a or (b and c)"), "a or (b and c)");
    assert_eq!(criterion("(a or b) and c"), "(a or b) and c");
    assert_eq!(criterion("a or b implies c"), "(a or b) implies c");
    assert_eq!(
        criterion("a implies (b implies c)"),
        "a implies b implies c"
    );
    assert_eq!(
        criterion("(a implies b) implies c"),
        "(a implies b) implies c"
    );
    assert_eq!(criterion("a - (b - c)"), "a - (b - c)");
    assert_eq!(criterion("(a - b) - c"), "a - b - c");
    assert_eq!(criterion("not (a = b)"), "not a = b");
    assert_eq!(criterion("not (a or b)"), "not (a or b)");
    assert_eq!(criterion("(not a) = b"), "(not a) = b");
    assert_eq!(criterion("(a + b) in {X,Y,}"), "(a + b) in {X, Y}");
    assert_eq!(criterion("a + (b in {X})"), "a + b in {X}");
    assert_eq!(criterion("(a = b) is not none"), "(a = b) is not none");
    assert_eq!(criterion("x-1>=-2"), "x - 1 >= -2");
    assert_eq!(
        criterion("(meets X) and (proposed Y)"),
        "meets X and proposed Y"
    );
}

#[test]
fn any_of_labels_are_aligned() {
    let out = fmt(
        "award A \"a\" for t {\n  require x: any of { a = B \"b\" long_name \"c\" } \"m\" cite s \"l\"\n}\n",
    );
    assert_eq!(
        out,
        "award A \"a\" for t {\n  require x: any of {\n    a = B      \"b\"\n    long_name  \"c\"\n  }\n    \"m\"\n    cite s \"l\"\n}\n"
    );
}

#[test]
fn enum_codes_and_table_cells_are_padded_by_characters() {
    let out = fmt(
        "enum E { A = \"a\" alias \"x\",\"y\" BBB = \"b\" }\ntable t \"T\" key đơn_vị { đơn_vị text \"Đ\" n int? in 0..12 \"N\" default 0 }\n",
    );
    let expected = [
        "enum E {",
        "  A   = \"a\" alias \"x\", \"y\"",
        "  BBB = \"b\"",
        "}",
        "",
        "table t \"T\" key đơn_vị {",
        "  đơn_vị text          \"Đ\"",
        "  n      int? in 0..12 \"N\" default 0",
        "}",
        "",
    ];
    assert_eq!(out, expected.join("\n"));
}

#[test]
fn comments_keep_their_places() {
    let text = "# đầu\nsource a = \"x\"   # cuối dòng\n\n\n# trước enum\nenum E { # mở\n  A = \"a\"\n  # cuối khối\n} # đóng\n# hết";
    assert_eq!(
        fmt(text),
        "# đầu\nsource a = \"x\"  # cuối dòng\n\n# trước enum\nenum E {  # mở\n  A = \"a\"\n  # cuối khối\n}  # đóng\n\n# hết\n"
    );
}

#[test]
fn an_empty_block_stays_on_one_line_unless_it_holds_a_comment() {
    assert_eq!(fmt("award A { }  # c\n"), "award A {}  # c\n");
    assert_eq!(fmt("award A { # c\n}\n"), "award A {  # c\n}\n");
    assert_eq!(
        fmt("example \"e\" {\n  # c\n}\n"),
        "example \"e\" {\n  # c\n}\n"
    );
}

#[test]
fn a_trailing_comment_stays_on_the_first_line_of_its_node() {
    let text = "award A \"a\" for t {\n  require x: a \"m\" cite s \"l\"  # tdkt:allow L-x\n}\n";
    assert_eq!(
        fmt(text),
        "award A \"a\" for t {\n  require x: a  # tdkt:allow L-x\n    \"m\"\n    cite s \"l\"\n}\n"
    );
}

#[test]
fn a_line_keeps_its_first_trailing_comment_and_the_others_go_above() {
    let text = "award A \"a\" for t {\n  require a # một\n    and b # hai\n    \"m\"\n}\n";
    let out = fmt(text);
    assert_eq!(
        out,
        "award A \"a\" for t {\n  # hai\n  require a and b  # một\n    \"m\"\n}\n"
    );
    assert_eq!(fmt(&out), out);
}
