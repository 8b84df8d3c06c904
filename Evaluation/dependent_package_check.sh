#!/usr/bin/env bash
# Build a tiny package that depends on Lapis through `.package(path:)` (the lines the README's
# "Install" section gives), in a temporary folder, and run it: it classifies one story with the
# built-in model through the library API and prints the labels. Fails unless the program builds,
# prints "trade" among the labels, and the built-in model it loaded, written out again, is
# Models/default.lapis byte for byte.
# When `unshare` works (root), the program is run a second time from / with this checkout hidden
# under a tmpfs, to show that the dependent binary carries the model itself.
#
# Usage: bash Evaluation/dependent_package_check.sh
# Takes a few minutes: Lapis and swift-argument-parser are compiled again for the new package.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { printf 'dependent_package_check: %s\n' "$*" >&2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
app="$work/LapisUser"
mkdir -p "$app/Sources/lapis-user"

# The README's lines as they are: the checkout is reached as ../Lapis (a symbolic link here),
# and `package:` is the last component of that path.
ln -s "$root" "$work/Lapis"
cat > "$app/Package.swift" <<'SWIFT'
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "LapisUser",
    dependencies: [
        .package(path: "../Lapis"),
    ],
    targets: [
        .executableTarget(name: "lapis-user", dependencies: [.product(name: "Lapis", package: "Lapis")]),
    ]
)
SWIFT

cat > "$app/Sources/lapis-user/main.swift" <<'SWIFT'
import Foundation
import Lapis

// A story written for this check (no dataset text).
let story = Document(id: "1", title: "Ministers agree to cut tariffs on steel imports",
                     text: "Trade ministers agreed on Monday to cut import tariffs and quotas on steel. "
                         + "Exporters welcomed the deal, which ends a long trade dispute over duties and the trade deficit.")
let classifier = try TopicClassifier.loadDefault()
let prediction = classifier.predict(story)
print("labels: " + prediction.labels.joined(separator: ","))
if CommandLine.arguments.count > 1 {
    // The built-in model written out again, for the script to compare with Models/default.lapis.
    try Data(classifier.modelFile().serialized()).write(to: URL(fileURLWithPath: CommandLine.arguments[1]))
}
SWIFT

log "building $app against $root"
started=$SECONDS
(cd "$app" && swift build --product lapis-user >"$work/build.log" 2>&1) || { cat "$work/build.log" >&2; log "FAIL: the dependent package did not build"; exit 1; }
program="$(cd "$app" && swift build --show-bin-path)/lapis-user"
log "built in $((SECONDS - started)) s"

output="$(cd / && "$program" "$work/embedded.lapis")"
printf '%s\n' "$output"
case "$output" in
    *"labels: "*trade*) ;;
    *) log "FAIL: expected \"trade\" among the labels"; exit 1 ;;
esac
cmp "$work/embedded.lapis" "$root/Models/default.lapis" || { log "FAIL: the built-in model, written out, differs from Models/default.lapis"; exit 1; }

if unshare --mount true 2>/dev/null; then
    hidden="$(unshare --mount sh -c 'mount -t tmpfs lapis-hidden "$1" && cd / && "$2"' sh "$root" "$program")" \
        || { log "FAIL: the program failed with $root hidden"; exit 1; }
    [ "$hidden" = "$output" ] || { log "FAIL: with $root hidden the program printed: $hidden"; exit 1; }
    log "same labels with $root hidden under a tmpfs"
else
    log "unshare --mount is not available here: not rerun with the checkout hidden"
fi
log "PASS"
