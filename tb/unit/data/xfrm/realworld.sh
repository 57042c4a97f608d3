#!/bin/sh
# Host-to-host ESP between 192.0.2.1 (us) and 192.0.2.2, plus an IPv6 tunnel, as an
# operator would write it: comments, continuation lines, quoted algorithm names.

ip xfrm state flush
ip xfrm state deleteall proto esp

# --- IPv4 transport, outbound (offloaded to nic0) ---
ip xfrm state add \
    src 192.0.2.1 dst 192.0.2.2 \
    proto esp spi 0x00001001 reqid 1001 mode transport \
    replay-window 0 \
    aead 'rfc4106(gcm(aes))' 0x0123456789abcdef0123456789abcdef01020304 128 \
    sel src 192.0.2.1/32 dst 192.0.2.2/32 \
    offload dev nic0 dir out

# --- IPv4 transport, inbound, ESN, 256-bit key ---
ip xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x00002001 reqid 2001 \
	mode transport replay-window 128 flag esn \
	aead "rfc4106(gcm(aes))" \
	    0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeffcafebabe 128 \
	limit time-soft 3000 limit time-hard 3600 \
	offload crypto dev nic0 dir in   # trailing comment

# --- IPv6 tunnel, packet offload ---
ip -6 xfrm state add src 2001:db8::1 dst 2001:db8::2 proto esp spi 4097 \
    mode tunnel reqid 4097 replay-window 64 \
    aead rfc4106(gcm(aes)) 0x000102030405060708090a0b0c0d0e0f1011121314151617deadbeef 96 \
    sel src 10.1.0.0/16 dst 10.2.0.0/16 \
    offload packet dev nic0 dir in

# rekey: the old outbound SA goes
ip xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x00001001
