/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where tbx pins BPF objects: <root>/tbx/<tool>/..., the root being
 * $TBX_BPFFS or /sys/fs/bpf. Shared by the meter and the tap.
 */
#ifndef TBX_BPFFS_H
#define TBX_BPFFS_H

#include <stddef.h>

const char *tbx_bpffs_root(void);

/* <root>/tbx/<tool> into buf; ENAMETOOLONG when it does not fit. */
int tbx_bpffs_tool_dir(const char *tool, char *buf, size_t len);

/*
 * Creates dir (mkdir -p), which must end up on a BPF file system,
 * mounting the default instance first as bpftool and tc do when the host
 * has none. Refused in a private mount namespace (ip netns exec remounts
 * /sys): pins made there would vanish with it and leave programs behind.
 * @tool prefixes the error messages.
 */
int tbx_bpffs_make_dir(const char *tool, const char *dir);

#endif
