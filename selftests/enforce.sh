#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tbx enforce on the running kernel (Debian's 6.1 in the VM, so the
# program passes that verifier too): an application in a cgroup held to a
# profile (its own sends fail with EPERM), a device's sender (its packets
# dropped and counted, ARP passing), a profile swapped under a waiting
# sender, push-back off and on, bpftool naming the maps and their fields
# (BTF), bad requests refused with nothing changed, and nothing left after
# del. Profiles are slow enough (a 1000-byte datagram at 8 bit/s waits
# 1000 s) that no check depends on the machine's speed: on the debug
# kernel this script's own steps take minutes.
. "$(dirname "$0")/lib.sh"

A=tbxen-a B=tbxen-b
WORK=$(mktemp -d)
export TBX_BPFFS_ROOT=/sys/fs/bpf/tbxen-$$
CGT=$CG/tbxen-$$
on_exit "rm -rf $WORK"
on_exit "rm -rf $TBX_BPFFS_ROOT; rmdir $CGT"
on_exit '"$TBX" enforce del app; nsenter --net=/run/netns/'$A' "$TBX" enforce del link'
j() { printf '%s' "$1" | jq -r "$2"; }

link_pair $A $B || { fail "namespaces"; finish; }
mkdir -p "$CGT"
printf '# period = 100000\n# uuid = 7\n0,8,0\n' >"$WORK/slow.csv"
printf '# period = 1\n0,8000000,0\n' >"$WORK/fast.csv"

# send N [cgroup]: N datagrams of 1000 bytes from A to B, from a process in
# the cgroup when given; prints "ok K eperm E".
cat >"$WORK/send.py" <<'P'
import errno, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
ok = eperm = 0
for _ in range(int(sys.argv[1])):
    try:
        s.sendto(b"x" * 972, ("198.18.0.2", 9))
        ok += 1
    except OSError as e:
        if e.errno != errno.EPERM:
            raise
        eperm += 1
print("ok", ok, "eperm", eperm)
P
send() {
	if [ -n "${2:-}" ]; then
		sh -c 'echo $$ >"$1/cgroup.procs"; exec nsenter --net=/run/netns/'$A' python3 "$2" "$3"' \
			- "$2" "$WORK/send.py" "$1"
	else
		nsenter --net=/run/netns/$A python3 "$WORK/send.py" "$1"
	fi
}

check "add a cgroup sender" "$TBX" enforce add app cgroup "$CGT" profile "$WORK/slow.csv"
expect_eq "the application's own sends fail with EPERM once over" "$(send 3 "$CGT")" "ok 1 eperm 2"
expect_eq "a process outside the cgroup is not held" "$(send 2)" "ok 2 eperm 0"
js=$("$TBX" -j enforce show app)
expect_eq "show: sent and exceeded, in packets and bits" \
	"$(j "$js" '"\(.sent.packets) \(.sent.bits) \(.exceeded.packets) \(.exceeded.bits)"')" "1 8000 2 16000"
expect_eq "show: kind, uuid, the curve's period" "$(j "$js" '"\(.kind) \(.uuid) \(.period_bits) \(.off)"')" \
	"cgroup 7 800000 false"
expect_eq "show: the next send is up to 1000 s away" \
	"$(j "$js" '.next_send_in_ns > 0 and .next_send_in_ns <= 1000000000000')" "true"
expect_eq "text show names it" "$("$TBX" enforce show | head -n 1 | cut -d, -f1)" "app: cgroup id $(stat -c %i "$CGT")"

check "bpftool reads the state map with its field names (BTF)" \
	sh -c "bpftool map dump pinned $TBX_BPFFS_ROOT/tbx/police/state | grep -q next_send_ns"
check "bpftool reads the config map with the sender's name" \
	sh -c "bpftool map dump pinned $TBX_BPFFS_ROOT/tbx/police/config | grep -q '\"app\"'"

# Push-back.
check "off" "$TBX" enforce off app
expect_eq "a switched-off sender is refused every send" "$(send 2 "$CGT")" "ok 0 eperm 2"
expect_eq "counted as refused while off" "$("$TBX" -j enforce show app | jq -c '[.off, .refused_off.packets]')" "[true,2]"
check "on" "$TBX" enforce on app

# A swap under a waiting sender keeps what it owes: no burst.
check "swap app to 8 Mbit/s" "$TBX" enforce set app profile "$WORK/fast.csv"
expect_eq "the swapped profile is live" "$("$TBX" -j enforce show app | jq .period_bits)" 8000000
expect_eq "but the 1000 s owed under the old one still hold" "$(send 1 "$CGT")" "ok 0 eperm 1"

# A device's sender: dropped at tc egress, the sender's send succeeds.
check "add a device sender" nsenter --net=/run/netns/$A "$TBX" enforce add link dev va profile "$WORK/slow.csv"
nstat_before=$(peer UdpNoPorts)
expect_eq "its sends succeed (a tc drop is not the sender's error)" "$(send 3)" "ok 3 eperm 0"
wait_until reached UdpNoPorts "$nstat_before" 1
expect_eq "one datagram reached b" "$(($(peer UdpNoPorts) - nstat_before))" 1
expect_eq "two dropped, counted" "$(nsenter --net=/run/netns/$A "$TBX" -j enforce show link | jq -c '[.kind, .sent.packets, .exceeded.packets]')" \
	'["dev",1,2]'
expect_fail "refused under ip netns exec (a private BPF file system)" 2 \
	"no BPF file system.*ip netns exec.*nsenter" \
	ip netns exec $A "$TBX" enforce add link3 dev va profile "$WORK/fast.csv"
expect_fail "one sender per device" 2 "va already has a sender" \
	nsenter --net=/run/netns/$A "$TBX" enforce add link2 dev va profile "$WORK/fast.csv"

# Refusals: exit 2 (1 for usage), the part named, nothing changed.
n_before=$("$TBX" -j enforce show | jq length)
printf '# period = 2\n0,0,0\n' >"$WORK/zero.csv"
printf '0,1000,0\n' >"$WORK/noperiod.csv"
expect_fail "a name taken" 2 "sender \"app\" exists" "$TBX" enforce add app cgroup "$CGT" profile "$WORK/fast.csv"
expect_fail "a bad name" 2 "sender name \"a/b\" is not" "$TBX" enforce add a/b cgroup "$CGT" profile "$WORK/fast.csv"
expect_fail "not a cgroup v2 directory" 2 "/proc is not a cgroup v2 directory" \
	"$TBX" enforce add x cgroup /proc profile "$WORK/fast.csv"
expect_fail "no such device" 2 "no device \"nosuch0\"" "$TBX" enforce add x dev nosuch0 profile "$WORK/fast.csv"
expect_fail "a profile that carries nothing" 2 "carries nothing" \
	"$TBX" enforce add x cgroup "$CGT" profile "$WORK/zero.csv"
expect_fail "a bad profile named with its file" 2 "noperiod.csv: no \"# period" \
	"$TBX" enforce add x cgroup "$CGT" profile "$WORK/noperiod.csv"
expect_fail "neither cgroup nor dev" 1 "\"pid\" is not cgroup or dev" \
	"$TBX" enforce add x pid 1 profile "$WORK/fast.csv"
expect_fail "profile missing" 1 "\"profile FILE\" is missing" "$TBX" enforce add x cgroup "$CGT"
expect_fail "an unknown sender" 2 "no sender \"nobody\"" "$TBX" enforce off nobody
expect_fail "an unknown command" 1 "unknown command \"stop\"" "$TBX" enforce stop app
expect_eq "nothing added by the refusals" "$("$TBX" -j enforce show | jq length)" "$n_before"

# The same senders through tbxd's API (tbxd in a, on the same pins).
nsenter --net=/run/netns/$A "$O/tbxd" --state-dir "$WORK/state" --socket "$WORK/sock" \
	--accounting-interval 0 2>>"$WORK/tbxd.log" &
on_exit "kill $!"
wait_until "$TBX" -s "$WORK/sock" daemon status >/dev/null 2>&1
api() { curl -s --unix-socket "$WORK/sock" -w '\n%{http_code}' -X "$1" "http://tbxd$2" ${3:+-d "$3"}; }
code() { printf '%s' "$1" | tail -n 1; }
body() { printf '%s' "$1" | sed '$d'; }
r=$(api GET /enforce)
expect_eq "GET /enforce lists both senders" "$(code "$r") $(body "$r" | jq -c '[.senders[].name] | sort')" '200 ["app","link"]'
r=$(api GET /enforce/link)
expect_eq "GET /enforce/NAME: the device's, as the CLI shows it" "$(code "$r") $(body "$r" | jq -c '[.kind, .exceeded.packets]')" '200 ["dev",2]'
r=$(api POST /enforce "{\"name\":\"viaapi\",\"cgroup\":\"$CGT\",\"profile\":\"$WORK/slow.csv\"}")
expect_eq "POST /enforce adds a sender" "$(code "$r") $(body "$r" | jq -r .name)" "201 viaapi"
expect_eq "the CLI sees it" "$("$TBX" -j enforce show viaapi | jq -r .kind)" cgroup
r=$(api PUT /enforce/viaapi '{"off":true}')
expect_eq "PUT off" "$(code "$r") $(body "$r" | jq -r .off)" "200 true"
r=$(api PUT /enforce/viaapi "{\"profile\":\"$WORK/fast.csv\"}")
expect_eq "PUT profile" "$(code "$r") $(body "$r" | jq -r .period_bits)" "200 8000000"
r=$(api POST /enforce "{\"name\":\"viaapi\",\"cgroup\":\"$CGT\",\"profile\":\"$WORK/slow.csv\"}")
expect_eq "POST a name taken: 409" "$(code "$r") $(body "$r" | jq -r .error)" '409 enforce: sender "viaapi" exists'
r=$(api POST /enforce '{"name":"x","cgroup":"/nonexistent","profile":"/nonexistent.csv"}')
expect_eq "POST a bad profile: 400 naming it" "$(code "$r")" 400
r=$(api POST /enforce '{"name":"x","cgroup":"a","dev":"b","profile":"p"}')
expect_eq "POST both cgroup and dev: 400" "$(code "$r")" 400
r=$(api POST /enforce '{"name":"x","colour":"blue"}')
expect_eq "POST an unknown key: 400" "$(code "$r") $(body "$r" | jq -r .error)" '400 unknown key "colour"'
r=$(api PUT /enforce/viaapi '{"off":"yes"}')
expect_eq "PUT off as a string: 400" "$(code "$r")" 400
r=$(api PUT /enforce/nobody '{"off":true}')
expect_eq "PUT an unknown sender: 404" "$(code "$r")" 404
r=$(api DELETE /enforce/viaapi)
expect_eq "DELETE" "$(code "$r")" 200
r=$(api DELETE /enforce/viaapi)
expect_eq "DELETE again: 404" "$(code "$r")" 404

check "del the device's sender" nsenter --net=/run/netns/$A "$TBX" enforce del link
check "its filter and clsact are gone" sh -c "! tc -n $A qdisc show dev va | grep -q clsact"
check "del the cgroup's sender" "$TBX" enforce del app
expect_eq "and its sends pass again" "$(send 2 "$CGT")" "ok 2 eperm 0"
check "no pins left" test ! -e "$TBX_BPFFS_ROOT/tbx"
expect_eq "show lists nothing" "$("$TBX" -j enforce show)" "[]"

finish
