#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Garbage on the wire: malformed frames sent through a pair (both modes)
# and over a wbnic cable into a namespace whose stack must digest them:
# runts, bad IHL, wrong IPv4 checksums and lengths, fragments and
# overlapping fragments, TCP with odd flag combinations, bad IPv6 payload
# lengths, random ethertypes, random bytes, and (over the wbnic, whose
# sender has the larger MTU) oversized frames. The pair delivers every
# frame (it does not parse them: the stack does); the wbnic's RX engine
# parses them for RSS and receive side coalescing (4 queues, LRO on) and
# must deliver or count each one (received, dropped, missed, oversize,
# filtered). The kernel must stay healthy (the console scan), and normal
# traffic must still flow after. With wirebox_nf loaded, ns2's hooks parse
# the garbage too: rules using every match, a LOG rule and the trace on
# every packet.
#
#   ns1: g1 ====(xmit|napi)==== g2 :ns2 --- br0 (ns2) with g2 as a port,
#                                            10.3.0.2 on br0
#   ns1: g1 ====(wbnic cable)=== g2 :ns2    10.3.0.2 on g2 (LRO on: no
#        MTU 4000               MTU 1500    bridge, which turns it off)
# shellcheck disable=SC2154 # ns1, ns2: set by setup_ns
source lib.sh

require_module wirebox_pair
require_cmd python3
wbctl_has_napi || skip "wbctl cannot create NAPI pairs"
N=${WB_GARBAGE_FRAMES:-600}

setup_ns ns1 ns2

garbage() {	# NS DEV DSTMAC COUNT SEED -> prints frames sent
	ip netns exec "$1" python3 - "$2" "$3" "$4" "$5" <<'PY'
import random, socket, struct, sys

dev, dst, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rnd = random.Random(seed)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
src = open("/sys/class/net/%s/address" % dev).read().strip()
eth = bytes.fromhex(dst.replace(":", "")) + bytes.fromhex(src.replace(":", ""))

def csum(b):
    if len(b) % 2:
        b += b"\0"
    t = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff

def ipv4(payload, proto, ihl=5, tot=None, frag=0, good=True):
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tot or 20 + len(payload),
                    rnd.randrange(65536), frag, 64, proto, 0,
                    bytes([10, 3, 0, 1]), bytes([10, 3, 0, 2]))
    h += bytes(max(0, ihl * 4 - 20))
    c = csum(h) if good else rnd.randrange(65536)
    return h[:10] + struct.pack("!H", c) + h[12:] + payload

def tcp():
    flags = rnd.choice([0, 0x3f, 0x03, 0x06, 0x05, 0x29, 0xff, rnd.randrange(256)])
    return struct.pack("!HHIIBBHHH", rnd.randrange(65536), 22, rnd.getrandbits(32),
                       rnd.getrandbits(32), rnd.choice([0x50, 0x20, 0xf0]), flags,
                       rnd.randrange(65536), rnd.randrange(65536), 0) + bytes(rnd.randrange(40))

def frame():
    k = rnd.randrange(11)
    body = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(64)))
    if k == 0:
        return eth + b"\x08\x00" + bytes(rnd.randrange(20))          # runt IPv4
    if k == 1:
        return eth + b"\x08\x00" + ipv4(body, 17, ihl=rnd.choice([0, 1, 4, 15]))
    if k == 2:
        return eth + b"\x08\x00" + ipv4(body, 6, good=False)         # bad csum
    if k == 3:
        return eth + b"\x08\x00" + ipv4(body, 17, tot=rnd.choice([0, 19, 1500, 65535]))
    if k == 4:                                                        # fragments
        return eth + b"\x08\x00" + ipv4(body + bytes(16), 17,
                                         frag=rnd.choice([0x2000, 0x2001, 0x0001, 0x1fff, 0x3fff]))
    if k == 5:
        return eth + b"\x08\x00" + ipv4(tcp(), 6)                    # odd TCP flags
    if k == 6:                                                        # IPv6, bad plen
        h = struct.pack("!IHBB16s16s", 0x60000000, rnd.choice([0, 8, 1000, 65535]),
                        rnd.choice([6, 17, 58, 44, 0]), 64, bytes(15) + b"\1", bytes(15) + b"\2")
        return eth + b"\x86\xdd" + h + body
    if k == 7:
        return eth + b"\x08\x06" + body                              # junk ARP
    if k == 8:
        return eth + struct.pack("!H", rnd.randrange(65536)) + body   # any ethertype
    if k == 9:
        return eth + b"\x81\x00" + body                               # junk VLAN
    # oversized for a 1500-byte MTU (the sender's MTU may refuse it)
    return eth + b"\x08\x00" + ipv4(bytes(rnd.randrange(1600, 3900)), 17)

sent = 0
for _ in range(n):
    f = frame()
    if len(f) < 60:
        f += bytes(60 - len(f))
    try:
        s.send(f)
        sent += 1
    except OSError:
        pass
print(sent)
PY
}

# wbnic_ok: the wbnic variant can run
wbnic_ok() {
	module_loaded wirebox_nic && wbctl_has_nic
}

# accounted: what g2 received or counted (a pair: rx_packets and a full
# ring; a wbnic: received, dropped, missed, oversize, filtered)
accounted() {
	if [ "$mode" = wbnic ]; then
		dev_counters "$ns2" g2 | awk '$1 == "stat.rx_packets" ||
			$1 == "stat.rx_dropped" || $1 == "rx_missed" ||
			$1 == "rx_oversize" || $1 == "rx_filtered" { n += $2 }
			END { printf "%.0f", n }'
	else
		ip netns exec "$ns2" ethtool -S g2 |
			awk '/ rx_packets:| rx_drops_ring_full:/ { n += $2 }
			END { printf "%.0f", n }'
	fi
}

for mode in xmit napi wbnic; do
	wb_log "-- $mode"
	if [ "$mode" = wbnic ]; then
		wbnic_ok || { wb_log "wbnic: not run (no wirebox_nic or wbctl nic)"; continue; }
		check "create g1/g2 (wbnics, 4 queues, cabled)" sh -c \
			"'$WBCTL' nic add wgb1 queues 4 && '$WBCTL' nic add wgb2 queues 4 &&
			 '$WBCTL' nic cable wgb1 wgb2 &&
			 ip link set wgb1 netns '$ns1' name g1 &&
			 ip link set wgb2 netns '$ns2' name g2"
		ip -n "$ns1" link set dev g1 mtu 4000
		ip -n "$ns2" addr add 10.3.0.2/24 dev g2
	else
		check "create g1/g2 ($mode)" \
			"$WBCTL" -n "$ns1" pair add g1 peer g2 netns "$ns2" mode "$mode"
		ip -n "$ns2" link add br0 type bridge
		ip -n "$ns2" link set dev g2 master br0
		ip -n "$ns2" addr add 10.3.0.2/24 dev br0
		ip -n "$ns2" link set dev br0 up
	fi
	ip -n "$ns1" addr add 10.3.0.1/24 dev g1
	ip -n "$ns1" link set dev g1 up
	ip -n "$ns2" link set dev g2 up
	check "carrier" wait_for 10 link_attr_is "$ns1" g1 carrier 1
	if [ "$mode" = wbnic ]; then
		mac=$(link_mac "$ns2" g2)
		check_eq "wbnic: g2 has LRO on (the RX engine coalesces)" \
			"$(ethtool_feature "$ns2" g2 large-receive-offload)" on
		over0=$(ethtool_stat "$ns2" g2 rx_oversize)
	else
		mac=$(link_mac "$ns2" br0)
	fi

	NF=0
	if module_loaded wirebox_nf && wbctl_has_nf; then
		NF=1
		printf '%s\n' \
			'prerouting src 10.3.0.0/16 proto tcp dport 20-25 log' \
			'prerouting family ipv6 proto udp sport 0-1024 accept' \
			'input iif br0 proto icmp icmp-type echo-request accept' \
			'input dst 10.3.0.2/32 proto tcp dport 22 reject' \
			'input proto udp dport 9 reject' \
			'input src ::1/128 drop' \
			'forward iif br0 oif br0 proto sctp accept' \
			>"/tmp/garbage-rules.$$"
		check "$mode: ns2 rules on every match" \
			"$WBCTL" -n "$ns2" rule restore "/tmp/garbage-rules.$$"
		rm -f "/tmp/garbage-rules.$$"
		check "$mode: ns2 traces every packet" \
			"$WBCTL" -n "$ns2" trace on rate 10000
		pre0=$(wbnf_stat "$ns2" prerouting ipv4 packets)
	fi
	rx0=$(accounted)
	sent=$(garbage "$ns1" g1 "$mac" "$N" "$RANDOM")
	wb_log "sent $sent malformed frames"
	check "the garbage was sent" test "${sent:-0}" -gt $((N / 2))
	# the link delivers what it is given or counts it; what to drop is
	# the stack's call
	all_there() { [ "$(accounted)" -ge $((rx0 + sent)) ]; }
	check "$mode: every frame crossed or was counted" wait_for 20 all_there
	if [ "$mode" = wbnic ]; then
		wb_log "wbnic g2: rx_oversize +$(( $(ethtool_stat "$ns2" g2 rx_oversize) - over0 ))," \
			"rx_lro_flushed $(ethtool_stat "$ns2" g2 rx_lro_flushed)"
		check "wbnic: oversized frames counted (rx_oversize)" \
			test "$(ethtool_stat "$ns2" g2 rx_oversize)" -gt "$over0"
	fi
	check "ping still works after the garbage" \
		ip netns exec "$ns1" ping -c 2 -W 5 10.3.0.2
	check "ip stack still answers the other way" \
		ip netns exec "$ns2" ping -c 1 -W 5 10.3.0.1
	if [ "$NF" = 1 ]; then
		check "$mode: ns2 prerouting saw IPv4 packets" \
			test "$(wbnf_stat "$ns2" prerouting ipv4 packets)" -gt "$pre0"
		check "$mode: ns2 rules still list" "$WBCTL" -n "$ns2" rule list
		check "$mode: trace off" "$WBCTL" -n "$ns2" trace off
	fi
	ip -n "$ns1" link del g1
	[ "$mode" = wbnic ] && ip -n "$ns2" link del g2
	ip -n "$ns2" link del br0 2>/dev/null
done
wb_exit
