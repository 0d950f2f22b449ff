/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TLS for tbxd's network listeners: the server's certificate and key, and
 * the CA whose signature makes a client certificate an identity. The
 * certificate's common name is the owner every lookup filters by.
 */
#ifndef TBXD_TLS_H
#define TBXD_TLS_H

#include <stddef.h>
#include <gnutls/gnutls.h>

#define TBXD_OWNER_MAX	128	/* a common name longer than this is refused */

struct tbxd_tls {
	char *cert_pem, *key_pem, *ca_pem;
};

/* Reads the three PEM files; errors name the file. */
int tbxd_tls_load(const char *cert, const char *key, const char *ca,
		  struct tbxd_tls **out);
void tbxd_tls_free(struct tbxd_tls *tls);

/*
 * The peer's identity on a handshaken session: 0 and its certificate's
 * common name in owner, or an error saying what is missing or wrong:
 * -ENOKEY without a certificate, -EACCES for one not signed by the CA,
 * expired, or without a usable common name.
 */
int tbxd_tls_peer(gnutls_session_t s, char *owner, size_t len);

#endif
