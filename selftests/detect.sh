#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tbx detect on the running kernel (Debian's 6.1 in the VM and the debug
# kernel, so the program passes that verifier and lockdep sees its lock):
# a receiver's buffer at vb's ingress in B, watched by B's own tbxd (its
# state, socket and pins). Bad requests are refused naming the bad part
# with nothing attached or pinned; TCP crosses a detector and every byte
# is counted to its sender; a burst over the capacity is dropped and
# counted; a sender over its profile while the buffer is above high is
# flagged, and resumes once the buffer drains below low; bpftool names the
# maps' fields; del and tbxd's stop leave no filter and no pin. Drain rates
# are slow enough (10 kbit/s) that no check depends on the machine's speed.
. "$(dirname "$0")/lib.sh"

A=tbxdt-a B=tbxdt-b
WORK=$(mktemp -d)
export TBX_BPFFS_ROOT=/sys/fs/bpf/tbxdt-$$
on_exit "rm -rf $WORK $TBX_BPFFS_ROOT"
link_pair $A $B || { fail "namespaces"; finish; exit; }

in_b() { nsenter --net=/run/netns/$B "$@"; }
tbxd_start() {
	nsenter --net=/run/netns/$B "$O/tbxd" --state-dir "$WORK/state" --socket "$WORK/sock" \
		--accounting-interval 0 2>>"$WORK/log" &
	TBXD=$!
	on_exit "kill $TBXD"
	wait_until "$TBX" -s "$WORK/sock" daemon status >/dev/null 2>&1
}
tbxd_start
t() { "$TBX" -s "$WORK/sock" "$@"; }
api() { curl -s --unix-socket "$WORK/sock" -X "$1" "http://tbxd$2" ${3:+-d "$3"}; }
pins() { ls "$TBX_BPFFS_ROOT/tbx/detect" 2>/dev/null | wc -l; }
filters() { in_b tc filter show dev vb ingress | grep -c 'detect'; }

printf '# period = 1\n0,10000,0\n' >"$WORK/recv.csv"
printf '# period = 1\n# uuid = 5\n0,8000,0\n' >"$WORK/slow.csv"
printf '# period = 1\n0,8000,0\n' >"$WORK/nouuid.csv"
printf '# period = 1\n0,1000000000,0\n' >"$WORK/fast.csv"
printf '# period = 1\n# uuid = 6\n0,1000000000,0\n' >"$WORK/fast6.csv"

# --- refusals: each names what is wrong, nothing attached or pinned ---------
refused() {	# WHAT MESSAGE ARGS...: `tbx detect add` fails and says MESSAGE
	_what=$1 _msg=$2; shift 2
	if t detect add "$@" >"$WORK/out" 2>&1; then
		fail "$_what: accepted"; t detect del "$1" >/dev/null 2>&1; return
	fi
	if grep -q -- "$_msg" "$WORK/out"; then ok "$_what"; else fail "$_what: $(cat "$WORK/out")"; fi
}
base="dev vb capacity 100000 profile $WORK/recv.csv"
refused "no such device" 'no device "nope"' d dev nope capacity 1000 profile "$WORK/recv.csv" sender a addr 198.18.0.1 profile "$WORK/slow.csv"
refused "no capacity" '"capacity" (bits) must be a positive integer' d dev vb profile "$WORK/recv.csv" sender a addr 198.18.0.1 profile "$WORK/slow.csv"
refused "capacity 0" '"capacity" (bits) must be a positive integer' d dev vb capacity 0 profile "$WORK/recv.csv" sender a addr 198.18.0.1 profile "$WORK/slow.csv"
refused "no sender" '"senders" must be an array of 1 to 63' d $base
refused "a bad address" '"198.18.0.300" is not an IPv4 or IPv6 address' d $base sender a addr 198.18.0.300 profile "$WORK/slow.csv"
refused "an address twice" 'address 198.18.0.1 is another sender' d $base sender a addr 198.18.0.1 profile "$WORK/slow.csv" sender b addr 198.18.0.1 profile "$WORK/fast6.csv"
refused "a name twice" 'sender "a" is named twice' d $base sender a addr 198.18.0.1 profile "$WORK/slow.csv" sender a addr 198.18.0.9 profile "$WORK/fast6.csv"
refused "no uuid to push back by" 'has no "# uuid"' d $base sender a addr 198.18.0.1 profile "$WORK/nouuid.csv"
refused "a bad label" 'label "evil" is not attack or good' d $base sender a addr 198.18.0.1 profile "$WORK/slow.csv" label evil
refused "watermarks the wrong way" 'low watermark 0.95 is not in' d $base high 0.9 low 0.95 sender a addr 198.18.0.1 profile "$WORK/slow.csv"
refused "a high watermark never crossed" 'high watermark 1 is not in (0, 1)' d $base high 1 sender a addr 198.18.0.1 profile "$WORK/slow.csv"
refused "a bad name" 'is not 1-31 of' .hidden $base sender a addr 198.18.0.1 profile "$WORK/slow.csv"
printf '# period = 1\n0,-5,0\n' >"$WORK/bad.csv"
refused "a bad receiver profile" "bad.csv:2:" d dev vb capacity 1000 profile "$WORK/bad.csv" sender a addr 198.18.0.1 profile "$WORK/slow.csv"
expect_eq "API: unknown key" "$(api POST /detect '{"name":"d","dev":"vb","capacity":1,"profile":"/x","senders":[],"colour":1}' | jq -r .error)" 'detect: detector: unknown key "colour"'
expect_eq "API: not JSON" "$(api POST /detect '{' | jq -r .error | cut -c1-5)" "body:"
expect_eq "API: missing detector" "$(api GET /detect/none | jq -r .error)" 'detect: no detector "none"'
expect_eq "nothing attached, pinned or listed" "$(filters) $(pins) $(t -j detect show | jq '.detectors | length')" "0 0 0"

# --- TCP through a detector: every byte counted to its sender ---------------
check "a detector with room to spare" t detect add roomy dev vb capacity 100000000 profile "$WORK/fast.csv" \
	pushback off sender a addr 198.18.0.1 profile "$WORK/fast.csv"
expect_eq "it refuses a second one of the same name" "$(t detect add roomy $base sender a addr 198.18.0.1 profile "$WORK/slow.csv" 2>&1)" 'Error: detect: "roomy" exists'
in_b python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.18.0.2", 5201)); s.listen(1); c, _ = s.accept(); n = 0
while True:
    d = c.recv(65536)
    if not d: break
    n += len(d)
print(n)' >"$WORK/tcp.out" &
SRV=$!
wait_until sh -c "in_b() { nsenter --net=/run/netns/$B \"\$@\"; }; in_b ss -ltn | grep -q 198.18.0.2:5201"
check "2 MB of TCP cross it" ip netns exec $A timeout 120 python3 -c '
import socket
s = socket.create_connection(("198.18.0.2", 5201)); s.sendall(b"x" * 2000000); s.close()'
wait $SRV
expect_eq "the receiver got every byte" "$(cat "$WORK/tcp.out")" 2000000
check "its arrivals count at least the bytes, headers on" \
	test "$(t -j detect show roomy | jq '.senders[0].arrived.bits')" -ge 16000000
expect_eq "no drop with room to spare" "$(t -j detect show roomy | jq '.buffer.dropped.packets')" 0
check "bpftool names the state's fields (BTF)" sh -c \
	"bpftool map dump pinned '$TBX_BPFFS_ROOT/tbx/detect/roomy/state' | grep -q occupancy_bits"
check "del" t detect del roomy
expect_eq "no filter, no pin after del" "$(filters) $(pins)" "0 0"

# --- a burst over the capacity: dropped, the sender flagged, then resumed ---
check "a small, slowly drained buffer (push-back off)" t detect add tight dev vb capacity 100000 \
	profile "$WORK/recv.csv" high 0.5 low 0.45 pushback off \
	sender a addr 198.18.0.1 profile "$WORK/slow.csv" label attack
ip netns exec $A python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(40): s.sendto(b"y" * 972, ("198.18.0.2", 9))'
show() { t -j detect show tight | jq -r "$1"; }
# 12 datagrams of 8000 bits fit; a 13th only if the burst took 0.4 s.
expect_eq "every datagram of the burst arrived or was dropped" \
	"$(show '.buffer.arrived.packets + .buffer.dropped.packets')" 40
check "the buffer took what fit: 12 datagrams of 8000 bits" \
	test "$(show .buffer.arrived.packets)" -ge 12 -a "$(show .buffer.arrived.packets)" -le 13
check "its peak is at most the capacity" test "$(show .buffer.peak_bits)" -le 100000
# All 40 (320 000 bits) less what drained meanwhile, at 10 kbit/s.
check "the unbounded need counts past the capacity" test "$(show .buffer.need_peak_bits)" -gt 300000 -a "$(show .buffer.need_peak_bits)" -le 320000
flagged() { [ "$(show '.senders[0].stops')" -ge 1 ]; }
check "above high, the sender over its profile is flagged" wait_until flagged
check "its last second, when it was stopped, was over what the profile allowed" \
	test "$(show .senders[0].last_stop.window_bits)" -gt "$(show .senders[0].last_stop.allowed_bits)"
expect_eq "a high crossing came from the datapath" "$(show .high_events)" 1
expect_eq "scores: caught, no message (push-back off)" "$(show '"\(.scores.caught) \(.messages)"')" "1 0"
resumed() { [ "$(show '.senders[0].resumes')" -ge 1 ]; }
check "below low (5.5 s of draining), it is let go" wait_until resumed
expect_eq "and is no longer off" "$(show .senders[0].off)" false
check "the series has 100 ms rows" sh -c "t() { \"$TBX\" -s \"$WORK/sock\" \"\$@\"; }; [ \$(t detect series tight | wc -l) -gt 10 ]"

# --- tbxd's stop takes detectors away --------------------------------------
kill -TERM $TBXD; wait $TBXD
expect_eq "tbxd stopped: no filter, no pin" "$(filters) $(pins)" "0 0"
check "tbxd logged the flag and the resume" grep -q "tight: buffer below its low watermark: 1 sender resumed" "$WORK/log"
finish
