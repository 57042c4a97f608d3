# The RTL-style C model of the device: libhwmodel.a, one block per file (see hwmodel/sim.h).
$(eval $(call lib_template,hwmodel,hwmodel))
