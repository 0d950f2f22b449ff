#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ToMaTo's hostmanager API as a ToMaTo backend meets it: Python's own
# xmlrpc.client over HTTPS with client certificates, unchanged, against
# tbxd --hostmanager. The suite is selftests/hostmanager.py; this file
# gives it a namespace of its own for tbxd (the API's address and the
# interfaces' outer ends live there), the module, and the cleanup.
# debug-kernel: skip (its kernel paths, netns, veth, bridges and the tbx qdisc made, changed in place and removed, are topology.sh's and link.sh's there; run it by name: TBX_SELFTESTS=hostmanager make check-debug)
. "$(dirname "$0")/lib.sh"

HOST=tbxhm-host
WORK=$(mktemp -d)

unload_module
load_module

leftovers() {
	pkill -9 -f "tbxd --state-dir $WORK" 2>/dev/null
	for _n in $(ip netns list | awk '{print $1}' | grep '^tbx-hm[0-9]'); do
		ip netns pids "$_n" | xargs -r kill -9
		ip netns del "$_n"
	done
	find "$CG/tbx/hm" -depth -type d -exec rmdir {} \; 2>/dev/null
	rmdir "$CG/tbx" 2>/dev/null
}
on_exit "rm -rf $WORK"
on_exit unload_module
on_exit leftovers

netns_add $HOST
ip -n $HOST link add hm0 type veth peer name hm1
ip -n $HOST addr add 198.18.200.1/32 dev hm0
ip -n $HOST link set hm0 up
ip -n $HOST link set hm1 up
ip -n $HOST link set lo up

# The client runs beside tbxd, where 198.18.200.1 is.
TEST_NAME=$TEST_NAME WORK=$WORK HOST=$HOST O=$O TBX=$TBX CG=$CG \
	nsenter --net=/run/netns/$HOST python3 "$(dirname "$0")/hostmanager.py"
