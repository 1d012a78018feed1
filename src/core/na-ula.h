/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <netinet/in.h>

G_BEGIN_DECLS

/* Fills @buf with @len random bytes. */
typedef void (*NaRandomFunc) (guint8 *buf, gsize len, gpointer user_data);

/*
 * The seed's listener address generator (RFC 4193): fd, 40 random bits,
 * subnet 0, then a daemon-wide 64-bit interface id that starts at 1 and
 * skips 0 when it wraps.
 */
typedef struct {
  guint64      next_iid;
  NaRandomFunc random;
  gpointer     random_data;
} NaUlaGenerator;

/* @random NULL: getrandom(2). */
void na_ula_generator_init (NaUlaGenerator *gen,
                            NaRandomFunc    random,
                            gpointer        random_data);
void na_ula_generator_next (NaUlaGenerator  *gen,
                            struct in6_addr *out);

/* The default random source, getrandom(2) (exposed for tests). */
void na_random_bytes (guint8 *buf, gsize len, gpointer user_data);

G_END_DECLS
