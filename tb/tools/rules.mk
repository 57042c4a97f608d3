# Stand-alone tools, one program per .c file: build/bin/<name>.
TOOL_SRCS := $(wildcard tb/tools/*.c)
TOOL_BINS := $(patsubst tb/tools/%.c,$(B)/bin/%,$(TOOL_SRCS))
ALL_OBJS += $(patsubst %.c,$(B)/obj/%.o,$(TOOL_SRCS))
BINS += $(TOOL_BINS)
$(B)/bin/%: $(B)/obj/tb/tools/%.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(PKG_LIBS)
