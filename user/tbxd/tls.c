// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Client certificates as identities. libmicrohttpd asks for a certificate
 * when given a CA but leaves verifying it to us: the chain is checked here
 * on every request, before any method runs.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gnutls/x509.h>

#include "err.h"
#include "textfile.h"
#include "tls.h"

#define PEM_MAX	(256 * 1024)

static int load(const char *path, const char *what, char **out)
{
	int err = tbx_read_text(path, PEM_MAX, out, NULL);

	if (err)
		return tbx_err(err, "%s %s: %s", what, path, tbx_errmsg());
	if (!strstr(*out, "-----BEGIN ")) {
		free(*out);
		*out = NULL;
		return tbx_err(EINVAL, "%s %s: not a PEM file", what, path);
	}
	return 0;
}

int tbxd_tls_load(const char *cert, const char *key, const char *ca,
		  struct tbxd_tls **out)
{
	struct tbxd_tls *t = calloc(1, sizeof(*t));
	int err;

	if (!t)
		return tbx_err(ENOMEM, "out of memory");
	if ((err = load(cert, "certificate", &t->cert_pem)) ||
	    (err = load(key, "key", &t->key_pem)) ||
	    (err = load(ca, "client CA", &t->ca_pem))) {
		tbxd_tls_free(t);
		return err;
	}
	*out = t;
	return 0;
}

void tbxd_tls_free(struct tbxd_tls *tls)
{
	if (!tls)
		return;
	free(tls->cert_pem);
	if (tls->key_pem)
		explicit_bzero(tls->key_pem, strlen(tls->key_pem));
	free(tls->key_pem);
	free(tls->ca_pem);
	free(tls);
}

static bool name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

int tbxd_tls_peer(gnutls_session_t s, char *owner, size_t len)
{
	const gnutls_datum_t *chain;
	gnutls_x509_crt_t crt;
	unsigned int status, n = 0;
	size_t size = len;
	int rc;

	chain = gnutls_certificate_get_peers(s, &n);
	if (!chain || !n)
		return tbx_err(ENOKEY, "a client certificate signed by tbxd's client CA is required");
	rc = gnutls_certificate_verify_peers2(s, &status);
	if (rc < 0)
		return tbx_err(EACCES, "client certificate: %s", gnutls_strerror(rc));
	if (status) {
		gnutls_datum_t why = { 0 };
		int e;

		e = gnutls_certificate_verification_status_print(status,
				GNUTLS_CRT_X509, &why, 0);
		e = tbx_err(EACCES, "client certificate refused: %s",
			    e >= 0 ? (const char *)why.data : "not trusted");
		gnutls_free(why.data);
		return e;
	}
	if (gnutls_x509_crt_init(&crt) < 0)
		return tbx_err(ENOMEM, "out of memory");
	rc = gnutls_x509_crt_import(crt, &chain[0], GNUTLS_X509_FMT_DER);
	if (rc >= 0)
		rc = gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME,
						   0, 0, owner, &size);
	gnutls_x509_crt_deinit(crt);
	if (rc < 0 || !name_ok(owner))
		return tbx_err(EACCES, "client certificate: no usable common name (%s)",
			       rc < 0 ? gnutls_strerror(rc) : "empty or control characters");
	return 0;
}
