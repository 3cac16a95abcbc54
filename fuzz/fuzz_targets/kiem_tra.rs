//! A whole check of a small rule set with a linked history table: the
//! bytes hold the list and the history, split at the first 0xFF byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use tdkt::{Check, ListSource, Rules};

const RULES_TEXT: &str = r#"
rules "Kiểm tra nhỏ" effective 2024-01-01
source luat = "Luật"
enum XepLoai ordered {
  HTNV = "Hoàn thành nhiệm vụ"
  HTT  = "Hoàn thành tốt nhiệm vụ"
  HTXS = "Hoàn thành xuất sắc nhiệm vụ"
}
enum DeNghi {
  LDTT = "Lao động tiên tiến" alias "LĐTT"
  CS   = "Chiến sĩ thi đua cơ sở" alias "CSTĐCS"
}
param ty_le: percent = 15% cite luat "Điều 1"
table ca_nhan "Cá nhân" key ma year nam_xet {
  ma       text     "Mã"
  ho_ten   text?    "Họ và tên"
  don_vi   text     "Đơn vị"
  nam_xet  int?     in 2000..2100 "Năm xét"
  xep_loai XepLoai  "Xếp loại"
  thang    int      in 0..12 "Số tháng" absent 12
  de_nghi  DeNghi?  "Đề nghị" alias "Danh hiệu"
}
table lich_su "Lịch sử" year nam {
  ma       text ref ca_nhan "Mã"
  nam      int in 1990..2100 "Năm"
  danh_hieu DeNghi? "Danh hiệu"
}
award LDTT "Lao động tiên tiến" for ca_nhan where de_nghi = LDTT {
  require xep_loai >= HTT "Hoàn thành tốt" cite luat "Điều 2"
  require thang >= 10 "Đủ 10 tháng" cite luat "Điều 3"
}
award CS "Chiến sĩ thi đua cơ sở" for ca_nhan where de_nghi = CS {
  require meets LDTT "Đạt LĐTT" cite luat "Điều 4"
  require xep_loai = HTXS or streak(lich_su where danh_hieu = CS) >= 2 "HTXS" cite luat "Điều 5"
}
rate R "CSTĐCS không quá {ty_le} số LĐTT" per don_vi {
  count(proposed CS) <= ty_le of count(meets LDTT) rounding down cite luat "Điều 6"
}
"#;

static RULES: LazyLock<Rules> =
    LazyLock::new(|| Rules::from_text("kiem-tra.tdkt", RULES_TEXT, &[]).expect("the rules load"));

fuzz_target!(|data: &[u8]| {
    let (list, history) = match data.iter().position(|&b| b == 0xff) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    };
    let Ok(mut check) = Check::new(&RULES).list(ListSource::bytes("ds.csv", list.to_vec())) else {
        return;
    };
    if let Some(h) = history {
        let Ok(c) = check.table("lich_su", ListSource::bytes("ls.csv", h.to_vec())) else {
            return;
        };
        check = c;
    }
    if let Ok(checked) = check.threads(2).piece_size(std::num::NonZeroUsize::new(64)).run() {
        let _ = tdkt::report::text::render(&checked.report);
        let mut json = Vec::new();
        tdkt::report::json::write_report(&mut json, &checked.report, 2).expect("JSON to memory");
    }
});
