# DUT interface (C model now; RTL and lock-step later): libdut.a, used by tests, bench and CLI.
$(eval $(call lib_template,dut,tb/dut))
