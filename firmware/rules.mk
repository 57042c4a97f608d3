# The card's firmware (control plane): libfirmware.a. Depends on firmware/fw_hal.h and
# nicsim/regs.h only; hwmodel/fw_cpu.c runs it on the C model.
$(eval $(call lib_template,firmware,firmware))
