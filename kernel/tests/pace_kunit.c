// SPDX-License-Identifier: GPL-2.0
/* Placeholder for the pace KUnit suite. */
#include <kunit/test.h>
