# The nicsim command: one binary, one file per subcommand (cmd_<name>.c).
NICSIM_SRCS := $(wildcard tb/cli/*.c)
NICSIM_OBJS := $(patsubst %.c,$(B)/obj/%.o,$(NICSIM_SRCS))
ALL_OBJS += $(NICSIM_OBJS)
BINS += $(B)/bin/nicsim
# Link order: users before what they use (run -> driver -> model -> firmware -> golden).
NICSIM_LIBS := $(vec_LIB) $(run_LIB) $(stim_LIB) $(dut_LIB) $(hostdrv_LIB) $(hwmodel_LIB) $(firmware_LIB) $(golden_LIB)
$(B)/bin/nicsim: $(NICSIM_OBJS) $(NICSIM_LIBS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $(NICSIM_OBJS) $(NICSIM_LIBS) $(PKG_LIBS)

# Command-line checks that need the built binary (exit codes, last line); run by `make test`.
.PHONY: test-cli
test-cli: $(B)/bin/nicsim
	@B=$(B) bash tb/cli/test_cli.sh
