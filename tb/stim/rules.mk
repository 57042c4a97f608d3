# The stimulus format (stim.c), its runner over any DUT (stim_run.c) and the seeded generator
# (stim_gen.c): libstim.a, used by `nicsim stim` and the cosim programs.
$(eval $(call lib_template,stim,tb/stim))
