# portmap — build, test, install.  `make help` lists the targets.
# Each tool is cmd/<tool>/*.cpp linked against build/libportmap.a (lib/**/*.cpp).
# BUILD selects the output directory, so parallel work trees do not collide.

BUILD    ?= build
# Compile in parallel by default (a plain `make check` on CI uses every core).
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc)
endif
PREFIX   ?= /usr/local
DESTDIR  ?=
SBINDIR  ?= $(PREFIX)/sbin
LIBEXECDIR ?= $(PREFIX)/libexec/portmap
MANDIR   ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

CXX      ?= g++
CXXFLAGS ?= -O2 -g
CXXFLAGS += -std=c++20 -Wall -Wextra -Wno-missing-field-initializers -MMD -MP
CPPFLAGS += -Ilib -DPORTMAP_VERSION='"$(VERSION)"' $(shell pkg-config --cflags libnl-3.0 libnl-route-3.0 2>/dev/null)
LDFLAGS  += -Wl,--as-needed
LDLIBS   += -lpthread
# libnl and fmt are linked in: loading and relocating shared libraries was a
# fixed part of every run's start-up (bench/30-netns.sh).  libnl-route's link,
# qdisc, class, classifier and action types register themselves from
# constructors.  Only the types portmap makes are linked: NL_TYPES names one
# function of each, so each tool has all five, whichever it calls.  The whole
# archive ran ~60 more constructors in every run, for bonds, tunnels, ematches
# and the rest (~0.3 MB of code, and its pages faulted in: ~0.2 ms over a
# lifecycle).  Every tc type list must hold at least one type: libnl walks
# them uninitialised otherwise (a crash parsing a qdisc dump).  fmt's compiled
# part is lib/output/fmt_impl.cpp.  libnl's three name lookups through NSS go to
# the stand-ins of lib/nl/no_name_lookups.cpp (linked as an object, so that it
# is there whatever the order of archives).
NL_TYPES := rtnl_link_veth_alloc rtnl_u32_add_key rtnl_mirred_set_action rtnl_htb_set_rate rtnl_qdisc_fq_codel_set_flows
NL_WRAP  := -Wl,--wrap=getaddrinfo,--wrap=getprotobyname,--wrap=getprotobynumber $(BUILD)/lib/nl/no_name_lookups.o
NL_LIBS  := $(NL_WRAP) $(NL_TYPES:%=-Wl,--undefined=%) -l:libnl-route-3.a -l:libnl-3.a -lm
LDLIBS_pm-netns += $(NL_LIBS)
LDLIBS_pm-tc    += $(NL_LIBS)
LDLIBS_pm-stats += $(NL_LIBS)
# pm-stats --listen uses Debian's cpp-httplib (a shared library): compile its one
# user with the library's own defines so the class layouts match.  Loading it
# (with OpenSSL, zlib, brotli) cost every pm-stats run ~3.5 ms, so only the server
# program links it: pm-stats --listen execs $(LIBEXECDIR)/pm-stats-listen
# (cmd/pm-stats/listen), found relative to pm-stats itself (bench/60-stats.sh).
$(BUILD)/lib/stats/http_server.o: CPPFLAGS += $(shell pkg-config --cflags cpp-httplib 2>/dev/null)
$(BUILD)/lib/stats/listen_exec.o: CPPFLAGS += -DPM_LIBEXECDIR='"$(LIBEXECDIR)"'
STATS_LISTEN := $(BUILD)/libexec/portmap/pm-stats-listen
# The tools are linked statically: each runs once per container operation (or,
# pm-rlimit-exec, in front of every task), and the dynamic loader (mapping and
# relocating libc and libm) was a fixed ~0.5 ms of every run.  Not as static
# PIEs, which relocate themselves: ~0.25 ms more per run, 1.5 ms over a
# container's lifecycle of six runs (bench/70-lifecycle.sh).  The price of
# plain -static: its start files register the unwind tables in a list that the
# first thrown exception sorts, ~2.5 ms on an error exit, --help or --version
# (normal runs throw nothing); and no ASLR for the tools' own code.  A
# packager can choose TOOL_LINK=-static-pie, or '-static-libstdc++
# -static-libgcc' for shared libc.  The unit tests and pm-stats-listen stay
# dynamic: gtest and cpp-httplib are built against the shared libraries.
TOOL_LINK   ?= -static
TOOL_LDLIBS := $(TOOL_LINK)
# The tools are linked by lld with the functions of their everyday runs (a
# container's lifecycle, pm-stats --json, pm-rlimit-exec before its exec) laid
# out first and together (cmd/TOOL/hot-functions.txt, written by
# scripts/hot-functions; hence -ffunction-sections, so that each of portmap's
# own functions can move).  A run then faults in a few pages of code instead of
# touching pages from all over the binary, each fault costing microseconds
# under virtualisation: lifecycle 11.2 -> 10.4 ms (bench/70-lifecycle.sh; same
# objects, lld with and without the lists).  TOOL_LD= links with the default
# linker, unordered.
TOOL_LD     ?= lld
CXXFLAGS    += -ffunction-sections
hot_list     = $(wildcard cmd/$(1)/hot-functions.txt)
order_flags  = -fuse-ld=$(TOOL_LD) -Wl,--symbol-ordering-file=$(1) -Wl,--no-warn-symbol-ordering
tool_order   = $(if $(TOOL_LD),$(foreach list,$(call hot_list,$(1)),$(call order_flags,$(list))))

LIB_SRCS := $(shell find lib -name '*.cpp' | sort)
LIB_OBJS := $(LIB_SRCS:%.cpp=$(BUILD)/%.o)
LIBRARY  := $(BUILD)/libportmap.a
TOOLS    := $(notdir $(shell find cmd -mindepth 1 -maxdepth 1 -type d | sort))
TOOL_BINS := $(TOOLS:%=$(BUILD)/%)
SCRIPT_TOOLS := $(wildcard scripts/pm-run scripts/pm-gc)
UNIT_SRCS := $(wildcard tests/unit/*.cpp)
UNIT_OBJS := $(UNIT_SRCS:%.cpp=$(BUILD)/%.o)
UNIT_BIN  := $(BUILD)/unit-tests
DEPS_STAMP := $(BUILD)/.deps-ok

.PHONY: all deps check unit bats vm-test leak-check bench demo install uninstall clean help
all: $(TOOL_BINS) $(STATS_LISTEN)

# Install missing Debian packages once per build dir (re-checked when the script changes).
$(DEPS_STAMP): scripts/install-deps
	@mkdir -p $(BUILD)
	@scripts/install-deps --check >/dev/null 2>&1 || scripts/install-deps
	@touch $@
deps: $(DEPS_STAMP)

$(BUILD)/%.o: %.cpp | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -c $< -o $@

$(LIBRARY): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# One link rule per tool: $(BUILD)/TOOL from cmd/TOOL/*.cpp and the library.
define TOOL_RULE
$(BUILD)/$(1): $(patsubst %.cpp,$(BUILD)/%.o,$(wildcard cmd/$(1)/*.cpp)) $(LIBRARY) $(call hot_list,$(1))
	$$(CXX) $$(LDFLAGS) $$(call tool_order,$(1)) -o $$@ $$(filter %.o,$$^) $(LIBRARY) $$(LDLIBS) $$(TOOL_LDLIBS) $$(LDLIBS_$(1))
endef
$(foreach t,$(TOOLS),$(eval $(call TOOL_RULE,$(t))))

$(STATS_LISTEN): $(BUILD)/cmd/pm-stats/listen/main.o $(BUILD)/cmd/pm-stats/cli.o $(LIBRARY)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBRARY) $(NL_LIBS) $(LDLIBS) $(shell pkg-config --libs cpp-httplib 2>/dev/null)

$(UNIT_BIN): $(UNIT_OBJS) $(LIBRARY)
	$(CXX) $(LDFLAGS) -o $@ $(UNIT_OBJS) $(LIBRARY) $(NL_LIBS) $(LDLIBS) -lgtest -lgtest_main

# `make check`: unit tests, the Bats suite (real kernel, as root), the stock-kernel
# lane under qemu, then a leak check.  Stops at the first failing stage.
check: all $(UNIT_BIN)
	$(UNIT_BIN)
	PM_BUILD=$(abspath $(BUILD)) bats --print-output-on-failure tests/bats
	@if [ -x scripts/vm-test ]; then PM_BUILD=$(abspath $(BUILD)) scripts/vm-test; fi
	PM_BUILD=$(abspath $(BUILD)) tests/leak-check

unit: $(UNIT_BIN)
	$(UNIT_BIN)

# `make bats T=tests/bats/010-alloc.bats` runs one file.
T ?= tests/bats
bats: all
	PM_BUILD=$(abspath $(BUILD)) bats --print-output-on-failure $(T)

vm-test: all
	PM_BUILD=$(abspath $(BUILD)) scripts/vm-test

leak-check:
	PM_BUILD=$(abspath $(BUILD)) tests/leak-check

bench: all
	PM_BUILD=$(abspath $(BUILD)) bench/run

demo: all
	PM_BUILD=$(abspath $(BUILD)) scripts/demo

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man7 \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 0755 $(TOOL_BINS) $(SCRIPT_TOOLS) $(DESTDIR)$(SBINDIR)/
	install -D -m 0755 $(STATS_LISTEN) $(DESTDIR)$(LIBEXECDIR)/$(notdir $(STATS_LISTEN))
	install -m 0644 $(wildcard man/*.8) $(DESTDIR)$(MANDIR)/man8/
	$(if $(wildcard man/*.7),install -m 0644 $(wildcard man/*.7) $(DESTDIR)$(MANDIR)/man7/)
	install -m 0644 $(wildcard completions/bash/*) $(DESTDIR)$(BASHCOMPDIR)/
	install -m 0644 $(wildcard completions/zsh/*) $(DESTDIR)$(ZSHCOMPDIR)/
	install -m 0644 $(wildcard completions/fish/*) $(DESTDIR)$(FISHCOMPDIR)/
	$(if $(wildcard scripts/portmap.tmpfiles),install -D -m 0644 scripts/portmap.tmpfiles $(DESTDIR)$(TMPFILESDIR)/portmap.conf)

uninstall:
	rm -f $(addprefix $(DESTDIR)$(SBINDIR)/,$(TOOLS) $(notdir $(SCRIPT_TOOLS)))
	rm -f $(DESTDIR)$(LIBEXECDIR)/$(notdir $(STATS_LISTEN))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(wildcard man/*.8)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(wildcard man/*.7)))
	rm -f $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,$(notdir $(wildcard completions/bash/*)))
	rm -f $(addprefix $(DESTDIR)$(ZSHCOMPDIR)/,$(notdir $(wildcard completions/zsh/*)))
	rm -f $(addprefix $(DESTDIR)$(FISHCOMPDIR)/,$(notdir $(wildcard completions/fish/*)))
	rm -f $(DESTDIR)$(TMPFILESDIR)/portmap.conf

clean:
	rm -rf $(BUILD)

help:
	@echo "make [all]        build the tools ($(TOOLS)) into $(BUILD)/"
	@echo "make check        unit tests + Bats suite + stock-kernel lane + leak check (root)"
	@echo "make unit | bats [T=file] | vm-test | leak-check"
	@echo "make bench        benchmarks, ratios side by side"
	@echo "make demo         the demo on a simulated host"
	@echo "make install [PREFIX=/usr/local] [DESTDIR=]; make uninstall"

-include $(LIB_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(shell find $(BUILD)/cmd -name '*.d' 2>/dev/null)
