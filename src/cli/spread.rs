//! `--threads` and `--piece-size`: how the engine spreads a list over
//! threads.

use crate::engine::{Check, default_threads};
use clap::Args;

/// How a list is spread over threads.
#[derive(Debug, Clone, Copy, Args)]
pub struct Spread {
    /// Số luồng: 1 là đọc và xét trên một luồng; từ 2 trở lên, danh sách
    /// lớn được chia thành từng phần để các luồng cùng xét (mặc định: số
    /// nhân của máy)
    #[arg(long, value_name = "N", default_value_t = default_threads(), hide_default_value = true, value_parser = positive)]
    pub threads: std::num::NonZeroUsize,
    /// Cỡ mỗi phần, tính bằng byte (mặc định: chọn theo cỡ tệp, và danh
    /// sách dưới 1 MiB không chia)
    #[arg(long, value_name = "BYTE", hide = true, value_parser = positive)]
    pub piece_size: Option<std::num::NonZeroUsize>,
}

impl Spread {
    /// `n` threads, pieces as the list's size says.
    pub fn threads(n: usize) -> Spread {
        Spread {
            threads: std::num::NonZeroUsize::new(n).unwrap_or(std::num::NonZeroUsize::MIN),
            piece_size: None,
        }
    }

    /// `check` spread this way.
    pub(super) fn apply<'a>(&self, check: Check<'a>) -> Check<'a> {
        check
            .threads(self.threads.get())
            .piece_size(self.piece_size)
    }
}

/// A whole number from 1, with a Vietnamese message otherwise.
fn positive(s: &str) -> Result<std::num::NonZeroUsize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) => std::num::NonZeroUsize::new(n)
            .ok_or_else(|| "cần một số nguyên từ 1 trở lên".to_string()),
        Err(_) => Err("cần một số nguyên dương, ví dụ 4".to_string()),
    }
}
