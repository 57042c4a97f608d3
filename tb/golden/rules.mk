# Golden ESP/GCM reference on OpenSSL: libgolden.a. Shares no code with hwmodel/ or rtl/.
$(eval $(call lib_template,golden,tb/golden))
