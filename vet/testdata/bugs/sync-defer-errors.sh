#!/usr/bin/env bash
# Re-fetches the released versions that still carry the real, fixed bugs of
# sync-defer-errors.md (beside this file) and runs boundvet's check on the
# package of each, printing FOUND or MISSED per row: FOUND when boundvet
# reports the bug's file and line. Then it runs the release with the fix,
# where the module proxy serves one, and prints SILENT there (REPORTED
# would be a false report).
#
#   vet/testdata/bugs/sync-defer-errors.sh [DIR]
#
# DIR holds one scratch module per module@version (default:
# $TMPDIR/boundvet-bugs-sde); they are made on first use and kept. GOSUMDB
# is off in them: a few old dependencies (openfga's API protos) are served
# by the module proxy but not listed in the checksum database. Each
# boundvet run holds /tmp/corpus.lock, as the corpus runs do.
# CHECKS="errassert ..." runs only the rows of those checks.
set -uo pipefail
vet=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-${TMPDIR:-/tmp}/boundvet-bugs-sde}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
go -C "$vet" build -o "$dir/boundvet" ./cmd/boundvet || exit 1
export GOFLAGS=-mod=mod GOSUMDB=off

# check | module@version | package | file:line of the bug in that version
rows=(
	"nowait|github.com/openfga/openfga@v1.4.0|github.com/openfga/openfga/pkg/server/commands/reverseexpand|pkg/server/commands/reverseexpand/reverse_expand.go:448"
	"nowait|github.com/nats-io/nats-server/v2@v2.12.2|github.com/nats-io/nats-server/v2/server|server/mqtt_test.go:703"
	"addinside|github.com/sercand/kuberesolver/v5@v5.1.0|github.com/sercand/kuberesolver/v5|builder.go:165"
	"addinside|github.com/coredns/coredns@v1.6.5|github.com/coredns/coredns/plugin/transfer|plugin/transfer/transfer.go:113"
	"deferloop|sigs.k8s.io/kubebuilder/v4@v4.5.0|sigs.k8s.io/kubebuilder/v4/pkg/plugins/external|pkg/plugins/external/helpers.go:184"
	"deferloop|sigs.k8s.io/controller-runtime@v0.22.4|sigs.k8s.io/controller-runtime/pkg/internal/testing/addr|pkg/internal/testing/addr/manager.go:134"
	"deferclobber|github.com/tus/tusd@v1.8.0|github.com/tus/tusd/pkg/filestore|pkg/filestore/filestore.go:162"
	"ctxvalue|github.com/qmuntal/stateless@v1.4.0|github.com/qmuntal/stateless|config.go:17"
	"ctxvalue|github.com/caddyserver/caddy/v2@v2.6.2|github.com/caddyserver/caddy/v2/modules/caddyhttp/reverseproxy/fastcgi|modules/caddyhttp/reverseproxy/fastcgi/fastcgi.go:276"
	"errassert|sigs.k8s.io/kubebuilder/v4@v4.10.1|sigs.k8s.io/kubebuilder/v4/pkg/machinery|pkg/machinery/scaffold.go:240"
	"errassert|github.com/containerd/ttrpc@v1.0.1|github.com/containerd/ttrpc|client.go:342"
)

# The release with the fix, where the module proxy serves one: check |
# module@version | package | the file that must stay silent.
fixed=(
	"errassert|sigs.k8s.io/kubebuilder/v4@v4.16.0|sigs.k8s.io/kubebuilder/v4/pkg/machinery|pkg/machinery/scaffold.go"
)

# scratch MODULE@VERSION: the scratch module that requires it (made on
# first use), printed.
scratch() {
	local m="$dir/$(echo "$1" | tr '/@' '__')"
	if [ ! -f "$m/go.mod" ]; then
		mkdir -p "$m"
		(cd "$m" && go mod init bugs >/dev/null 2>&1 && go mod edit -go=1.26.0 && go get "$1" >/dev/null 2>&1)
	fi
	echo "$m"
}

found=0 ran=0
for row in "${rows[@]}"; do
	IFS='|' read -r check mv pkg loc <<<"$row"
	if [ -n "${CHECKS:-}" ] && [[ " $CHECKS " != *" $check "* ]]; then continue; fi
	ran=$((ran + 1))
	m=$(scratch "$mv")
	moddir=$(cd "$m" && go list -m -f '{{.Dir}}' "${mv%@*}" 2>/dev/null)
	out=$(cd "$m" && flock /tmp/corpus.lock "$dir/boundvet" "-$check" "$pkg" 2>&1)
	if [ -n "$moddir" ] && grep -qF "$moddir/$loc:" <<<"$out"; then
		result=FOUND
		found=$((found + 1))
	else
		result=MISSED
		if [ -z "$moddir" ] || grep -q "failed prerequisites\|could not import\|cannot find" <<<"$out"; then
			result="MISSED (did not load: $(grep -m1 . <<<"$out"))"
		fi
	fi
	printf '%-12s %-45s %-70s %s\n' "$check" "$mv" "$loc" "$result"
done
for row in "${fixed[@]}"; do
	IFS='|' read -r check mv pkg file <<<"$row"
	if [ -n "${CHECKS:-}" ] && [[ " $CHECKS " != *" $check "* ]]; then continue; fi
	m=$(scratch "$mv")
	moddir=$(cd "$m" && go list -m -f '{{.Dir}}' "${mv%@*}" 2>/dev/null)
	out=$(cd "$m" && flock /tmp/corpus.lock "$dir/boundvet" "-$check" "$pkg" 2>&1)
	if [ -z "$moddir" ] || grep -q "failed prerequisites\|could not import\|cannot find" <<<"$out"; then
		result="DID NOT LOAD: $(grep -m1 . <<<"$out")"
	elif grep -qF "$moddir/$file:" <<<"$out"; then
		result=REPORTED
	else
		result=SILENT
	fi
	printf '%-12s %-45s %-70s %s\n' "$check" "$mv (fixed)" "$file" "$result"
done
echo "$found of $ran found"
