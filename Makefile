# SPDX-License-Identifier: GPL-2.0
#
# wirebox: build, test and demo.
#
#   make                 modules for KVER/KDIR (below), wbctl, selftests
#   make demo            install what is missing, boot a VM, show a pair at work
#   make check           install what is missing, build and test on every
#                        target kernel (6.1 and 6.12) in a VM; ends with
#                        "N passed, N failed, N skipped"
#   make check-debug     the selftests on the debug kernel (KASAN, lockdep,
#                        kmemleak; built once, cached; not in `make check`;
#                        WB_DEBUG_PART=K/N: the Kth of N slices of the list,
#                        WB_DEBUG_TESTS="a b": those tests of the list)
#   make deps            install the Debian packages (root)
#   make vm KVER=...     boot a VM with the modules loaded and open a shell
#   make install         modules to /lib/modules/KVER/extra/wirebox (+depmod),
#                        wbctl, man pages, completion under PREFIX
#                        (/usr/local), ip link plugins (root; DESTDIR=)
#   make uninstall       the reverse
#   make dkms-install    install the modules through DKMS (dkms-remove)
#   make bench           wirebox vs veth (and nf_conntrack), ratios measured
#                        in one VM boot per kernel: build/bench/results.md
#                        (WB_KVERS, WB_BENCH_ROUNDS)
#   make htmldocs        Documentation/ with Sphinx into build/htmldocs
#                        (any warning fails)
#
# Which kernels `make` builds for:
#   KDIR=/path/to/build  that tree only
#   KVER=6.12.x-amd64    /lib/modules/KVER/build only
#   neither              the running kernel if its headers exist, else every
#                        kernel whose headers are in /lib/modules/*/build
# W=1 and C=1 (sparse) pass through to kbuild. Objects go to build/KRELEASE/.

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

ifneq ($(KDIR),)
KDIRS := $(KDIR)
else ifneq ($(KVER),)
KDIRS := /lib/modules/$(KVER)/build
else
RUNNING := /lib/modules/$(shell uname -r)/build
KDIRS := $(if $(wildcard $(RUNNING)/Makefile),$(RUNNING),\
	   $(patsubst %/Makefile,%,$(wildcard /lib/modules/*/build/Makefile)))
endif

KBUILD_ARGS := $(if $(W),W=$(W)) $(if $(C),C=$(C))

all: modules userspace selftests

modules:
	@test -n "$(strip $(KDIRS))" || \
		{ echo "No kernel headers found: run 'make deps' or pass KDIR=" >&2; exit 1; }
	@set -e; for k in $(KDIRS); do $(ROOT)/tools/kbuild.sh $$k $(KBUILD_ARGS); done

userspace:
	$(MAKE) -C userspace
	$(MAKE) -C userspace/iproute2

selftests:
	$(MAKE) -C selftests

deps:
	$(ROOT)/tools/deps.sh

check:
	$(ROOT)/tools/check.sh

check-debug:
	WB_DEBUG=1 WB_PROD=0 $(ROOT)/tools/check.sh

demo:
	$(ROOT)/tools/demo.sh

vm: modules userspace
	$(ROOT)/tools/vm-run.sh $(if $(KVER),-k $(KVER)) -t 86400 -i

install: modules userspace
	$(ROOT)/tools/install.sh install $(KDIRS)

uninstall:
	$(ROOT)/tools/install.sh uninstall $(KDIRS)

dkms-install:
	$(ROOT)/tools/dkms.sh install

dkms-remove:
	$(ROOT)/tools/dkms.sh remove

htmldocs:
	$(ROOT)/tools/docs-check.sh

bench:
	$(ROOT)/tools/bench/bench.sh

clean:
	rm -rf build
	$(MAKE) -C userspace clean
	$(MAKE) -C userspace/iproute2 clean
	$(MAKE) -C selftests clean

.PHONY: all modules userspace selftests deps check check-debug demo vm install \
	uninstall dkms-install dkms-remove htmldocs bench clean
