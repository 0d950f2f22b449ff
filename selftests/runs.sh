#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What every run shares, shown with mem runs: create, timed start, end on
# its own, set, delete, events, max-runs, CAP_NET_ADMIN, malformed
# requests refused with extack and nothing started, interrupted dumps
# flagged, and rmmod stopping everything.
. "$(dirname "$0")/lib.sh"

RUN_RAW=${RUN_RAW:-$O/tests/tools/run_raw}

unload_module
load_module
on_exit unload_module

nruns() { "$TBX" -j run list | jq length; }
avail_kb() { awk '/^MemAvailable:/ { print $2 }' /proc/meminfo; }
field() { "$TBX" -j run show "$1" | jq -r "$2"; }
# field_is "jq filter" ID VALUE: the run's field has that value now.
field_is() { [ "$(field "$2" "$1" 2>/dev/null)" = "$3" ]; }
# wait_for "jq filter" ID VALUE: waits for a value the run reaches and
# keeps (a mem run's held bytes), then prints the field.
wait_for() { wait_until field_is "$@"; field "$2" "$1" 2>/dev/null; }
gone() { ! "$TBX" run show "$1" >/dev/null 2>&1; }

expect_eq "no runs at load" "$(nruns)" 0

# --- malformed requests: refused with a message, nothing started -------------
expect_fail "missing kind refused" 2 "kind is required" "$RUN_RAW" kind-missing
expect_fail "unknown kind refused" 2 "kind must be cpu" "$RUN_RAW" kind-unknown
expect_fail "kind of the wrong size refused, naming it" 2 "run/kind" "$RUN_RAW" kind-wrong-size
expect_fail "kind without its parameters refused" 2 "parameters .*missing" "$RUN_RAW" nest-missing
expect_fail "parameters of another kind refused" 2 "another kind" "$RUN_RAW" nest-foreign
expect_fail "an output-only attribute refused" 2 "[Uu]nsupported attribute" "$RUN_RAW" output-attr
expect_fail "start in the past refused" 2 "start is in the past" "$RUN_RAW" start-past
expect_fail "absurd duration refused" 2 "duration must be at most" "$RUN_RAW" duration-huge
expect_fail "unterminated owner refused" 2 "." "$RUN_RAW" owner-unterminated
expect_fail "delete without id refused" 2 "id is required" "$RUN_RAW" del-no-id
expect_fail "unknown id refused" 2 "no run with this id" "$RUN_RAW" get-unknown-id
expect_fail "mem of 0 bytes refused" 2 "bytes must be more than 0" "$TBX" run add mem 0
expect_fail "mem beyond RAM refused" 2 "exceed this machine's RAM" "$TBX" run add mem 1TiB
expect_fail "mem over the guard refused without force" 2 "mem-guard" \
	"$TBX" run add mem "$(( $(avail_kb) * 95 / 100 ))KiB"
expect_fail "retouch above 1 s refused" 2 "retouch must be" "$TBX" run add mem 1MiB retouch 2s
expect_fail "start in the past refused by the CLI's request too" 2 "past" \
	"$TBX" run add mem 1MiB at @1000000000
expect_eq "nothing started by refused requests" "$(nruns)" 0

# --- a mem run holds memory where users look -----------------------------------
a0=$(avail_kb)
id=$("$TBX" -j run add mem 64MiB owner selftest | jq -r .id)
on_exit "'$TBX' run del $id"
expect_eq "a mem run is running" "$(field "$id" .state)" running
expect_eq "it holds all 64 MiB" "$(wait_for .mem.held "$id" 67108864)" 67108864
a1=$(avail_kb)
drop=$(( (a0 - a1) / 1024 ))
if [ "$drop" -ge 56 ] && [ "$drop" -le 80 ]; then ok "MemAvailable fell by ${drop} MiB"
else fail "MemAvailable fell by ${drop} MiB, want about 64"; fi
expect_eq "run list shows it with its owner" \
	"$("$TBX" -j run list owner selftest | jq -c '[.[] | .id]')" "[$id]"

check "set level 16MiB" "$TBX" run set "$id" level 16MiB
expect_eq "it shrank to 16 MiB" "$(wait_for .mem.held "$id" 16777216)" 16777216
final=$("$TBX" -j run del "$id")
expect_eq "deleting it reports it stopped" "$(echo "$final" | jq -r .state)" stopped
expect_eq "and its peak" "$(echo "$final" | jq -r .mem.held)" 67108864
expect_eq "it is gone" "$(nruns)" 0

id=$("$TBX" -j run add mem 4MiB retouch 1ms | jq -r .id)
passes_counted() { [ "$(field "$id" .mem.passes)" -gt 0 ]; }
if wait_until passes_counted; then ok "retouch passes counted ($(field "$id" .mem.passes))"
else fail "no retouch pass"; fi
"$TBX" run del "$id" >/dev/null

# --- timing: start at an instant, end on its own, events ----------------------------
# What the kernel recorded is checked, from its events, not a state caught
# while it lasts: a slow poll would miss a 3 s window.
evlog=$(mktemp); on_exit "rm -f $evlog"
monitor_start "$evlog" count 3
mon=$MON
id=$("$TBX" -j run add mem 4MiB at +2s for 3s owner timed | jq -r .id)
wait $mon
expect_eq "events: created, started, finished" \
	"$(jq -r '.what' "$evlog" | tr '\n' ' ')" "created started finished "
expect_eq "a run with a start instant is created pending" \
	"$(events "$evlog" '.what == "created"' | jq -r .run.state)" pending
expect_eq "then starts running" "$(events "$evlog" '.what == "started"' | jq -r .run.state)" running
expect_eq "the finished event says ended" "$(events "$evlog" '.what == "finished"' | jq -r .run.state)" ended
fin=$(events "$evlog" '.what == "finished"' | jq -c .run)
started=$(echo "$fin" | jq -r .started)
start=$(echo "$fin" | jq -r .start)
if [ "$started" -ge "$start" ]; then ok "it started no earlier than asked"; else fail "started $started before $start"; fi
# Its end is due 3 s after its start (the run's own clock, not this shell's).
if jq -en "$fin | .ended - .started >= 3e9" >/dev/null; then ok "it ran its 3 s"
else fail "it ran $(echo "$fin" | jq '(.ended - .started) / 1e9') s, want 3"; fi
if wait_until gone "$id"; then ok "and ends on its own"; else fail "it did not end"; fi

# --- limits and privileges -----------------------------------------------------------
check "max-runs 2" "$TBX" config set max-runs 2
on_exit "'$TBX' config set max-runs 1024"
a=$("$TBX" -j run add mem 1MiB | jq -r .id)
b=$("$TBX" -j run add mem 1MiB | jq -r .id)
expect_fail "a third run refused at max-runs" 2 "max-runs reached" "$TBX" run add mem 1MiB
"$TBX" run del "$a" >/dev/null; "$TBX" run del "$b" >/dev/null
check "max-runs back to 1024" "$TBX" config set max-runs 1024
expect_fail "add without CAP_NET_ADMIN refused" 2 "Operation not permitted" \
	nobody "$TBX" run add mem 1MiB
check "list without CAP_NET_ADMIN works" nobody "$TBX" run list
expect_eq "nothing started by the unprivileged caller" "$(nruns)" 0

# --- dumps ------------------------------------------------------------------------------
check "a dump changed between its parts is flagged NLM_F_DUMP_INTR" "$RUN_RAW" dump-intr
check "a dump left alone is not flagged" "$RUN_RAW" dump-quiet
expect_eq "the dump tests left no runs" "$(nruns)" 0

# --- rmmod stops everything -------------------------------------------------------------
a0=$(avail_kb)
"$TBX" run add mem 32MiB >/dev/null
"$TBX" run add mem 1MiB at +1h >/dev/null
monitor_start "$evlog" count 2
mon=$MON
if unload_module; then ok "rmmod with a running and a pending run"; else fail "rmmod refused"; fi
wait $mon
expect_eq "both announced stopped: module unloaded" \
	"$(jq -r '.run.state + ":" + .run.message' "$evlog" | sort -u | tr '\n' ' ')" \
	"stopped:module unloaded "
# The pages come back through the allocator's per-CPU lists and deferred
# frees, not all at once: wait for MemAvailable to say so (a leak never
# would, and fails when the wait's bound ends it).
_came_back() { a1=$(avail_kb); [ $(( (a0 - a1) / 1024 )) -lt 8 ]; }
if wait_until -t 120 _came_back; then ok "the memory came back"
else fail "MemAvailable still $(( (a0 - a1) / 1024 )) MiB down after 120 s"; fi

finish
