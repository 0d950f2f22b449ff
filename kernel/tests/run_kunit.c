// SPDX-License-Identifier: GPL-2.0
/* Placeholder for the run KUnit suite. */
#include <kunit/test.h>
