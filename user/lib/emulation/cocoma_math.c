// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * COCOMA's arithmetic, where it differs from the obvious C: Python's
 * float modulo, Python's int() of a string, and int() of a time held as
 * seconds since the epoch (emu_int.h's EMU_EPOCH).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>

#include "emu_int.h"

double emu_epoch_int(double x)
{
	/* volatile: the sum must be rounded to a double, as Python's was */
	volatile double t = EMU_EPOCH + x;

	return (double)(long long)t - EMU_EPOCH;
}

double emu_py_mod(double a, double b)
{
	double r = fmod(a, b);

	if (r != 0) {
		if ((b < 0) != (r < 0))
			r += b;
	} else {
		r = copysign(0, b);
	}
	return r;
}

static bool py_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int emu_py_int(const char *s, long long *v)
{
	bool neg = false, digits = false;
	long long n = 0;

	while (py_space(*s))
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++) {
		digits = true;
		if (n > (LLONG_MAX - 9) / 10)
			n = LLONG_MAX / 2;	/* saturated: far past any bound */
		else
			n = n * 10 + (*s - '0');
	}
	while (py_space(*s))
		s++;
	if (!digits || *s)
		return -EINVAL;
	*v = neg ? -n : n;
	return 0;
}
