# Debian 12 packages nicsim needs. `make deps` checks them and installs what is missing:
# with apt-get when run as root, otherwise it prints the exact command and stops.
# Nothing is downloaded from anywhere but the Debian archive.
DEB_PKGS := build-essential pkg-config libssl-dev libcriterion-dev libpcap-dev libjansson-dev \
            verilator libsystemc-dev tshark

# pkg-config module or command that proves each package is present
DEP_PC   := libcrypto:libssl-dev criterion:libcriterion-dev libpcap:libpcap-dev \
            jansson:libjansson-dev systemc:libsystemc-dev
DEP_CMD  := cc:build-essential make:build-essential pkg-config:pkg-config \
            verilator:verilator tshark:tshark

.PHONY: deps
deps:
	@missing=""; \
	for p in $(DEP_CMD); do command -v $${p%%:*} >/dev/null 2>&1 || missing="$$missing $${p#*:}"; done; \
	if command -v pkg-config >/dev/null 2>&1; then \
	  for p in $(DEP_PC); do pkg-config --exists $${p%%:*} || missing="$$missing $${p#*:}"; done; \
	else missing="$$missing $(DEB_PKGS)"; fi; \
	missing=$$(echo $$missing | tr ' ' '\n' | sort -u | tr '\n' ' '); \
	if [ -z "$${missing// /}" ]; then exit 0; fi; \
	echo "nicsim: missing Debian packages:$$missing"; \
	if [ "$$(id -u)" = 0 ]; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	    || { echo "nicsim: apt-get install failed"; exit 1; }; \
	  echo "nicsim: installed$$missing"; \
	else \
	  echo "nicsim: run as root:  sudo apt-get install -y$$missing"; exit 1; \
	fi
