# Benchmarks (not tests): `make bench` builds with the normal (-O2) profile and runs them; each
# prints ratios against a reference measured in the same run and writes build/bench.json.
BENCH_SRCS := $(wildcard tb/bench/*.c)
BENCH_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(BENCH_SRCS))
ALL_OBJS += $(BENCH_OBJS)
ifneq ($(BENCH_SRCS),)
BINS += $(B)/bin/nicsim_bench
endif
$(B)/bin/nicsim_bench: $(BENCH_OBJS) $(dut_LIB) $(hwmodel_LIB) $(firmware_LIB) $(golden_LIB)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $(BENCH_OBJS) $(dut_LIB) $(hwmodel_LIB) $(firmware_LIB) $(golden_LIB) $(PKG_LIBS)

.PHONY: bench bench-only
bench:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory bench-only
bench-only: $(B)/bin/nicsim_bench
	$(B)/bin/nicsim_bench --json $(B)/bench.json
