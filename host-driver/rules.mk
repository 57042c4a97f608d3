# Host driver shim (user-space, kernel semantics): libhostdrv.a, one concept per file.
# Tests (tb/unit/test_drv_*.c) include its headers by name.
$(eval $(call lib_template,hostdrv,host-driver))
$(B)/obj/tb/unit/test_drv_%.o: CFLAGS_ALL += -Ihost-driver
