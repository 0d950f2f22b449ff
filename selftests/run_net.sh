#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# net runs: the in-kernel packet generator on a veth between namespaces.
# Every pattern reaches the peer with valid checksums; the peer's count
# matches the run's; spoofed sources take turns; rates in pps and bit/s;
# set in place; delete; the device going away fails the run without
# hanging unregister; bad requests refused with their message.
. "$(dirname "$0")/lib.sh"

A=tbxnet-a B=tbxnet-b C=tbxnet-c
WORK=$(mktemp -d)
on_exit "rm -rf $WORK"

unload_module
load_module
on_exit unload_module

# A (va 198.18.0.1, va2 no address) <-> B (vb 198.18.0.2, vb2);
# C (vc 198.18.2.1) <-> B (vd 198.18.2.2).
netns_add $A && netns_add $B && netns_add $C || { fail "namespaces"; finish; exit; }
ip link add va netns $A type veth peer name vb netns $B
ip link add va2 netns $A type veth peer name vb2 netns $B
ip link add vc netns $C type veth peer name vd netns $B
ip -n $A addr add 198.18.0.1/24 dev va
ip -n $B addr add 198.18.0.2/24 dev vb
ip -n $C addr add 198.18.2.1/24 dev vc
ip -n $B addr add 198.18.2.2/24 dev vd
for l in "$A va" "$A va2" "$A lo" "$B vb" "$B vb2" "$B vd" "$B lo" "$C vc"; do
	set -- $l; ip -n "$1" link set "$2" up
done

# tbx in A, so the kernel finds the devices in the requester's netns.
tbx_a() { ip netns exec $A "$TBX" "$@"; }
# band X LO HI: LO <= X <= HI (integers, or jq numbers).
band() { jq -en "$1 >= $2 and $1 <= $3" >/dev/null; }
j() { printf '%s' "$1" | jq -r "$2"; }
# sent_at_least ID N [NETNS]: run ID has sent N frames or more.
sent_at_least() {
	[ "$(ip netns exec "${3:-$A}" "$TBX" -j run show "$1" | jq -r .net.packets)" -ge "$2" ]
}

# --- bad requests: refused with their message, nothing started -----------
bad() {
	_what=$1 _rc=$2 _pat=$3; shift 3
	expect_fail "refused: $_what" "$_rc" "$_pat" tbx_a run add net "$@"
}
bad "unknown device" 2 "no device with this name" dev nosuch dst 198.18.0.2 udp rate 1kpps
bad "a device that is not Ethernet" 2 "not Ethernet" dev lo dst 198.18.0.2 udp rate 1kpps
bad "no dst" 1 "dst ADDR.*missing" dev va udp rate 1kpps
bad "dst 0.0.0.0" 2 "dst must be a unicast" dev va dst 0.0.0.0 udp rate 1kpps
bad "multicast dst" 2 "dst must be a unicast" dev va dst 224.0.0.1 udp rate 1kpps
bad "broadcast dst" 2 "dst must be a unicast" dev va dst 255.255.255.255 udp rate 1kpps
bad "rate 0" 2 "rate-pps must be 1\.\.100000000" dev va dst 198.18.0.2 udp rate 0pps
bad "rate above the maximum" 2 "rate-pps must be 1\.\.100000000" dev va dst 198.18.0.2 udp rate 101Mpps
bad "bit rate below one frame a second" 2 "rate-bps must be at least 8 x size" \
	dev va dst 198.18.0.2 udp rate 400bit
bad "two rates" 1 "rate.*given twice" dev va dst 198.18.0.2 udp rate 1kpps rate 1mbit
bad "size below udp's 42" 2 "size is below the pattern's minimum" \
	dev va dst 198.18.0.2 udp rate 1kpps size 41
bad "size below tcp-syn's 54" 2 "size is below the pattern's minimum" \
	dev va dst 198.18.0.2 tcp-syn rate 1kpps size 53
bad "size above MTU + 14" 2 "size exceeds the device's MTU" \
	dev va dst 198.18.0.2 udp rate 1kpps size 1515
bad "src range reversed" 1 "range ends before it starts" \
	dev va dst 198.18.0.2 udp rate 1kpps src 198.18.0.9-198.18.0.3
bad "no src on a device without IPv4" 2 "device has no IPv4 address; give src" \
	dev va2 dst 198.18.1.2 udp rate 1kpps
printf '# period = 1\n' >$WORK/empty.prof
printf '# period = 1\n0,1000000,0,0\n0.5,0,0,0\n0.2,5,0,0\n' >$WORK/order.prof
bad "empty profile" 1 "no rows" dev va dst 198.18.0.2 udp profile $WORK/empty.prof
bad "non-monotonic profile" 1 "not after the previous row" \
	dev va dst 198.18.0.2 udp profile $WORK/order.prof
# The kernel refuses what the CLI catches first, when a raw request bypasses it.
RUN_RAW=${RUN_RAW:-$O/tests/tools/run_raw}
raw_a() { ip netns exec $A env RUN_RAW_DEV=va "$RUN_RAW" "$@"; }
expect_fail "kernel refuses two rates" 2 "only one of rate-pps, rate-bps and profile" raw_a net-two-rates
expect_fail "kernel refuses a reversed src range" 2 "src-min must not be above src-max" raw_a net-src-reversed
expect_fail "kernel refuses an empty profile" 2 "at least one segment" raw_a net-profile-empty
expect_fail "kernel refuses a profile out of order" 2 "offsets must increase strictly" raw_a net-profile-unordered
expect_eq "refused requests leave no run" "$(tbx_a -j run list | jq length)" 0

# --- events: a run's final figures and why it failed -------------------------
monitor_start $WORK/events
# finished_event ID: the run's FINISHED event, once it came.
finished_event() { run_event $WORK/events finished "$1"; }

# --- udp at 1000 pps: the peer counts what the run sent ------------------
u0=$(peer UdpNoPorts)
r=$(tbx_a -j run add net dev va dst 198.18.0.2 udp rate 1kpps for 3s)
id=$(j "$r" .id)
expect_eq "udp run is running" "$(j "$r" .state)" running
expect_eq "it reports the device by name" "$(j "$r" .net.ifname)" va
expect_eq "and by index" "$(j "$r" .net.ifindex)" \
	"$(ip -n $A -j link show va | jq '.[0].ifindex')"
expect_eq "default size 60" "$(j "$r" .net.size)" 60
expect_eq "default port 9" "$(j "$r" .net.port)" 9
expect_eq "default source: the device's address" "$(j "$r" .net.src_min)" 198.18.0.1
r=$(finished_event "$id")
sent=$(j "$r" .net.packets)
# Frames in flight reach the peer's counters: wait for them, then compare.
wait_until reached UdpNoPorts "$u0" "$sent"
got=$(($(peer UdpNoPorts) - u0))
expect_eq "the run ended after 3 s" "$(j "$r" .state)" ended
expect_eq "dst MAC resolved by ARP" "$(j "$r" .net.dst_mac)" \
	"$(ip -n $B -j link show vb | jq -r '.[0].address')"
expect_eq "the peer's UDP count equals the run's packets" "$got" "$sent"
expect_eq "no drops" "$(j "$r" .net.drops)" 0
expect_eq "bytes = packets x 60" "$(j "$r" .net.bytes)" $((sent * 60))
check "peer count near 3000 for 3 s at 1000 pps ($got)" band "$got" 2000 4500
pps=$(j "$r" '.net.packets / ((.ended - .started) / 1e9)')
check "rate near 1000 pps over the run's life ($pps)" band "$pps" 500 1500

# --- tcp-syn, icmp-echo, fuzz reach the peer, checksums valid -------------
# burst N PATTERN: a run deleted once it has sent N frames, and once every
# frame it sent has reached B's IP layer; prints its final JSON.
burst() {
	_n=$1; shift
	_i0=$(peer IpInReceives)
	_id=$(tbx_a -j run add net dev va dst 198.18.0.2 "$@" | jq -r .id)
	wait_until sent_at_least "$_id" "$_n"
	_r=$(tbx_a -j run del "$_id")
	wait_until reached IpInReceives "$_i0" "$(j "$_r" .net.packets)"
	echo "$_r"
}
t0=$(peer TcpInSegs) rst0=$(peer TcpOutRsts)
r=$(burst 300 tcp-syn rate 300pps port 80)
check "tcp-syn: the peer took the SYNs ($(($(peer TcpInSegs) - t0)))" \
	band "$(($(peer TcpInSegs) - t0))" 1 "$(j "$r" .net.packets)"
check "tcp-syn: and answered them" band "$(($(peer TcpOutRsts) - rst0))" 1 1000000

e0=$(peer IcmpInEchos) p0=$(peer IcmpOutEchoReps)
r=$(burst 300 icmp-echo rate 300pps size 98)
expect_eq "icmp-echo: every request reached the peer" \
	"$(($(peer IcmpInEchos) - e0))" "$(j "$r" .net.packets)"
expect_eq "icmp-echo: the peer replied to each" \
	"$(($(peer IcmpOutEchoReps) - p0))" "$(j "$r" .net.packets)"

i0=$(peer IpInReceives) u0=$(peer UdpNoPorts) t0=$(peer TcpInSegs)
c0=$(( $(peer IcmpInEchos) + $(peer IcmpInEchoReps) ))
r=$(burst 300 fuzz rate 300pps size 200)
expect_eq "fuzz: every frame reached the peer's IP" \
	"$(($(peer IpInReceives) - i0))" "$(j "$r" .net.packets)"
check "fuzz: some were UDP" band "$(($(peer UdpNoPorts) - u0))" 1 1000000
check "fuzz: some were TCP" band "$(($(peer TcpInSegs) - t0))" 1 1000000
check "fuzz: some were ICMP" \
	band "$(( $(peer IcmpInEchos) + $(peer IcmpInEchoReps) - c0 ))" 1 1000000

for c in IpInHdrErrors IpInAddrErrors UdpInCsumErrors TcpInCsumErrors \
	 IcmpInCsumErrors IcmpInErrors TcpInErrs; do
	expect_eq "the peer saw no $c" "$(peer $c)" 0
done

# --- spoofed sources, in turn, seen by a socket in the peer ----------------
ip netns exec $B socat -d -d -u UDP4-RECV:5001,bind=198.18.0.2 OPEN:/dev/null \
	2>$WORK/socat.log &
SOCAT=$!
on_exit "kill $SOCAT"
bound() { ip netns exec $B ss -Hlun 'sport = :5001' | grep -q .; }
wait_until bound
r=$(burst 45 udp rate 30pps port 5001 src 198.18.0.10-198.18.0.12 dstmac \
	"$(ip -n $B -j link show vb | jq -r '.[0].address')")
n=$(j "$r" .net.packets)
logged() { [ "$(grep -c 'from AF=2 ' $WORK/socat.log)" -ge "$n" ]; }
wait_until logged
kill $SOCAT
for s in 10 11 12; do
	eval "n$s=\$(grep -c 'from AF=2 198.18.0.$s:' $WORK/socat.log)"
done
expect_eq "src range: each source used in turn (packets $n)" \
	"$n10 $n11 $n12" "$(( (n + 2) / 3 )) $(( (n + 1) / 3 )) $(( n / 3 ))"
expect_eq "src range reported" "$(j "$r" '.net.src_min + "-" + .net.src_max')" \
	198.18.0.10-198.18.0.12

# --- a rate in bit/s ---------------------------------------------------------
r=$(burst 1000 udp rate 1mbit size 125)
expect_eq "rate in mbit reported in bit/s" "$(j "$r" .net.rate_bps)" 1000000
pps=$(j "$r" '.net.packets / ((.ended - .started) / 1e9)')
check "1 mbit of 125-byte frames is near 1000 pps ($pps)" band "$pps" 500 1500
expect_eq "bytes = packets x 125" "$(j "$r" .net.bytes)" $(( $(j "$r" .net.packets) * 125 ))

# --- set the rate in place ---------------------------------------------------
u0=$(peer UdpNoPorts)
id=$(tbx_a -j run add net dev va dst 198.18.0.2 udp rate 10pps | jq -r .id)
wait_until sent_at_least "$id" 10
r=$(tbx_a -j run set "$id" level 2kpps)
expect_eq "set: the new rate is reported" "$(j "$r" .net.rate_pps)" 2000
expect_eq "set: the run goes on" "$(j "$r" .state)" running
p1=$(j "$r" .net.packets)
sleep 2
r=$(tbx_a -j run set "$id" level 2mbit)
expect_eq "set: a bit rate replaces the packet rate" \
	"$(j "$r" '[.net.rate_bps, .net.rate_pps // "none"] | join(" ")')" "2000000 none"
p2=$(j "$r" .net.packets)
check "set: more sent at 2000 pps than at 10 ($p1 then $p2)" \
	band "$((p2 - p1))" $((p1 * 10 + 100)) 100000000

# --- delete mid-run ---------------------------------------------------------
mid=$(tbx_a -j run show "$id")
r=$(tbx_a -j run del "$id")
check "run show counts while running ($(j "$mid" .net.packets), then $(j "$r" .net.packets))" \
	band "$(j "$mid" .net.packets)" "$p2" "$(j "$r" .net.packets)"
expect_eq "deleted mid-run: stopped" "$(j "$r" .state)" stopped
expect_fail "deleted run is gone" 2 "no run with this id" tbx_a run show "$id"
# Once all it sent has arrived, nothing more comes.
wait_until reached UdpNoPorts "$u0" "$(j "$r" .net.packets)"
u1=$(peer UdpNoPorts); sleep 1
expect_eq "nothing sent after delete" "$(peer UdpNoPorts)" "$u1"

# --- the device goes away under a running run --------------------------------
mac=$(ip -n $B -j link show vb2 | jq -r '.[0].address')
id=$(tbx_a -j run add net dev va2 dst 198.18.1.2 src 198.18.1.1 dstmac "$mac" \
	udp rate 1kpps | jq -r .id)
wait_until sent_at_least "$id" 1
check "ip link del returns while a run holds the device" \
	timeout 60 ip -n $A link del va2
e=$(finished_event "$id")
expect_eq "link deleted: the run failed" "$(j "$e" .state)" failed
check "link deleted: the message names the device ($(j "$e" .message))" \
	sh -c "printf '%s' '$(j "$e" .message)' | grep -q 'va2'"

id=$(ip netns exec $C "$TBX" -j run add net dev vc dst 198.18.2.2 tcp-syn rate 1kpps \
	| jq -r .id)
wait_until sent_at_least "$id" 1 $C
check "ip netns del under a running run" timeout 60 ip netns del $C
e=$(finished_event "$id")
expect_eq "netns deleted: the run failed" "$(j "$e" .state)" failed
check "netns deleted: the message names the device ($(j "$e" .message))" \
	sh -c "printf '%s' '$(j "$e" .message)' | grep -q 'device vc'"
# The namespace's devices are gone for good: vd (vc's peer) disappears.
vd_gone() { ! ip -n $B link show vd >/dev/null 2>&1; }
check "netns deleted: its veth was unregistered" wait_until vd_gone

# --- no ARP reply: the run fails with a message ------------------------------
id=$(tbx_a -j run add net dev va dst 198.18.0.77 udp rate 1kpps | jq -r .id)
e=$(finished_event "$id")
expect_eq "unanswered ARP: the run failed" "$(j "$e" .state)" failed
expect_eq "unanswered ARP: the message says so" "$(j "$e" .message)" \
	"net: no ARP reply from the destination"

expect_eq "no runs left" "$(tbx_a -j run list | jq length)" 0
finish
