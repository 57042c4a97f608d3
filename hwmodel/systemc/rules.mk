# SystemC TLM-2.0 virtual platform (hwmodel/systemc/): build/bin/nicsim_sc and its tests.
#   make sc-run    build and run the default scenario in the platform (top Makefile: deps, then
#                  sc-run-only)
#   make sc-test   the platform's outputs against `nicsim run` (cmp), TLM error responses
#   make sc-bench  pure C vs SystemC packets/s on the default scenario -> $(B)/bench-sc.json
# C++ stays thin: the device is the C model (libhwmodel.a); SystemC and Verilator headers are
# -isystem so the project's -Werror applies to our code only.
CXX ?= c++
SC_CXXSTD  := -std=c++17
SC_WARN    := -Wall -Wextra -Werror
SC_INCDIR := $(shell pkg-config --variable=includedir systemc 2>/dev/null)
SC_INC     := $(if $(filter-out /usr/include,$(SC_INCDIR)),-isystem $(SC_INCDIR))
SC_LIBS     = $(shell pkg-config --libs systemc 2>/dev/null || echo -lsystemc) -lpthread
CXXFLAGS_SC = $(SC_CXXSTD) -D_DEFAULT_SOURCE -Ihwmodel/systemc -Itb/golden -Itb/vectors \
              -Itb/dut -Itb/run -Ihost-driver -Ihwmodel -Ihwmodel/include $(SC_INC) $(SC_WARN) \
              $(OPT) -MMD -MP $(PKG_CFLAGS) $(EXTRA_CXXFLAGS)
# The unchanged `nicsim run` testbench reaches the platform through these (platform.cpp).
SC_WRAP    := -Wl,--wrap=nic_run_until -Wl,--wrap=nic_wire_rx -Wl,--wrap=nic_set_wire_tx

# Mixed abstraction: with rtl/gcm_engine.v present, the platform links its Verilated SystemC
# model (verilator --sc, modules found in rtl/ by name) and --rtl-gcm works; without it,
# rtl_gcm_none.cpp makes --rtl-gcm a one-line error. NICSIM_SC_RTL=0 forces the latter.
NICSIM_SC_RTL ?= 1
SC_RTL_TOP := $(if $(filter-out 0,$(NICSIM_SC_RTL)),$(wildcard rtl/gcm_engine.v))
SC_VDIR    := $(B)/verilated_sc/gcm_engine
SC_VLT_INC := $(shell verilator --getenv VERILATOR_ROOT 2>/dev/null)/include
ifneq ($(SC_RTL_TOP),)
SC_COMMON  := nic_tlm host_mem_tlm wire_tlm platform rtl_gcm
SC_VLIB    := $(SC_VDIR)/Vgcm_engine__ALL.a $(SC_VDIR)/verilated.o $(SC_VDIR)/verilated_threads.o
else
SC_COMMON  := nic_tlm host_mem_tlm wire_tlm platform rtl_gcm_none
SC_VLIB    :=
endif
SC_OBJS    := $(patsubst %,$(B)/obj/hwmodel/systemc/%.o,$(SC_COMMON))
SC_MAIN_O  := $(B)/obj/hwmodel/systemc/nicsim_sc.o
SC_TEST_O  := $(B)/obj/hwmodel/systemc/test_tlm.o
ALL_OBJS   += $(SC_OBJS) $(SC_MAIN_O) $(SC_TEST_O)
SC_LINK    := $(B)/obj/tb/cli/cmd_run.o $(NICSIM_LIBS)

$(B)/obj/hwmodel/systemc/%.o: hwmodel/systemc/%.cpp
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS_SC) -c $< -o $@

# verilator --sc, then the generated C++ (OPT_FAST -O2: a small block, built quickly)
$(SC_VDIR)/Vgcm_engine.h: $(wildcard rtl/*.v)
	@mkdir -p $(@D)
	verilator --sc -O3 --x-assign fast --x-initial fast -Wno-fatal --Mdir $(SC_VDIR) \
	  --top-module gcm_engine -y rtl rtl/gcm_engine.v
	@touch $@
$(SC_VDIR)/Vgcm_engine__ALL.a $(SC_VDIR)/verilated.o $(SC_VDIR)/verilated_threads.o &: $(SC_VDIR)/Vgcm_engine.h
	$(MAKE) --no-print-directory -s -C $(SC_VDIR) -f Vgcm_engine.mk \
	  SYSTEMC_INCLUDE=$(or $(SC_INCDIR),/usr/include) SYSTEMC_LIBDIR=/usr/lib \
	  OPT_FAST=-O2 OPT_SLOW=-O1 OPT_GLOBAL=-O2 Vgcm_engine__ALL.a verilated.o verilated_threads.o \
	  > $(SC_VDIR)/build.log 2>&1 || { tail -30 $(SC_VDIR)/build.log; exit 1; }
$(B)/obj/hwmodel/systemc/rtl_gcm.o: CXXFLAGS_SC += -isystem $(SC_VDIR) -isystem $(SC_VLT_INC) \
	-isystem $(SC_VLT_INC)/vltstd
$(B)/obj/hwmodel/systemc/rtl_gcm.o: $(SC_VDIR)/Vgcm_engine.h

$(B)/bin/nicsim_sc: $(SC_MAIN_O) $(SC_OBJS) $(SC_LINK) $(SC_VLIB)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS_ALL) $(SC_WRAP) -o $@ $(SC_MAIN_O) $(SC_OBJS) $(SC_LINK) $(SC_VLIB) $(PKG_LIBS) $(SC_LIBS)

$(B)/bin/sc_tlm_test: $(SC_TEST_O) $(SC_OBJS) $(SC_LINK) $(SC_VLIB)
	@mkdir -p $(@D)
	$(CXX) $(LDFLAGS_ALL) $(SC_WRAP) -o $@ $(SC_TEST_O) $(SC_OBJS) $(SC_LINK) $(SC_VLIB) $(PKG_LIBS) $(SC_LIBS)

.PHONY: sc sc-run-only sc-test sc-bench
sc: $(B)/bin/nicsim_sc $(B)/bin/sc_tlm_test
sc-run-only: $(B)/bin/nicsim_sc
	$(B)/bin/nicsim_sc --sc-stats
sc-test: $(B)/bin/nicsim_sc $(B)/bin/sc_tlm_test $(B)/bin/nicsim
	@B=$(B) NICSIM_SC_RTL=$(if $(SC_RTL_TOP),1,0) bash hwmodel/systemc/test_sc.sh
sc-bench: $(B)/bin/nicsim_sc
	$(B)/bin/nicsim_sc --bench=$(B)/bench-sc.json
