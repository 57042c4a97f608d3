# The main job's parts: pcap I/O, Wireshark esp_sa export, reports, scenarios: librun.a.
$(eval $(call lib_template,run,tb/run))
