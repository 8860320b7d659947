#!/usr/bin/env bash
# Re-fetches the released versions of real projects that still hold the
# fixed channel bugs of channels.md, runs boundvet's channel checks on the
# package of each, and prints FOUND or MISSED per bug; then runs the
# version that has the fix, where one is served, and prints SILENT or
# REPORTED (a report there would be a false one).
#
#   vet/testdata/bugs/channels.sh [DIR]
#
# DIR holds one scratch module per module@version (default:
# $TMPDIR/boundvet-bugs-channels); a module already fetched there is
# reused. Each boundvet run holds /tmp/corpus.lock, like corpus.sh.
set -uo pipefail
vet=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-${TMPDIR:-/tmp}/boundvet-bugs-channels}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
bv=$dir/boundvet
go -C "$vet" build -o "$bv" ./cmd/boundvet || exit 1

# check  module@version  package  where the report is expected (file:line
# from the module's root; for a fixed version, the file that must stay
# silent)
bugs=(
	"rangenoclose github.com/dgraph-io/badger@v1.5.3 github.com/dgraph-io/badger/y y/watermark.go:125"
	"rangenoclose github.com/apache/pulsar-client-go@v0.4.0 github.com/apache/pulsar-client-go/pulsar/internal pulsar/internal/connection.go:334"
	"orphansend github.com/hellofresh/health-go/v5@v5.5.4 github.com/hellofresh/health-go/v5 health.go:229"
	"orphansend github.com/google/cadvisor@v0.36.0 github.com/google/cadvisor/integration/runner integration/runner/runner.go:194"
	"orphansend github.com/weaviate/weaviate@v1.39.0 github.com/weaviate/weaviate/adapters/handlers/grpc/v1/batch adapters/handlers/grpc/v1/batch/stream.go:461"
	"orphansend github.com/lestrrat-go/backoff/v2@v2.0.7 github.com/lestrrat-go/backoff/v2 controller.go:64"
)
fixed=(
	"rangenoclose github.com/dgraph-io/badger@v1.6.0 github.com/dgraph-io/badger/y y/watermark.go"
	"rangenoclose github.com/apache/pulsar-client-go@v0.5.0 github.com/apache/pulsar-client-go/pulsar/internal pulsar/internal/connection.go"
	"orphansend github.com/lestrrat-go/backoff/v2@v2.0.8 github.com/lestrrat-go/backoff/v2 controller.go"
)

# run CHECK MODULE@VERSION PACKAGE: prints the module's directory, then
# boundvet's findings of CHECK on PACKAGE.
run() {
	local check=$1 mv=$2 pkg=$3
	local m=$dir/$(echo "$mv" | tr '/@' '__')
	if [ ! -f "$m/go.mod" ]; then
		mkdir -p "$m"
		printf 'module scratch\n\ngo 1.26\n' > "$m/go.mod"
		if ! (cd "$m" && GOFLAGS=-mod=mod go get "$mv") > "$m/get.log" 2>&1; then
			rm -f "$m/go.mod"
			return 1
		fi
	fi
	(cd "$m" && go list -m -f '{{.Dir}}' "${mv%@*}") || return 1
	(cd "$m" && GOFLAGS=-mod=mod flock /tmp/corpus.lock "$bv" -test=false "-$check" "$pkg" 2>&1)
	return 0
}

found=0 missed=0
for row in "${bugs[@]}"; do
	read -r check mv pkg want <<< "$row"
	if ! out=$(run "$check" "$mv" "$pkg"); then
		echo "FETCH-FAILED $check $mv"
		continue
	fi
	moddir=$(head -1 <<< "$out")
	if grep -q "^$moddir/$want:[0-9]*: $check: " <<< "$out"; then
		echo "FOUND  $check $mv $want"
		found=$((found + 1))
	else
		echo "MISSED $check $mv $want"
		missed=$((missed + 1))
	fi
done
for row in "${fixed[@]}"; do
	read -r check mv pkg file <<< "$row"
	if ! out=$(run "$check" "$mv" "$pkg"); then
		echo "FETCH-FAILED $check $mv"
		continue
	fi
	moddir=$(head -1 <<< "$out")
	if grep -q "^$moddir/$file:[0-9]*:[0-9]*: $check: " <<< "$out"; then
		echo "REPORTED $check $mv (fixed) $file"
	else
		echo "SILENT $check $mv (fixed) $file"
	fi
done
echo "$found found, $missed missed"
