# Criterion unit tests: every tb/unit/test_*.c links into one runner, build/bin/unit_tests.
# Test data lives in tb/unit/data/; tests find it relative to the repository root.
UNIT_SRCS := $(wildcard tb/unit/test_*.c)
UNIT_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(UNIT_SRCS))
UNIT_LIBS := $(run_LIB) $(vec_LIB) $(stim_LIB) $(dut_LIB) $(hostdrv_LIB) $(hwmodel_LIB) $(firmware_LIB) $(golden_LIB)
ALL_OBJS += $(UNIT_OBJS)
TESTBINS += $(B)/bin/unit_tests
$(B)/bin/unit_tests: $(UNIT_OBJS) $(UNIT_LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $(UNIT_OBJS) $(UNIT_LIBS) $(PKG_LIBS) $(CRIT_LIBS)
# test_regs_doc runs the register generator: build it with the tests so it is never stale.
$(B)/bin/unit_tests: $(B)/bin/regs_gen
