#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Module-wide limits: all-or-nothing changes, extack that names the bad
# attribute, CAP_NET_ADMIN, and the event each change sends.
. "$(dirname "$0")/lib.sh"

unload_module
load_module
on_exit unload_module

cfg() { "$TBX" -j config; }
before=$(cfg)
expect_eq "defaults" "$before" '{"max_runs":1024,"mem_guard_pct":90,"events":true}'

# A change is announced on the events group.
evlog=$(mktemp); on_exit "rm -f $evlog"
monitor_start "$evlog" count 1
mon=$MON
on_exit "kill $mon; rm -f $evlog.ready"
check "set max-runs and mem-guard" "$TBX" config set max-runs 64 mem-guard 80%
wait $mon
expect_eq "the change took effect" "$(cfg)" \
	'{"max_runs":64,"mem_guard_pct":80,"events":true}'
expect_eq "monitor saw the change" \
	"$(jq -c '.config' "$evlog")" '{"max_runs":64,"mem_guard_pct":80,"events":true}'

set_now=$(cfg)
# Each bad value is refused by the kernel with a message naming it, and
# the good values in the same request are not applied either.
expect_fail "max-runs 0 refused" 2 "max-runs must be 1\.\.65536" \
	"$TBX" config set mem-guard 50 max-runs 0
expect_fail "max-runs above 65536 refused" 2 "max-runs" \
	"$TBX" config set max-runs 65537
expect_fail "mem-guard 101 refused" 2 "mem-guard must be 1\.\.100" \
	"$TBX" config set max-runs 7 mem-guard 101
expect_fail "events 2 refused" 2 "events must be 0" "$GENL_RAW" config-events-2
expect_fail "wrong attribute size refused, naming it" 2 "config/max-runs" \
	"$GENL_RAW" config-wrong-size
expect_fail "unknown nested attribute refused" 2 "[Uu]nknown attribute" \
	"$GENL_RAW" config-unknown-nested
expect_fail "config that is not a nest refused" 2 "." "$GENL_RAW" config-not-nest
expect_fail "missing config nest refused, naming it" 2 "[Mm]issing attribute.*config|config.*missing" \
	"$GENL_RAW" config-missing
expect_eq "nothing changed by refused requests" "$(cfg)" "$set_now"

expect_fail "set without CAP_NET_ADMIN refused" 2 "Operation not permitted" \
	nobody "$TBX" config set max-runs 5
check "get without CAP_NET_ADMIN works" nobody "$TBX" config
expect_eq "nothing changed by the unprivileged caller" "$(cfg)" "$set_now"

expect_fail "a value that is not a number is a usage error" 1 "not a number" \
	"$TBX" config set max-runs ten
expect_fail "an unknown key is a usage error" 1 "unknown key" \
	"$TBX" config set speed 5
expect_fail "a key without value is a usage error" 1 "needs a value" \
	"$TBX" config set max-runs

check "events off" "$TBX" config set events off
expect_eq "events off is kept" "$(cfg | jq -r .events)" false

# In another namespace the family is there too (netnsok).
netns_add tbxt-config
check "info works in another network namespace" ip netns exec tbxt-config "$TBX" info

finish
