# Compiler flag profiles. B is the build directory; SAN=1 selects the sanitizer profile.
#   make            -> build/        -O2 -g
#   make SAN=1      -> build/asan/   -O1 -g -fsanitize=address,undefined
# All C is C11 with -Wall -Wextra -Werror; no waivers.
B ?= build
CC ?= cc
CSTD      := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L
WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
ifeq ($(SAN),1)
B         := build/asan
OPT       := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
LDSAN     := -fsanitize=address,undefined
else
OPT       := -O2 -g
LDSAN     :=
endif
PKGS      := libcrypto jansson libpcap
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CRIT_LIBS  = $(shell pkg-config --libs criterion 2>/dev/null)
CFLAGS_ALL = $(CSTD) -Itb/golden -Itb/vectors -Itb/dut -Itb/stim -Itb/run -Ihost-driver -Ihwmodel -Ihwmodel/include $(WARN) $(OPT) -MMD -MP $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDFLAGS_ALL = $(LDSAN) $(EXTRA_LDFLAGS)
