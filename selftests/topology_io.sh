#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A topology node's io limits (docker's device-read-bps, device-write-bps,
# device-read-iops, device-write-iops) in its cgroup's io.max, on a loop
# device: written at up, changed in place by an edited file, reset when
# taken out of it; a device that is not there refused with nothing built.
. "$(dirname "$0")/lib.sh"

T=tbxio
WORK=$(mktemp -d)
sock=$WORK/tbxd.sock
LOOP=""

leftovers() { topology_leftovers "$T"; [ -n "$LOOP" ] && losetup -d "$LOOP"; }
on_exit "rm -rf $WORK"
on_exit leftovers
on_exit 'kill -9 $TBXD'

"$O/tbxd" --state-dir "$WORK/state" --socket "$sock" 2>>"$WORK/tbxd.log" &
TBXD=$!
wait_until "$TBX" -s "$sock" daemon status >/dev/null 2>&1
tbx() { "$TBX" -s "$sock" "$@"; }
nodes_left() { ip netns list | grep -c "^tbx-$T-"; }

# lab FILE NODE-KEYS...: a one-node topology with those keys.
lab() {
	_f=$1; shift
	{ echo "name: $T"; echo "topology:"; echo "  nodes:"; echo "    h1:"
	  for k in "$@"; do echo "      $k"; done; } >"$_f"
}

lab "$WORK/missing.yaml" "device-read-bps: /dev/tbx-no-such-disk:1mb"
expect_fail "a device that is not there is refused" 2 \
	"node h1: io limits: /dev/tbx-no-such-disk: No such file or directory" \
	tbx topology up "$WORK/missing.yaml"
expect_eq "and nothing is built" "$(nodes_left)" 0

modprobe loop 2>/dev/null
truncate -s 16M "$WORK/disk"
LOOP=$(losetup -f --show "$WORK/disk" 2>/dev/null)
if [ -z "$LOOP" ] || [ ! -e "$CG/cgroup.controllers" ] ||
   ! grep -qw io "$CG/cgroup.controllers"; then
	echo "# $TEST_NAME: no loop device or io controller in this kernel; io.max not checked"
	finish
	exit
fi
majmin=$(lsblk -dno MAJ:MIN "$LOOP" | tr -d ' ')
iomax() { grep "^$majmin " "$CG/tbx/$T/h1/io.max"; }

lab "$WORK/io.yaml" "device-read-bps: $LOOP:10mb" "device-write-iops: [\"$LOOP:100\"]"
check "up with io limits" tbx topology up "$WORK/io.yaml"
expect_eq "io.max holds them (10 MiB/s read, 100 write IO/s)" "$(iomax)" \
	"$majmin rbps=10485760 wbps=max riops=max wiops=100"
expect_eq "show has them" "$(tbx -j topology show $T | jq -r '.nodes[0].io_max')" \
	"$LOOP rbps=10485760 wiops=100"

lab "$WORK/io.yaml" "device-write-bps: $LOOP:1mb"
out=$(tbx topology up "$WORK/io.yaml" 2>&1)
case $out in *"changed node h1"*) ok "an edited limit changes the node" ;;
*) fail "an edited limit: $out" ;; esac
expect_eq "in place: the old limits reset, the new one set" "$(iomax)" \
	"$majmin rbps=max wbps=1048576 riops=max wiops=max"

lab "$WORK/io.yaml" "cpu: 1"
check "limits taken out of the file" tbx topology up "$WORK/io.yaml"
expect_eq "are reset" "$(iomax || echo none)" none
check "down" tbx topology down $T
expect_eq "nothing left" "$(nodes_left)" 0

finish
