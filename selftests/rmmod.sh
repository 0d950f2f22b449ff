#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rmmod at any moment: with a dump's answer queued, and racing requests.
. "$(dirname "$0")/lib.sh"

unload_module
load_module
on_exit unload_module

# A dump in progress holds the module: rmmod is refused (busy), nothing
# breaks, and the dump still completes; then rmmod succeeds.
start_holder() {
	rm -f "$fifo" "$out"; mkfifo "$fifo"
	"$GENL_RAW" dump-hold <"$fifo" >"$out" 2>&1 &
	holder=$!
	exec 7>"$fifo"
	wait_until grep -q "dump requested" "$out"
}
fifo=$(mktemp -u); out=$(mktemp); on_exit "rm -f $fifo $out"
start_holder
check "rmmod is refused while a dump is in progress" sh -c '! rmmod tbx'
check "the module still answers meanwhile" "$TBX" info
exec 7>&-
wait $holder
check "the dump completed whole" grep -q "^features [1-9]" "$out"
check "rmmod succeeds once the dump is done" unload_module

# The dumping process dies mid-dump: its socket's release ends the dump.
load_module
start_holder
kill -9 $holder; wait $holder 2>/dev/null
exec 7>&-
check "rmmod succeeds after the dumper was killed" unload_module
load_module

# Requests of every kind racing module removal and reinsertion.
stop=$(mktemp); on_exit "rm -f $stop"
rm -f "$stop"
( while [ ! -e "$stop" ]; do "$TBX" feature >/dev/null 2>&1; "$TBX" info >/dev/null 2>&1; done ) &
r1=$!
( while [ ! -e "$stop" ]; do "$TBX" config set max-runs 99 >/dev/null 2>&1; done ) &
r2=$!
on_exit "touch $stop; kill $r1 $r2"
# A dump in flight holds the module (rmmod says busy), and the racing
# requests may autoload it again right after: count successful removals.
rmmod_quiet() { rmmod tbx 2>/dev/null; }
rmmod_retry() { wait_until rmmod_quiet; }
cycles=0
for n in 1 2 3 4 5 6 7 8 9 10; do
	rmmod_retry && cycles=$((cycles + 1))
	insmod "$TBX_KO" 2>/dev/null || true
done
touch "$stop"; wait $r1 $r2
expect_eq "10 remove/insert cycles under load" "$cycles" 10

check "module removable at the end" unload_module
check "the family is gone with the module" \
	sh -c "! grep -q '^tbx ' /proc/modules"
finish
