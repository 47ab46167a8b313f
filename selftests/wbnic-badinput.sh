#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every bad request to a wbnic fails and changes nothing:
#  - ethtool -G: ring sizes not a power of two, below 64, above 4096;
#    ethtool -L: 0 or more than 8 channels, separate rx/tx channels;
#    ethtool -C: a parameter the driver does not support, values above
#    65535;
#  - wbctl nic add (rtnetlink WBNIC_INFO_*): the same ring sizes, 0 or 9
#    queues: nothing created (and a good one is created as asked);
#  - wbctl nic cable: to itself, to lo, to a veth, to or from a NIC that is
#    already cabled (the kernel says EBUSY), to a missing device or netns;
#  - wbctl nic set: loss or corrupt over 100 %, flap 0 or over 60000 ms;
#  - as nobody: nic show works; nic cable/uncable/set/add/del and ethtool
#    -G are refused (EPERM); root in a user namespace of its own may cable
#    wbnics in its own netns.
# The state that must not change is read back after each: ethtool -g/-l/-c,
# and peer, loss_ppm, corrupt_ppm, carrier_changes.
#
#  +------------------------------------------------------+
#  | ns1                                                  |
#  |  n1 ==== cable ==== n2      n3, n4 (uncabled)         |
#  |  v1 ---- veth ----- v2      lo                       |
#  +------------------------------------------------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip ethtool python3 setpriv unshare
require_module wirebox_nic
wbctl_has_nic || skip "$WBCTL cannot 'nic cable'"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)

setup_ns NS || exit $ksft_fail
check "n1 <-> n2 cabled, up" wbnic_cabled_pair "$NS" n1 "$NS" n2 37
check "n3" ip -n "$NS" link add name n3 type wbnic
check "n4" ip -n "$NS" link add name n4 type wbnic
check "veth v1/v2" ip -n "$NS" link add name v1 type veth peer name v2
bail_on_fail
for d in n3 n4 v1 v2; do
	ip -n "$NS" link set dev "$d" up
done

eth() {	# DEV OPT ARGS...: ethtool OPT DEV ARGS in ns
	local dev=$1 opt=$2
	shift 2
	ip netns exec "$NS" ethtool "$opt" "$dev" "$@"
}

peer() {	# DEV: its peer's name, "" if none
	wbnic_json "$NS" "$1" peer
}

# rejected WHAT CMD...: CMD must fail with exit 2 (the kernel said no) or
# 255 (wbctl's own check); a kernel error must be printed as "Error: ...".
rejected() {
	local what=$1 out rc
	shift
	out=$("$@" 2>&1)
	rc=$?
	case $rc in
	2) if grep -q '^Error: ' <<<"$out"; then
		check_eq "$what: refused (kernel: $out)" ok ok
	   else
		check_eq "$what: kernel error without 'Error: ...'" "$out" "Error: ..."
	   fi ;;
	255) check_eq "$what: refused (wbctl: ${out%%$'\n'*})" ok ok ;;
	*) check_eq "$what: exit code (${out%%$'\n'*})" "$rc" "2 or 255" ;;
	esac
}

wb_log "-- ethtool -G, -L, -C"
check "n1: ethtool -G rx 512 tx 128" eth n1 -G rx 512 tx 128
check "n1: ethtool -L combined 2" eth n1 -L combined 2
check "n1: ethtool -C 30/8 70/16" \
	eth n1 -C rx-usecs 30 rx-frames 8 tx-usecs 70 tx-frames 16
check "n1 link ready" wait_for 10 link_ready "$NS" n1
for bad in "rx 100" "rx 32" "rx 0" "rx 8192" "tx 100" "tx 32" "tx 8192" \
	   "rx 1024 tx 100"; do
	# shellcheck disable=SC2086 # one word per token
	check_fail "n1: ethtool -G $bad" eth n1 -G $bad
done
check_eq "n1: rings unchanged" "$(ethtool_cur "$NS" n1 -g RX TX)" "512 128"
for bad in "combined 0" "combined 9" "rx 1 tx 1" "combined 4 rx 1"; do
	# shellcheck disable=SC2086
	check_fail "n1: ethtool -L $bad" eth n1 -L $bad
done
check_eq "n1: channels unchanged" "$(ethtool_cur "$NS" n1 -l Combined)" 2
check_fail "n1: ethtool -C adaptive-rx on (not supported)" eth n1 -C adaptive-rx on
check_fail "n1: ethtool -C rx-usecs 70000 (above 65535)" eth n1 -C rx-usecs 70000
check_fail "n1: ethtool -C tx-frames 65536" eth n1 -C tx-frames 65536
check_fail "n1: ethtool -C rx-usecs 10 adaptive-rx on (all or nothing)" \
	eth n1 -C rx-usecs 10 adaptive-rx on
check_eq "n1: coalescing unchanged" \
	"$(ethtool_cur "$NS" n1 -c rx-usecs rx-frames tx-usecs tx-frames)" "30 8 70 16"
check "n1 still has carrier" link_attr_is "$NS" n1 carrier 1
check_eq "n1 still cabled to n2" "$(peer n1)" n2

wb_log "-- wbctl nic add (rtnetlink)"
links() { ip -n "$NS" -o link show | wc -l; }
before=$(links)
for bad in "rx-ring 100" "rx-ring 32" "rx-ring 8192" "tx-ring 100" \
	   "tx-ring 8192" "queues 0" "queues 9"; do
	# shellcheck disable=SC2086
	rejected "nic add nx $bad" "$WBCTL" -n "$NS" nic add nx $bad
	check_fail "nic add nx $bad: no nx" ip -n "$NS" link show dev nx
done
check_eq "no device made" "$(links)" "$before"
check "nic add nx rx-ring 1024 tx-ring 64 queues 3" \
	"$WBCTL" -n "$NS" nic add nx rx-ring 1024 tx-ring 64 queues 3
check_eq "nx: ethtool -g" "$(ethtool_cur "$NS" nx -g RX TX)" "1024 64"
check_eq "nx: ethtool -l" "$(ethtool_cur "$NS" nx -l Combined)" 3
check "nic del nx" "$WBCTL" -n "$NS" nic del nx
check_fail "nx is gone" ip -n "$NS" link show dev nx

wb_log "-- wbctl nic cable"
rejected "cable n3 to itself" "$WBCTL" -n "$NS" nic cable n3 n3
rejected "cable n3 to lo" "$WBCTL" -n "$NS" nic cable n3 lo
rejected "cable lo to n3" "$WBCTL" -n "$NS" nic cable lo n3
rejected "cable n3 to a veth" "$WBCTL" -n "$NS" nic cable n3 v1
rejected "cable a veth to n3" "$WBCTL" -n "$NS" nic cable v1 n3
check_eq "n3: no peer" "$(peer n3)" ""
out=$("$WBCTL" -n "$NS" nic cable n3 n1 2>&1)
check_eq "cable n3 to n1 (cabled to n2): kernel refuses ($out)" "$?" 2
out=$("$WBCTL" -n "$NS" nic cable n1 n3 2>&1)
check_eq "cable n1 (cabled to n2) to n3: kernel refuses ($out)" "$?" 2
out=$("$WBCTL" -n "$NS" nic cable n2 n1 2>&1)
check_eq "cable n2 to n1 again: kernel refuses ($out)" "$?" 2
check_eq "n1: still n2" "$(peer n1)" n2
check_eq "n2: still n1" "$(peer n2)" n1
check_eq "n3: no peer" "$(peer n3)" ""
check_fail "cable n3 to a missing device" "$WBCTL" -n "$NS" nic cable n3 nosuch
check_fail "cable n3 into a missing netns" \
	"$WBCTL" -n "$NS" nic cable n3 n4 netns "nosuch-$RANDOM"
check_fail "uncable lo" "$WBCTL" -n "$NS" nic uncable lo
check_eq "n3, n4: no peer" "$(peer n3)/$(peer n4)" "/"

wb_log "-- wbctl nic set"
check "set n1 loss 10" "$WBCTL" -n "$NS" nic set n1 loss 10
check "set n1 corrupt 1" "$WBCTL" -n "$NS" nic set n1 corrupt 1
rejected "set n1 loss 101" "$WBCTL" -n "$NS" nic set n1 loss 101
rejected "set n1 corrupt 101" "$WBCTL" -n "$NS" nic set n1 corrupt 101
rejected "set n1 loss 5 corrupt 200 (all or nothing)" \
	"$WBCTL" -n "$NS" nic set n1 loss 5 corrupt 200
check_eq "n1: loss_ppm corrupt_ppm unchanged" \
	"$(wbnic_json "$NS" n1 loss_ppm corrupt_ppm | paste -sd ' ')" "100000 10000"
c=$(link_attr "$NS" n1 carrier_changes)
rejected "set n1 flap 0" "$WBCTL" -n "$NS" nic set n1 flap 0
rejected "set n1 flap 60001" "$WBCTL" -n "$NS" nic set n1 flap 60001
sleep 1
check_eq "n1: no flap happened (carrier_changes)" \
	"$(link_attr "$NS" n1 carrier_changes)" "$c"
check "n1: carrier" link_attr_is "$NS" n1 carrier 1
check_fail "set lo loss 1" "$WBCTL" -n "$NS" nic set lo loss 1
check "set n1 loss 0 corrupt 0" "$WBCTL" -n "$NS" nic set n1 loss 0 corrupt 0

wb_log "-- unprivileged"
as_nobody() { ip netns exec "$NS" "${NOBODY[@]}" "$@"; }
# eperm WHAT CMD...: exit 2, "Operation not permitted"
eperm() {
	local what=$1 out rc
	shift
	out=$(as_nobody "$@" 2>&1)
	rc=$?
	check_eq "nobody: $what: exit code" "$rc" 2
	check "nobody: $what: says EPERM" grep -q "Operation not permitted" <<<"$out"
}
check "nobody: nic show" as_nobody "$WBCTL" -j nic show
check_eq "nobody: nic show n1 peer" \
	"$(as_nobody "$WBCTL" -j nic show n1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0].get("peer"))')" n2
eperm "cable n3 n4" "$WBCTL" nic cable n3 n4
eperm "uncable n1" "$WBCTL" nic uncable n1
eperm "set n1 loss 50" "$WBCTL" nic set n1 loss 50
eperm "set n1 flap 100" "$WBCTL" nic set n1 flap 100
eperm "set n3 loopback on" "$WBCTL" nic set n3 loopback on
eperm "add nz" "$WBCTL" nic add nz
eperm "del n4" "$WBCTL" nic del n4
check_fail "nobody: ethtool -G n1 rx 1024" as_nobody ethtool -G n1 rx 1024
check_eq "n1: still n2, no loss" \
	"$(wbnic_json "$NS" n1 peer loss_ppm | paste -sd ' ')" "n2 0"
check_eq "n3: no peer, no loopback" \
	"$(wbnic_json "$NS" n3 peer loopback | paste -sd ' ')" " false"
check_fail "nz was not made" ip -n "$NS" link show dev nz
check "n4 is still there" ip -n "$NS" link show dev n4
check_eq "n1: rings unchanged" "$(ethtool_cur "$NS" n1 -g RX TX)" "512 128"

# root in its own user+net namespace: CAP_NET_ADMIN there, and only there
out=$("${NOBODY[@]}" unshare -Urn sh -c "
	$WBCTL nic add u1 && $WBCTL nic add u2 && $WBCTL nic cable u1 u2 &&
	ip link set u1 up && ip link set u2 up &&
	for i in \$(seq 50); do
		ip -o link show u1 | grep -q LOWER_UP && break
		sleep 0.1
	done; ip -o link show u1" 2>&1)
check "userns root: cabled wbnics in its own netns have carrier" \
	grep -q "LOWER_UP" <<<"$out"
check_fail "userns root: nothing appeared in ns1" ip -n "$NS" link show u1
check_fail "userns root: nothing appeared in the init netns" ip link show u1

wb_exit
