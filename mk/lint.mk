# RTL lint: `make lint` runs Verilator 5.006 --lint-only -Wall on every rtl/*.v; any warning
# fails the target. Each file holds one block and is linted as its own top module (--top-module
# = file name), as block-level cosim Verilates it. A second pass reads all files together to
# catch clashes between them (duplicate module names, mismatched instances); it waives only
# MULTITOP, because until rtl/ has a device top every block is a top of its own.
RTL_SRCS    := $(wildcard rtl/*.v)
VERILATOR   ?= verilator
LINT_FLAGS  := --lint-only -Wall

.PHONY: lint
lint:
	@test -n "$(RTL_SRCS)" || { echo "lint: no rtl/*.v"; exit 1; }
	@for f in $(RTL_SRCS); do \
	  echo "lint $$f"; \
	  $(VERILATOR) $(LINT_FLAGS) --top-module $$(basename $$f .v) $$f || exit 1; \
	done
	@echo "lint rtl/*.v (together, MULTITOP waived: no device top yet)"
	@$(VERILATOR) $(LINT_FLAGS) -Wno-MULTITOP $(RTL_SRCS)
