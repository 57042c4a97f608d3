# nicsim top-level Makefile (GNU make, non-recursive).
# Each folder's rules.mk adds its library, programs and tests; mk/ holds flags and dependency
# checks. Everything is built under build/ (build/asan/ for the sanitizer profile).
#
#   make run        check/install deps, build, run the main job on the embedded default scenario
#   make test       check/install deps, build, run every test (Criterion summary at the end)
#   make asan-test  the same tests under -fsanitize=address,undefined
#   make vectors    run the shipped conformance vectors through every engine
#   make bench      benchmarks: model vs OpenSSL, cycles per second (writes build/bench.json)
SHELL := /bin/bash
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

include mk/flags.mk
include mk/deps.mk
include mk/lint.mk

# lib_template(name, dir): build $(B)/lib/lib<name>.a from every .c directly in <dir>.
# Sources are found by wildcard so that adding a block means adding a file, nothing else.
define lib_template
$(1)_SRCS := $$(wildcard $(2)/*.c)
$(1)_OBJS := $$(patsubst %.c,$$(B)/obj/%.o,$$($(1)_SRCS))
$(1)_LIB  := $$(B)/lib/lib$(1).a
$$($(1)_LIB): $$($(1)_OBJS)
	@mkdir -p $$(@D)
	$$(AR) rcs $$@ $$^
ALL_OBJS += $$($(1)_OBJS)
endef

ALL_OBJS :=
BINS     :=
TESTBINS :=

include hwmodel/rules.mk
include host-driver/rules.mk
include firmware/rules.mk
include tb/golden/rules.mk
include tb/dut/rules.mk
include tb/stim/rules.mk
include tb/run/rules.mk
include tb/vectors/rules.mk
include tb/cli/rules.mk
include tb/tools/rules.mk
include tb/unit/rules.mk
include tb/bench/rules.mk
include tb/cosim/rules.mk

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

.PHONY: all run test test-only run-only asan-test vectors clean help
all: $(BINS) $(TESTBINS)

run:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$$(nproc) run-only

test:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$$(nproc) test-only

asan-test:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$$(nproc) SAN=1 test-only

# Until the device model exists the main job is the conformance regression on shipped vectors.
run-only: $(B)/bin/nicsim
	$(B)/bin/nicsim run

VECTOR_FILES := $(wildcard vectors/cavp/*.rsp vectors/wycheproof/*.json vectors/esp/*.vec)
vectors: $(B)/bin/nicsim
	$(B)/bin/nicsim vectors --engine all $(VECTOR_FILES)

# Tests: the Criterion unit suite, then the CLI checks (shell, no Python).
test-only: $(BINS) $(TESTBINS)
	@$(MAKE) --no-print-directory -s lint
	@$(MAKE) --no-print-directory -s cosim-short
	@$(MAKE) --no-print-directory -s test-cli
	NICSIM_BIN=$(B)/bin/nicsim $(B)/bin/unit_tests --jobs 2 --timeout 300

clean:
	rm -rf build

help:
	@sed -n '2,10p' Makefile

-include $(ALL_OBJS:.o=.d)
