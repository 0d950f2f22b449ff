#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Emulations end to end: tbxd plays a ~20 s COCOMA emulation of cpu, mem
# and net runs (net on a veth between namespaces, 198.18.0.0/15) through
# tbx.ko; the module's own events say when each run started and at what
# level, and are compared with the plan. Then tbxd is killed with -9 in the
# middle of a second emulation and restarted: every run must start exactly
# once and end recorded. Start delays are reported, not bounded: the
# benchmark (scripts/bench/schedule) measures them.
. "$(dirname "$0")/lib.sh"

A=tbxemu-a B=tbxemu-b
WORK=$(mktemp -d)
on_exit "rm -rf $WORK"
SOCK=$WORK/tbxd.sock

unload_module
load_module
on_exit unload_module

netns_add $A && netns_add $B || { fail "namespaces"; finish; exit; }
ip link add va netns $A type veth peer name vb netns $B
ip -n $A addr add 198.18.0.1/24 dev va
ip -n $B addr add 198.18.0.2/24 dev vb
ip -n $A link set va up; ip -n $A link set lo up
ip -n $B link set vb up; ip -n $B link set lo up

# tbxd and the monitor live in A: net runs find their device there.
tbxd_start() {
	ip netns exec $A "$O/tbxd" --state-dir "$WORK/state" --socket "$SOCK" \
		2>>"$WORK/tbxd.log" &
	TBXD_PID=$!
	wait_until tbxd_up
}
tbxd_up() { "$TBX" -s "$SOCK" daemon status >/dev/null 2>&1; }
tbx_s() { ip netns exec $A "$TBX" -s "$SOCK" "$@"; }
on_exit 'kill -9 $TBXD_PID $MON_PID 2>/dev/null'

ip netns exec $A "$TBX" -j monitor >"$WORK/events" 2>"$WORK/events.ready" &
MON_PID=$!
wait_monitor "$WORK/events.ready"
tbxd_start

# --- the emulation: cpu 20 -> 60 %, mem 32 -> 64 MiB, net 5 -> 10 Mbit/s ---
cat >"$WORK/e2e.xml" <<'EOF'
<emulation>
  <emuname>vm_e2e</emuname>
  <emuType>TIME</emuType>
  <emuresourceType>MIX</emuresourceType>
  <emustartTime>now</emustartTime>
  <emustopTime>20</emustopTime>
  <distributions>
    <name>cpu</name> <startTime>0</startTime> <duration>12</duration>
    <granularity>3</granularity> <minJobTime>2</minJobTime>
    <distribution name="linear"/> <startLoad>20</startLoad> <stopLoad>60</stopLoad>
    <emulator name="lookbusy"/>
    <emulator-params><resourceType>CPU</resourceType><ncpus>1</ncpus></emulator-params>
  </distributions>
  <distributions>
    <name>mem</name> <startTime>2</startTime> <duration>12</duration>
    <granularity>2</granularity> <minJobTime>2</minJobTime>
    <distribution name="linear"/> <startLoad>32</startLoad> <stopLoad>64</stopLoad>
    <emulator name="lookbusy"/>
    <emulator-params><resourceType>MEM</resourceType></emulator-params>
  </distributions>
  <distributions>
    <name>net</name> <startTime>4</startTime> <duration>14</duration>
    <granularity>2</granularity> <minJobTime>2</minJobTime>
    <distribution name="linear"/> <startLoad>5</startLoad> <stopLoad>10</stopLoad>
    <emulator name="iperf"/>
    <emulator-params><resourceType>NET</resourceType>
      <serverip>198.18.0.2</serverip><serverport>9</serverport></emulator-params>
  </distributions>
  <log><enable>1</enable><frequency>1</frequency></log>
</emulation>
EOF

check "dry run plans without tbxd" sh -c "'$TBX' emulation runs --dry-run '$WORK/e2e.xml' | grep -q '7 runs'"
check "create --now" tbx_s emulation create "$WORK/e2e.xml" --now
expect_fail "the same name again is refused" 2 "exists already" tbx_s emulation create "$WORK/e2e.xml" --now
# --follow returns when the emulation has finished (whenever it started:
# on a slow machine it may see only the end; the load it shows while an
# emulation plays is checked below, on one that plays long enough).
timeout "$TBX_WAIT" ip netns exec $A "$TBX" -s "$SOCK" emulation show vm_e2e --follow >"$WORK/follow" 2>&1
check "show --follow reached the end" grep -q "finished: run 7 of 7" "$WORK/follow"

tbx_s -j emulation runs vm_e2e >"$WORK/runs.json"
jq -r '.[] | "# run \(.index) \(.kind) at \(.start) s: \(.state) \(.message)"' "$WORK/runs.json"
expect_eq "every run executed" "$(jq '[.[] | select(.state == "executed")] | length' "$WORK/runs.json")" 7
# The monitor hears the kernel's events on its own socket: wait until the
# last FINISHED ones have reached it too.
of_emu() { printf '.run.owner // "" | startswith("emu:%s:")' "$1"; }
wait_events "$WORK/events" ".what == \"finished\" and ($(of_emu vm_e2e))" 7
# started events by owner, one per run
started() { jq -c --arg o "$1" 'select(.what == "started" and .run.owner == $o) | .run' "$WORK/events"; }
n_ok=0
for i in $(jq -r '.[].index' "$WORK/runs.json"); do
	run=$(jq -c ".[] | select(.index == $i)" "$WORK/runs.json")
	ev=$(started "emu:vm_e2e:$i")
	n=$(printf '%s' "$ev" | grep -c . || true)
	kind=$(printf '%s' "$run" | jq -r .kind)
	level=$(printf '%s' "$run" | jq -r .level)
	case $kind in
	cpu) got=$(printf '%s' "$ev" | jq -r .cpu.level); want=$(printf '%.0f' "$level") ;;
	mem) got=$(printf '%s' "$ev" | jq -r .mem.bytes); want=$(jq -n "$level * 1048576 | round") ;;
	net) got=$(printf '%s' "$ev" | jq -r .net.rate_bps); want=$(jq -n "$level * 1000000 | round") ;;
	esac
	k_started=$(printf '%s' "$ev" | jq -r .started)
	due=$(printf '%s' "$run" | jq -r .due_ns)
	rec=$(printf '%s' "$run" | jq -r .started_ns)
	delay=$(jq -n "($k_started - $due) / 1000000")
	echo "# run $i $kind level $level: kernel started it $delay ms after its due time"
	if [ "$n" = 1 ] && [ "$got" = "$want" ] && [ "$k_started" = "$rec" ] &&
	   jq -en "$k_started >= $due" >/dev/null; then
		n_ok=$((n_ok + 1))
	else
		fail "run $i: $n started events, level $got (want $want), kernel start $k_started, recorded $rec, due $due"
	fi
done
expect_eq "the kernel started every run once, at its level, not before its time, as tbxd recorded" $n_ok 7
expect_eq "every run ended on its own (its duration ran out)" \
	"$(jq -c 'select(.what == "finished" and (.run.owner // "" | startswith("emu:vm_e2e:")) and .run.state == "ended")' "$WORK/events" | grep -c .)" 7
check "run log has every start" sh -c "[ \$(grep -c ' started as kernel run' '$WORK/state/emulations/vm_e2e/runs.log') = 7 ]"
check "usage CSV sampled every second" sh -c "[ \$(wc -l < '$WORK/state/emulations/vm_e2e/usage.csv') -ge 15 ]"
expect_eq "results say 7 executed" "$(tbx_s -j emulation results vm_e2e | jq '.[0].executed')" 7
check "delete" tbx_s emulation delete vm_e2e
expect_eq "the kernel has no run left" "$(ip netns exec $A "$TBX" -j run list | jq length)" 0

# --- show --follow while an emulation plays ----------------------------------
# One cpu run of 10 % for 300 s (TBX_WAIT): follow starts while it plays,
# however slow the machine, and it is deleted once follow showed its load.
cat >"$WORK/follow.xml" <<'EOF'
<emulation>
  <emuname>vm_follow</emuname> <emuType>TIME</emuType>
  <emuresourceType>CPU</emuresourceType> <emustartTime>now</emustartTime>
  <emustopTime>300</emustopTime>
  <distributions>
    <name>cpu</name> <startTime>0</startTime> <duration>300</duration>
    <granularity>1</granularity> <minJobTime>2</minJobTime>
    <distribution name="linear"/> <startLoad>10</startLoad> <stopLoad>10</stopLoad>
    <emulator name="cpu"/>
    <emulator-params><resourceType>CPU</resourceType><ncpus>1</ncpus></emulator-params>
  </distributions>
</emulation>
EOF
check "create an emulation to follow" tbx_s emulation create "$WORK/follow.xml" --now
ip netns exec $A "$TBX" -s "$SOCK" emulation show vm_follow --follow >"$WORK/follow2" 2>&1 &
FOLLOW=$!
on_exit "kill $FOLLOW"
check "show --follow shows the load while it plays" \
	wait_until grep -Eq "running: .*cpu [1-9]" "$WORK/follow2"
check "delete it while it plays" tbx_s emulation delete vm_follow
kill $FOLLOW 2>/dev/null; wait $FOLLOW 2>/dev/null
expect_eq "deleting it stopped its kernel run" "$(ip netns exec $A "$TBX" -j run list | jq length)" 0

# --- kill -9 in the middle, restart: no run lost or doubled ----------------
# Six cpu runs of 3 s. tbxd dies while run 1 plays and stays dead 2 s.
cat >"$WORK/restart.xml" <<'EOF'
<emulation>
  <emuname>vm_restart</emuname> <emuType>TIME</emuType>
  <emuresourceType>CPU</emuresourceType> <emustartTime>now</emustartTime>
  <emustopTime>18</emustopTime>
  <distributions>
    <name>cpu</name> <startTime>0</startTime> <duration>18</duration>
    <granularity>6</granularity> <minJobTime>2</minJobTime>
    <distribution name="linear"/> <startLoad>10</startLoad> <stopLoad>60</stopLoad>
    <emulator name="cpu"/>
    <emulator-params><resourceType>CPU</resourceType><ncpus>1</ncpus></emulator-params>
  </distributions>
</emulation>
EOF
check "create the second emulation" tbx_s emulation create "$WORK/restart.xml" --now
# Killed once the kernel says run 1 started (its event, not a state polled).
wait_events "$WORK/events" '.what == "started" and .run.owner == "emu:vm_restart:1"'
kill -9 $TBXD_PID; wait $TBXD_PID 2>/dev/null || true
sleep 2
tbxd_start
timeout "$TBX_WAIT" ip netns exec $A "$TBX" -s "$SOCK" emulation show vm_restart --follow >/dev/null 2>&1
tbx_s -j emulation runs vm_restart >"$WORK/runs2.json"
wait_events "$WORK/events" ".what == \"finished\" and ($(of_emu vm_restart))" \
	"$(jq '[.[] | select(.state == "executed")] | length' "$WORK/runs2.json")"
jq -r '.[] | "# restart run \(.index): \(.state) \(.message)"' "$WORK/runs2.json"
sed 's/^/# /' "$WORK/state/emulations/vm_restart/runs.log"
expect_eq "no run lost: 6 rows, all ended" \
	"$(jq '[.[] | select(.state == "executed" or .state == "failed")] | length' "$WORK/runs2.json")" 6
# Started in the kernel exactly once, or (window missed) never and failed "missed".
bad=0
for i in 0 1 2 3 4 5; do
	n=$(started "emu:vm_restart:$i" | grep -c . || true)
	st=$(jq -r ".[$i].state + \" \" + .[$i].message" "$WORK/runs2.json")
	case "$n:$st" in
	1:*) ;;
	0:"failed missed"*) ;;
	*) bad=$((bad + 1)); echo "# run $i started $n times in the kernel: $st" ;;
	esac
done
expect_eq "no run doubled: each started once in the kernel (or missed, and failed saying so)" $bad 0
check "purge" tbx_s emulation purge
expect_eq "purge leaves the kernel no run" "$(ip netns exec $A "$TBX" -j run list | jq length)" 0
finish
