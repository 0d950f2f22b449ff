#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tbxd as a user meets it: started, asked through `tbx daemon`, stopped.
. "$(dirname "$0")/lib.sh"

dir=$(mktemp -d); on_exit "rm -rf $dir"
sock=$dir/run/tbxd.sock
"$O/tbxd" --state-dir "$dir/state" --socket "$sock" 2>"$dir/log" &
pid=$!
on_exit "kill -9 $pid"
wait_until test -S "$sock"

check "tbx daemon status answers" "$TBX" -s "$sock" daemon status
expect_eq "status is ok" "$("$TBX" -s "$sock" -j daemon status | jq -r .status)" ok
expect_eq "the socket is 0660" "$(stat -c %a "$sock")" 660
check "the state is a SQLite database" \
	sh -c "sqlite3 '$dir/state/tbxd.db' 'select count(*) from daemon_starts' | grep -qx 1"
expect_fail "a second tbxd on the same socket is refused" 1 "already" \
	"$O/tbxd" --state-dir "$dir/state2" --socket "$sock"
expect_fail "unknown daemon command is a usage error" 1 "unknown daemon command" \
	"$TBX" -s "$sock" daemon frob

kill -TERM $pid; wait $pid; rc=$?
expect_eq "SIGTERM stops tbxd with status 0" "$rc" 0
check "the socket is gone" test ! -e "$sock"
expect_fail "status of a stopped tbxd is an error" 2 "not running" \
	"$TBX" -s "$sock" daemon status
finish
