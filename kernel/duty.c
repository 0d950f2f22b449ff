// SPDX-License-Identifier: GPL-2.0
/* Placeholder: filled in by the duty arithmetic work. */
#include <linux/types.h>
