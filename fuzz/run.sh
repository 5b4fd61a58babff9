#!/bin/sh
# Run the atheris fuzz targets for a fixed time each (default 60 s): fuzz/run.sh [SECONDS]
# Needs `pip install atheris` (not a project dependency). Crashes are written to fuzz/crashes/.
set -eu
cd "$(dirname "$0")"
SECONDS_EACH="${1:-60}"
PYTHON="${PYTHON:-python}"
mkdir -p corpus/readers corpus/packs crashes
# seed the corpora from the repository's own files (copies, so the fuzzer may add to them)
cp ../tests/corpus/*.md ../tests/corpus/*.html ../tests/corpus/*.txt corpus/readers/ 2>/dev/null || true
cp ../rules/*.yaml corpus/packs/ 2>/dev/null || true
status=0
for target in readers packs; do
    echo "== fuzz_$target.py for ${SECONDS_EACH}s"
    "$PYTHON" "fuzz_$target.py" "corpus/$target" -max_total_time="$SECONDS_EACH" -timeout=20 \
        -rss_limit_mb=4096 -max_len=65536 -artifact_prefix=crashes/ -print_final_stats=1 || status=$?
done
exit $status
