//! `tdkt serve [--listen ADDR] [--rules PATH]… [--token T] [--max-upload-mb N]`

use super::Exit;
use crate::serve::{Config, State};
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Địa chỉ nghe; mặc định chỉ máy này (127.0.0.1). Địa chỉ khác cần --token
    #[arg(long, value_name = "ĐỊA_CHỈ:CỔNG", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Tệp hoặc thư mục quy tắc (.tdkt) của máy chủ, chọn sẵn trên trang;
    /// mặc định: bộ quy tắc kèm theo chọn theo năm xét của danh sách
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Mã truy cập mà trang hỏi một lần (bắt buộc khi nghe ngoài máy này)
    #[arg(long, value_name = "MÃ")]
    pub token: Option<String>,
    /// Dung lượng tối đa các tệp tải lên mỗi lần kiểm tra, tính bằng MB
    #[arg(long = "max-upload-mb", value_name = "MB", default_value_t = 50)]
    pub max_upload_mb: usize,
}

/// Starts the page and serves it until the process is stopped.
pub fn serve(args: &ServeArgs, out: &mut dyn std::io::Write, err: &mut dyn std::io::Write) -> Exit {
    let token = args.token.clone().filter(|t| !t.is_empty());
    if !args.listen.ip().is_loopback() && token.is_none() {
        let _ = writeln!(
            err,
            "--listen {}: nghe ngoài máy này thì ai trong mạng cũng mở được trang; hãy thêm --token MÃ (một mã bí mật, trang sẽ hỏi mã này một lần), hoặc nghe 127.0.0.1.",
            args.listen
        );
        return Exit::Error;
    }
    if let Some(t) = &token
        && !t
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
    {
        let _ = writeln!(
            err,
            "--token: mã chỉ được gồm chữ cái không dấu, chữ số và - _ . ~"
        );
        return Exit::Error;
    }
    let config = Config {
        listen: args.listen,
        rules: args.rules.clone(),
        token,
        max_upload: args.max_upload_mb.saturating_mul(1 << 20),
        ..Config::default()
    };
    let state = match State::new(config) {
        Ok(s) => Arc::new(s),
        Err(msg) => {
            let _ = writeln!(err, "{msg}");
            return Exit::Error;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "Không khởi động được máy chủ: {e}");
            return Exit::Error;
        }
    };
    let guarded = state.config.token.is_some();
    let served = runtime.block_on(crate::serve::serve(state, |addr| {
        let _ = writeln!(out, "Trang kiểm tra danh sách: http://{addr}/");
        if guarded {
            let _ = writeln!(out, "Trang sẽ hỏi mã truy cập (--token) một lần.");
        } else {
            let _ = writeln!(out, "Chỉ mở được từ máy này. Nhấn Ctrl+C để dừng.");
        }
        let _ = out.flush();
    }));
    match served {
        Ok(()) => Exit::Pass,
        Err(e) => {
            let _ = writeln!(err, "Không mở được máy chủ ở {}: {e}", args.listen);
            Exit::Error
        }
    }
}
