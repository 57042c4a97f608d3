# Conformance-vector parsers (CAVP .rsp, Wycheproof JSON, nicsim ESP format), engine registry
# and runner: libvec.a.
$(eval $(call lib_template,vec,tb/vectors))
