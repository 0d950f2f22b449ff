#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Accounting as a user meets it: tbxd reading a topology's nodes and link
# once when asked (the first reading, a base), then every second
# (--accounting-interval 1), then, restarted after kill -9,
# only when asked (`tbx usage record`), so each check reads the record of
# a cycle it caused, never one it must catch before it is trimmed. A
# node's CPU time is what its processes used (the kernel's own count for
# the process), its memory what its cgroup holds, a link's traffic the
# bytes sent across it; a cpu run's CPU time is injected load, apart from
# the nodes; the counters' bases survive kill -9; removed nodes' records
# go with them. The roll-ups into 5-minute and longer windows are checked
# by the unit tests against hand-computed windows (test_usage,
# test_tbxd_usage_store).
. "$(dirname "$0")/lib.sh"

T=tbxuse
WORK=$(mktemp -d)
sock=$WORK/tbxd.sock

unload_module
load_module

# Whatever happens: no namespace, cgroup, run or tbxd of this test survives it.
leftovers() {
	topology_leftovers "$T"
	for r in $("$TBX" -j run list | jq -r '.[].id' 2>/dev/null); do "$TBX" run del "$r"; done
}
on_exit "rm -rf $WORK"
on_exit unload_module
on_exit leftovers
on_exit 'kill -9 $TBXD'

# start_tbxd SECS: tbxd accounting every SECS seconds (0: when asked).
start_tbxd() {
	"$O/tbxd" --state-dir "$WORK/state" --socket "$sock" --accounting-interval "$1" \
		2>>"$WORK/tbxd.log" &
	TBXD=$!
	wait_until "$TBX" -s "$sock" daemon status >/dev/null 2>&1
}
# Only when asked at first: the first reading is a cycle the test causes.
start_tbxd 0

tbx() { "$TBX" -s "$sock" "$@"; }
in_node() { _in=$1; shift; ip netns exec "tbx-$T-$_in" "$@"; }
ge() { jq -en "$1 >= $2" >/dev/null; }
LINK="$T/h1:eth1--h2:eth1"
# singles OBJECT: how many single records OBJECT has.
singles() { tbx -j usage "$1" --level single 2>/dev/null | jq '.statistics | length' 2>/dev/null || echo 0; }
has_singles() { [ "$(singles "$1")" -ge "$2" ]; }
# last OBJECT FIELD: FIELD of OBJECT's newest single record.
last() { tbx -j usage "$1" --level single | jq ".statistics[-1].usage.$2"; }
# cycle: one accounting cycle now.
cycle() { tbx usage record >/dev/null; }
# burn NODE: a shell loop in NODE (its cgroup joined first, then its
# namespace) that prints the CPU time, in seconds, the loop itself took:
# its utime + stime from /proc, read before and after.
cat >"$WORK/burn.sh" <<'EOF'
t() { awk '{ print $14 + $15 }' /proc/$$/stat; }
t0=$(t)
i=0; while [ $i -lt 50000 ]; do i=$((i + 1)); done
echo $(($(t) - t0))
EOF
burn() {
	_ticks=$(sh -c "echo \$\$ >'$CG/tbx/$T/$1/cgroup.procs' &&
		exec ip netns exec tbx-$T-$1 sh '$WORK/burn.sh'")
	[ -n "$_ticks" ] && jq -n "$_ticks / $(getconf CLK_TCK)"
}

cat >"$WORK/lab.yaml" <<EOF
name: $T
topology:
  nodes:
    h1:
      exec:
        - ip addr add 198.18.7.1/24 dev eth1
    h2:
      exec:
        - ip addr add 198.18.7.2/24 dev eth1
  links:
    - endpoints: ["h1:eth1", "h2:eth1"]
      rate: 100mbit
EOF
check "the topology comes up" tbx topology up "$WORK/lab.yaml"

# --- the first reading is only a base ------------------------------------------
# Read after the one cycle the test asked for: with records every second, the
# first would be trimmed (15 kept) on a slow enough machine.
cycle
expect_eq "a counter's first reading is its base: cputime 0" \
	"$(tbx -j usage "$T/h1" --level single | jq -c '[.statistics[].usage.cputime]')" "[0]"
kill -9 "$TBXD"; wait "$TBXD" 2>/dev/null
start_tbxd 1

# --- every second, records appear ------------------------------------------
if wait_until has_singles "$T/h1" 2 && wait_until has_singles "$LINK" 2; then
	ok "every second a record for each node and the link"
else
	fail "no records: $(tbx -j usage 2>&1 | head -c 300)"
fi
all=$(tbx -j usage)
expect_eq "GET /usage: elements, connections, injected (ToMaTo's shape plus injected)" \
	"$(printf '%s' "$all" | jq -c '[(.elements | keys), (.connections | keys), (.injected | keys)]')" \
	"[[\"$T/h1\",\"$T/h2\"],[\"$LINK\"],[\"runs\"]]"
expect_eq "each object has every level" \
	"$(printf '%s' "$all" | jq -c ".elements[\"$T/h1\"] | keys")" \
	'["5minutes","day","hour","month","single","year"]'
expect_eq "/health counts the cycles" \
	"$(tbx -j daemon status | jq '.accounting.cycles >= 2 and .accounting.interval_s == 1')" true

# --- kill -9, CPU used meanwhile: the counter's base survives -----------------
kill -9 $TBXD
wait $TBXD 2>/dev/null
used=$(burn h1)
start_tbxd 0
check "tbx usage record takes a reading" cycle
got=$(last "$T/h1" cputime)
# What h1 used while tbxd was down is the delta from the kept base; with
# the base lost it would read 0 (a first reading).
if [ -n "$used" ] && ge "$got" "$used - 0.02"; then
	ok "after kill -9, the record holds the CPU used meanwhile ($got s, process $used s)"
else
	fail "after kill -9: $got s recorded, the process used $used s"
fi

# --- CPU time, each cycle caused by the test -------------------------------------
used=$(burn h1)
cycle
got=$(last "$T/h1" cputime)
if [ -n "$used" ] && ge "$got" "$used - 0.02"; then ok "h1's record holds its process's CPU time ($got s, process $used s)"
else fail "h1's CPU time: $got s, its process used $used s"; fi
h2cpu=$(last "$T/h2" cputime)
if jq -en "$h2cpu < $used / 2" >/dev/null; then ok "idle h2 is not charged for it ($h2cpu s)"
else fail "h2 charged $h2cpu s of h1's $used s"; fi

# --- memory ----------------------------------------------------------------
# A process that holds 8 MiB in h2's cgroup until killed.
tbx topology exec $T h2 python3 -c 'import time; b = bytearray(8 << 20); time.sleep(600)' &
holder=$!
on_exit "kill $holder"
_holds() { cycle && ge "$(last "$T/h2" memory)" 8388608; }
if wait_until _holds; then ok "h2's memory is what its cgroup holds ($(last "$T/h2" memory) B)"
else fail "h2's memory: $(last "$T/h2" memory) B, its process holds 8 MiB"; fi

# --- traffic -----------------------------------------------------------------
# 50 pings of 1400 bytes each way: 50 x 2 x 1442 bytes across the link.
cycle
check "ping across the link" in_node h1 ping -c 50 -i 0.02 -s 1400 -q 198.18.7.2
cycle
got=$(last "$LINK" traffic)
if ge "$got" 144200; then ok "the link's traffic counts both directions ($got B >= 144200)"
else fail "the link's traffic: $got B, want >= 144200"; fi
got=$(last "$T/h1" traffic)
if ge "$got" 144200; then ok "and h1's traffic its devices' ($got B)"
else fail "h1's traffic: $got B"; fi

# --- injected load -----------------------------------------------------------
# A run leaves the kernel's list when it finishes; tbxd takes its last
# figures from its finished event, which may come after the next cycle:
# cycles are taken, and their records added up, until the run is in them.
cycle
monitor_start "$WORK/mon"
id=$("$TBX" -j run add cpu 50% count 1 for 2s | jq -r .id)
run_s=$(run_event "$WORK/mon" finished "$id" | jq '.cpu.cpu_time_ns / 1e9')
acc=0 h1acc=0
_injected() {
	cycle
	acc=$(jq -n "$acc + $(last runs cputime)")
	h1acc=$(jq -n "$h1acc + $(last "$T/h1" cputime)")
	ge "$acc" "${run_s:-1} * 0.999"
}
if [ -n "$run_s" ] && wait_until _injected; then
	ok "a cpu run's CPU time is injected load ($acc s, run $run_s s)"
else
	fail "injected cputime $acc s, the run used ${run_s:-?} s"
fi
if jq -en "$h1acc < ${run_s:-1} / 2" >/dev/null; then ok "and not a node's ($h1acc s on h1)"
else fail "h1 was charged the run: $h1acc s (the run $run_s s)"; fi

# --- what tbx usage says -----------------------------------------------------
out=$(tbx usage "$T/h1" --level single)
case $out in "element $T/h1"*single*) ok "tbx usage prints the records" ;;
*) fail "tbx usage: $out" ;; esac
expect_fail "an unknown level is refused" 1 'level "minute": not one of single' \
	tbx usage --level minute
expect_fail "an unknown object answers as missing" 2 "no usage records of element $T/nope" \
	tbx usage "$T/nope"
expect_fail "a bad time is refused" 2 'after "yesterday": not a Unix time' \
	tbx usage --after yesterday
expect_eq "after: only records ending then or later" \
	"$(tbx -j usage "$T/h1" --level single --after 4000000000 | jq '.statistics | length')" 0
for _ in $(seq 16); do cycle; done
expect_eq "15 single records kept (ToMaTo's count)" "$(singles "$T/h1")" 15

# --- down: the records go with the nodes ---------------------------------------
kill $holder 2>/dev/null
check "down" tbx topology down $T
cycle
expect_eq "removed nodes' and links' records are forgotten" \
	"$(tbx -j usage | jq '(.elements | length) + (.connections | length)')" 0
expect_eq "the injected load's stay" "$(tbx -j usage | jq '.injected | keys | length')" 1
check "tbxd logged no accounting error" sh -c "! grep -q accounting: '$WORK/tbxd.log'"

finish
