#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The tbx qdisc (link emulation) with real traffic across a veth pair:
# delivered rate, added delay, loss, duplicates, the finite buffer, a
# profile visible in the delivered-bytes series, changes and deletion
# under load, bad parameters refused by the kernel with nothing changed,
# and rmmod refused while a tbx qdisc exists. Bounds come from the
# statistics of what is measured (binomial counts: 5 standard deviations),
# never from how long anything takes.
. "$(dirname "$0")/lib.sh"

A=tbxlink-a B=tbxlink-b
WORK=$(mktemp -d)
on_exit "rm -rf $WORK"
export TC_LIB_DIR=$O/tc

unload_module
load_module
on_exit unload_module

link_pair $A $B || { fail "namespaces and their veth"; finish; exit; }

tc_a() { ip netns exec $A tc "$@"; }
tbx_a() { ip netns exec $A "$TBX" "$@"; }
j() { printf '%s' "$1" | jq -r "$2"; }
# band X LO HI: LO <= X <= HI (jq numbers).
band() { jq -en "$1 >= $2 and $1 <= $3" >/dev/null; }
opts() { tc_a -j qdisc show dev va | jq -c '.[0].options'; }
# Runs leave when they finish: their final figures come as events.
monitor_start $WORK/events
# finished ID: the run's final JSON, from its FINISHED event.
finished() { run_event $WORK/events finished "$1"; }
# send RATE SECONDS SIZE: UDP frames from the in-kernel generator, through
# va's qdisc; prints the run's final JSON once it has ended.
send() {
	_id=$(tbx_a -j run add net dev va dst 198.18.0.2 udp rate "$1" size "$3" for "$2" dstmac "$MAC_B" | jq -r .id)
	finished "$_id"
}
# drained: waits until va's qdisc holds nothing.
empty() { [ "$(tc_a -j -s qdisc show dev va | jq '.[0].qlen')" = 0 ]; }
drained() { wait_until empty; }
stats() { tbx_a -j link show va; }
# fresh OPTIONS: a new tbx qdisc on va, its statistics from zero.
fresh() { tc_a qdisc del dev va root 2>/dev/null; tbx_a link set va "$@"; }
# binom N P: "LO HI", N*P -/+ 5 standard deviations.
binom() { jq -rn "($1 * $2) as \$m | ($1 * $2 * (1 - $2) | sqrt * 5) as \$d | \"\(\$m - \$d) \(\$m + \$d)\""; }

# --- the plug-in and the CLI agree on the configuration ------------------
check "tc adds a tbx qdisc" tc_a qdisc add dev va root tbx rate 10mbit delay 20ms \
	jitter 5ms distribution normal loss 1% duplicate 1% corrupt 0.1% limit 400000bit
o=$(opts)
expect_eq "tc shows the rate" "$(j "$o" .rate_bps)" 10000000
expect_eq "tc shows the delay" "$(j "$o" .delay_ns)" 20000000
expect_eq "tc shows the jitter's distribution" "$(j "$o" .distribution)" normal
expect_eq "tc shows loss in ppm" "$(j "$o" .loss_ppm)" 10000
expect_eq "tc shows corrupt 0.1 %" "$(j "$o" .corrupt_ppm)" 1000
expect_eq "limit 400000bit is a 50000-byte buffer" "$(j "$o" .buffer_bytes)" 50000
s=$(stats)
expect_eq "tbx link show reads the same options" "$(j "$s" .options.rate_bps)" 10000000
expect_eq "the module counts one qdisc" "$(tbx_a -j info | jq .objects.qdiscs)" 1
check "tc -s prints tbx's statistics" sh -c \
	"TC_LIB_DIR=$O/tc ip netns exec $A tc -s qdisc show dev va | grep -q 'drops: overlimit 0 loss'"

# --- bad parameters: refused by the kernel, nothing changed ---------------
bad() {
	_what=$1 _pat=$2; shift 2
	expect_fail "refused: $_what" 2 "$_pat" tc_a qdisc change dev va root tbx "$@"
}
bad "negative delay" "delay must be 0\.\.60 s" delay -5ms
bad "negative jitter" "jitter must be 0\.\.60 s" delay 5ms jitter -1ms
bad "loss over 100 %" "loss must be 0\.\.100 %" loss 100.5%
bad "duplicate over 100 %" "duplicate must be 0\.\.100 %" duplicate 150%
bad "limit 0" "limit must be 1\.\.1000000 packets" limit 0
bad "interval below 10 ms" "interval must be 10 ms\.\.1 h" interval 1ms
printf '# period = 2\n' >$WORK/empty.prof
printf '# period = 3\n0,1000000,0\n2,1000000,0\n1,2000000,0\n' >$WORK/order.prof
printf '# period = 2\n0,0,0\n1,0,0\n' >$WORK/zero.prof
expect_fail "refused: empty profile" 1 "no rows" tc_a qdisc change dev va root tbx profile $WORK/empty.prof
expect_fail "refused: non-monotonic profile" 1 "not after the previous row" \
	tc_a qdisc change dev va root tbx profile $WORK/order.prof
bad "a profile that carries nothing" "every segment has rate 0" profile $WORK/zero.prof
# The kernel refuses what the plug-in's profile reader catches first.
LINK_RAW=${LINK_RAW:-$O/tests/tools/link_raw}
raw() { ip netns exec $A env LINK_RAW_DEV=va "$LINK_RAW" "$@"; }
expect_fail "kernel refuses an empty profile" 2 "at least one segment" raw profile-empty
expect_fail "kernel refuses segments out of order" 2 "offsets must increase strictly" raw profile-unordered
expect_fail "kernel refuses a first segment after 0" 2 "first segment must be at offset 0" raw profile-not-at-zero
expect_fail "kernel refuses a segment past the period" 2 "below the period" raw profile-past-period
expect_fail "kernel refuses a profile without a period" 2 "needs a period" raw profile-no-period
expect_fail "kernel refuses the output-only segment count" 2 "." raw profile-count
expect_fail "kernel refuses a nest without NLA_F_NESTED" 2 "NLA_F_NESTED" raw profile-flat-nest
expect_fail "kernel refuses an unknown attribute" 2 "." raw unknown-attr
expect_fail "kernel refuses a 4-byte rate" 2 "." raw short-rate
expect_fail "kernel refuses an unknown distribution" 2 "unknown distribution" raw dist-unknown
expect_fail "kernel refuses a rate of 0 (absent is no rate)" 2 "rate must be at least 1 bit/s" raw rate-zero
expect_fail "refused: unknown word (usage, exit 1)" 1 "unknown option" tc_a qdisc change dev va root tbx speed 1
expect_eq "refused changes left the options as they were" "$(opts)" "$o"
expect_fail "tbx link set: refused the same way" 2 "loss must be 0\.\.100 %" tbx_a link set va loss 101%
expect_eq "and changed nothing" "$(opts)" "$o"

# --- rmmod is refused while the qdisc exists ------------------------------
expect_fail "rmmod refused while a tbx qdisc exists" 1 "in use" rmmod tbx

# --- rate: 4 Mbit/s offered 16 Mbit/s of 1000-byte frames for 2 s ---------
# Four times the rate fills the buffer however slowly a loaded machine runs
# the generator; the link then drains it for up to 8 s.
check "set rate 4mbit" fresh rate 4mbit limit 100000 interval 500ms
r=$(send 16mbit 2 1000)
drained
s=$(stats)
# The link is saturated from the first interval that carried the full
# 250000 bytes until the drain's last: the first is cut by the interval's
# edge, and on a loaded host the generator may take a moment to build a
# backlog. That must happen by the third interval.
all=$(j "$s" '[.intervals[] | select(.packets > 0) | .bytes] | .[:-1]')
k=$(j "$all" 'map(. >= 248000) | index(true) // 99')
check "the link saturated by its third interval ($all)" band "$k" 0 2
bytes=$(j "$all" ".[$k:]")
n=$(j "$bytes" length)
check "saturated intervals seen ($n)" band "$n" 4 100
# A 500 ms interval carries 250000 bytes. A packet counts in the interval
# the link delivered it in, however late the host dequeued it, so each
# saturated interval is exact to the frames its two edges cut.
check "each saturated interval carried 250000 bytes, within 2 frames ($bytes)" \
	jq -en "$bytes | all(. >= 248000 and . <= 252000)"
sent=$(j "$r" .net.packets)
expect_eq "nothing lost: delivered = sent" "$(j "$s" .stats.delivered_packets)" "$sent"
check "the buffer's high-water mark is reported" band "$(j "$s" .stats.buffer_max_bytes)" 1000 100000000

# --- delay: every packet waits at least delay - jitter ---------------------
check "set delay 50ms jitter 10ms uniform" fresh delay 50ms jitter 10ms
ping_out=$(ip netns exec $A ping -c 40 -i 0.05 -q 198.18.0.2)
min=$(printf '%s' "$ping_out" | awk -F'[/ =]+' '/rtt/ { print $6 }')
avg=$(printf '%s' "$ping_out" | awk -F'[/ =]+' '/rtt/ { print $7 }')
check "no ping came back before 40 ms (min $min)" band "$min" 40 1000000
# Uniform on [40, 60] ms: sd 5.77 ms, of a mean of 40: 0.91 ms.
check "mean rtt at least 50 - 5 sd ms (avg $avg)" band "$avg" 45.4 1000000
s=$(stats)
check "the qdisc's sojourn mean is at least 45 ms" \
	jq -en "[$(j "$s" '[.intervals[] | select(.packets > 0) | .sojourn_mean_ns] | join(",")')] | add / length >= 45000000"

# --- loss and duplicates: binomial counts ---------------------------------
check "set loss 10% duplicate 5%" fresh loss 10% duplicate 5% limit 100000
s0=$(stats)
u0=$(peer UdpNoPorts)
r=$(send 2kpps 2 100)
drained
s=$(stats)
sent=$(j "$r" .net.packets)
lost=$(( $(j "$s" .stats.drops_loss) - $(j "$s0" .stats.drops_loss) ))
dup=$(( $(j "$s" .stats.duplicated) - $(j "$s0" .stats.duplicated) ))
# What left the qdisc reaches the peer's counters a moment later.
wait_until reached UdpNoPorts "$u0" $((sent - lost + dup))
got=$(( $(peer UdpNoPorts) - u0 ))
set -- $(binom "$sent" 0.1)
check "loss: $lost of $sent in [$1, $2]" band "$lost" "$1" "$2"
set -- $(binom "$sent" 0.05)
check "duplicates: $dup of $sent in [$1, $2]" band "$dup" "$1" "$2"
# A packet both lost and duplicated passes once and counts in both.
expect_eq "the peer got sent - lost + duplicated" "$got" $((sent - lost + dup))

# --- corruption: one bit flipped in a binomial share of the packets -------
check "set corrupt 10%" fresh corrupt 10% limit 100000
r=$(send 2kpps 1 100)
drained
s=$(stats)
sent=$(j "$r" .net.packets)
set -- $(binom "$sent" 0.1)
check "corrupted: $(j "$s" .stats.corrupted) of $sent in [$1, $2]" band "$(j "$s" .stats.corrupted)" "$1" "$2"
expect_eq "corrupted packets are still delivered" "$(j "$s" .stats.delivered_packets)" "$sent"

# --- the finite buffer ----------------------------------------------------
check "set rate 1mbit buffer 10000 bytes" fresh rate 1mbit buffer 10000B
r=$(send 4mbit 2 1000)
drained
s=$(stats)
check "buffer drops counted ($(j "$s" .stats.drops_buffer))" band "$(j "$s" .stats.drops_buffer)" 1 1000000
check "the buffer never held more than 10000 bytes ($(j "$s" .stats.buffer_max_bytes))" \
	band "$(j "$s" .stats.buffer_max_bytes)" 9000 10000
# The generator counts the frames the qdisc refused as its drops.
expect_eq "every packet offered was delivered or dropped for the buffer" \
	$(( $(j "$s" .stats.delivered_packets) + $(j "$s" .stats.drops_buffer) )) \
	"$(j "$r" '.net.packets + .net.drops')"
expect_eq "the generator saw the buffer's drops" "$(j "$r" .net.drops)" "$(j "$s" .stats.drops_buffer)"

# --- a profile: 2 Mbit/s and 4 Mbit/s in turn, one second each -----------
printf '# period = 2\n0,2000000,0,0\n1,4000000,0,0\n' >$WORK/steps.prof
check "set a 2-segment profile" fresh profile $WORK/steps.prof limit 100000
o=$(opts)
expect_eq "the profile's segments" "$(j "$o" .profile_segments)" 2
r=$(send 12mbit 2 1000)
drained
s=$(stats)
# Intervals are 1 s from the qdisc's start, which is also the profile's
# phase 0: saturated intervals alternate 250000 and 500000 bytes, each
# exact to the frames its edges cut (counted by delivery time). As above,
# they run from the first full one (by the third) to the drain's last.
full='(((. - 250000) | fabs) <= 2000 or ((. - 500000) | fabs) <= 2000)'
all=$(j "$s" '[.intervals[] | select(.packets > 0) | .bytes] | .[:-1]')
k=$(j "$all" "map($full) | index(true) // 99")
check "the link saturated by its third interval ($all)" band "$k" 0 2
series=$(j "$all" ".[$k:]")
check "saturated intervals seen ($(j "$series" length))" band "$(j "$series" length)" 3 100
check "each carried 250000 or 500000 bytes, within 2 frames ($series)" \
	jq -en "$series | all($full)"
check "in turn" \
	jq -en "$series as \$b | all(range(0; (\$b | length) - 1); ((\$b[.] - \$b[. + 1]) | fabs) > 200000)"

# --- changes and deletion under load: nothing queued is lost --------------
check "set rate 2mbit" fresh rate 2mbit limit 100000
s0=$(stats)
id=$(tbx_a -j run add net dev va dst 198.18.0.2 udp rate 4mbit size 500 for 4s dstmac "$MAC_B" | jq -r .id)
for i in 1 2 3 4 5 6; do
	tc_a qdisc change dev va root tbx rate $((i % 2 + 1))mbit limit 100000 delay ${i}ms || fail "change $i"
	sleep 0.4
done
r=$(finished "$id")
drained
s=$(stats)
expect_eq "changes under load lost nothing queued" \
	$(( $(j "$s" .stats.delivered_packets) - $(j "$s0" .stats.delivered_packets) )) "$(j "$r" .net.packets)"
expect_eq "no drops of any reason" "$(j "$s" '.stats.drops_overlimit + .stats.drops_buffer + .stats.drops_loss')" \
	"$(j "$s0" '.stats.drops_overlimit + .stats.drops_buffer + .stats.drops_loss')"
id=$(tbx_a -j run add net dev va dst 198.18.0.2 udp rate 4mbit size 500 for 3s | jq -r .id)
sleep 0.5
check "replace under load (tc qdisc replace)" tc_a qdisc replace dev va root tbx rate 3mbit
sleep 0.5
check "delete under load" tc_a qdisc del dev va root
sleep 0.3
check "add again under load" tbx_a link set va rate 1mbit
check "and delete with tbx link del" tbx_a link del va
expect_fail "show without a tbx qdisc" 2 "root qdisc is not tbx" tbx_a link show va
tbx_a run del "$id" >/dev/null 2>&1 || true
expect_eq "no tbx qdisc left" "$(tbx_a -j info | jq .objects.qdiscs)" 0

# --- rmmod is clean afterwards ---------------------------------------------
check "rmmod succeeds once the qdisc is gone" rmmod tbx
check "and the qdisc kind is gone with it" sh -c "! ip netns exec $A tc qdisc add dev va root tbx 2>/dev/null"
finish
