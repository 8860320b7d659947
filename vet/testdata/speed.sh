#!/usr/bin/env bash
# Measures boundvet against staticcheck v0.8.2 on the same packages: the
# library (./... from the repository root) and two corpus modules, grpc and
# etcd's server. boundvet must take at most half of staticcheck's time.
#
#   vet/testdata/speed.sh [RUNS]      (default 3 runs of each tool on each set)
#   SETS="library grpc" vet/testdata/speed.sh 1     (only those sets)
#
# Fairness: both tools run with tests (their default), their default checks,
# and the same warm Go build cache (both ask go list for the packages;
# neither uses compiled export data for analysis). Staticcheck keeps its own
# cache of facts and results between runs, so each of its runs gets a fresh
# empty one (XDG_CACHE_HOME and STATICCHECK_CACHE under a new temporary
# directory); boundvet has no cache. One unmeasured run of each tool warms
# the build cache first. Runs alternate between the tools. After each fresh
# staticcheck run, staticcheck runs once more on the cache it filled: that
# time is printed for the record (sc-warm), as what a CI with a kept
# staticcheck cache sees on unchanged code; it is not the criterion. Wall and CPU
# (user+sys) time come from /usr/bin/time; the medians are compared. The
# corpus is CORPUS (default /work/corpus, see corpus.sh). The whole run holds
# /tmp/bench.lock. Then one boundvet run with -debug=tp (checks one at a
# time) gives the time of each check, and a CPU profile is left in OUT
# (default $TMPDIR/boundvet-speed) for go tool pprof. The last measurement
# is in speed-results.txt beside this script.
set -euo pipefail
if [ -z "${SPEED_LOCKED:-}" ]; then
	exec env SPEED_LOCKED=1 flock /tmp/bench.lock bash "$(cd "$(dirname "$0")" && pwd)/$(basename "$0")" "$@"
fi
vet=$(cd "$(dirname "$0")/.." && pwd)
root=$(dirname "$vet")
corpus=${CORPUS:-/work/corpus}
runs=${1:-3}
out=${OUT:-${TMPDIR:-/tmp}/boundvet-speed}
mkdir -p "$out"
export PATH="$(go env GOPATH)/bin:$PATH"

go -C "$vet" build -o "$out/boundvet" ./cmd/boundvet
go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
staticcheck -version

modpkgs() { # the packages of module $1, from the corpus
	(cd "$corpus" && go list -e -f '{{if and .Module (eq .Module.Path "'"$1"'")}}{{.ImportPath}}{{end}}' "$1/...") | tr '\n' ' '
}
names=(library grpc etcd-server)
dirs=("$root" "$corpus" "$corpus")
pkgs=("./..." "$(modpkgs google.golang.org/grpc)" "$(modpkgs go.etcd.io/etcd/server/v3)")
if [ -n "${SETS:-}" ]; then # SETS="library grpc" measures only those
	for i in "${!names[@]}"; do
		[[ " $SETS " == *" ${names[$i]} "* ]] || unset "names[$i]"
	done
fi

measure() { # measure TOOL SET RUN: append "tool set run wall cpu" to results
	local tool=$1 i=$2 run=$3 cmd
	cd "${dirs[$i]}"
	if [ "$tool" = boundvet ]; then
		cmd=("$out/boundvet")
		env=()
	else
		rm -rf "$out/sc-cache"
		cmd=(staticcheck)
		env=(XDG_CACHE_HOME="$out/sc-cache" STATICCHECK_CACHE="$out/sc-cache/staticcheck")
	fi
	timed "$tool" "$i" "$run"
	if [ "$tool" = staticcheck ]; then
		# For the record, not the criterion: again, with the cache it just filled.
		timed staticcheck-warm "$i" "$run"
	fi
}

timed() { # timed NAME SET RUN: run cmd with env, append "NAME set run wall cpu" to results
	# Both tools exit non-zero when they find something; only the time matters here.
	env "${env[@]}" /usr/bin/time -f '%e %U %S' -o "$out/time" "${cmd[@]}" ${pkgs[$2]} > /dev/null 2>&1 || true
	read -r wall user sys < <(tail -1 "$out/time")
	echo "$1 ${names[$2]} $3 $wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" >> "$out/results"
	echo "  $1 ${names[$2]} run $3: ${wall}s wall, $(tail -1 "$out/results" | cut -d' ' -f5)s cpu"
}

: > "$out/results"
echo "== warm-up (not measured)"
for i in "${!names[@]}"; do
	measure boundvet "$i" 0
	measure staticcheck "$i" 0
done
for run in $(seq "$runs"); do
	echo "== run $run of $runs"
	for i in "${!names[@]}"; do
		measure boundvet "$i" "$run"
		measure staticcheck "$i" "$run"
	done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
{
	echo
	echo "median of $runs runs; ratio = boundvet / staticcheck with a fresh cache;"
	echo "sc-warm: staticcheck again right after, with the cache it filled (not the criterion)"
	printf '%-12s %9s %9s %7s   %9s %9s %7s   %9s\n' set bv-wall sc-wall ratio bv-cpu sc-cpu ratio sc-warm
	for name in "${names[@]}"; do
		m() { awk -v t="$1" -v n="$name" -v f="$2" '$1 == t && $2 == n && $3 > 0 { print $f }' "$out/results" | median; }
		bw=$(m boundvet 4) sw=$(m staticcheck 4) bc=$(m boundvet 5) sc=$(m staticcheck 5) ww=$(m staticcheck-warm 4)
		printf '%-12s %8.2fs %8.2fs %7.2f   %8.2fs %8.2fs %7.2f   %8.2fs\n' "$name" "$bw" "$sw" "$(awk -v a="$bw" -v b="$sw" 'BEGIN { print a / b }')" \
			"$bc" "$sc" "$(awk -v a="$bc" -v b="$sc" 'BEGIN { print a / b }')" "$ww"
	done
} | tee "$out/table.txt"

if [ "${PROFILE:-1}" = 0 ]; then exit 0; fi # PROFILE=0 skips the rest
echo
echo "== time per check on grpc (boundvet -debug=tp: one check at a time)"
cd "$corpus"
"$out/boundvet" -debug=tp -cpuprofile "$out/grpc.cpu.pprof" ${pkgs[1]} > /dev/null 2> "$out/debug.txt" || true
# Lines are "DURATION\tcheck@package"; sum them per check.
awk -F'\t' 'NF == 2 && $2 ~ /@/ {
		d = $1; split($2, a, "@"); s = 0
		if (d ~ /ms$/) s = d / 1000; else if (d ~ /µs$/) s = d / 1e6; else if (d ~ /ns$/) s = d / 1e9; else if (d ~ /m[0-9.]*s$/) { split(d, m, "m"); s = m[1] * 60 + m[2] } else s = d + 0
		t[a[1]] += s
	}
	END { for (c in t) printf "%8.2fs  %s\n", t[c], c }' "$out/debug.txt" | sort -rn | tee "$out/per-check.txt"
grep 'all others' "$out/debug.txt" || true
echo "CPU profile: go tool pprof -top $out/boundvet $out/grpc.cpu.pprof"
