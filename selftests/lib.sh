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
unload_module() {
	_i=0
	while module_loaded && [ $_i -lt 50 ]; do
		rmmod tbx 2>/dev/null && break
		_i=$((_i + 1)); sleep 0.1
	done
	! module_loaded
}

# monitor_start OUT [count N]: `tbx -j monitor` in the background, its
# events to OUT, and returns once it has joined the event group (its
# "monitoring events" line on stderr), so no event sent after this call is
# missed however slow the kernel. MON is its pid. A bounded monitor that
# misses an event ends after 120 s instead of hanging the test.
monitor_start() {
	_out=$1; shift
	: >"$_out.ready"
	timeout 120 "$TBX" -j monitor "$@" >"$_out" 2>"$_out.ready" &
	MON=$!
	wait_monitor "$_out.ready"
}

# wait_monitor FILE: until a monitor's stderr in FILE says it listens
# (at most 30 s: a bound on waiting, not a check of speed).
wait_monitor() {
	_i=0
	while ! grep -q "monitoring events" "$1" 2>/dev/null && [ $_i -lt 300 ]; do
		sleep 0.1; _i=$((_i + 1))
	done
}

# nobody CMD...: runs CMD as an unprivileged user without capabilities.
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }

# A network namespace that is deleted on exit.
netns_add() {
	ip netns add "$1" && on_exit "ip netns del $1"
}

# Ends the test file: prints its counts, exits non-zero on any failure.
finish() {
	echo "# $TEST_NAME: $_passed passed, $_failed failed"
	[ "$_failed" -eq 0 ]
}

[ "$(id -u)" = 0 ] || { echo "not ok - $TEST_NAME: must run as root"; exit 1; }
