// SPDX-License-Identifier: GPL-2.0
/* Placeholder for the duty KUnit suite. */
#include <kunit/test.h>
