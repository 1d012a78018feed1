/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "na-core"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "na-ula.h"

void
na_random_bytes (guint8 *buf, gsize len, gpointer user_data)
{
  while (len > 0)
    {
      ssize_t n = getrandom (buf, len, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          /* getrandom() only fails before the pool is seeded on ancient
           * kernels; an address must never come from uninitialised bytes. */
          g_error ("getrandom: %s", g_strerror (errno));
        }
      buf += n;
      len -= (gsize) n;
    }
}

void
na_ula_generator_init (NaUlaGenerator *gen,
                       NaRandomFunc    random,
                       gpointer        random_data)
{
  gen->next_iid = 1;
  gen->random = random ? random : na_random_bytes;
  gen->random_data = random_data;
}

void
na_ula_generator_next (NaUlaGenerator  *gen,
                       struct in6_addr *out)
{
  guint8 *b = out->s6_addr;
  guint64 iid = gen->next_iid;

  memset (out, 0, sizeof *out);
  b[0] = 0xfd;                     /* fc00::/7 with the L bit: locally assigned */
  gen->random (&b[1], 5, gen->random_data);  /* 40-bit global id */
  /* b[6], b[7]: subnet 0 */
  for (int i = 0; i < 8; i++)
    b[15 - i] = (guint8) (iid >> (8 * i));

  /* 0 is not a usable interface id: skip it when the counter wraps */
  do
    gen->next_iid++;
  while (gen->next_iid == 0);
}
