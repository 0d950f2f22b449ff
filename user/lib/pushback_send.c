// SPDX-License-Identifier: GPL-2.0-or-later
/* Sending push-back messages on CBSAT's group, for `tbx pushback` and
 * tbxd's detector.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "err.h"
#include "pushback.h"

int tbx_pushback_socket(const char *dev, int *out)
{
	struct ip_mreqn mr = { .imr_ifindex = 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err;

	if (fd < 0)
		return tbx_err(errno, "pushback: socket: %s", strerror(errno));
	if (dev) {
		mr.imr_ifindex = if_nametoindex(dev);
		if (!mr.imr_ifindex) {
			err = tbx_err(ENODEV, "pushback: no device \"%s\"", dev);
			goto fail;
		}
		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr))) {
			err = tbx_err(errno, "pushback: dev %s: %s", dev, strerror(errno));
			goto fail;
		}
	}
	*out = fd;
	return 0;
fail:
	close(fd);
	return err;
}

int tbx_pushback_send(int fd, const uint8_t *buf, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(TBX_PUSHBACK_PORT) };

	inet_pton(AF_INET, TBX_PUSHBACK_GROUP, &sa.sin_addr);
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&sa, sizeof(sa)) != (ssize_t)len)
		return tbx_err(errno, "pushback: send: %s", strerror(errno));
	return 0;
}
