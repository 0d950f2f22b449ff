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

/*
 * Refuses (ENOTSUP, the reason and the remedy in the message) before
 * anything is attached when nothing would keep the pins: no BPF file
 * system mounted, in a mount namespace of our own (`ip netns exec`
 * remounts /sys without it), where a mount made now would vanish with the
 * command while an attached program stayed. A namespace that shares the
 * host's bpffs (systemd's sandboxing) passes.
 */
int tbx_bpffs_check_shared(const char *tool);

#endif
