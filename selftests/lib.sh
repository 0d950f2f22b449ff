# SPDX-License-Identifier: GPL-2.0
# Shared by the netns selftests (selftests/*.sh). Sourced, not run.
#
# Each test prints one TAP-style line, "ok - FILE: what" or
# "not ok - FILE: what"; selftests/run counts them. Tests clean up what
# they create with cleanup hooks that run on every exit path.

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
O=${O:-$TOP/build}
TBX=${TBX:-$O/tbx}
GENL_RAW=${GENL_RAW:-$O/tests/tools/genl_raw}
TEST_NAME=$(basename "$0" .sh)
TBX_KO=${TBX_KO:-$O/module/$(uname -r)/tbx.ko}

_passed=0
_failed=0
_cleanups=""

ok()   { _passed=$((_passed + 1)); echo "ok - $TEST_NAME: $*"; }
fail() { _failed=$((_failed + 1)); echo "not ok - $TEST_NAME: $*"; }

# check "what" CMD...: passes when CMD exits 0.
check() {
	_what=$1; shift
	if _out=$("$@" 2>&1); then ok "$_what"; else fail "$_what"; echo "# $_out" | head -5; fi
}

# expect_fail "what" RC PATTERN CMD...: CMD must exit RC with stderr
# matching the extended regex PATTERN.
expect_fail() {
	_what=$1 _rc_want=$2 _pat=$3; shift 3
	_err=$("$@" 2>&1 >/dev/null); _rc=$?
	if [ "$_rc" = "$_rc_want" ] && printf '%s' "$_err" | grep -Eq -- "$_pat"; then
		ok "$_what"
	else
		fail "$_what (rc $_rc, want $_rc_want; stderr: $_err)"
	fi
}

# expect_eq "what" GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1 (got '$2', want '$3')"; fi
}

# on_exit CMD: run CMD when the test exits (last registered runs first).
on_exit() { _cleanups="$*; $_cleanups"; }
_run_cleanups() { eval "$_cleanups" >/dev/null 2>&1 || true; }
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

# The module: loaded fresh per test file, removed afterwards.
module_loaded() { [ -d /sys/module/tbx ]; }
load_module() {
	module_loaded || insmod "$TBX_KO" || { echo "# insmod $TBX_KO failed"; exit 1; }
}
# A dump or a run's teardown may hold the module a moment: retry, for a
# minute at most (a qdisc left by a failed test holds it for good).
_unloaded() { ! module_loaded || rmmod tbx 2>/dev/null; }
unload_module() { wait_until -t 60 _unloaded; }

# Waiting. A test waits for the event or the recorded figure that says
# something happened, never for a fixed time and never to catch a state
# while it lasts. Every wait has a bound, TBX_WAIT seconds of wall time
# (default 300): it only ends a hang, it is not a check of speed, so it is
# generous enough for the debug kernel under TCG on a loaded host.
TBX_WAIT=${TBX_WAIT:-300}

# _uptime: whole seconds since boot, without a fork (/proc/uptime).
_uptime() { read -r _up _ </proc/uptime; _up=${_up%.*}; }

# wait_until [-t SECONDS] CMD...: runs CMD every 0.1 s until it succeeds;
# fails once SECONDS (default TBX_WAIT) have passed without.
wait_until() {
	_wu_t=$TBX_WAIT
	[ "$1" = -t ] && { _wu_t=$2; shift 2; }
	_uptime; _wu_end=$((_up + _wu_t))
	while ! "$@"; do
		_uptime
		[ "$_up" -lt "$_wu_end" ] || return 1
		sleep 0.1
	done
}

# monitor_start OUT [count N]: `tbx -j monitor` in the background, its
# events to OUT, and returns once it has joined the event group (its
# "monitoring events" line on stderr), so no event sent after this call is
# missed however slow the kernel. MON is its pid. A bounded monitor
# (count N) that misses an event ends after TBX_WAIT seconds instead of
# hanging the test; an unbounded one runs until it is killed.
monitor_start() {
	_out=$1; shift
	: >"$_out.ready"
	if [ $# -gt 0 ]; then
		timeout "$TBX_WAIT" "$TBX" -j monitor "$@" >"$_out" 2>"$_out.ready" &
	else
		"$TBX" -j monitor >"$_out" 2>"$_out.ready" &
	fi
	MON=$!
	on_exit "kill $MON; rm -f '$_out.ready'"
	wait_monitor "$_out.ready"
}

# wait_monitor FILE: until a monitor's stderr in FILE says it listens.
wait_monitor() { wait_until grep -q "monitoring events" "$1"; }

# events FILE FILTER: the monitor's events in FILE that match the jq
# FILTER (one compact JSON line each).
events() { jq -c "select($2)" "$1" 2>/dev/null; }
_has_events() { [ "$(events "$1" "$2" | grep -c .)" -ge "$3" ]; }
# wait_events FILE FILTER [N]: until FILE holds N (default 1) events
# matching FILTER.
wait_events() { wait_until _has_events "$1" "$2" "${3:-1}"; }
# run_event FILE WHAT ID: the run of the WHAT event (created, started,
# finished, ...) of run ID, once it came; empty after TBX_WAIT.
run_event() {
	wait_events "$1" ".what == \"$2\" and .run.id == $3" &&
		events "$1" ".what == \"$2\" and .run.id == $3" | head -n 1 | jq -c .run
}

# nobody CMD...: runs CMD as an unprivileged user without capabilities.
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }

# A network namespace that is deleted on exit.
netns_add() {
	ip netns add "$1" && on_exit "ip netns del $1"
}

# link_pair A B: namespaces A and B (deleted on exit) joined by a veth,
# va 198.18.0.1/24 in A and vb 198.18.0.2/24 in B, both up with lo. Only
# the test's own packets cross: no IPv6, no ARP (permanent neighbours on
# both sides, since B's ICMP errors would make A answer B's ARP through
# va), so a qdisc's counts compare exactly. Every packet goes up vb through
# one CPU's backlog (RPS): the VM's two CPUs would otherwise swap a few on
# their way up, whichever qdisc sent them. Sets MAC_A and MAC_B.
link_pair() {
	netns_add "$1" && netns_add "$2" || return 1
	ip link add va netns "$1" type veth peer name vb netns "$2" || return 1
	ip -n "$1" addr add 198.18.0.1/24 dev va
	ip -n "$2" addr add 198.18.0.2/24 dev vb
	ip netns exec "$1" sysctl -qw net.ipv6.conf.va.disable_ipv6=1
	ip netns exec "$2" sysctl -qw net.ipv6.conf.vb.disable_ipv6=1
	ip -n "$1" link set va up; ip -n "$1" link set lo up
	ip -n "$2" link set vb up; ip -n "$2" link set lo up
	ip netns exec "$2" sh -c 'echo 1 >/sys/class/net/vb/queues/rx-0/rps_cpus' 2>/dev/null
	MAC_A=$(ip -n "$1" -j link show va | jq -r '.[0].address')
	MAC_B=$(ip -n "$2" -j link show vb | jq -r '.[0].address')
	ip -n "$1" neigh replace 198.18.0.2 dev va nud permanent lladdr "$MAC_B" &&
	ip -n "$2" neigh replace 198.18.0.1 dev vb nud permanent lladdr "$MAC_A"
}

# peer COUNTER: the absolute SNMP counter COUNTER (UdpNoPorts, ...) in
# namespace $B, the receiving side.
peer() { ip netns exec $B nstat -asz "$1" | awk -v k="$1" '$1 == k { print $2 }'; }
# reached COUNTER BASE N: B's COUNTER has grown by at least N since BASE.
reached() { [ $(($(peer "$1") - $2)) -ge "$3" ]; }

# Topologies. CG is the cgroup2 mount; topology_leftovers PREFIX kills
# and removes every namespace named tbx-PREFIX* (a test's topologies) and
# the empty cgroups under tbx/, whatever the test left.
CG=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
topology_leftovers() {
	for _n in $(ip netns list | awk '{print $1}' | grep "^tbx-$1"); do
		ip netns pids "$_n" | xargs -r kill -9
		ip netns del "$_n"
	done
	find "$CG/tbx" -depth -type d -exec rmdir {} \; 2>/dev/null
}

# Ends the test file: prints its counts, exits non-zero on any failure.
finish() {
	echo "# $TEST_NAME: $_passed passed, $_failed failed"
	[ "$_failed" -eq 0 ]
}

[ "$(id -u)" = 0 ] || { echo "not ok - $TEST_NAME: must run as root"; exit 1; }
