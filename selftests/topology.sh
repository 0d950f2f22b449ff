#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Topologies as a user meets them: `tbx topology up` of a three-host file
# through tbxd (namespaces, a bridge, veth pairs, the tbx qdisc, cgroups,
# exec: commands), traffic across the impaired links (ping's delay, TCP's
# rate), up again with nothing changed and with one link changed under
# load, exec and graph, bad files refused with nothing built, a kernel
# refusal undone, tbxd killed in the middle of an up and reconciled, and
# down leaving nothing behind.
. "$(dirname "$0")/lib.sh"

T=tbxtopo
WORK=$(mktemp -d)
sock=$WORK/tbxd.sock
export TC_LIB_DIR=$O/tc

command -v iperf3 >/dev/null || { fail "iperf3 is not installed (scripts/deps)"; finish; exit; }

unload_module
load_module

# Whatever happens: no namespace, cgroup or tbxd of this test survives it.
leftovers() { topology_leftovers "$T"; }
on_exit "rm -rf $WORK"
on_exit unload_module
on_exit leftovers
on_exit 'kill -9 $TBXD'

# A restarted tbxd reconciles before it answers: wait for an answer.
start_tbxd() {
	"$O/tbxd" --state-dir "$WORK/state" --socket "$sock" 2>>"$WORK/tbxd.log" &
	TBXD=$!
	wait_until "$TBX" -s "$sock" daemon status >/dev/null 2>&1
}
start_tbxd

tbx() { "$TBX" -s "$sock" "$@"; }
in_node() { _in=$1; shift; ip netns exec "tbx-$T-$_in" "$@"; }
j() { printf '%s' "$1" | jq -r "$2"; }
ge() { jq -en "$1 >= $2" >/dev/null; }
nodes_left() { ip netns list | grep -c "^tbx-$T-"; }

# h1 -- sw (bridge) -- h2 -- h3, h2 routing between 198.18.1.0/24 and
# 198.18.2.0/24; h1's link delayed 20 ms both ways, h3's limited to
# 10 Mbit/s with 5 ms, and h3 a cgroup of half a CPU and 128 MiB.
cat >"$WORK/lab.yaml" <<EOF
name: $T
topology:
  nodes:
    h1:
      exec:
        - ip addr add 198.18.1.1/24 dev eth1
        - ip route add 198.18.2.0/24 via 198.18.1.2
    h2:
      exec:
        - ip addr add 198.18.1.2/24 dev eth1
        - ip addr add 198.18.2.1/24 dev eth2
        - sysctl -qw net.ipv4.ip_forward=1
    h3:
      cpu: 0.5
      memory: 128Mb
      exec:
        - ip addr add 198.18.2.2/24 dev eth1
        - ip route add 198.18.1.0/24 via 198.18.2.1
    sw:
      kind: bridge
  links:
    - endpoints: ["h1:eth1", "sw:p1"]
      delay: 20ms
    - endpoints: ["h2:eth1", "sw:p2"]
    - endpoints: ["h3:eth1", "h2:eth2"]
      rate: 10mbit
      delay: 5ms
EOF

# --- bad files: refused with file:line, nothing built ---------------------
sed 's/kind: bridge/kind: switch/' "$WORK/lab.yaml" >"$WORK/bad.yaml"
expect_fail "a bad file is refused with its file and line" 2 "bad.yaml:20: node sw: kind \"switch\"" \
	tbx topology up "$WORK/bad.yaml"
expect_eq "nothing is built for a bad file" "$(nodes_left)" 0
expect_eq "tbxd records nothing for it" "$(tbx -j topology show | jq '.topologies | length')" 0
printf 'name: %s\ntopology:\n  nodes: {a: , b: }\n  links:\n    - endpoints: ["a:e1", "b:e1"]\n      delay: -5ms\n' \
	$T >"$WORK/refused.yaml"
expect_fail "a link the kernel refuses fails the up" 2 "link a:e1 -- b:e1: tbx: delay must be" \
	tbx topology up "$WORK/refused.yaml"
expect_eq "what the failed up made is taken away" "$(nodes_left)" 0
expect_eq "and not recorded" "$(tbx -j topology show | jq '.topologies | length')" 0

# --- up ---------------------------------------------------------------------
out=$(tbx topology up "$WORK/lab.yaml" 2>&1); rc=$?
expect_eq "up succeeds" "$rc" 0
case $out in *"h3\$ ip route add 198.18.1.0/24 via 198.18.2.1"*) ok "up runs the exec: commands" ;;
*) fail "up runs the exec: commands: $out" ;; esac
expect_eq "one namespace per node" "$(nodes_left)" 4
expect_eq "the bridge node holds br0 with its two ports" \
	"$(in_node sw ip -j link show master br0 | jq -r '[.[].ifname] | sort | join(",")')" "p1,p2"
expect_eq "h3's cgroup has cpu.max" "$(cat "$CG/tbx/$T/h3/cpu.max")" "50000 100000"
expect_eq "h3's cgroup has memory.max" "$(cat "$CG/tbx/$T/h3/memory.max")" 134217728
# rate NODE DEV: the bit/s of the tbx qdisc there, as tbx link show reads it.
rate() { in_node "$1" "$TBX" -j link show "$2" | jq -r .options.rate_bps; }
expect_eq "the impaired end has the tbx qdisc at 10 Mbit/s" "$(rate h3 eth1)" 10000000
expect_eq "and its peer too (both directions)" "$(rate h2 eth2)" 10000000
check "an unimpaired end keeps its default qdisc" sh -c \
	"! ip netns exec tbx-$T-h2 tc qdisc show dev eth1 | grep -q 'qdisc tbx'"
show=$(tbx -j topology show $T)
expect_eq "show: up, 4 nodes, 3 links" "$(j "$show" '[.state, (.nodes|length), (.links|length)] | join(" ")')" "up 4 3"
expect_eq "show: every node's netns is there" "$(j "$show" '[.nodes[].netns_present] | all')" true

# --- traffic ----------------------------------------------------------------
# The qdisc delays every packet: no RTT can be below the configured 2 x 20 ms.
# min_rtt NODE ADDR: ping's smallest round trip, ms.
min_rtt() { in_node "$1" ping -c 5 -i 0.2 -q "$2" | sed -n 's|^rtt .* = \([0-9.]*\)/.*|\1|p'; }
rtt=$(min_rtt h1 198.18.1.2)
if [ -n "$rtt" ] && ge "$rtt" 40; then ok "h1 <-> h2 RTT at least 2 x 20 ms ($rtt ms)"
else fail "h1 <-> h2 RTT at least 2 x 20 ms (got '$rtt')"; fi
rtt=$(min_rtt h1 198.18.2.2)
if [ -n "$rtt" ] && ge "$rtt" 50; then ok "h1 <-> h3 routed through h2, RTT at least 50 ms ($rtt ms)"
else fail "h1 <-> h3 routed through h2 (got '$rtt')"; fi

_listens() { [ -n "$(in_node "$1" ss -Hltn 'sport = :5201')" ]; }
# iperf NODE ADDR SECONDS OUT: a TCP transfer to the server on NODE.
iperf() {
	in_node "$1" iperf3 -s -1 -B "$2" >/dev/null 2>&1 &
	_srv=$!
	wait_until _listens "$1"
	in_node h3 timeout 120 iperf3 -c "$2" -t "$3" -J >"$4" 2>&1
	_rc=$?
	wait $_srv 2>/dev/null
	return $_rc
}
check "TCP from h3 to h1 across both links" iperf h1 198.18.1.1 3 "$WORK/tcp.json"
bps=$(jq -r '.end.sum_received.bits_per_second // 0 | floor' "$WORK/tcp.json")
# The rate is the qdisc's to keep: never above it (2 % for TCP/IP headers
# counted differently); a transfer that crawls means a broken link.
if ge "$bps" 1000000 && ge 10200000 "$bps"; then ok "TCP goodput within the 10 Mbit/s rate ($bps bit/s)"
else fail "TCP goodput within the 10 Mbit/s rate (got $bps bit/s)"; fi

# --- up again ----------------------------------------------------------------
handle() { in_node h3 tc -j qdisc show dev eth1 | jq -r '.[] | select(.kind == "tbx") | .handle'; }
sent() { in_node h3 tc -j -s qdisc show dev eth1 | jq -r '.[] | select(.kind == "tbx") | .bytes'; }
h0=$(handle); s0=$(sent)
out=$(tbx topology up "$WORK/lab.yaml" 2>&1)
case $out in *"(nothing changed)"*) ok "up of the same file changes nothing" ;;
*) fail "up of the same file changes nothing: $out" ;; esac
expect_eq "nothing changed: the same qdisc" "$(handle)" "$h0"
if ge "$(sent)" "$s0"; then ok "nothing changed: its counters go on"; else fail "counters reset ($(sent) < $s0)"; fi
case $out in *"h1\$"*) fail "exec: commands run again on an unchanged node" ;;
*) ok "exec: commands run only when a node is made" ;; esac

# A changed file changes only what changed, while TCP crosses the link.
sed 's/rate: 10mbit/rate: 20mbit/' "$WORK/lab.yaml" >"$WORK/lab2.yaml"
iperf h1 198.18.1.1 6 "$WORK/tcp2.json" &
flow=$!
wait_until sh -c "[ \"\$(ip netns exec tbx-$T-h3 tc -j -s qdisc show dev eth1 | jq '.[] | select(.kind == \"tbx\") | .bytes')\" -gt $(($(sent) + 500000)) ]"
out=$(tbx topology up "$WORK/lab2.yaml" 2>&1)
expect_eq "a changed link is all that changes" "$(printf '%s\n' "$out" | grep -E '^(created|changed|removed)')" \
	"changed link h2:eth2--h3:eth1"
wait $flow
expect_eq "the transfer under the change completes" $? 0
expect_eq "changed in place: the same qdisc" "$(handle)" "$h0"
expect_eq "the new rate is in force" "$(rate h3 eth1)" 20000000
expect_fail "a bad change is refused" 2 "lab3.yaml:[0-9]+: .*rate \"fast\"" \
	sh -c "sed 's/rate: 20mbit/rate: fast/' '$WORK/lab2.yaml' >'$WORK/lab3.yaml' && \"$TBX\" -s '$sock' topology up '$WORK/lab3.yaml'"
expect_eq "and changes nothing" "$(rate h3 eth1)" 20000000

# --- exec, graph -------------------------------------------------------------
expect_eq "exec runs in the node's namespace" \
	"$(tbx topology exec $T h3 ip -4 -br addr show dev eth1 | awk '{print $3}')" 198.18.2.2/24
check "exec runs in the node's cgroup" sh -c \
	"\"$TBX\" -s '$sock' topology exec $T h3 cat /proc/self/cgroup | grep -q '/tbx/$T/h3\$'"
expect_eq "exec passes the command's exit status" \
	"$(tbx topology exec $T h1 sh -c 'exit 7'; echo $?)" 7
expect_fail "exec in an unknown node" 2 "has no node \"h9\"" tbx topology exec $T h9 true
check "graph draws DOT" sh -c "\"$TBX\" -s '$sock' topology graph $T | grep -q '\"h3\" -- \"h2\"'"
check "graph --svg draws SVG" sh -c "\"$TBX\" topology graph '$WORK/lab.yaml' --svg | grep -q '</svg>'"

# --- tbxd killed in the middle of an up ---------------------------------------
# N more hosts on the bridge: tbxd is stopped once the first exists, its
# record read, and it is killed there and started again.
N=30
{
	cat "$WORK/lab2.yaml"
	for i in $(seq 1 $N); do echo "    - endpoints: [\"n$i:eth1\", \"sw:q$i\"]"; done
} >"$WORK/big.yaml"
awk -v n=$N '{ print } /^  nodes:$/ { for (i = 1; i <= n; i++) printf "    n%d:\n", i }' \
	"$WORK/big.yaml" >"$WORK/big2.yaml"
tbx topology up "$WORK/big2.yaml" >/dev/null 2>&1 &
up=$!
wait_until test -e /run/netns/tbx-$T-n1
kill -STOP $TBXD
state=$(sqlite3 "$WORK/state/tbxd.db" "select state from topologies where name = '$T'")
kill -9 $TBXD; wait $TBXD 2>/dev/null; wait $up 2>/dev/null
echo "# tbxd was killed with the topology $state"
start_tbxd
show=$(tbx -j topology show $T)
expect_eq "restarted tbxd reconciles: up, $((N + 4)) nodes, $((N + 3)) links" \
	"$(j "$show" '[.state, (.nodes|length), (.links|length)] | join(" ")')" "up $((N + 4)) $((N + 3))"
expect_eq "every node and link recorded up" \
	"$(j "$show" '[.nodes[].state, .links[].state] | unique | join(",")')" up
expect_eq "every namespace there" "$(nodes_left)" $((N + 4))
check "a reconciled host is reachable over the bridge" sh -c \
	"ip netns exec tbx-$T-n$N ip addr add 198.18.1.200/24 dev eth1 && ip netns exec tbx-$T-n$N ping -c 1 -W 5 198.18.1.2"
grep '^tbxd: topology' "$WORK/tbxd.log" | sed 's/^/# /'

# --- two topologies, one namespace name ------------------------------------
# tbx-NAME-NODE: topology ${T}c's node x-y and topology ${T}c-x's node y
# would share one; the second is refused and builds nothing.
printf 'name: %sc\ntopology:\n  nodes: {x-y: }\n' $T >"$WORK/c.yaml"
printf 'name: %sc-x\ntopology:\n  nodes: {y: , z: }\n' $T >"$WORK/cx.yaml"
check "a second topology up beside the first" tbx topology up "$WORK/c.yaml"
expect_fail "a node whose namespace another topology has is refused" 2 \
	"node y: its namespace tbx-${T}c-x-y is already topology ${T}c's node x-y" \
	tbx topology up "$WORK/cx.yaml"
check "and nothing of it is built" test ! -e /run/netns/tbx-${T}c-x-z
check "the first is untouched" test -e /run/netns/tbx-${T}c-x-y
check "down of the other topology" tbx topology down "$WORK/c.yaml"

# --- down --------------------------------------------------------------------
tbx topology exec $T h1 sh -c 'sleep 1000 & echo $! >'"$WORK/sleeper" >/dev/null
check "down succeeds" tbx topology down "$WORK/big2.yaml"
expect_eq "down leaves no namespace" "$(nodes_left)" 0
check "down leaves no cgroup" test ! -e "$CG/tbx"
check "down kills the nodes' processes" sh -c "! kill -0 $(cat "$WORK/sleeper") 2>/dev/null"
expect_eq "down forgets it" "$(tbx -j topology show | jq '.topologies | length')" 0
check "down leaves no tbx qdisc holding the module" unload_module
expect_fail "down of an unknown topology" 2 "no topology $T" tbx topology down $T
finish
