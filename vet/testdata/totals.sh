#!/usr/bin/env bash
# Prints corpus.md's Totals table from the triaged sections: per check, the
# findings of the corpus run (from corpus.sh's findings.tsv, if given), the
# rows triaged, how many are TP and FP, and the precision TP/(TP+FP).
#
#   vet/testdata/totals.sh [findings.tsv [corpus.md]]
set -euo pipefail
tsv=${1:-/dev/null}
md=${2:-$(dirname "$0")/corpus.md}
awk -F'\t' 'FILENAME == ARGV[1] { run[$1]++; next }
	/^<!-- begin [a-z]+ -->$/ { split($0, w, " "); check = w[3]; order[++n] = check; next }
	/^<!-- end [a-z]+ -->$/ { check = ""; next }
	check != "" && /^\|/ && !/^\|---/ && !/^\| *module@version/ {
		split($0, cell, "|")
		verdict = cell[4]; gsub(/^ +| +$/, "", verdict)
		if (verdict ~ /^TP/) tp[check]++
		else if (verdict ~ /^FP/) fp[check]++
		else other[check]++
		rows[check]++
	}
	END {
		print "| check | findings in the run | triaged | TP | FP | precision |"
		print "|---|---:|---:|---:|---:|---:|"
		for (i = 1; i <= n; i++) {
			c = order[i]
			p = (tp[c] + fp[c]) ? sprintf("%.0f%%", 100 * tp[c] / (tp[c] + fp[c])) : "—"
			printf "| %s | %s | %d | %d | %d | %s |\n", c, (c in run) ? run[c] : 0, rows[c], tp[c], fp[c], p
			if (other[c]) printf "warning: %s has %d rows with neither TP nor FP\n", c, other[c] > "/dev/stderr"
		}
	}
' "$tsv" "$md"
