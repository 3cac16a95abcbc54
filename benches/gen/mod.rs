//! The benchmark candidate lists (`candidates_<label>.csv`): synthetic
//! Vietnamese civil-service award proposals, one person per row, grouped in
//! units of about 50 people. The output is byte-identical to the shared
//! reference generator (`shared/bench/gen.py`) for the same row count and
//! seed, so every program in the comparison reads the same bytes and the
//! reference results of `shared/bench/RULES.md` apply.
//!
//! Format: UTF-8 without BOM, NFC, LF line endings, fields quoted only when
//! they hold a comma, a double quote, CR or LF (embedded quotes doubled).
//!
//! Randomness is CPython's `random.Random(seed * 1_000_003 + rows)`, using
//! only `random()`: MT19937 seeded by `init_by_array` over the 32-bit words
//! of the seed, 53-bit floats from two outputs.

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// Standard list sizes: file label and row count.
pub const SIZES: [(&str, u64); 4] = [
    ("10k", 10_000),
    ("100k", 100_000),
    ("1m", 1_000_000),
    ("2_5m", 2_500_000),
];

/// Seed of the reference lists.
pub const DEFAULT_SEED: u64 = 20250101;

const PEOPLE_PER_UNIT: u64 = 50;

/// `dir/candidates_<label>.csv` for `rows` rows and the default seed,
/// written (through a temporary file renamed into place) only when missing.
pub fn ensure(dir: &Path, label: &str, rows: u64) -> io::Result<PathBuf> {
    let path = dir.join(format!("candidates_{label}.csv"));
    if path.exists() {
        return Ok(path);
    }
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!("candidates_{label}.csv.{}.tmp", std::process::id()));
    let result = File::create(&tmp).and_then(|mut f| {
        generate(rows, DEFAULT_SEED, &mut f)?;
        f.sync_all()
    });
    match result.and_then(|()| std::fs::rename(&tmp, &path)) {
        Ok(()) => Ok(path),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

// ---------------------------------------------------------------------------
// Random numbers: CPython's `random.Random` (MT19937)

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER: u32 = 0x8000_0000;
const LOWER: u32 = 0x7fff_ffff;

/// The generator behind CPython's `random.Random(seed)` for a non-negative
/// integer seed; only `random()` is provided.
pub struct PyRandom {
    mt: [u32; N],
    next: usize,
}

impl PyRandom {
    pub fn new(seed: u128) -> Self {
        // The key is the seed's 32-bit words, least significant first; the
        // seed 0 gives the key [0].
        let mut key = [0u32; 4];
        let mut len = 0;
        let mut s = seed;
        loop {
            key[len] = s as u32;
            len += 1;
            s >>= 32;
            if s == 0 {
                break;
            }
        }
        let mut r = PyRandom {
            mt: [0; N],
            next: N,
        };
        r.init_by_array(&key[..len]);
        r
    }

    fn init_genrand(&mut self, s: u32) {
        self.mt[0] = s;
        for i in 1..N {
            let p = self.mt[i - 1];
            self.mt[i] = 1_812_433_253u32
                .wrapping_mul(p ^ (p >> 30))
                .wrapping_add(i as u32);
        }
        self.next = N;
    }

    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..N.max(key.len()) {
            let p = self.mt[i - 1];
            self.mt[i] = (self.mt[i] ^ (p ^ (p >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.mt[0] = self.mt[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let p = self.mt[i - 1];
            self.mt[i] =
                (self.mt[i] ^ (p ^ (p >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.mt[0] = self.mt[N - 1];
                i = 1;
            }
        }
        self.mt[0] = 0x8000_0000;
    }

    fn twist(&mut self) {
        let mix = |a: u32, b: u32, c: u32| {
            let y = (a & UPPER) | (b & LOWER);
            c ^ (y >> 1) ^ if y & 1 == 1 { MATRIX_A } else { 0 }
        };
        for k in 0..N - M {
            self.mt[k] = mix(self.mt[k], self.mt[k + 1], self.mt[k + M]);
        }
        for k in N - M..N - 1 {
            self.mt[k] = mix(self.mt[k], self.mt[k + 1], self.mt[k + M - N]);
        }
        self.mt[N - 1] = mix(self.mt[N - 1], self.mt[0], self.mt[M - 1]);
        self.next = 0;
    }

    fn next_u32(&mut self) -> u32 {
        if self.next >= N {
            self.twist();
        }
        let mut y = self.mt[self.next];
        self.next += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// A float in [0, 1) with 53 random bits (`random.random()`).
    pub fn random(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (f64::from(a) * 67_108_864.0 + f64::from(b)) / 9_007_199_254_740_992.0
    }

    /// `int(random() * n)`.
    fn below(&mut self, n: usize) -> usize {
        (self.random() * n as f64) as usize
    }
}

// ---------------------------------------------------------------------------
// Vocabulary

const HEADER: [&str; 12] = [
    "ma_can_bo",
    "ho_ten",
    "don_vi",
    "chuc_vu",
    "la_lanh_dao",
    "xep_loai",
    "so_thang_cong_tac",
    "so_ngay_nghi",
    "ky_luat",
    "co_sang_kien",
    "de_nghi",
    "diem",
];

/// Surnames with their share in per cent (cumulated in this order).
const HO: [(&str, f64); 24] = [
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 3.0),
    ("Huỳnh", 2.0),
    ("Phan", 4.5),
    ("Vũ", 2.0),
    ("Võ", 1.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 1.0),
    ("Trịnh", 0.8),
    ("Lương", 0.6),
    ("Mai", 0.5),
    ("Cao", 0.5),
    ("Đoàn", 0.6),
    ("Tạ", 0.3),
    ("Lâm", 0.4),
];

const DEM: [&str; 30] = [
    "Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Xuân", "Thu", "Hoàng", "Anh",
    "Kim", "Phương", "Quốc", "Tuấn", "Thùy", "Bảo", "Gia", "Khánh", "Hồng", "Mạnh", "Trọng",
    "Thành", "Diệu", "Mỹ", "Hải", "Công", "Việt", "Như",
];

const TEN: [&str; 60] = [
    "Anh", "Hùng", "Dũng", "Hương", "Lan", "Phương", "Thảo", "Trang", "Linh", "Nam", "Quân",
    "Tuấn", "Hải", "Hà", "Hạnh", "Huyền", "Giang", "Long", "Mai", "Ngọc", "Nhung", "Oanh", "Phúc",
    "Quỳnh", "Sơn", "Tâm", "Thắng", "Thủy", "Trung", "Tú", "Vân", "Việt", "Yến", "Đạt", "Đức",
    "Khánh", "Cường", "Bình", "Châu", "Dương", "Hiếu", "Hòa", "Huy", "Khoa", "Lộc", "Minh", "Nga",
    "Nhân", "Phong", "Quang", "Thành", "Thịnh", "Tiến", "Toàn", "Uyên", "Vinh", "Xuân", "Loan",
    "Hằng", "Ánh",
];

const PHONG: [&str; 20] = [
    "Văn phòng",
    "Phòng Tổ chức cán bộ",
    "Phòng Kế hoạch - Tài chính",
    "Phòng Thanh tra",
    "Phòng Pháp chế",
    "Phòng Quản lý đô thị",
    "Phòng Tài nguyên và Môi trường",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Y tế",
    "Phòng Văn hóa và Thông tin",
    "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Phòng Kinh tế",
    "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Công thương",
    "Phòng Dân tộc",
    "Phòng Quản lý xây dựng",
    "Phòng Cải cách hành chính",
    "Phòng Công tác thanh niên",
];

const CO_QUAN: [&str; 20] = [
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Xây dựng",
    "Sở Giao thông vận tải",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Tài nguyên và Môi trường",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Thông tin và Truyền thông",
    "Sở Khoa học và Công nghệ",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Thanh tra",
    "Văn phòng Ủy ban nhân dân",
    "Ban Dân tộc",
    "Sở Ngoại vụ",
    "Văn phòng Đoàn Đại biểu Quốc hội và Hội đồng nhân dân",
];

/// The five centrally governed cities, then the provinces (prefixed "tỉnh ").
const THANH_PHO: [&str; 5] = [
    "thành phố Hà Nội",
    "Thành phố Hồ Chí Minh",
    "thành phố Hải Phòng",
    "thành phố Đà Nẵng",
    "thành phố Cần Thơ",
];

const TINH: [&str; 58] = [
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Tĩnh",
    "Hải Dương",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
];

/// Posts by upper bound of the draw; the first `LEADER_POSTS` are
/// leadership posts (about 20 % in all).
const CHUC_VU: [(f64, &str); 7] = [
    (0.02, "Giám đốc"),
    (0.05, "Phó Giám đốc"),
    (0.11, "Trưởng phòng"),
    (0.20, "Phó Trưởng phòng"),
    (0.85, "Chuyên viên"),
    (0.97, "Chuyên viên chính"),
    (1.01, "Cán sự"),
];
const LEADER_POSTS: usize = 4;

/// Ratings, indexed by `Rating as usize`.
const XEP_LOAI: [&str; 4] = [
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
];

#[derive(Clone, Copy, PartialEq)]
enum Rating {
    Htxs,
    Htt,
    Htnv,
    Kht,
}

/// Rating by upper bound of the draw, with its score range in tenths
/// (`lo..hi`).
const RATINGS: [(f64, (Rating, u32, u32)); 4] = [
    (0.20, (Rating::Htxs, 900, 1001)),
    (0.80, (Rating::Htt, 750, 950)),
    (0.95, (Rating::Htnv, 600, 800)),
    (1.01, (Rating::Kht, 300, 650)),
];

const KY_LUAT: [&str; 5] = [
    "Khiển trách",
    "Cảnh cáo",
    "Hạ bậc lương",
    "Giáng chức",
    "Cách chức",
];

const CO: &str = "Có";
const KHONG: &str = "Không";

/// Proposals, indexed by `Award as usize`; `Award::None` is the empty cell.
const DE_NGHI: [&str; 5] = [
    "Lao động tiên tiến",
    "Chiến sĩ thi đua cơ sở",
    "Bằng khen",
    "Giấy khen",
    "",
];

#[derive(Clone, Copy)]
enum Award {
    Ldtt,
    Cstd,
    Bk,
    Gk,
    None,
}

/// Share of rows whose proposal is drawn at random (the errors to catch).
const NOISE: f64 = 0.03;

const DE_NGHI_ANY: [(f64, Award); 4] = [
    (0.40, Award::Ldtt),
    (0.60, Award::Gk),
    (0.80, Award::Cstd),
    (1.01, Award::Bk),
];

const DE_NGHI_NOT_ELIGIBLE: [(f64, Award); 5] = [
    (0.10, Award::Ldtt),
    (0.12, Award::Gk),
    (0.14, Award::Cstd),
    (0.15, Award::Bk),
    (1.01, Award::None),
];

/// The first entry whose bound exceeds `r`, else the last.
fn pick<T: Copy>(table: &[(f64, T)], r: f64) -> T {
    table
        .iter()
        .find(|(bound, _)| r < *bound)
        .unwrap_or(&table[table.len() - 1])
        .1
}

/// The proposal for a row that is not noise: what it mostly qualifies for,
/// with leaders over-represented among Bằng khen / Giấy khen.
fn de_nghi(
    eligible: bool,
    htxs: bool,
    sang_kien: bool,
    tenths: u32,
    leader: bool,
    r: f64,
) -> Award {
    use Award::*;
    if !eligible {
        pick(&DE_NGHI_NOT_ELIGIBLE, r)
    } else if htxs && sang_kien {
        let bk = if leader { 0.85 } else { 0.70 };
        pick(&[(0.60, Cstd), (bk, Bk), (0.97, Ldtt), (1.01, None)], r)
    } else if htxs {
        let (bk, gk) = if leader { (0.30, 0.30) } else { (0.08, 0.15) };
        pick(&[(bk, Bk), (bk + gk, Gk), (0.93, Ldtt), (1.01, None)], r)
    } else if tenths >= 850 {
        let gk = if leader { 0.40 } else { 0.10 };
        pick(&[(gk, Gk), (0.90, Ldtt), (1.01, None)], r)
    } else {
        pick(&[(0.90, Ldtt), (1.01, None)], r)
    }
}

// ---------------------------------------------------------------------------
// Output

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// One CSV field as written: quoted when it holds a comma, a double quote,
/// CR or LF, with embedded quotes doubled.
fn field(s: &str) -> Vec<u8> {
    let s = nfc(s);
    if !s.contains([',', '"', '\r', '\n']) {
        return s.into_bytes();
    }
    let mut out = Vec::with_capacity(s.len() + 2);
    out.push(b'"');
    for b in s.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
    out
}

fn fields(xs: &[&str]) -> Vec<Vec<u8>> {
    xs.iter().map(|x| field(x)).collect()
}

/// Unit `i`: office, agency, province, cycling fastest through the office;
/// past every combination a " (cơ sở k)" suffix tells the copies apart.
fn unit_name(i: usize) -> String {
    let (np, nc, nt) = (PHONG.len(), CO_QUAN.len(), THANH_PHO.len() + TINH.len());
    let t = (i / (np * nc)) % nt;
    let mut name = format!("{}, {} ", PHONG[i % np], CO_QUAN[(i / np) % nc]);
    match THANH_PHO.get(t) {
        Some(city) => name.push_str(city),
        None => {
            name.push_str("tỉnh ");
            name.push_str(TINH[t - THANH_PHO.len()]);
        }
    }
    let k = i / (np * nc * nt);
    if k > 0 {
        name.push_str(&format!(" (cơ sở {})", k + 1));
    }
    name
}

fn push_uint(buf: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend(std::iter::repeat_n(b'0', width.saturating_sub(len)));
    buf.extend(digits[..len].iter().rev());
}

/// Writes the list of `rows` candidates drawn with `seed` to `out` (which
/// need not be buffered: rows are written in blocks of about 1 MiB).
pub fn generate(rows: u64, seed: u64, out: &mut impl Write) -> io::Result<()> {
    let mut rng = PyRandom::new(u128::from(seed) * 1_000_003 + u128::from(rows));
    let n_units = rows.div_ceil(PEOPLE_PER_UNIT).max(1) as usize;
    let units: Vec<Vec<u8>> = (0..n_units).map(|i| field(&unit_name(i))).collect();

    let mut ho_cum = [0.0f64; HO.len()];
    let mut acc = 0.0;
    for (cum, (_, w)) in ho_cum.iter_mut().zip(HO) {
        acc += w;
        *cum = acc;
    }
    let ho_total = acc;
    let ho = fields(&HO.map(|(h, _)| h));
    let (dem, ten) = (fields(&DEM), fields(&TEN));
    let chuc_vu = fields(&CHUC_VU.map(|(_, c)| c));
    let (xep_loai, ky_luat, de_nghi_text) = (fields(&XEP_LOAI), fields(&KY_LUAT), fields(&DE_NGHI));
    let (co, khong) = (field(CO), field(KHONG));
    // A name is written from its three parts unquoted, so none may need quotes.
    assert!(
        [&ho, &dem, &ten]
            .iter()
            .all(|xs| xs.iter().all(|x| x.first() != Some(&b'"'))),
        "name parts must not need quoting"
    );

    const FLUSH_AT: usize = 1 << 20;
    let mut buf: Vec<u8> = Vec::with_capacity(FLUSH_AT + 4096);
    for (k, h) in fields(&HEADER).iter().enumerate() {
        if k > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(h);
    }
    buf.push(b'\n');

    for i in 1..=rows {
        let r = rng.random() * ho_total;
        let mut j = 0;
        while j + 1 < ho_cum.len() && r >= ho_cum[j] {
            j += 1;
        }
        let d = rng.below(dem.len());
        let t = rng.below(ten.len());
        let unit = rng.below(n_units);
        let r = rng.random();
        let mut post = 0;
        while post + 1 < CHUC_VU.len() && r >= CHUC_VU[post].0 {
            post += 1;
        }
        let leader = post < LEADER_POSTS;
        let (rating, lo, hi) = pick(&RATINGS, rng.random());
        let tenths = lo + rng.below((hi - lo) as usize) as u32;
        let thang = if rng.random() < 0.85 {
            12
        } else {
            1 + rng.below(11)
        };
        let r = rng.random();
        let nghi = if r < 0.90 {
            rng.below(16)
        } else if r < 0.97 {
            16 + rng.below(30)
        } else {
            46 + rng.below(75)
        };
        let discipline = if rng.random() < 0.97 {
            None
        } else {
            Some(rng.below(KY_LUAT.len()))
        };
        let htxs = rating == Rating::Htxs;
        let sang_kien = rng.random() < if htxs { 0.60 } else { 0.20 };
        let eligible = matches!(rating, Rating::Htxs | Rating::Htt)
            && thang >= 10
            && nghi < 40
            && discipline.is_none();
        let award = if rng.random() < NOISE {
            pick(&DE_NGHI_ANY, rng.random())
        } else {
            de_nghi(eligible, htxs, sang_kien, tenths, leader, rng.random())
        };

        buf.extend_from_slice(b"CB");
        push_uint(&mut buf, i, 7);
        buf.push(b',');
        buf.extend_from_slice(&ho[j]);
        buf.push(b' ');
        buf.extend_from_slice(&dem[d]);
        buf.push(b' ');
        buf.extend_from_slice(&ten[t]);
        for part in [
            &units[unit],
            &chuc_vu[post],
            if leader { &co } else { &khong },
            &xep_loai[rating as usize],
        ] {
            buf.push(b',');
            buf.extend_from_slice(part);
        }
        buf.push(b',');
        push_uint(&mut buf, thang as u64, 1);
        buf.push(b',');
        push_uint(&mut buf, nghi as u64, 1);
        buf.push(b',');
        if let Some(k) = discipline {
            buf.extend_from_slice(&ky_luat[k]);
        }
        for part in [
            if sang_kien { &co } else { &khong },
            &de_nghi_text[award as usize],
        ] {
            buf.push(b',');
            buf.extend_from_slice(part);
        }
        buf.push(b',');
        push_uint(&mut buf, u64::from(tenths / 10), 1);
        buf.push(b'.');
        push_uint(&mut buf, u64::from(tenths % 10), 1);
        buf.push(b'\n');

        if buf.len() >= FLUSH_AT {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)?;
    out.flush()
}
