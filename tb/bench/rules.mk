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
# Each benchmark writes a fragment $(B)/bench-<name>.json; json_merge makes $(B)/bench.json of
# them. Benchmark programs of other folders add themselves to BENCH_MORE (programs that take
# --json FILE) and to bench-only's prerequisites.
bench-only: $(B)/bin/nicsim_bench $(B)/bin/json_merge
	rm -f $(B)/bench-*.json
	$(B)/bin/nicsim_bench --json $(B)/bench-model.json
	@for b in $(BENCH_MORE); do echo "$$b"; $$b --json $(B)/bench-$$(basename $$b).json || exit 1; done
	@$(MAKE) --no-print-directory sc-bench
	$(B)/bin/json_merge $(B)/bench.json $(B)/bench-*.json
	@echo "bench: figures in $(B)/bench.json"
