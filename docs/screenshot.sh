#!/usr/bin/env bash
# Page 1 of the printable report of the sample list, as docs/bao-cao-trang-1.png
# (shown in the README). Needs Chromium; the time of the check is fixed so
# that the picture changes only when the report does.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
SOURCE_DATE_EPOCH=1796659200 cargo run -q -- check examples/danh-sach-mau.csv \
  --format html -o "$dir/bao-cao.html" || test $? -eq 1
chromium --headless --no-sandbox --disable-gpu --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$dir/profile" --hide-scrollbars --window-size=794,1123 \
  --screenshot="$dir/trang-1.png" "file://$dir/bao-cao.html" 2> /dev/null
cp "$dir/trang-1.png" docs/bao-cao-trang-1.png
