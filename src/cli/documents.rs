//! `tdkt check … --format html|pdf|xlsx|csv|docx -o FILE`: the documents the
//! council takes into the meeting, written to a file that is never one of
//! the inputs.

use crate::engine::Rules;
use crate::report::Report;
use crate::report::listing::Listing;
pub use crate::report::listing::{checked_at, current_year};
use std::path::{Path, PathBuf};

/// Refuses to write `output` over one of `inputs` (compared as canonical
/// paths: a list is never overwritten, whatever the spelling of its path).
pub fn refuse_input(output: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    let out = canonical(output);
    for input in inputs {
        if canonical(input) == out {
            return Err(format!(
                "-o {}: đây là tệp đầu vào của lần kiểm tra; tdkt không ghi đè lên danh sách hay tệp quy tắc. Hãy chọn một tên tệp khác, ví dụ `-o ket-qua.xlsx`.",
                output.display()
            ));
        }
    }
    Ok(())
}

/// `p` made absolute and resolved; a file not yet written is resolved
/// through its folder.
fn canonical(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), p.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => p.to_path_buf(),
    }
}

/// The lists of `report` read again, for the renderers that show their cells.
pub fn listing(report: &Report, rules: &Rules) -> Result<Listing, String> {
    Listing::new(report, &rules.rule_set().plan, &[], checked_at()).map_err(|e| e.to_string())
}

/// Writes `bytes` to `output`.
pub fn write_file(output: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(output, bytes)
        .map_err(|e| format!("Không ghi được tệp {}: {e}", output.display()))
}

/// Headless Chromium, if installed: its program name.
pub fn chromium() -> Option<PathBuf> {
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

const NO_CHROMIUM: &str = "Không tìm thấy trình duyệt Chromium để in ra PDF. Cài bằng `sudo apt-get install chromium` (Debian, Ubuntu), hoặc dùng `--format html -o bao-cao.html` rồi mở tệp bằng trình duyệt và chọn In (Ctrl+P) → Lưu thành PDF.";

/// A fresh folder of its own under the system's temporary folder.
fn fresh_dir() -> Result<PathBuf, String> {
    let base = std::env::temp_dir();
    for n in 0..100u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = base.join(format!("tdkt-{}-{nanos}-{n}", std::process::id()));
        if std::fs::create_dir(&dir).is_ok() {
            return Ok(dir);
        }
    }
    Err("Không tạo được thư mục tạm để in ra PDF".to_string())
}

/// Prints the HTML `page` to the PDF `output` with headless Chromium.
pub fn print_pdf(page: &str, output: &Path) -> Result<(), String> {
    let chromium = chromium().ok_or_else(|| NO_CHROMIUM.to_string())?;
    let dir = fresh_dir()?;
    let result = print_in(&chromium, &dir, page, output);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn print_in(chromium: &Path, dir: &Path, page: &str, output: &Path) -> Result<(), String> {
    let html = dir.join("bao-cao.html");
    std::fs::write(&html, page).map_err(|e| format!("Không ghi được tệp tạm: {e}"))?;
    let pdf = dir.join("bao-cao.pdf");
    let mut child = std::process::Command::new(chromium)
        .args(chromium_args(dir))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(&html))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("Không chạy được {}: {e}", chromium.display()))?;
    // A browser that hangs (no display, a locked profile) must not hang
    // the check: it is given two minutes.
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < std::time::Duration::from_secs(120) => {
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err("Chromium không in xong báo cáo sau 2 phút; hãy dùng `--format html` rồi in từ trình duyệt.".to_string());
            }
        }
    };
    if !status.success() || !pdf.is_file() {
        return Err(format!(
            "Chromium không in được báo cáo ra PDF ({status}); hãy dùng `--format html` rồi in từ trình duyệt."
        ));
    }
    std::fs::copy(&pdf, output)
        .map(|_| ())
        .map_err(|e| format!("Không ghi được tệp {}: {e}", output.display()))
}

/// Headless, offline, with a profile of its own in `dir`.
pub fn chromium_args(dir: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
        "--print-to-pdf-no-header",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([format!("--user-data-dir={}", dir.join("profile").display())])
    .collect()
}

/// `file://` URL of an absolute path (percent-encoding what a URL cannot hold).
pub fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

/// Checks `-o` before the check runs: which formats need it, and that it
/// names no input.
pub fn check_output(args: &super::check::CheckArgs) -> Result<(), String> {
    use super::check::Format;
    let Some(output) = &args.output else {
        return match args.format {
            Format::Pdf | Format::Xlsx | Format::Docx => Err(format!(
                "--format {}: cần tệp kết quả, ví dụ `-o {}`",
                format_name(args.format),
                example_name(args.format)
            )),
            _ => Ok(()),
        };
    };
    let mut inputs: Vec<PathBuf> = args.list.iter().cloned().collect();
    for spec in &args.tables {
        if let Some((_, path)) = spec.split_once('=') {
            let path = path.trim();
            // `BẢNG=TỆP#TRANG` names a sheet of TỆP.
            inputs.push(PathBuf::from(path));
            if let Some((file, _)) = path.rsplit_once('#') {
                inputs.push(PathBuf::from(file));
            }
        }
    }
    inputs.extend(args.rules.iter().cloned());
    refuse_input(output, &inputs)
}

fn format_name(f: super::check::Format) -> &'static str {
    use super::check::Format;
    match f {
        Format::Text => "text",
        Format::Json => "json",
        Format::Html => "html",
        Format::Pdf => "pdf",
        Format::Xlsx => "xlsx",
        Format::Csv => "csv",
        Format::Docx => "docx",
    }
}

fn example_name(f: super::check::Format) -> &'static str {
    use super::check::Format;
    match f {
        Format::Pdf => "bao-cao.pdf",
        Format::Xlsx => "ket-qua.xlsx",
        Format::Csv => "ket-qua.csv",
        Format::Docx => "danh-sach.docx",
        _ => "bao-cao.html",
    }
}

/// Renders a council document of `report` to `-o`, or for HTML and CSV
/// without `-o`, to `out`. False when `out` could not be written.
pub fn render(
    args: &super::check::CheckArgs,
    report: &Report,
    rules: &Rules,
    out: &mut dyn std::io::Write,
) -> Result<bool, String> {
    use super::check::Format;
    let listing = listing(report, rules)?;
    let bytes: Vec<u8> = match args.format {
        Format::Html => crate::report::html::render(report, &listing).into_bytes(),
        Format::Pdf => {
            let page = crate::report::html::render(report, &listing);
            let output = args.output.as_deref().unwrap_or(Path::new("bao-cao.pdf"));
            print_pdf(&page, output)?;
            return Ok(true);
        }
        Format::Xlsx => crate::report::xlsx::render(report, &listing)?,
        Format::Csv => crate::report::csv::render(report, &listing),
        Format::Docx => crate::report::docx::render(report, &listing)?,
        Format::Text | Format::Json => return Ok(true),
    };
    match &args.output {
        Some(output) => write_file(output, &bytes).map(|_| true),
        None => Ok(super::emit_with(out, |w| {
            std::io::Write::write_all(w, &bytes)
        })),
    }
}
