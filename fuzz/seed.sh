#!/usr/bin/env bash
# Seeds the fuzz corpora from the project's own rule files and lists.
# Usage: fuzz/seed.sh   (from the repository root; adds, never removes)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/quy_tac fuzz/corpus/danh_sach fuzz/corpus/kiem_tra
seed() { # DIR FILE: copy under a name made of the file's hash
  local h
  h=$(sha1sum "$2" | cut -c1-16)
  cp "$2" "fuzz/corpus/$1/seed-$h"
}
while IFS= read -r f; do seed quy_tac "$f"; done < <(find rules tests examples -name '*.tdkt' -size -64k)
while IFS= read -r f; do
  seed danh_sach "$f"
  seed kiem_tra "$f"
done < <(find tests/fixtures examples -name '*.csv' -size -64k; find tests/fixtures -name '*.xlsx' -size -64k)
