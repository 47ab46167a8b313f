#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module parameter nics=N: loading wirebox_nic with nics=2 makes
# wbnic0 and wbnic1 in the init netns, cabled to each other (carrier once
# both are up; the cable follows them into two namespaces, where they carry
# a ping); nics=4 cables (0,1) and (2,3); no parameter makes none. The
# module is reloaded plain at the end, as it was found.
#
#  init netns, nics=2:  wbnic0 ==== cable ==== wbnic1
#  then:
#  +---------------------+                 +---------------------+
#  | ns1                 |                 |                 ns2 |
#  |  wbnic0 10.0.38.1/24+----- cable -----+ wbnic1 10.0.38.2/24 |
#  +---------------------+                 +---------------------+

source "$(dirname "$0")/lib.sh"

require_cmd ip ping python3 rmmod insmod
require_module wirebox_nic
module_file wirebox_nic >/dev/null || skip "no wirebox_nic.ko to reload"
wbctl_has_nic || skip "$WBCTL cannot 'nic cable'"

# leave the module loaded, plain, whatever happens
restore() {
	module_loaded wirebox_nic && module_unload wirebox_nic
	module_load wirebox_nic
}
on_exit restore

# wbnics in the init netns, sorted, on one line
init_wbnics() {
	ip -o link show type wbnic 2>/dev/null |
		awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | sort | paste -sd ' '
}

init_carrier_is() {	# DEV 0|1: carrier of DEV in the init netns
	[ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = "$2" ]
}

reload() {	# PARAM...
	module_unload wirebox_nic || return 1
	module_load wirebox_nic "$@"
}

setup_ns NS1 NS2 || exit $ksft_fail

wb_log "-- nics=2"
check "reload with nics=2" reload nics=2
bail_on_fail
check_eq "wbnics in the init netns" "$(init_wbnics)" "wbnic0 wbnic1"
check_eq "wbnic0: driver" \
	"$(ethtool -i wbnic0 | awk '$1 == "driver:" { print $2 }')" wirebox_nic
check_eq "wbnic0: peer" "$(wbnic_json "" wbnic0 peer)" wbnic1
check_eq "wbnic1: peer" "$(wbnic_json "" wbnic1 peer)" wbnic0
check_eq "wbnic0: no carrier while down" "$(wbnic_json "" wbnic0 carrier)" false
ip link set dev wbnic0 up
ip link set dev wbnic1 up
check "wbnic0: carrier once both are up" \
	wait_for 10 init_carrier_is wbnic0 1
check "wbnic1: carrier" \
	wait_for 10 init_carrier_is wbnic1 1

check "move wbnic0 to ns1" ip link set dev wbnic0 netns "$NS1"
check "move wbnic1 to ns2" ip link set dev wbnic1 netns "$NS2"
check_eq "wbnic0 (ns1): peer after the moves" "$(wbnic_json "$NS1" wbnic0 peer)" wbnic1
ip -n "$NS1" addr add 10.0.38.1/24 dev wbnic0
ip -n "$NS2" addr add 10.0.38.2/24 dev wbnic1
ip -n "$NS1" link set dev wbnic0 up
ip -n "$NS2" link set dev wbnic1 up
check "wbnic0: carrier in ns1" wait_for 10 link_attr_is "$NS1" wbnic0 carrier 1
check "wbnic1: carrier in ns2" wait_for 10 link_attr_is "$NS2" wbnic1 carrier 1
check "ping ns1 -> ns2 over the module's pair" \
	ip netns exec "$NS1" ping -c 3 -i 0.2 -W 5 -q 10.0.38.2

wb_log "-- nics=4"
check "reload with nics=4" reload nics=4
check_fail "the moved wbnic0 went with the module" ip -n "$NS1" link show dev wbnic0
check_eq "wbnics in the init netns" "$(init_wbnics)" "wbnic0 wbnic1 wbnic2 wbnic3"
check_eq "peers of wbnic0..3" \
	"$(for i in 0 1 2 3; do wbnic_json "" "wbnic$i" peer; done | paste -sd ' ')" \
	"wbnic1 wbnic0 wbnic3 wbnic2"
ip link set dev wbnic2 up
ip link set dev wbnic3 up
check "wbnic2: carrier" \
	wait_for 10 init_carrier_is wbnic2 1
check_fail "wbnic0: no carrier (down)" init_carrier_is wbnic0 1

wb_log "-- no parameter"
check "reload plain" reload
check_eq "no wbnic in the init netns" "$(init_wbnics)" ""

wb_exit
