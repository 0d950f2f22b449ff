#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# netem parity of the tbx qdisc: netem's option lines taken by
# `tc qdisc add ... tbx` and shown back, and each random feature measured
# on the same numbered UDP datagrams through tbx and through netem in the
# same boot (selftests/tools/udp_seq): gemodel and 4-state loss and their
# bursts, correlation's effect on loss, duplicates and delays, reordering
# with gap, slots, ECN marking, rate with cells, a .dist table, and seeds.
# Each comparison's tolerance is stated beside it: 5 standard errors of
# the difference of two independent estimates, inflated for bursts where
# losses come in runs; never a time.
. "$(dirname "$0")/lib.sh"

A=tbxnetem-a B=tbxnetem-b
WORK=$(mktemp -d)
on_exit "rm -rf $WORK"
export TC_LIB_DIR=$O/tc
UDP_SEQ=${UDP_SEQ:-$O/tests/tools/udp_seq}
LINK_RAW=${LINK_RAW:-$O/tests/tools/link_raw}
# The debug kernel (KASAN under TCG) sends a few hundred datagrams a
# second: there a quarter of the datagrams go through tbx alone (pair).
Q=1
case $(uname -r) in *-tbxdebug) Q=4 ;; esac

unload_module
load_module
on_exit unload_module

link_pair $A $B || { fail "namespaces and their veth"; finish; exit; }

tc_a() { ip netns exec $A tc "$@"; }
j() { printf '%s' "$1" | jq -r "$2"; }
opts() { tc_a -j qdisc show dev va | jq -c '.[0].options'; }
# near X Y TOL: |X - Y| <= TOL (jq expressions).
near() { jq -en "(($1) - ($2) | fabs) <= ($3)" >/dev/null; }
# se P N INFL: the standard error of the difference of two estimates of
# a fraction P from N packets each, variance inflated INFL times.
se() { jq -n "($1) * (1 - ($1)) / ($2) * ($3) * 2 | sqrt"; }

# --- netem's words, shown back ----------------------------------------------
line() { tc_a qdisc replace dev va root tbx "$@"; }
check "netem's full line" line limit 2000 delay 100ms 10ms 25% distribution normal \
	loss random 1% 30% duplicate 2% 10% corrupt 0.5% 5% reorder 10% 20% gap 5 \
	rate 10mbit 4 48 5 slot 1ms 2ms packets 10 bytes 15000
o=$(opts)
expect_eq "delay, jitter, correlation" "$(j "$o" '[.delay_ns, .jitter_ns, .delay_corr_ppm] | join(" ")')" \
	"100000000 10000000 250000"
expect_eq "loss and its correlation" "$(j "$o" '[.loss_ppm, .loss_corr_ppm] | join(" ")')" "10000 300000"
expect_eq "duplicate, corrupt and their correlations" \
	"$(j "$o" '[.duplicate_ppm, .duplicate_corr_ppm, .corrupt_ppm, .corrupt_corr_ppm] | join(" ")')" \
	"20000 100000 5000 50000"
expect_eq "reorder, its correlation, gap" "$(j "$o" '[.reorder_ppm, .reorder_corr_ppm, .gap] | join(" ")')" \
	"100000 200000 5"
expect_eq "rate, packet overhead, cells" "$(j "$o" '[.rate_bps, .overhead, .cellsize, .celloverhead] | join(" ")')" \
	"10000000 4 48 5"
expect_eq "slot" "$(j "$o" '.slot | [.min_delay_ns, .max_delay_ns, .packets, .bytes] | join(" ")')" \
	"1000000 2000000 10 15000"
expect_eq "limit" "$(j "$o" .limit)" 2000
s=$(ip netns exec $A tc qdisc show dev va)
check "tc shows the words that set it ($s)" sh -c "printf '%s' '$s' | grep -q 'delay 100ms jitter 10ms 25% distribution normal loss 1% 30%'"
check "tbx link show reads the same" sh -c \
	"ip netns exec $A $TBX -j link show va | jq -e '.options.slot.packets == 10 and .options.loss_corr_ppm == 300000'"
check "netem's loss state line" line delay 1ms loss state 1% 30% 10% 70% 0.5%
expect_eq "the 4-state model's probabilities" "$(opts | jq -c '.loss_state | [.p13_ppm, .p31_ppm, .p32_ppm, .p23_ppm, .p14_ppm]')" \
	"[10000,300000,100000,700000,5000]"
check "netem's loss gemodel line, with ecn" line delay 1ms loss gemodel 1% 10% 70% 0.1% ecn
expect_eq "the Gilbert-Elliott model" "$(opts | jq -c '[.loss_gemodel.p_ppm, .loss_gemodel.r_ppm, .loss_gemodel.one_minus_h_ppm, .loss_gemodel.one_minus_k_ppm, .ecn]')" \
	"[10000,100000,700000,1000,true]"
check "netem's slot distribution line" line delay 1ms slot distribution pareto 1ms 100us packets 4
expect_eq "the slot's distribution" "$(opts | jq -c '.slot | [.distribution, .delay_ns, .jitter_ns, .packets]')" \
	'["pareto",1000000,100000,4]'
check "a .dist table by name, as netem reads it" line delay 20ms 5ms distribution experimental
expect_eq "its name and size" "$(opts | jq -c '[.distribution, .distribution_size]')" \
	"[\"experimental\",$(grep -v '^#' /usr/lib/x86_64-linux-gnu/tc/experimental.dist | wc -w)]"
check "netem's rate 0: no rate" line rate 0bit delay 1ms
expect_eq "shown without a rate" "$(opts | jq -c .rate_bps)" null
check "the words shown set the same link again" sh -c \
	"ip netns exec $A tc qdisc replace dev va root tbx \$(ip netns exec $A tc qdisc show dev va | sed 's/.*refcnt [0-9]* //')"
# tc's own refusals of netem lines, with its messages.
expect_fail "reorder without delay" 1 "reordering not possible" line reorder 10%
expect_fail "ecn without loss" 1 "ecn requested without loss model" line delay 1ms ecn
expect_fail "gap without reorder" 1 "gap specified without reorder" line delay 1ms gap 3
# The kernel's strict policy: each new attribute refused with its name.
raw() { ip netns exec $A env LINK_RAW_DEV=va "$LINK_RAW" "$@"; }
expect_fail "kernel refuses a correlation over 100 %" 2 "loss's correlation must be 0\.\.100 %" raw loss-corr-big
expect_fail "kernel refuses two loss models" 2 "one loss model at a time" raw two-models
expect_fail "kernel refuses a loss model beside loss" 2 "replaces a loss probability" raw model-and-loss
expect_fail "kernel refuses a state model without p13" 2 "needs p13" raw state-no-p13
expect_fail "kernel refuses gemodel 1-h over 100 %" 2 "1-h must be 0\.\.100 %" raw ge-big
expect_fail "kernel refuses gap without reorder" 2 "gap needs a reorder" raw gap-alone
expect_fail "kernel refuses a slot with min over max" 2 "below its min delay" raw slot-min-max
expect_fail "kernel refuses a slot distribution without jitter" 2 "needs a jitter" raw slot-no-jitter
expect_fail "kernel refuses an odd-sized table" 2 "1\.\.16384 s16" raw table-odd
expect_fail "kernel refuses a table and a distribution" 2 "a name or a table" raw table-and-dist
expect_fail "kernel refuses the output-only table size" 2 "." raw dist-size
expect_fail "kernel refuses a 4-byte seed" 2 "." raw short-seed
expect_fail "kernel refuses ecn as a u32" 2 "." raw ecn-u32

# --- the same datagrams through tbx and netem --------------------------------
# measure TOOL COUNT PPS GAP_US ECT OPTIONS...: a fresh TOOL qdisc with
# OPTIONS on va, COUNT datagrams at PPS, the receiver's figures (JSON).
measure() {
	_t=$1 _n=$2 _pps=$3 _gap=$4 _ect=$5; shift 5
	tc_a qdisc del dev va root 2>/dev/null
	# tc finds q_tbx.so in TC_LIB_DIR, netem's .dist tables in its own.
	_env=""
	[ "$_t" = netem ] && _env="-u TC_LIB_DIR"
	# shellcheck disable=SC2086
	if ! ip netns exec $A env $_env tc qdisc add dev va root \
		"$_t" "$@" limit 100000 2>$WORK/tc.err; then
		fail "$_t $*: $(cat $WORK/tc.err)"; echo '{}'; return
	fi
	: >$WORK/ready
	ip netns exec $B "$UDP_SEQ" recv 198.18.0.2 7000 "$_n" "$_gap" >$WORK/recv.json 2>$WORK/ready &
	_r=$!
	wait_until grep -q ready $WORK/ready
	ip netns exec $A "$UDP_SEQ" send 198.18.0.2 7000 "$_n" "$_pps" $_ect
	wait $_r
	cat $WORK/recv.json
}
# pair COUNT PPS GAP_US ECT OPTIONS...: N and T, netem's and tbx's
# figures; tbx's qdisc stays for its counters. On the debug kernel only
# tbx runs: its paths under KASAN are what that tier is for, and the
# comparisons with netem (vs) are the stock kernel's.
pair() {
	if [ $Q = 1 ]; then N=$(measure netem "$@"); fi
	T=$(measure tbx "$@")
	[ $Q = 1 ] || N=$T
	echo "# tbx:   $T"
	echo "# netem: $N"
}
frac() { j "$1" "$2 / ($3)"; }
# vs WHAT CMD...: a comparison with netem (check), said skipped on the
# debug kernel.
vs() {
	if [ $Q = 1 ]; then check "$@"; else ok "$1 # SKIP: compared with netem on the stock kernel"; fi
}

# Gilbert-Elliott: p 2 %, r 20 %, loss 80 % when bad, 1 % when good.
# Stationary loss: (r * 0.01 + p * 0.8) / (p + r) = 8.18 %; a bad spell
# lasts 5 packets: variance inflated 11 times (1 + 2 x 5).
n=$((10000 / Q))
pair $n 4000 0 "" delay 1ms loss gemodel 2% 20% 80% 1%
lt=$(frac "$T" .lost $n) ln=$(frac "$N" .lost $n)
tol=$(jq -n "5 * $(se 0.0818 $n 11)")
vs "gemodel: loss tbx $lt, netem $ln, both near 0.0818 (within $tol)" \
	sh -c "jq -en '(($lt - $ln) | fabs) <= $tol and (($lt - 0.0818) | fabs) <= $tol' >/dev/null"
# Runs of losses: about 340 of them, sd of a run about its mean: 5
# standard errors of the difference of the means is 38 %; 40 % stated.
vs "gemodel: mean loss run tbx $(j "$T" .burst_mean), netem $(j "$N" .burst_mean) (within 40 %)" \
	near "$(j "$T" .burst_mean)" "$(j "$N" .burst_mean)" "0.4 * $(j "$N" .burst_mean)"

# 4-state: p13 1 %, p31 30 %, p32 10 %, p23 70 %, p14 0.5 %: stationary
# loss (p13 / p31 + p14) / (1 + p13 / p31 * (1 + p32 / p23) + p14) =
# 3.67 %; runs of 2.5 in the burst state: inflated 6 times.
pair $n 4000 0 "" delay 1ms loss state 1% 30% 10% 70% 0.5%
lt=$(frac "$T" .lost $n) ln=$(frac "$N" .lost $n)
tol=$(jq -n "5 * $(se 0.0367 $n 6)")
vs "4-state: loss tbx $lt, netem $ln, both near 0.0367 (within $tol)" \
	sh -c "jq -en '(($lt - $ln) | fabs) <= $tol and (($lt - 0.0367) | fabs) <= $tol' >/dev/null"
vs "4-state: mean loss run tbx $(j "$T" .burst_mean), netem $(j "$N" .burst_mean) (within 40 %)" \
	near "$(j "$T" .burst_mean)" "$(j "$N" .burst_mean)" "0.4 * $(j "$N" .burst_mean)"

# Correlation 50 % on loss 20 %, duplicate 10 % and jitter 10 ms: netem's
# correlated draws lose less than 20 % and in runs; its jitter is drawn
# modulo the range, which keeps little of the correlation. tbx must do
# the same. Inflation 3 for the runs.
n=$((10000 / Q))
pair $n 5000 0 "" delay 20ms 10ms 50% loss 20% 50% duplicate 10% 50%
lt=$(frac "$T" .lost $n) ln=$(frac "$N" .lost $n)
tol=$(jq -n "5 * $(se "$ln" $n 3)")
vs "correlated loss: tbx $lt, netem $ln (within $tol)" near "$lt" "$ln" "$tol"
check "and, as netem's, well below the 20 % asked ($lt)" jq -en "$lt < 0.1"
# P(loss | loss before) from the losses each run had.
pt=$(j "$T" .lost_after_lost) pn=$(j "$N" .lost_after_lost)
tol=$(jq -n "5 * ($pn * (1 - $pn) * (1 / ([$(j "$T" .lost), 1] | max) + 1 / ([$(j "$N" .lost), 1] | max)) | sqrt)")
vs "P(loss | loss before): tbx $pt, netem $pn (within $tol)" near "$pt" "$pn" "$tol"
dt=$(j "$T" '.dups / .unique') dn=$(j "$N" '.dups / .unique')
tol=$(jq -n "5 * $(se "[$dn, 0.001] | max" $n 3)")
vs "correlated duplicates: tbx $dt, netem $dn (within $tol)" near "$dt" "$dn" "$tol"
# Delays as the receiver's kernel stamped them: quartiles, which a stall
# of the VM moves little (a mean or sd it can double). Uniform +/- 10 ms:
# interquartile range 10 ms; independent draws step 5.9 ms apart at the
# median, correlated ones less: netem's draw modulo the range keeps next
# to none of the correlation, and tbx must not keep more.
iqr() { j "$1" '.delay_p75_us - .delay_p25_us'; }
vs "jitter's spread: interquartile range tbx $(iqr "$T") us, netem $(iqr "$N") us (within 25 %)" \
	near "$(iqr "$T")" "$(iqr "$N")" "0.25 * $(iqr "$N")"
vs "jitter's correlation: median step tbx $(j "$T" .delay_step_us) us, netem $(j "$N" .delay_step_us) us (within 30 %)" \
	near "$(j "$T" .delay_step_us)" "$(j "$N" .delay_step_us)" "0.3 * $(j "$N" .delay_step_us)"

# reorder 25 % (correlation 50 %) gap 3 with 10 ms of delay at 1000
# packets/s: a reordered packet overtakes the ten in flight, so the
# receiver sees each one; tbx counts the same ones, give or take the few
# the VM's two CPUs swap on their way to the receiver (1 % of packets).
n=$((3000 / Q))
pair $n 1000 0 "" delay 10ms reorder 25% 50% gap 3
rt=$(frac "$T" .reordered $n) rn=$(frac "$N" .reordered $n)
tol=$(jq -n "5 * $(se 0.08 $n 2)")
vs "reordered: tbx $rt, netem $rn (within $tol)" near "$rt" "$rn" "$tol"
c=$(ip netns exec $A "$TBX" -j link show va | jq .stats.reordered)
check "tbx's reordered counter $c matches the receiver's count $(j "$T" .reordered) (within 1 %)" \
	near "$c" "$(j "$T" .reordered)" "$n / 100"

# Slots 10 ms apart letting 5 packets go, 1000 packets/s offered: the
# link carries at most 500 a second (less by the timers' lateness, which
# delays each next slot), in batches of 5 a slot.
n=$((2000 / Q))
pair $n 1000 5000 "" slot 10ms 10ms packets 5
vs "slot batches: mean tbx $(j "$T" .batch_mean), netem $(j "$N" .batch_mean) (within 20 %)" \
	near "$(j "$T" .batch_mean)" "$(j "$N" .batch_mean)" "0.2 * $(j "$N" .batch_mean)"
pt=$(j "$T" '.received / .seconds') pn=$(j "$N" '.received / .seconds')
vs "slots: tbx $pt packets/s, netem $pn (within 20 %), at most 500" \
	sh -c "jq -en '(($pt - $pn) | fabs) <= 0.2 * $pn and $pt <= 510' >/dev/null"
expect_eq "and nothing lost" "$(j "$T" .lost)" 0

# ECN and cells in one run: 10 % of ECT(0) datagrams marked CE instead
# of lost, through rate 1 Mbit/s with cells of 48 bytes carrying 5 more:
# a 142-byte frame takes 3 cells of 53 bytes, 1.272 ms: 786 packets/s of
# the 1000 offered.
n=$((4000 / Q))
pair $n 1000 0 ect rate 1mbit 0 48 5 loss 10% ecn
ct=$(frac "$T" .ce $n) cn=$(frac "$N" .ce $n)
tol=$(jq -n "5 * $(se 0.1 $n 1)")
vs "ecn: marked tbx $ct, netem $cn (within $tol)" near "$ct" "$cn" "$tol"
expect_eq "ecn: none lost" "$(j "$T" .lost)" 0
expect_eq "tbx counts the marks it made" \
	"$(ip netns exec $A "$TBX" -j link show va 2>/dev/null | jq .stats.ecn_marked)" "$(j "$T" .ce)"
pt=$(j "$T" '.received / .seconds') pn=$(j "$N" '.received / .seconds')
vs "cells: tbx $pt packets/s, netem $pn, both near 786 (within 5 %)" \
	sh -c "jq -en '(($pt - 786) | fabs) <= 39.3 and (($pn - 786) | fabs) <= 39.3' >/dev/null"

# The .dist table netem ships (experimental), read by name from tc's
# directory: the same spread of delays.
n=$((3000 / Q))
pair $n 1000 0 "" delay 20ms 5ms distribution experimental
vs ".dist table: median delay tbx $(j "$T" .delay_p50_us) us, netem $(j "$N" .delay_p50_us) us (within 10 %)" \
	near "$(j "$T" .delay_p50_us)" "$(j "$N" .delay_p50_us)" "0.1 * $(j "$N" .delay_p50_us)"
vs ".dist table: interquartile range tbx $(iqr "$T") us, netem $(iqr "$N") us (within 30 %)" \
	near "$(iqr "$T")" "$(iqr "$N")" "0.3 * $(iqr "$N")"

# seed: the same seed loses the same datagrams; another seed others.
n=$((1000 / Q))
a=$(measure tbx $n 5000 0 "" delay 1ms loss 30% seed 7)
b=$(measure tbx $n 5000 0 "" delay 1ms loss 30% seed 7)
c=$(measure tbx $n 5000 0 "" delay 1ms loss 30% seed 8)
expect_eq "seed 7 twice: the same $(j "$a" .lost) datagrams lost" "$(j "$a" .lost_hash)" "$(j "$b" .lost_hash)"
check "seed 8: other datagrams lost" sh -c "[ '$(j "$a" .lost_hash)' != '$(j "$c" .lost_hash)' ]"

tc_a qdisc del dev va root 2>/dev/null
finish
