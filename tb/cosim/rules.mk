# Cosim: one lock-step program per RTL block, build/cosim/bin/cosim_<block>, from
# tb/cosim/blk_<block>.cpp + tb/cosim/cosim.cpp, with rtl/<block>.v Verilated as its top and the
# C model (libhwmodel.a of the current profile) linked in. A block gets a cosim by adding its
# blk_<block>.cpp; nothing here names blocks.
#
# Verilator 5.006 flags (DESIGN.md section 6): --x-assign unique --x-initial unique (random
# reset values, seeded by the program's --seed, catch registers the RTL forgets to reset);
# --trace-fst compiled in but dumped only for a window around a mismatch; the C++ built with
# OPT_FAST=-O3; no threads. Under SAN=1 the C model library is instrumented and the sanitizer
# runtimes are linked, but the Verilated C++ is not (verilated.h itself trips UBSan).
# COSIM_COV=1 (make coverage) builds the same programs with line and toggle coverage into
# $(B)/cov instead.
ifeq ($(COSIM_COV),1)
COSIM_DIR     := $(B)/cov
COSIM_COVFLAG := --coverage-line --coverage-toggle
else
COSIM_DIR     := $(B)/cosim
COSIM_COVFLAG :=
endif
COSIM_BLOCKS  := $(patsubst tb/cosim/blk_%.cpp,%,$(wildcard tb/cosim/blk_*.cpp))
COSIM_BINS    := $(patsubst %,$(COSIM_DIR)/bin/cosim_%,$(COSIM_BLOCKS))
COSIM_CXXFLAGS = -std=c++17 -I$(abspath tb/cosim) -I$(abspath hwmodel) \
                 -I$(abspath hwmodel/include)
COSIM_VFLAGS  := --cc --exe --build -j 2 --trace-fst --x-assign unique --x-initial unique \
                 -Wno-fatal -O3 --MAKEFLAGS OPT_FAST=-O3 $(COSIM_COVFLAG)
COSIM_SHORT_CYCLES ?= 20000

$(COSIM_DIR)/bin/cosim_%: tb/cosim/blk_%.cpp tb/cosim/cosim.cpp tb/cosim/cosim.h $(RTL_PKG) $(RTL_SRCS) \
                          $(hwmodel_LIB)
	@mkdir -p $(@D) $(COSIM_DIR)/$*
	$(VERILATOR) $(COSIM_VFLAGS) --top-module $* -Mdir $(COSIM_DIR)/$* \
	  -CFLAGS "$(COSIM_CXXFLAGS)" \
	  -LDFLAGS "$(abspath $(hwmodel_LIB)) -lcrypto $(LDSAN)" \
	  -o $(abspath $@) $(abspath $(RTL_PKG) $(RTL_SRCS)) $(abspath tb/cosim/blk_$*.cpp tb/cosim/cosim.cpp) \
	  > $(COSIM_DIR)/$*/build.log 2>&1 || { tail -30 $(COSIM_DIR)/$*/build.log; exit 1; }

.PHONY: cosim-build cosim-short
cosim-build: $(COSIM_BINS)

# The short cosim of `make test`: every block, fixed seed, a few thousand cycles each; then the
# top-level cosim on 3000 generated packets. (The top target is defined below.)
COSIM_SHORT_PACKETS ?= 3000
cosim-short: $(COSIM_BINS) $(COSIM_DIR)/bin/cosim_top
	@for b in $(COSIM_BLOCKS); do \
	  $(COSIM_DIR)/bin/cosim_$$b --seed 1 --cycles $(COSIM_SHORT_CYCLES) || exit 1; \
	done
	@$(COSIM_DIR)/bin/cosim_top --seed 1 --packets $(COSIM_SHORT_PACKETS)

# The top-level cosim: rtl/crypto_top.v against the C model through the DUT interface, driven by
# the stimulus runner (tb/stim) with the card's firmware on the RTL's CSR bus.
COSIM_TOP      := $(COSIM_DIR)/bin/cosim_top
COSIM_TOP_SRCS := tb/cosim/top.cpp tb/cosim/dut_rtl.cpp tb/cosim/cosim.cpp
COSIM_TOP_LIBS := $(stim_LIB) $(dut_LIB) $(hostdrv_LIB) $(hwmodel_LIB) $(firmware_LIB) $(golden_LIB)
COSIM_TOP_INCS := $(foreach d,tb/dut tb/stim tb/golden host-driver firmware,-I$(abspath $(d)))

$(COSIM_TOP): $(COSIM_TOP_SRCS) tb/cosim/cosim.h tb/cosim/dut_rtl.h $(RTL_PKG) $(RTL_SRCS) \
              $(COSIM_TOP_LIBS)
	@mkdir -p $(@D) $(COSIM_DIR)/top
	$(VERILATOR) $(COSIM_VFLAGS) --top-module crypto_top -Mdir $(COSIM_DIR)/top \
	  -CFLAGS "$(COSIM_CXXFLAGS) $(COSIM_TOP_INCS)" \
	  -LDFLAGS "$(abspath $(COSIM_TOP_LIBS)) $(PKG_LIBS) $(LDSAN)" \
	  -o $(abspath $@) $(abspath $(RTL_PKG) $(RTL_SRCS) $(COSIM_TOP_SRCS)) \
	  > $(COSIM_DIR)/top/build.log 2>&1 || { tail -30 $(COSIM_DIR)/top/build.log; exit 1; }
cosim-build: $(COSIM_TOP)

# make cosim SEED=n PACKETS=n: every block's lock-step with the seed, then the top-level cosim
# (model vs RTL, per transaction) on a generated stimulus of PACKETS packets. The last line is
# the top's "N packets, N cycles, 0 mismatches".
SEED    ?= 1
PACKETS ?= 2000
.PHONY: cosim cosim-only coverage coverage-only
cosim:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$$(nproc) cosim-only
cosim-only: $(COSIM_BINS) $(COSIM_TOP)
	@for b in $(COSIM_BLOCKS); do $(COSIM_DIR)/bin/cosim_$$b --seed $(SEED) || exit 1; done
	@$(COSIM_TOP) --seed $(SEED) --packets $(PACKETS)

# make coverage: the cosim programs built with line and toggle coverage (build/cov), run on a
# few seeds, merged; build/cov/report.txt has the totals per file and every point never hit.
coverage:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory -j$$(nproc) COSIM_COV=1 coverage-only
coverage-only: $(COSIM_BINS) $(COSIM_TOP)
	@bash tb/cosim/coverage.sh $(COSIM_DIR)

# Benchmarks (make bench): tb/cosim/bench_<block>.cpp with rtl/<block>.v Verilated as in a
# product build (no tracing, no random reset, C++ at -O3) against the C model on the same
# stimulus; each writes $(B)/bench-<block>.json.
COSIM_BENCHES := $(patsubst tb/cosim/bench_%.cpp,$(B)/cosim/bin/bench_%,$(wildcard tb/cosim/bench_*.cpp))
COSIM_BENCH_VFLAGS := --cc --exe --build -j 2 -O3 --x-assign fast --x-initial fast -Wno-fatal \
                      --MAKEFLAGS OPT_FAST=-O3
$(B)/cosim/bin/bench_%: tb/cosim/bench_%.cpp $(RTL_PKG) $(RTL_SRCS) $(hwmodel_LIB)
	@mkdir -p $(@D) $(B)/cosim/bench_$*
	$(VERILATOR) $(COSIM_BENCH_VFLAGS) --top-module $* -Mdir $(B)/cosim/bench_$* \
	  -CFLAGS "$(COSIM_CXXFLAGS)" -LDFLAGS "$(abspath $(hwmodel_LIB)) -lcrypto" \
	  -o $(abspath $@) $(abspath $(RTL_PKG) $(RTL_SRCS) tb/cosim/bench_$*.cpp) \
	  > $(B)/cosim/bench_$*/build.log 2>&1 || { tail -30 $(B)/cosim/bench_$*/build.log; exit 1; }
bench-only: $(COSIM_BENCHES)
BENCH_MORE += $(COSIM_BENCHES)
