#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a target kernel with virtme-ng, load the wirebox modules built for it,
# run a command in the guest and return its exit status.
#
#   tools/vm-run.sh [-k KVER] [-t SECONDS] [-o OUTDIR] [-n] -- COMMAND [ARG...]
#   tools/vm-run.sh [-k KVER] -i          an interactive shell (needs a tty)
#
#   -k KVER     kernel release to boot (/boot/vmlinuz-KVER); default: the
#               first one tools/kernels.sh lists. "debug": the debug kernel
#               tools/debug-kernel.sh built (KASAN, lockdep, kmemleak...),
#               booted with panic_on_warn=1; kmemleak is scanned after the
#               command and any leak fails the run
#   -t SECONDS  hard limit for the whole boot+run (default 900)
#   -o OUTDIR   host directory the guest can write, as /tmp/wb-out; the
#               kernel console log lands here as console.log
#               (default build/vm/KVER)
#   -n          do not load the modules (the command will)
#   -i          interactive: a root shell on this terminal instead of COMMAND
#
# The guest sees the host's filesystem read-only (9p), runs as root, and gets
# WB_ROOT, WB_KVER, WB_MODDIR and WB_OUTDIR (=/tmp/wb-out) in its environment.
# WB_VM_MEMORY sets the guest's memory (default 2G; tools/bench/bench.sh
# asks for 4G). WB_VM_APPEND adds kernel parameters (after ours: a later
# loglevel= wins), e.g. "loglevel=7" to see virtme-init's steps at boot.
#
# Exit status: the command's (recorded by the guest itself); 124 if the guest
# timed out; 125 if the kernel panicked, or the guest died before the command
# returned (a kernel that dies while booting, before the guest script ran,
# is booted again: WB_VM_BOOTS in all, default 3). The console is scanned after every run; an oops, BUG, WARNING,
# lockdep or KASAN report prints the report and makes the run fail (125) even
# if the command passed. Each of these prints a "vm-run:" line on stderr, so
# a command's own 124/125 can be told apart.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
KVER=""
LIMIT=900
OUTDIR=""
LOAD=1
INTERACTIVE=0

while getopts "k:t:o:ni" opt; do
	case $opt in
	k) KVER=$OPTARG ;;
	t) LIMIT=$OPTARG ;;
	o) OUTDIR=$OPTARG ;;
	n) LOAD=0 ;;
	i) INTERACTIVE=1 ;;
	*) sed -n '4,18s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
if [ "$INTERACTIVE" = 1 ]; then
	set -- bash --rcfile "$ROOT/tools/vm-bashrc" -i
elif [ $# -eq 0 ]; then
	echo "vm-run: no command given" >&2
	exit 2
fi

[ -n "$KVER" ] || KVER=$("$ROOT/tools/kernels.sh" | sed -n 1p)
DEBUG=0
if [ "$KVER" = debug ]; then
	DEBUG=1
	dkdir=$("$ROOT/tools/debug-kernel.sh" path) || {
		echo "vm-run: no debug kernel built (tools/debug-kernel.sh build)" >&2
		exit 2
	}
	KVER=$(cat "$dkdir/kernel.release")
	KIMG=$dkdir/linux/arch/x86/boot/bzImage
else
	KIMG=/boot/vmlinuz-$KVER
fi
MODDIR=$ROOT/build/$KVER/modules
OUTDIR=${OUTDIR:-$ROOT/build/vm/$KVER}

if [ ! -r "$KIMG" ]; then
	echo "vm-run: no kernel image $KIMG (run: make deps)" >&2
	exit 2
fi
if ! command -v vng >/dev/null; then
	echo "vm-run: virtme-ng is not installed (run: make deps)" >&2
	exit 2
fi
if [ "$LOAD" = 1 ] && ! ls "$MODDIR"/*/*.ko >/dev/null 2>&1; then
	echo "vm-run: no modules in $MODDIR (run: make KVER=$KVER)" >&2
	exit 2
fi
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)
CONSOLE=$OUTDIR/console.log

# KVM only where it works: /dev/kvm alone is not enough (a guest on a CPU
# without vmx/svm spins forever). WB_KVM=0/1 overrides the guess.
use_kvm() {
	case "${WB_KVM:-}" in
	0) return 1 ;;
	1) return 0 ;;
	esac
	[ -w /dev/kvm ] && grep -qE '^flags.*\b(vmx|svm)\b' /proc/cpuinfo
}

# The guest side: quote the command into a script in OUTDIR.
GUEST=$OUTDIR/guest.sh
{
	echo '#!/bin/bash'
	echo 'exec 2>&1'
	printf 'export WB_ROOT=%q WB_KVER=%q WB_MODDIR=%q WB_OUTDIR=%q\n' \
		"$ROOT" "$KVER" "$MODDIR" /tmp/wb-out
	# test knobs set on the host reach the guest
	for v in WB_TEST_TIMEOUT WB_FUZZ_ITERS WB_FUZZ_SEED WB_STRESS_ROUNDS WB_TOPO \
		WB_XFER_SECS WB_XFER_TIMEOUT; do
		[ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}"
	done
	echo 'export PATH=$WB_ROOT/userspace:$PATH'
	echo 'cd "$WB_ROOT"'
	# the kernel booted and userspace runs: from here on, a crash counts
	echo ': >"$WB_OUTDIR/.started"'
	if ! use_kvm; then
		# ping's SO_TIMESTAMP turns netstamp_needed_key on and off each
		# time one starts or ends: a cross-CPU text poke in the receive
		# path, which TCG can leave as a stale int3 ("Oops: int3" in
		# __netif_receive_skb_core). A socket that keeps timestamping
		# on for the whole run keeps that key from ever flipping.
		# (Python has no name for SO_TIMESTAMP: 29 on x86.)
		echo "python3 -c 'import socket, time"
		echo 's = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)'
		echo 's.setsockopt(socket.SOL_SOCKET, 29, 1)'
		echo "time.sleep(1 << 30)' </dev/null >/dev/null 2>&1 &"
		# Likewise the netfilter hook keys (nf_hooks_needed[pf][hook],
		# a jump label in every NF_HOOK()): the first hook registered
		# at a point in any netns turns it on, the last one removed
		# turns it off. rmmod wirebox_nf under traffic flipped the
		# LOCAL_IN key and a vCPU receiving a frame trapped on a stale
		# int3 in ip_local_deliver() (wirebox-modorder.sh, 6.12,
		# 2026-12-03). An empty inet table in the init netns with a
		# chain at each of the five points holds every IPv4 and IPv6
		# key on for the whole run; no test runs in the init netns.
		echo 'command -v nft >/dev/null && nft -f - <<EOF || echo "vm-run: note: no nft table: the netfilter hook keys may flip"'
		echo 'table inet wb_vm_keys {'
		for h in prerouting input forward output postrouting; do
			echo "	chain $h { type filter hook $h priority 0; }"
		done
		echo '}'
		echo 'EOF'
	fi
	if [ "$DEBUG" = 1 ]; then
		# leaks from boot are not ours: forget them, scan after the run
		echo 'KML=/sys/kernel/debug/kmemleak'
		echo '[ -w $KML ] && echo clear >$KML'
		# fault injection (fail-nth): any allocation may fail, quietly
		echo 'for f in failslab fail_page_alloc; do'
		echo '	echo N >/sys/kernel/debug/$f/ignore-gfp-wait'
		echo '	echo 0 >/sys/kernel/debug/$f/verbose'
		echo 'done 2>/dev/null'
	fi
	if [ "$LOAD" = 1 ]; then
		echo 'for ko in "$WB_MODDIR"/*/*.ko; do'
		# insmod does not load dependencies (wirebox_nf: nf_reject_*)
		echo '	for d in $(modinfo -F depends "$ko" | tr , " "); do modprobe "$d"; done'
		echo '	insmod "$ko" || { echo "vm-run: insmod $ko failed"; exit 125; }'
		echo 'done'
	fi
	printf '%q ' "$@"
	echo
	echo 'rc=$?'
	if [ "$DEBUG" = 1 ]; then
		# two scans: an object must stay unreferenced across both
		echo 'if [ -w $KML ]; then'
		echo '	echo scan >$KML; sleep 6; echo scan >$KML'
		echo '	cat $KML >"$WB_OUTDIR/kmemleak.log"'
		echo 'fi'
	fi
	echo 'echo $rc >"$WB_OUTDIR/.rc"'
	echo 'exit $rc'
} >"$GUEST"
chmod +x "$GUEST"

# loglevel=5: warnings and worse reach the (slow, serial) console and its
# scan below; info lines (wirebox_nf's trace: thousands a second) stay in
# the ring buffer for dmesg, or they would throttle the whole guest
APPEND="panic=-1 oops=panic softlockup_panic=1 loglevel=5"
# slub_debug=A marks the wirebox_ct cache for failslab's cache-filter (a
# cache's failslab flag is read-only in sysfs): wbnic-faults.sh fails
# conntrack entries alone with it
[ "$DEBUG" = 1 ] && APPEND+=" panic_on_warn=1 slub_debug=A,wirebox_ct"
APPEND+=${WB_VM_APPEND:+ $WB_VM_APPEND}
args=(--run "$KIMG" --force-9p --verbose --memory "${WB_VM_MEMORY:-2G}" --cpus 2
      --rwdir "/tmp/wb-out=$OUTDIR" --append "$APPEND")
if ! use_kvm; then
	# TCG's default CPU has no RDRAND: the crng would only become ready
	# a minute into the run, and its static key flips while the tests
	# run; a cross-CPU text poke under TCG can then trap on a stale int3
	# ("Oops: int3" in get_random_u64). With RDRAND it is ready at boot.
	args+=(--disable-kvm "--qemu-opts=-cpu qemu64,+rdrand"
	       --append "random.trust_cpu=on")
fi

# vng runs from a copy of its python package under OUTDIR (PYTHONPATH; the
# guest sees the host's root, so the copy's virtme-init is there for it),
# patched where the stock one costs us:
# - the root 9p mount gets cache=loose (vng mounts it with no cache, so
#   every path lookup and every page of every binary and library a test
#   runs is a round trip to the host): the guest cannot write the root,
#   and the host does not change the tree during a run. Five tests took
#   285 s without, 174 s with it (6.12, one VM, 2026-12-03). The debug
#   kernel, which has 9p built in, boots without an initramfs and mounts
#   the root from vng's rootflags=, patched the same way.
#   WB_VM_9P_CACHE=0: the stock mount.
# - the debug kernel: virtme-init waits for udev's coldplug with a bare
#   `udevadm settle` (120 s) and powers off if the virtio-serial links the
#   command talks through (/dev/virtio-ports/virtme.*, made by udev) are
#   not there after it; with kmemleak under TCG the coldplug takes longer.
#   The copy makes those links itself from sysfs when settle gives up, and
#   goes on while udev finishes behind it. WB_VM_SETTLE_LINKS=0: as it is.
# A patch whose line is not found (another vng) is left out, said on stderr.
vng_copy() {
	local vpkg vinit mk run py=$OUTDIR/py

	if ! vpkg=$(/usr/bin/python3 -c 'import os, virtme; print(os.path.dirname(virtme.__file__))' 2>/dev/null) ||
	   ! { rm -rf "$py" && mkdir -p "$py" && cp -r "$vpkg" "$py/"; }; then
		echo "vm-run: note: could not copy the virtme package: vng as it is" >&2
		return 0
	fi
	mk=$py/virtme/mkinitramfs.py
	run=$py/virtme/commands/run.py
	if [ "${WB_VM_9P_CACHE:-1}" = 0 ]; then
		:
	elif [ "$DEBUG" = 1 ]; then
		# the debug kernel has 9p built in: no initramfs, the kernel
		# mounts the root itself with vng's rootflags=
		if [ "$(grep -c '"rootflags=version=9p2000.L,trans=virtio,access=any",' "$run")" = 1 ]; then
			sed -i 's|"rootflags=version=9p2000.L,trans=virtio,access=any",|"rootflags=version=9p2000.L,trans=virtio,access=any,cache=loose",|' "$run"
		else
			echo "vm-run: note: $vpkg/commands/run.py has no 9p rootflags line: the root without cache" >&2
		fi
	elif [ "$(grep -c 'access=any /dev/root /newroot/' "$mk")" = 1 ]; then
		sed -i 's|access=any /dev/root /newroot/|access=any,cache=loose /dev/root /newroot/|' "$mk"
	else
		echo "vm-run: note: $vpkg/mkinitramfs.py has no 9p root mount line: the root without cache" >&2
	fi
	vinit=$py/virtme/guest/virtme-init
	if [ "$DEBUG" = 1 ] && [ "${WB_VM_SETTLE_LINKS:-1}" != 0 ]; then
		if [ "$(grep -c '^    udevadm settle$' "$vinit")" = 1 ]; then
			awk '$0 == "    udevadm settle" {
				print "    udevadm settle || log \"udev is still busy: linking the virtio ports from sysfs\""
				print "    mkdir -p /dev/virtio-ports"
				print "    for p in /sys/class/virtio-ports/vport*; do"
				print "        n=$(cat \"$p/name\" 2>/dev/null)"
				print "        [[ -n $n && ! -e /dev/virtio-ports/$n ]] && ln -s \"../${p##*/}\" \"/dev/virtio-ports/$n\""
				print "    done"
				next } { print }' "$vpkg/guest/virtme-init" >"$vinit"
		else
			echo "vm-run: note: $vpkg/guest/virtme-init has no bare 'udevadm settle' line: booting it as it is" >&2
		fi
	fi
	export PYTHONPATH=$py${PYTHONPATH:+:$PYTHONPATH}
}
vng_copy

boot() {
	rm -f "$OUTDIR/.rc" "$OUTDIR/.started" "$OUTDIR"/kmemleak*.log
	if [ "$INTERACTIVE" = 1 ]; then
		timeout --foreground -k 15 "$LIMIT" vng "${args[@]}" \
			--exec "$GUEST" 2>"$CONSOLE"
	else
		timeout -k 15 "$LIMIT" vng "${args[@]}" --exec "$GUEST" \
			</dev/null 2>"$CONSOLE"
	fi
}

# A kernel that dies while booting, before the guest script ran (so before
# any wirebox module was loaded), is booted again, at most WB_VM_BOOTS
# times in all. Under TCG the stock kernels occasionally trap on a stale
# int3 when a static key is patched at boot while the other vCPU runs the
# site ("Oops: int3" in sched_clock_cpu when sched_clock is marked stable):
# an emulator fault, not a test result. The failed boot's console is kept
# as console-boot-N.log and its first report line is printed. A guest that
# timed out is not booted again.
tries=${WB_VM_BOOTS:-3}
n=1
while :; do
	boot
	rc=$?
	[ -e "$OUTDIR/.started" ] || [ "$rc" = 124 ] || [ "$rc" = 137 ] ||
		[ "$n" -ge "$tries" ] && break
	cp "$CONSOLE" "$OUTDIR/console-boot-$n.log"
	echo "vm-run: note: the kernel ($KVER) died while booting, before the guest ran (boot $n of at most $tries): booting again; console: $OUTDIR/console-boot-$n.log" >&2
	grep -m3 -E 'Oops|BUG:|Kernel panic|RIP:' "$CONSOLE" | sed 's/^/vm-run: | /' >&2
	n=$((n + 1))
done
# the command's own status, if it got to return one
cmd_rc=$(cat "$OUTDIR/.rc" 2>/dev/null)

report() {
	grep -n -m1 -E "$1" "$CONSOLE" | cut -d: -f1
}

PATTERN='Kernel panic|BUG:|WARNING:|Oops|general protection fault|'
PATTERN+='possible recursive locking|possible circular locking|'
PATTERN+='suspicious RCU usage|UBSAN:|KASAN:|unreferenced object|'
PATTERN+='rcu_sched self-detected stall|blocked for more than|'
PATTERN+='unregister_netdevice: waiting for|hw csum failure'
line=$(report "$PATTERN")

if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
	echo "vm-run: guest ($KVER) timed out after ${LIMIT}s; console: $CONSOLE" >&2
	tail -n 30 "$CONSOLE" | sed 's/^/vm-run: | /' >&2
	exit 124
fi
if [ -n "$line" ]; then
	echo "vm-run: kernel ($KVER) reported a problem; console: $CONSOLE" >&2
	sed -n "$((line > 5 ? line - 5 : 1)),$((line + 40))p" "$CONSOLE" |
		sed 's/^/vm-run: | /' >&2
	exit 125
fi
# kmemleak: a leak whose allocation backtrace runs through wirebox code
# fails the run: a frame that names it, or a frame in a module that is
# gone (printed as a bare address: the tests unload only wirebox modules);
# others (the core under fault injection, say) are reported.
if [ -s "$OUTDIR/kmemleak.log" ]; then
	awk -v RS='unreferenced object' 'NR > 1 &&
		/wirebox|wbpair|wbnic|wbnf|\] 0xffffffff[0-9a-f]+\n/ {
		print "unreferenced object" $0 }' "$OUTDIR/kmemleak.log" \
		>"$OUTDIR/kmemleak-wirebox.log"
	n=$(grep -c 'unreferenced object' "$OUTDIR/kmemleak.log")
	if [ -s "$OUTDIR/kmemleak-wirebox.log" ]; then
		echo "vm-run: kmemleak: wirebox leaked ($KVER); report: $OUTDIR/kmemleak.log" >&2
		head -n 60 "$OUTDIR/kmemleak-wirebox.log" | sed 's/^/vm-run: | /' >&2
		exit 125
	fi
	echo "vm-run: note: kmemleak reports $n object(s) outside wirebox code: $OUTDIR/kmemleak.log" >&2
fi
if [ -z "$cmd_rc" ]; then
	echo "vm-run: guest ($KVER) died before the command returned (vng exit $rc); console: $CONSOLE" >&2
	tail -n 30 "$CONSOLE" | sed 's/^/vm-run: | /' >&2
	exit 125
fi
exit "$cmd_rc"
