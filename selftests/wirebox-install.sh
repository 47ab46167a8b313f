#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make install` (tools/install.sh) inside the VM, and module autoload.
# The modules are installed with DESTDIR=$TMP/root into a staged module
# tree (lib/modules/KVER/extra/wirebox) that also holds the kernel modules
# wirebox_nf depends on, and tools/install.sh depmod's it (depmod -b): a
# depmod of the kernel's whole tree takes minutes under TCG, and the
# host's tree stays untouched. The kernel's modprobe
# (/proc/sys/kernel/modprobe) is pointed at a wrapper doing
# `modprobe -d $TMP/root`. With none of the wirebox modules loaded:
#   - `ip link add ... type wbpair peer name ...` (the installed ip plugin)
#     loads wirebox_pair (alias rtnl-link-wbpair),
#   - `ip link add ... type wbnic` loads wirebox_nic (rtnl-link-wbnic),
#   - the first `wbctl rule list` loads wirebox_nf and its dependencies
#     (the genl family alias, net-pf-16-proto-16-family-wbnf),
#   - the first `wbctl nic show` loads wirebox_nic (family wbnic),
# then `tools/install.sh uninstall` leaves no file behind.
source "$(dirname "$0")/lib.sh"

KVER=$(uname -r)
MODS=(wirebox_nf wirebox_nic wirebox_pair)
require_cmd ip modprobe depmod modinfo
[ "$(id -u)" = 0 ] || skip "needs root"
[ -n "${WB_ROOT:-}" ] || skip "WB_ROOT not set (run through tools/vm-run.sh)"
[ -r "$WB_ROOT/build/$KVER/modules/nf/wirebox_nf.ko" ] ||
	skip "no modules built for $KVER"

TMP=$(mktemp -d) || exit $ksft_fail
on_exit "rm -rf '$TMP'"
# whatever happens: the modules loaded again, from the build tree, for the
# tests after this one
on_exit 'for m in "${MODS[@]}"; do module_loaded $m || module_load $m; done'

ROOTFS=$TMP/root
MODDIR=$ROOTFS/lib/modules/$KVER
# the kernel modules wirebox's need, at their paths under kernel/
# (none where the kernel has them built in, as the debug kernel does)
stage_deps() {
	local d f deps

	deps=$(modinfo -F depends "$WB_ROOT"/build/"$KVER"/modules/*/*.ko | tr , '\n' | sort -u)
	# kernel/ even if empty: tools/install.sh depmods a DESTDIR that has it
	mkdir -p "$MODDIR/kernel" || return 1
	cp "/lib/modules/$KVER"/modules.{order,builtin,builtin.modinfo} "$MODDIR/" 2>/dev/null
	if [ -z "$deps" ]; then
		wb_log "the wirebox modules depend on no module of this kernel"
		return 0
	fi
	for d in $deps; do
		for f in $(modprobe --show-depends "$d" | awk '$1 == "insmod" { print $2 }'); do
			mkdir -p "$ROOTFS$(dirname "$f")"
			cp "$f" "$ROOTFS$f" || return 1
		done
	done
	find "$MODDIR/kernel" -name '*.ko*' | grep -q .
}
check "stage the kernel modules wirebox_nf depends on" stage_deps
printf '#!/bin/sh\nexec /sbin/modprobe -d %s "$@"\n' "$ROOTFS" >"$TMP/modprobe"
chmod +x "$TMP/modprobe"
old_modprobe=$(cat /proc/sys/kernel/modprobe)
on_exit "echo '$old_modprobe' >/proc/sys/kernel/modprobe"
echo "$TMP/modprobe" >/proc/sys/kernel/modprobe
check_eq "the kernel's modprobe is the wrapper" "$(cat /proc/sys/kernel/modprobe)" "$TMP/modprobe"
bail_on_fail

unload_all() {
	local m
	for m in "${MODS[@]}"; do
		module_loaded "$m" || continue
		module_unload "$m" || return 1
	done
}
check "unload the wirebox modules" unload_all
bail_on_fail
# and wirebox_nf's dependencies, where nothing else holds them
DEPS_OUT=()
for d in nf_reject_ipv4 nf_reject_ipv6 nf_defrag_ipv4 nf_defrag_ipv6; do
	module_loaded "$d" && rmmod "$d" 2>/dev/null && DEPS_OUT+=("$d")
done
wb_log "unloaded for this test: ${DEPS_OUT[*]:-none, the dependencies are in use}"

# install_sh ACTION: tools/install.sh ACTION (install, uninstall) as
# `make ACTION DESTDIR=... IPLIBDIR=/iplib` runs it; it must exit 0
install_sh() {
	local rc

	DESTDIR=$ROOTFS PREFIX=/usr/local IPLIBDIR=/iplib \
		"$WB_ROOT/tools/install.sh" "$1" "/lib/modules/$KVER/build" >"$TMP/$1.log" 2>&1
	rc=$?
	sed 's/^/#   /' "$TMP/$1.log"
	check_eq "tools/install.sh $1 exits 0" "$rc" 0
}

install_sh install
for m in "${MODS[@]}"; do
	check "$m.ko in $MODDIR/extra/wirebox" \
		test -s "$MODDIR/extra/wirebox/$m.ko"
	check "modinfo finds $m through depmod's index" \
		sh -c "modinfo -b $ROOTFS -F filename $m | grep -q /extra/wirebox/$m.ko"
done
check "wbctl installed under PREFIX/sbin" test -x "$ROOTFS/usr/local/sbin/wbctl"
check "man pages installed" test -s "$ROOTFS/usr/local/share/man/man8/wbctl-ct.8"
check "bash completion installed" \
	test -s "$ROOTFS/usr/local/share/bash-completion/completions/wbctl"
check "ip link plugins installed in IPLIBDIR" \
	test -s "$ROOTFS/iplib/link_wbpair.so" -a -s "$ROOTFS/iplib/link_wbnic.so"
bail_on_fail
WBCTL=$ROOTFS/usr/local/sbin/wbctl

setup_ns A || exit $ksft_fail

wb_log "-- rtnetlink kinds load their module"
check_fail "wirebox_pair not loaded yet" module_loaded wirebox_pair
check "ip link add wba0 type wbpair peer name wba1 (the installed plugin)" \
	env IP_LIB_DIR="$ROOTFS/iplib" ip -n "$A" link add wba0 type wbpair peer name wba1
check "wirebox_pair was loaded on demand" module_loaded wirebox_pair
check "the pair exists: wba0 and wba1" ip -n "$A" link show wba1
check_fail "wirebox_nic not loaded yet" module_loaded wirebox_nic
check "ip link add type wbnic" ip -n "$A" link add wbx0 type wbnic
check "wirebox_nic was loaded on demand" module_loaded wirebox_nic
check "the NIC exists" ip -n "$A" link show wbx0

wb_log "-- generic netlink families load their module"
check_fail "wirebox_nf not loaded yet" module_loaded wirebox_nf
check "wbctl rule list (first call to the wbnf family)" \
	"$WBCTL" -n "$A" rule list
check "wirebox_nf was loaded on demand" module_loaded wirebox_nf
for d in "${DEPS_OUT[@]}"; do
	check "and with it $d (modprobe followed depmod's dependencies)" \
		module_loaded "$d"
done
ip -n "$A" link del wbx0
check "unload wirebox_nic again" module_unload wirebox_nic
check "wbctl nic show (first call to the wbnic family)" \
	"$WBCTL" -n "$A" nic show
check "wirebox_nic was loaded on demand" module_loaded wirebox_nic
ip -n "$A" link del wba0

wb_log "-- make uninstall"
install_sh uninstall
check_eq "no file left under PREFIX or IPLIBDIR" \
	"$(find "$ROOTFS/usr/local" "$ROOTFS/iplib" -type f 2>/dev/null)" ""
check_eq "no module left in $MODDIR/extra" \
	"$(find "$MODDIR/extra" -name 'wirebox*' 2>/dev/null)" ""
check_fail "modinfo no longer finds wirebox_nf (depmod ran)" \
	modinfo -b "$ROOTFS" -F filename wirebox_nf

# back to the build tree's modules (on_exit)
unload_all
wb_exit
