#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# debug-kernel: skip (user space only: the profile reader and its plot; no kernel path)
# tbx profile show: CBSAT's own profiles read as CBSAT reads them (".1"
# latencies, keys with spaces, the 3-column form), the cumulative curve and
# the peak and mean rate in text and JSON, the --plot SVG, and each bad
# file refused with file:line and nothing written.
. "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d)
on_exit "rm -rf $WORK"
j() { printf '%s' "$1" | jq -r "$2"; }

# CBSAT's DDoS experiment: the well-behaved sender's required profile.
cat >"$WORK/required.csv" <<'P'
# period = 10
# priority = 1
# start = 0
# uuid = 7
# kind = required
# source ID = 1
% time (s), bandwidth (bps), max bandwidth (bps), latency (s)
0,800000,0,0
1,850000,0,0
2,1024000,0,0
3,1000000,0,0
4,1005000,0,0
5,1050000,0,0
6,1100000,0,0
7,0,0,0
P
cat >"$WORK/provided.csv" <<'P'
# period = 10
# start = 0
# kind = provided
% time (s), %bandwidth (bps), %latency (ms)
0,2400000,0,.1
1,2480000,0,.2
7,0,0,.1
P

out=$("$TBX" profile show "$WORK/required.csv")
expect_eq "text: the header line" "$(echo "$out" | head -n 1)" \
	"profile $WORK/required.csv: period 10s, 8 rows of 4 columns, start @0, priority 1, uuid 7"
expect_eq "text: peak, mean and bits per period" "$(echo "$out" | sed -n 2p)" \
	"  peak 1100kbit, mean 682900bit, 6829000 bits per period"
expect_eq "text: the third row's cumulative bits" "$(echo "$out" | awk '$1 == "2s" { print $2, $NF }')" \
	"1024kbit 1650000"
expect_eq "text: the period's end closes the curve" "$(echo "$out" | tail -n 1 | awk '{ print $1, $NF }')" \
	"10s 6829000"

js=$("$TBX" -j profile show "$WORK/required.csv")
expect_eq "json: period and its bits" "$(j "$js" '"\(.period_ns) \(.period_bits)"')" "10000000000 6829000"
expect_eq "json: peak and mean" "$(j "$js" '"\(.peak_bps) \(.mean_bps)"')" "1100000 682900"
expect_eq "json: headers" "$(j "$js" '"\(.start_ns) \(.priority) \(.uuid) \(.columns)"')" "0 1 7 4"
expect_eq "json: each row's curve" "$(j "$js" '[.rows[].bits_before] | map(tostring) | join(",")')" \
	"0,800000,1650000,2674000,3674000,4679000,5729000,6829000"

js=$("$TBX" -j profile show "$WORK/provided.csv")
expect_eq "CBSAT's \".1\" latencies" "$(j "$js" '[.rows[].latency_ns] | map(tostring) | join(",")')" \
	"100000000,200000000,100000000"
expect_eq "an absent uuid is absent" "$(j "$js" '.uuid')" "null"

printf '# period = 2\n0,1.5,0.01\n1,3000,0.02\n' >"$WORK/three.csv"
js=$("$TBX" -j profile show "$WORK/three.csv")
expect_eq "3 columns: max is the bandwidth, fractions dropped as CBSAT casts them" \
	"$(j "$js" '[.rows[] | "\(.rate_bps)/\(.max_bps)"] | join(",")')" "1/1,3000/3000"

check "--plot writes an SVG" "$TBX" profile show "$WORK/required.csv" --plot "$WORK/p.svg"
expect_eq "the SVG parses and draws rate and curve" "$(python3 -c '
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1]).getroot()
lines = t.findall("{http://www.w3.org/2000/svg}polyline")
print(len(lines), len(lines[0].get("points").split()), len(lines[1].get("points").split()))
' "$WORK/p.svg")" "2 17 9"

# Bad files: exit 2, the file and line named, no plot written.
printf '0,800000,0,0\n1,0,0,0\n' >"$WORK/noperiod.csv"
expect_fail "a missing period refused" 2 "noperiod.csv: no \"# period = SECONDS\" header" \
	"$TBX" profile show "$WORK/noperiod.csv" --plot "$WORK/bad.svg"
expect_eq "nothing plotted for a bad file" "$(ls "$WORK"/bad.svg 2>/dev/null)" ""
printf '# period = 10\n0,800000,0,0\n5,1,0,0\n3,2,0,0\n' >"$WORK/order.csv"
expect_fail "non-monotonic times refused at their line" 2 "order.csv:4: time 3 is not after" \
	"$TBX" profile show "$WORK/order.csv"
printf '# period = 10\n0,-800000,0,0\n' >"$WORK/neg.csv"
expect_fail "a negative rate refused at its line" 2 "neg.csv:2: bandwidth \"-800000\" is negative" \
	"$TBX" profile show "$WORK/neg.csv"
expect_fail "a missing file named" 2 "$WORK/nothere.csv: No such file" \
	"$TBX" profile show "$WORK/nothere.csv"
expect_fail "a plot into a missing directory named" 2 "$WORK/no/p.svg" \
	"$TBX" profile show "$WORK/required.csv" --plot "$WORK/no/p.svg"
expect_fail "FILE missing" 1 "FILE is missing" "$TBX" profile show
expect_fail "two FILEs" 1 "one FILE" "$TBX" profile show "$WORK/required.csv" "$WORK/three.csv"
expect_fail "--plot without a file" 1 "needs a FILE.svg" "$TBX" profile show "$WORK/required.csv" --plot
expect_fail "an unknown option" 1 "unknown option --plto" "$TBX" profile show "$WORK/required.csv" --plto x
expect_fail "an unknown command" 1 "unknown command \"draw\"" "$TBX" profile draw "$WORK/required.csv"

finish
