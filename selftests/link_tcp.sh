#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# TCP through the tbx qdisc, against netem in the same boot: iperf3
# goodput through rate + delay, through delay alone, and through loss,
# jitter (reordering and not) and a profile; and what the qdisc does to the
# sockets whose packets it holds (no send-buffer charge, a closed socket's
# packets still delivered, SO_TXTIME departure times ignored as netem
# does). Throughput bounds are ratios to the configured rate and to netem's
# figure measured just before, never absolute times; on the debug kernel
# (-tbxdebug, KASAN under TCG: several times slower) the ratio to netem is
# checked with a looser bound where netem carried the rate, and where even
# netem could not (CPU-bound: the figures measure the CPU each round got)
# only that TCP gets through.
. "$(dirname "$0")/lib.sh"

A=tbxtcp-a B=tbxtcp-b
WORK=$(mktemp -d)
on_exit "rm -rf $WORK"
export TC_LIB_DIR=$O/tc
UDP_HOLD=${UDP_HOLD:-$O/tests/tools/udp_hold}

case $(uname -r) in
*-tbxdebug) DEBUG=1 ;;
*) DEBUG=0 ;;
esac

command -v iperf3 >/dev/null || { fail "iperf3 is not installed (scripts/deps)"; finish; exit; }

unload_module
load_module
on_exit unload_module

link_pair $A $B || { fail "namespaces and their veth"; finish; exit; }

tc_a() { ip netns exec $A tc "$@"; }
j() { printf '%s' "$1" | jq -r "$2"; }
# ge X Y: X >= Y (jq numbers).
ge() { jq -en "$1 >= $2" >/dev/null; }
# link TOOL OPTIONS...: a fresh root qdisc of kind TOOL on va.
link() {
	_k=$1; shift
	tc_a qdisc del dev va root 2>/dev/null
	tc_a qdisc add dev va root "$_k" "$@" || fail "tc qdisc add $_k $*"
}

# listening: waits until B's iperf3 server accepts connections (the
# server keeps listening until its one client is done).
_listens() { [ -n "$(ip netns exec $B ss -Hltn 'sport = :5201')" ]; }
listening() { wait_until _listens; }
# goodput: 4 s of iperf3 TCP from A to B after 1 s of slow start left
# out; prints the receiver's bit/s, or 0 when the transfer failed.
goodput() {
	ip netns exec $B iperf3 -s -1 -B 198.18.0.2 >/dev/null 2>&1 &
	_srv=$!
	listening
	if ip netns exec $A timeout 120 iperf3 -c 198.18.0.2 -t 4 -O 1 -J >$WORK/iperf.json 2>&1; then
		jq -r '.end.sum_received.bits_per_second // 0 | floor' $WORK/iperf.json
	else
		echo 0
	fi
	kill $_srv 2>/dev/null; wait $_srv 2>/dev/null
}
mbit() { jq -rn "$1 / 1e6 * 100 | round / 100"; }

# --- rate + delay: the rate, and at least netem's ------------------------
# Goodput counts TCP payload only: at most 1448 of every 1514 bytes the
# link carries (0.956 of the rate), so 0.9 x rate leaves 6 % for the rest.
# Other VMs on a busy host take the CPU in spells that can halve one 4 s
# run: up to four rounds of netem then tbx, each tool's best figure so
# far compared, stopping once both bounds hold. When even netem's best
# falls short of 0.9 x rate this VM could not carry the rate at all: the
# bound against the rate is skipped (said so), the one against netem kept.
for p in 20mbit:20000000:10ms 20mbit:20000000:50ms 100mbit:100000000:10ms; do
	rate=${p%%:*} delay=${p##*:} bps=${p#*:}; bps=${bps%%:*}
	n=0 t=0 round=0
	while [ $round -lt 4 ]; do
		round=$((round + 1))
		link netem rate "$rate" delay "$delay" limit 10000
		# Above the payload's share of the rate is the VM's clock, not
		# netem: such a figure counts as that share.
		x=$(goodput); n=$(jq -n "[$n, ([$x, $bps * 1448 / 1514] | min)] | max")
		link tbx rate "$rate" delay "$delay" limit 10000
		x=$(goodput); t=$(jq -n "[$t, $x] | max")
		if [ $DEBUG = 0 ]; then
			ge "$t" "$n * 0.95" && { ge "$t" "$bps * 0.9" || ! ge "$n" "$bps * 0.9"; } && break
		else
			{ ge "$t" "$n * 0.6" || ! ge "$n" "$bps * 0.9"; } && break
		fi
	done
	what="rate $rate delay $delay: tbx $(mbit "$t") Mbit/s, netem $(mbit "$n") (best of $round)"
	if [ $DEBUG = 0 ]; then
		if ge "$n" "$bps * 0.9" || ge "$t" "$bps * 0.9"; then
			check "$what: tbx >= 0.9 x rate" ge "$t" "$bps * 0.9"
		else
			ok "$what: tbx >= 0.9 x rate # SKIP this VM carried at most $(mbit "$n") Mbit/s with netem"
		fi
		check "$what: tbx >= 0.95 x netem" ge "$t" "$n * 0.95"
	elif ge "$n" "$bps * 0.9"; then
		check "$what: tbx >= 0.6 x netem (debug kernel)" ge "$t" "$n * 0.6"
	else
		# Neither carried the rate: KASAN's cost per packet bounds both,
		# tbx's more, and how much CPU each round got decides the
		# figures. A speed race is not this kernel's to judge (the
		# stock kernel's tier compares them); TCP must get through.
		check "$what: TCP gets through (debug kernel, CPU-bound: no comparison)" ge "$t" 1000000
	fi
done

# --- delay alone does not throttle TCP -------------------------------------
# Without a rate both are bound by the VM's CPU, which two runs in a row
# share unevenly on a busy host: half of netem's figure is far above the
# few Mbit/s a sender stopped by its socket's charge reaches.
# On the debug kernel KASAN's cost per packet bounds both, tbx's more
# (38 against 98 Mbit/s in one run): a quarter of netem's there, still
# ten times what the throttled sender reached.
f=0.5
[ $DEBUG = 1 ] && f=0.25
n=0 t=0 round=0
while [ $round -lt 3 ]; do
	round=$((round + 1))
	link netem delay 10ms limit 10000
	x=$(goodput); n=$(jq -n "[$n, $x] | max")
	link tbx delay 10ms limit 10000
	x=$(goodput); t=$(jq -n "[$t, $x] | max")
	ge "$t" "$n * $f" && break
done
check "delay 10ms alone: tbx $(mbit "$t") Mbit/s >= $f x netem's $(mbit "$n") (best of $round)" ge "$t" "$n * $f"

# --- loss, jitter, reordering, a profile: TCP completes -------------------
# tcp_through WHAT OPTIONS...: TCP completes through tbx OPTIONS; the
# goodput is reported beside netem's where netem has the same options.
tcp_through() {
	_w=$1; shift
	link tbx "$@"
	_t=$(goodput)
	check "TCP through $_w completes: $(mbit "$_t") Mbit/s" ge "$_t" 1
}
# Corrupting a GSO packet cuts it into its segments first, as netem does:
# the path TCP's large packets take (KASAN watches it on the debug kernel).
tcp_through "loss 1%, corrupt 1% and duplicate 1% (rate 20mbit delay 10ms)" \
	rate 20mbit delay 10ms loss 1% corrupt 1% duplicate 1% limit 10000
check "and packets were corrupted ($(ip netns exec $A "$TBX" -j link show va | jq .stats.corrupted))" \
	sh -c "ip netns exec $A $TBX -j link show va | jq -e '.stats.corrupted > 0' >/dev/null"

# Jitter wider than the packets' spacing reorders them, as netem's does.
o0=$(peer TcpExtTCPOFOQueue)
tcp_through "jitter with reordering (delay 10ms jitter 5ms)" delay 10ms jitter 5ms limit 10000
o1=$(peer TcpExtTCPOFOQueue)
check "and the receiver queued segments out of order ($((o1 - o0)))" ge $((o1 - o0)) 1
# Jitter of +/- 50 us at 4 Mbit/s: any two packets leave the serializer at
# least 108 us apart (54 bytes, the smallest TCP/IPv4 frame), more than
# the widest swing: nothing is reordered and nothing is lost.
tcp_through "jitter without reordering (rate 4mbit delay 10ms jitter 50us)" \
	rate 4mbit delay 10ms jitter 50us limit 10000
o2=$(peer TcpExtTCPOFOQueue)
expect_eq "and no segment arrived out of order" $((o2 - o1)) 0

printf '# period = 2\n0,10000000,0.01\n1,20000000,0.03\n' >$WORK/steps.prof
link tbx profile $WORK/steps.prof limit 10000
t=$(goodput)
# The profile carries 15 Mbit/s on average; a sender throttled by its
# socket's charge got 1-2 Mbit/s through such delays.
check "TCP through a profile (10/20 Mbit/s, 10/30 ms) completes: $(mbit "$t") Mbit/s, at least 0.4 x the mean rate" \
	ge "$t" 6000000

# --- what the qdisc holds is not charged to the sending socket ------------
# A profile whose link carries nothing for a day holds every packet in
# the buffer; a 60 s delay holds them in flight. Either way the socket is
# not charged for them once they are in the qdisc (SIOCOUTQ is UDP's
# sk_wmem_alloc), as after netem, and with the charge gone the sender is
# not blocked by its send buffer.
printf '# period = 86400\n0,0,0\n86399,1000000,0\n' >$WORK/hold.prof
u() { ip netns exec $A "$UDP_HOLD" 198.18.0.2 9 "$@"; }
link tbx profile $WORK/hold.prof limit 10000
r=$(u 200 1000)
expect_eq "held in the buffer: 200 datagrams sent, the socket charged 0 bytes ($r)" "$(j "$r" .outq)" 0
expect_eq "and the qdisc holds the 200" "$(tc_a -j -s qdisc show dev va | jq '.[0].qlen')" 200
link tbx delay 60s limit 10000
r=$(u 200 1000)
expect_eq "held in flight: the socket charged 0 bytes ($r)" "$(j "$r" .outq)" 0
link netem delay 60s limit 10000
r=$(u 200 1000)
expect_eq "(netem, the same: $r)" "$(j "$r" .outq)" 0

# A closed socket's held packets are still delivered when the link lets
# them go, and nothing of the socket is touched after it is freed (KASAN
# on the debug kernel).
link tbx profile $WORK/hold.prof limit 10000
n0=$(peer UdpNoPorts)
u 100 500 >/dev/null
expect_eq "100 packets of a closed socket held" "$(tc_a -j -s qdisc show dev va | jq '.[0].qlen')" 100
tc_a qdisc change dev va root tbx rate 10mbit limit 10000
wait_until reached UdpNoPorts "$n0" 100
expect_eq "and delivered once the link carries again" $(( $(peer UdpNoPorts) - n0 )) 100
link tbx profile $WORK/hold.prof limit 10000
u 100 500 >/dev/null
check "a closed socket's held packets are freed with the qdisc" tc_a qdisc del dev va root

# SO_TXTIME: a departure time 10 s ahead is not waited for (tbx, like
# netem, keeps its own timing); the packets leave after the link's delay
# and are not charged to their socket meanwhile.
link tbx delay 20ms limit 10000
n0=$(peer UdpNoPorts)
r=$(u 50 500 10000000000)
expect_eq "SO_TXTIME datagrams held in flight are not charged ($r)" "$(j "$r" .outq)" 0
wait_until reached UdpNoPorts "$n0" 50
expect_eq "and all 50 arrive after the link's delay, not their departure time" \
	$(( $(peer UdpNoPorts) - n0 )) 50
s=$(ip netns exec $A "$TBX" -j link show va)
check "none waited for its departure time ($(j "$s" '[.intervals[] | .sojourn_max_ns] | max') ns, under 10 s)" \
	jq -en "$(j "$s" '[.intervals[] | .sojourn_max_ns] | max') < 10000000000"
tc_a qdisc del dev va root
finish
