#!/usr/bin/env bash
# Recreates the corpus of real code that boundvet's precision is measured on
# (corpus.md), and runs boundvet over each module's packages, tests included.
#
#   vet/testdata/corpus.sh [DIR [OUT]]
#
# DIR holds the scratch modules that require the corpus modules; each is
# made from scratch if it has no go.mod (default: $TMPDIR/boundvet-corpus).
# The corpus modules come in groups, one scratch module per group: the nine
# modules of the first corpus share the scratch module DIR itself (so that
# their dependencies resolve as they did when they were first triaged), and
# every module added later has its own, DIR/GROUP, so that it cannot move
# the others' versions nor they its. OUT gets the findings (default:
# DIR/findings):
#   findings.tsv   one line per finding: check, module@version, file:line:col
#                  from the module's root, message (what corpus.md triages)
#   summary.txt    per module: packages, load errors, seconds, findings per check
#   MODULE.json, MODULE.err   boundvet's raw output per module
# Environment: BOUNDVET_FLAGS adds flags (e.g. "-barego -detachedctx -uselib"
# to run the opt-in checks too); MODULES="path ..." runs only those modules.
# Each boundvet run holds /tmp/corpus.lock, so that two corpus runs on this
# machine never overlap.
set -euo pipefail
vet=$(cd "$(dirname "$0")/.." && pwd)

# group, module@version, and one package of it for the scratch module to
# import. Group "." is DIR itself.
corpus=(
	". google.golang.org/grpc@v1.85.0 google.golang.org/grpc"
	". go.etcd.io/etcd/server/v3@v3.7.3 go.etcd.io/etcd/server/v3/etcdserver"
	". github.com/nats-io/nats-server/v2@v2.15.3 github.com/nats-io/nats-server/v2/server"
	". github.com/hashicorp/raft@v1.8.0 github.com/hashicorp/raft"
	". github.com/IBM/sarama@v1.61.1 github.com/IBM/sarama"
	". github.com/dgraph-io/badger/v4@v4.9.6 github.com/dgraph-io/badger/v4"
	". github.com/caddyserver/caddy/v2@v2.11.9 github.com/caddyserver/caddy/v2"
	". github.com/jackc/pgx/v5@v5.13.0 github.com/jackc/pgx/v5"
	". github.com/hashicorp/memberlist@v0.7.0 github.com/hashicorp/memberlist"
	"containerd github.com/containerd/containerd/v2@v2.4.2 github.com/containerd/containerd/v2/client"
	"prometheus github.com/prometheus/prometheus@v0.316.0 github.com/prometheus/prometheus/tsdb"
	"go-ethereum github.com/ethereum/go-ethereum@v1.17.10 github.com/ethereum/go-ethereum/eth"
	"etcd-client go.etcd.io/etcd/client/v3@v3.7.3 go.etcd.io/etcd/client/v3"
	"go-redis github.com/redis/go-redis/v9@v9.23.0 github.com/redis/go-redis/v9"
	"kafka-go github.com/segmentio/kafka-go@v0.4.51 github.com/segmentio/kafka-go"
	"pebble github.com/cockroachdb/pebble/v2@v2.1.7 github.com/cockroachdb/pebble/v2"
)

# group, and a module@version its scratch module must require besides:
# where the corpus modules' own requirements leave a test dependency that
# does not load.
pins=(
	# go-ethereum requires genproto of 2023-04, which still holds
	# googleapis/rpc; grpc, a test dependency, needs the split-off module:
	# "ambiguous import" until genproto is of after the split.
	"go-ethereum google.golang.org/genproto@v0.0.0-20261026165753-2ffab32bce7e"
)

dir=${1:-${TMPDIR:-/tmp}/boundvet-corpus}
out=${2:-$dir/findings}
mkdir -p "$dir" "$out"
dir=$(cd "$dir" && pwd)
out=$(cd "$out" && pwd)
cd "$dir"

# packages MODULE: the import paths of MODULE's own packages (not those of
# modules nested in it, such as grpc's examples).
packages() {
	go list -e -f '{{if and .Module (eq .Module.Path "'"$1"'")}}{{.ImportPath}}{{end}}' "$1/..."
}

# groups: the groups, in the order of the list.
groups() {
	for entry in "${corpus[@]}"; do echo "${entry%% *}"; done | awk '!seen[$0]++'
}

# entries GROUP: the entries of GROUP, without the group.
entries() {
	for entry in "${corpus[@]}"; do
		if [ "${entry%% *}" = "$1" ]; then echo "${entry#* }"; fi
	done
}

# scratch GROUP: makes GROUP's scratch module in the current directory.
scratch() {
	echo "== making the scratch module in $PWD"
	go mod init corpus
	go mod edit -go=1.26.0
	{
		echo '//go:build tools'
		echo
		echo '// Package corpus only requires the corpus modules.'
		echo 'package corpus'
		echo
		echo 'import ('
		while read -r mv pkg; do echo "	_ \"$pkg\""; done < <(entries "$1")
		echo ')'
	} > tools.go
	while read -r mv pkg; do go get "$mv"; done < <(entries "$1")
	go mod tidy
	# After tidy, which drops what the imported packages do not need.
	for pin in "${pins[@]}"; do
		if [ "${pin%% *}" = "$1" ]; then go get "${pin#* }"; fi
	done
	# The modules' tests need their test-only dependencies, which tidy
	# leaves out of a module that only imports them.
	while read -r mv pkg; do
		GOFLAGS=-mod=mod go list -deps -test $(packages "${mv%@*}") > /dev/null
	done < <(entries "$1")
}

for group in $(groups); do
	mkdir -p "$dir/$group"
	if [ ! -f "$dir/$group/go.mod" ]; then
		(cd "$dir/$group"; scratch "$group")
	fi
done

echo "== building boundvet from $vet"
go -C "$vet" build -o "$out/boundvet" ./cmd/boundvet
go -C "$vet" build -o "$out/corpusfmt" ./testdata/corpusfmt

: > "$out/findings.tsv"
printf '%-45s %8s %11s %8s  %s\n' module packages load-errors seconds "findings per check" > "$out/summary.txt"
for entry in "${corpus[@]}"; do
	read -r group mv _ <<< "$entry"
	m=${mv%@*}
	if [ -n "${MODULES:-}" ] && [[ " $MODULES " != *" $m "* ]]; then continue; fi
	cd "$dir/$group"
	v=$(go list -m -f '{{.Version}}' "$m")
	if [ "$m@$v" != "$mv" ]; then
		echo "$PWD requires $m@$v, not $mv: remake it (remove $PWD/go.mod)" >&2; exit 1
	fi
	moddir=$(go list -m -f '{{.Dir}}' "$m")
	name=$(echo "$m" | tr '/' '_')
	pkgs=$(packages "$m")
	echo "== boundvet on $mv ($(echo "$pkgs" | wc -w) packages)"
	# With -json the exit code is 1 only when something failed to load or
	# run; that is counted, not fatal. The time is taken inside the lock.
	flock /tmp/corpus.lock bash -c 'start=$(date +%s%N); "$@"; echo $(($(date +%s%N) - start)) > "$0"' \
		"$out/$name.ns" "$out/boundvet" -json ${BOUNDVET_FLAGS:-} $pkgs > "$out/$name.json" 2> "$out/$name.err" || true
	secs=$(awk '{ printf "%.1f", $1 / 1e9 }' "$out/$name.ns")
	"$out/corpusfmt" "$mv" "$moddir" < "$out/$name.json" 2>> "$out/$name.err" > "$out/$name.tsv"
	cat "$out/$name.tsv" >> "$out/findings.tsv"
	counts=$(cut -f1 "$out/$name.tsv" | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')
	printf '%-45s %8s %11s %8s  %s\n' "$mv" "$(echo "$pkgs" | wc -w)" "$(grep -c . "$out/$name.err" || true)" "$secs" "${counts:-none}" >> "$out/summary.txt"
done
{
	echo
	echo "findings per check, all modules:"
	cut -f1 "$out/findings.tsv" | sort | uniq -c
} >> "$out/summary.txt"
cat "$out/summary.txt"
echo "findings: $out/findings.tsv"
