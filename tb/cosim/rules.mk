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
COSIM_DIR     := $(B)/cosim
COSIM_BLOCKS  := $(patsubst tb/cosim/blk_%.cpp,%,$(wildcard tb/cosim/blk_*.cpp))
COSIM_BINS    := $(patsubst %,$(COSIM_DIR)/bin/cosim_%,$(COSIM_BLOCKS))
COSIM_CXXFLAGS = -std=c++17 -I$(abspath tb/cosim) -I$(abspath hwmodel) \
                 -I$(abspath hwmodel/include)
COSIM_VFLAGS  := --cc --exe --build -j 2 --trace-fst --x-assign unique --x-initial unique \
                 -Wno-fatal -O3 --MAKEFLAGS OPT_FAST=-O3
COSIM_SHORT_CYCLES ?= 20000

$(COSIM_DIR)/bin/cosim_%: tb/cosim/blk_%.cpp tb/cosim/cosim.cpp tb/cosim/cosim.h $(RTL_SRCS) \
                          $(hwmodel_LIB)
	@mkdir -p $(@D) $(COSIM_DIR)/$*
	$(VERILATOR) $(COSIM_VFLAGS) --top-module $* -Mdir $(COSIM_DIR)/$* \
	  -CFLAGS "$(COSIM_CXXFLAGS)" \
	  -LDFLAGS "$(abspath $(hwmodel_LIB)) -lcrypto $(LDSAN)" \
	  -o $(abspath $@) $(abspath $(RTL_SRCS)) $(abspath tb/cosim/blk_$*.cpp tb/cosim/cosim.cpp) \
	  > $(COSIM_DIR)/$*/build.log 2>&1 || { tail -30 $(COSIM_DIR)/$*/build.log; exit 1; }

.PHONY: cosim-build cosim-short
cosim-build: $(COSIM_BINS)

# The short cosim of `make test`: every block, fixed seed, a few thousand cycles each.
cosim-short: $(COSIM_BINS)
	@for b in $(COSIM_BLOCKS); do \
	  $(COSIM_DIR)/bin/cosim_$$b --seed 1 --cycles $(COSIM_SHORT_CYCLES) || exit 1; \
	done
