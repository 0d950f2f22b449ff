#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# debug-kernel: skip (user space over UDP multicast; its kernel path, the enforcement program switched off and on, is enforce.sh's)
# Push-back between tbxd instances over CBSAT's multicast group: three
# namespaces on one bridge; tbxd in a (a shared key: authenticated messages
# only) and in c (no key: CBSAT's plain messages), each with its own state,
# socket and pins, each holding a sender of uuid 7; messages sent from b.
# An authenticated stop reaches both (c reads its entries as CBSAT does); a
# plain message, a forged one (another key), replays (a seq not above the
# last), garbage and an unknown uuid are ignored and counted, and change
# nothing; a fresh authenticated resume restores.
. "$(dirname "$0")/lib.sh"

HUB=tbxpb-hub A=tbxpb-a B=tbxpb-b C=tbxpb-c
WORK=$(mktemp -d)
on_exit "rm -rf $WORK"
j() { printf '%s' "$1" | jq -r "$2"; }

for n in $HUB $A $B $C; do netns_add $n || { fail "namespaces"; finish; }; done
ip -n $HUB link add br0 type bridge && ip -n $HUB link set br0 up
i=1
for n in $A $B $C; do
	ip link add eth0 netns $n type veth peer name p$i netns $HUB
	ip -n $HUB link set p$i master br0 && ip -n $HUB link set p$i up
	ip -n $n addr add 198.18.1.$i/24 dev eth0 && ip -n $n link set eth0 up
	ip -n $n link set lo up
	i=$((i + 1))
done

head -c 32 /dev/urandom | base64 >"$WORK/key"
head -c 32 /dev/urandom | base64 >"$WORK/other"
printf '# period = 1\n# uuid = 7\n0,8000000,0\n' >"$WORK/p.csv"

# node N: its sender (a cgroup held to uuid 7's profile) and its tbxd.
node() {
	_n=$1; shift
	mkdir -p "$CG/tbxpb-$_n-$$" "$WORK/$_n"
	on_exit "rmdir $CG/tbxpb-$_n-$$"
	on_exit "TBX_BPFFS_ROOT=/sys/fs/bpf/tbxpb-$_n-$$ $TBX enforce del app; rm -rf /sys/fs/bpf/tbxpb-$_n-$$"
	TBX_BPFFS_ROOT=/sys/fs/bpf/tbxpb-$_n-$$ "$TBX" enforce add app cgroup "$CG/tbxpb-$_n-$$" \
		profile "$WORK/p.csv" || return 1
	TBX_BPFFS_ROOT=/sys/fs/bpf/tbxpb-$_n-$$ nsenter --net=/run/netns/tbxpb-$_n "$O/tbxd" \
		--state-dir "$WORK/$_n/state" --socket "$WORK/$_n/sock" --accounting-interval 0 \
		--pushback eth0 "$@" 2>>"$WORK/$_n/log" &
	on_exit "kill $!"
	wait_until "$TBX" -s "$WORK/$_n/sock" daemon status >/dev/null 2>&1
}
node a --pushback-key "$WORK/key" || { fail "node a"; finish; }
node c || { fail "node c"; finish; }

off() { TBX_BPFFS_ROOT=/sys/fs/bpf/tbxpb-$1-$$ "$TBX" -j enforce show app | jq -r .off; }
is_off() { [ "$(off "$1")" = "$2" ]; }
health() { "$TBX" -s "$WORK/$1/sock" -j daemon status | jq -r ".pushback.$2"; }
received() { [ "$(health "$1" received)" -ge "$2" ]; }
from_b() { nsenter --net=/run/netns/$B "$TBX" pushback "$@" dev eth0; }

expect_eq "/health: a takes authenticated messages only" "$(health a authenticated)" true
expect_eq "/health: c takes CBSAT's plain ones" "$(health c authenticated)" false

check "b sends an authenticated stop for uuid 7" from_b stop 7 key "$WORK/key" from recv-b seq 100
wait_until is_off a true; expect_eq "a's sender is switched off" "$(off a)" true
wait_until is_off c true; expect_eq "c (no key) reads the entries as a CBSAT node would" "$(off c)" true

check "a plain resume" from_b resume 7
wait_until is_off c false; expect_eq "c resumes on CBSAT's plain form" "$(off c)" false
wait_until received a 2
expect_eq "a refuses it: no authentication" "$(off a) $(health a unauthenticated)" "true 1"

check "a forged resume (another key)" from_b resume 7 key "$WORK/other" from recv-b seq 200
wait_until received a 3
expect_eq "a refuses a bad mac" "$(off a) $(health a unauthenticated)" "true 2"

check "a replayed seq" from_b resume 7 key "$WORK/key" from recv-b seq 100
check "an older seq" from_b resume 7 key "$WORK/key" from recv-b seq 99
wait_until received a 5
expect_eq "a refuses both as replays" "$(off a) $(health a replayed)" "true 2"

# Garbage and a uuid nobody here holds.
nsenter --net=/run/netns/$B python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("198.18.1.2"))
for m in (b"garbage", b"7,2;\0", b"", b"7,0;"):
    s.sendto(m, ("224.0.0.251", 12345))'
check "a uuid nobody holds" from_b stop 99 key "$WORK/key" from recv-b seq 300
wait_until received a 10
expect_eq "a counts the malformed and the unknown" "$(health a malformed) $(health a unknown_uuid)" "4 1"
expect_eq "and is still off, and still up" "$(off a) $(health a dev)" "true eth0"

check "a fresh authenticated resume" from_b resume 7 key "$WORK/key" from recv-b seq 301
wait_until is_off a false; expect_eq "a's sender is back on" "$(off a)" false
expect_eq "applied: a's stop and resume" "$(health a applied)" 2
check "a's log names what it ignored" grep -q "seq 100 from \"recv-b\" is not above the last accepted (100)" "$WORK/a/log"

finish
