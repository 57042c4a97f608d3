# RTL lint: `make lint` runs Verilator 5.006 --lint-only -Wall on every rtl/*.v; any warning
# fails the target. Each file is linted as the top of its own hierarchy (--top-module = file
# name), as block-level cosim Verilates it, with rtl/ as the module search path (-y) and the
# generated register package (rtl/nicsim_pkg.sv) read first. A second pass lints the device top
# (crypto_top) with every file read, which catches clashes between files (duplicate module
# names, mismatched instances). No waivers.
RTL_PKG     := rtl/nicsim_pkg.sv
RTL_SRCS    := $(wildcard rtl/*.v)
RTL_TOP     := crypto_top
VERILATOR   ?= verilator
LINT_FLAGS  := --lint-only -Wall -y rtl

.PHONY: lint
lint:
	@test -n "$(RTL_SRCS)" || { echo "lint: no rtl/*.v"; exit 1; }
	@for f in $(RTL_SRCS); do \
	  echo "lint $$f"; \
	  $(VERILATOR) $(LINT_FLAGS) --top-module $$(basename $$f .v) $(RTL_PKG) $$f || exit 1; \
	done
	@echo "lint rtl/*.v together, top $(RTL_TOP)"
	@$(VERILATOR) $(LINT_FLAGS) --top-module $(RTL_TOP) $(RTL_PKG) $(RTL_SRCS)
