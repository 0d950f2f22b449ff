# SPDX-License-Identifier: GPL-2.0
#
# tbx build. `make` builds the module, the BPF objects and user space;
# `make check` runs every test tier; `make demo` runs the main job.
# Everything generated goes to build/ (O= overrides).

O        ?= $(CURDIR)/build
# O is ours, not kbuild's: keep `make O=DIR` from reaching the kernel's
# make, where O names its own output directory.
MAKEOVERRIDES := $(filter-out O=%,$(MAKEOVERRIDES))
VERSION  := $(shell cat VERSION)

# Every target but clean needs the Debian packages: install what is missing
# once, before anything below asks pkg-config or looks for kernel headers.
ifeq ($(filter clean,$(MAKECMDGOALS)),)
ifeq ($(TBX_DEPS_OK),)
ifneq ($(shell scripts/deps >&2; echo $$?),0)
$(error scripts/deps failed: see the messages above)
endif
export TBX_DEPS_OK := 1
endif
endif

# The kernel the module is built for. Default: the running kernel when its
# headers are installed, else Debian's packaged 6.1 (scripts/deps installs it).
KVER     ?= $(shell scripts/kernel-version)
KDIR     ?= /lib/modules/$(KVER)/build
MODDIR    = $(O)/module/$(KVER)

CC       ?= gcc
CLANG    ?= clang
BPFTOOL  ?= bpftool
PKGS      = libmnl libbpf sqlite3 libmicrohttpd jansson libxml-2.0 zlib \
            libpcap libnl-3.0 libnl-route-3.0 yaml-0.1 gnutls
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
            -Wshadow -Wformat=2 -D_GNU_SOURCE -DTBX_VERSION='"$(VERSION)"' \
            -Iinclude/uapi -Iinclude -Iuser/lib -I$(O) \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# --as-needed: each program loads only the libraries it uses (start-up
# time matters in the VM, where every library comes over 9p).
LDFLAGS  += -Wl,--as-needed
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lbz2 -lelf -lz -lm -lpthread

LIB_SRC   = $(wildcard user/lib/*.c user/lib/*/*.c)
TBX_SRC   = $(wildcard user/tbx/*.c)
TBXD_SRC  = $(filter-out user/tbxd/main.c,$(wildcard user/tbxd/*.c))
BPF_SRC   = $(wildcard bpf/*.bpf.c)
UNIT_SRC  = $(wildcard selftests/unit/test_*.c)
HOSTT_SRC = $(wildcard selftests/bpf/*.c)
TOOLS_SRC = $(wildcard selftests/tools/*.c)

LIB_OBJ   = $(LIB_SRC:%.c=$(O)/%.o)
TBX_OBJ   = $(TBX_SRC:%.c=$(O)/%.o)
TBXD_OBJ  = $(TBXD_SRC:%.c=$(O)/%.o)
BPF_OBJ   = $(BPF_SRC:bpf/%.bpf.c=$(O)/bpf/%.bpf.o)
BPF_SKEL  = $(BPF_SRC:bpf/%.bpf.c=$(O)/bpf/%.skel.h)
UNIT_BIN  = $(UNIT_SRC:selftests/unit/%.c=$(O)/tests/%)
HOSTT_BIN = $(HOSTT_SRC:selftests/bpf/%.c=$(O)/tests/bpf/%)
TOOLS_BIN = $(TOOLS_SRC:selftests/tools/%.c=$(O)/tests/tools/%)
HDRS      = $(wildcard selftests/unit/*.h selftests/bpf/*.h selftests/tools/*.h include/*/*.h include/uapi/linux/*.h user/lib/*.h user/lib/*/*.h user/tbx/*.h user/tbxd/*.h)

.PHONY: all deps module bpf user tc tests clean check check-unit check-bpf \
        check-vm check-debug check-loaded debug-kernel demo install

all: module bpf user tc

# Packages are installed when the Makefile is read (above).
deps:
	@true

# --- kernel module --------------------------------------------------------
# Built in a copy of the sources under build/ so builds for several kernels
# (Debian's, the debug kernel) never share object files.
# A kernel rebuilt under the same release (the debug kernel after a config
# change) needs the module rebuilt whole: its .config is part of the key.
module: $(MODDIR)/tbx.ko
$(MODDIR)/tbx.ko: Kbuild VERSION $(wildcard kernel/*.c kernel/*.h kernel/tests/*.c) include/uapi/linux/tbx.h \
		$(wildcard $(KDIR)/.config)
	@mkdir -p $(MODDIR)
	@if [ -f $(KDIR)/.config ] && ! cmp -s $(KDIR)/.config $(MODDIR)/.kernel-config; then \
		$(MAKE) -s -C $(KDIR) M=$(MODDIR) clean >/dev/null 2>&1; \
		cp $(KDIR)/.config $(MODDIR)/.kernel-config; fi
	@cp -a -u Kbuild VERSION kernel include $(MODDIR)/
	$(MAKE) -C $(KDIR) M=$(MODDIR) modules

# --- BPF ------------------------------------------------------------------
bpf: $(BPF_OBJ) $(BPF_SKEL)
$(O)/vmlinux.h:
	@mkdir -p $(@D)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@
$(O)/bpf/%.bpf.o: bpf/%.bpf.c $(O)/vmlinux.h $(HDRS)
	@mkdir -p $(@D)
	$(CLANG) -O2 -g -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Werror \
		-Iinclude -Iinclude/uapi -I$(O) -c $< -o $@
$(O)/bpf/%.skel.h: $(O)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

# --- user space -----------------------------------------------------------
user: $(O)/tbx $(O)/tbxd
$(O)/%.o: %.c $(HDRS) $(BPF_SKEL)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@
$(O)/libtbx.a: $(LIB_OBJ)
	@rm -f $@; ar rcsP $@ $^
$(O)/libtbxd.a: $(TBXD_OBJ)
	@rm -f $@; ar rcsP $@ $^
$(O)/tbx: $(TBX_OBJ) $(O)/libtbx.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(O)/tbxd: $(O)/user/tbxd/main.o $(O)/libtbxd.a $(O)/libtbx.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The tc plug-in: position-independent copies of the libtbx files it uses.
TC_LIB_SRC = user/lib/link_opts.c user/lib/parse.c user/lib/profile.c user/lib/err.c
tc: $(O)/tc/q_tbx.so
$(O)/tc/q_tbx.so: user/tc/q_tbx.c $(TC_LIB_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -shared -o $@ $< $(TC_LIB_SRC) -lmnl

tests: $(UNIT_BIN) $(HOSTT_BIN) $(TOOLS_BIN)
$(O)/tests/%: selftests/unit/%.c $(O)/libtbxd.a $(O)/libtbx.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -Iuser/tbxd -o $@ $< $(O)/libtbxd.a $(O)/libtbx.a $(LDLIBS) -lcmocka
$(O)/tests/tools/%: selftests/tools/%.c $(O)/libtbx.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(O)/libtbx.a $(LDLIBS)
$(O)/tests/bpf/%: selftests/bpf/%.c $(O)/libtbxd.a $(O)/libtbx.a $(BPF_SKEL) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -Iuser/tbxd -o $@ $< $(O)/libtbxd.a $(O)/libtbx.a $(LDLIBS) -lcmocka

# --- tests ----------------------------------------------------------------
# check runs every tier and ends with "N passed, N failed"; the narrower
# targets run one tier each, for iteration.
check: all tests
	@scripts/check all
check-unit: user tests
	@scripts/check unit
check-bpf: bpf user tests
	@scripts/check bpf
check-vm: all tests
	@scripts/check vm
check-debug: all tests
	@scripts/check debug
# The vm and debug tiers 3 times in a row beside stress-ng --cpu 2 (about
# 2 hours): proof that no test depends on the machine's speed.
check-loaded: all tests
	@scripts/check-loaded
debug-kernel:
	@scripts/debug-kernel build

# scripts/ddos, which the demo runs, sends with selftests/tools/profile_app.
demo: all $(O)/tests/tools/profile_app
	@scripts/demo

install: all
	install -D -m 0755 $(O)/tbx $(DESTDIR)/usr/local/sbin/tbx
	install -D -m 0755 $(O)/tbxd $(DESTDIR)/usr/local/sbin/tbxd
	install -D -m 0644 $(O)/tc/q_tbx.so $(DESTDIR)/usr/lib/x86_64-linux-gnu/tc/q_tbx.so
	install -D -m 0644 $(MODDIR)/tbx.ko $(DESTDIR)/lib/modules/$(KVER)/extra/tbx.ko
	[ -n "$(DESTDIR)" ] || depmod -a $(KVER)

clean:
	rm -rf $(O)
