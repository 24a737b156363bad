#!/usr/bin/env bash
# Fills corpus/<target>/ (git-ignored) with the seed corpus: every .hybrid
# file of the repository, every example folder as one folder program (a NUL
# byte, then its files joined by NUL bytes: see `program` in src/props.rs),
# and the hand-written seeds of seeds/<target>/. Files are named by their
# SHA-1, as libFuzzer names its own, so running it twice adds nothing.
# Usage: fuzz/seed.sh [TARGET...]   (default: parse_check build_output fmt)
set -euo pipefail
cd "$(dirname "$0")"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse_check build_output fmt)

add() { # add TARGET < bytes
    local tmp sum
    tmp=$(mktemp)
    cat >"$tmp"
    sum=$(sha1sum <"$tmp" | cut -c1-40)
    mv "$tmp" "corpus/$1/$sum"
}

for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    while IFS= read -r -d '' f; do
        add "$target" <"$f"
    done < <(find ../examples ../stdlib ../tests/diagnostics ../tests/constructs ../tests/programs \
        ../compiler/cli/tests/cmd -name '*.hybrid' -type f -print0)
    if [ "$target" != fmt ]; then
        for dir in ../examples/*/; do
            mapfile -d '' files < <(find "$dir" -name '*.hybrid' -type f -print0 | sort -z)
            [ ${#files[@]} -gt 1 ] || continue
            { for f in "${files[@]}"; do printf '\0'; cat "$f"; done; } | add "$target"
        done
    fi
    if [ -d "seeds/$target" ]; then
        for f in "seeds/$target"/*; do
            [ -f "$f" ] && add "$target" <"$f"
        done
    fi
    echo "corpus/$target: $(find "corpus/$target" -type f | wc -l) files"
done
