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
	rm -f $$@; $$(AR) rcs $$@ $$^ # from scratch: a deleted source leaves no stale member
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
include hwmodel/systemc/rules.mk
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

# The default scenario in the SystemC TLM-2.0 platform (sc-run-only: hwmodel/systemc/rules.mk).
.PHONY: sc-run
sc-run:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$$(nproc) sc-run-only

VECTOR_FILES := $(wildcard vectors/cavp/*.rsp vectors/wycheproof/*.json vectors/esp/*.vec)
# every engine built into nicsim, then the Verilated RTL (GCM engine and pipeline top)
vectors: $(B)/bin/nicsim $(COSIM_DIR)/bin/cosim_gcm_engine $(COSIM_DIR)/bin/cosim_top
	$(B)/bin/nicsim vectors --engine all $(VECTOR_FILES)
	$(B)/bin/nicsim vectors --engine rtl $(VECTOR_FILES)

# Tests: the Criterion unit suite, then the CLI checks (shell, no Python).
test-only: $(BINS) $(TESTBINS)
	@$(MAKE) --no-print-directory -s lint
	@$(if $(filter 1,$(SAN)),echo "cosim: normal profile only (the Verilated C++ is not instrumented)",$(MAKE) --no-print-directory -s cosim-short)
	@$(MAKE) --no-print-directory -s test-cli
	@$(MAKE) --no-print-directory -s sc-test
	NICSIM_BIN=$(B)/bin/nicsim $(B)/bin/unit_tests --jobs 2 --timeout 300

clean:
	rm -rf build

help:
	@sed -n '2,10p' Makefile

-include $(ALL_OBJS:.o=.d)
