/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "na-core"

#include <netagent/netagent-names.h>

#include "na-ports.h"

/*
 * A bitmap of flow_max bits, bit i for port i + NETAGENT_FIRST_PORT.
 * "Lowest free" scans words from a hint that never passes a free bit, so
 * the common case (ports handed out in order) is O(1).
 */
struct _NaPorts {
  guint    flow_max;
  guint    used;
  guint    hint;         /* no free bit below word `hint` */
  guint    n_words;
  guint64  words[];
};

NaPorts *
na_ports_new (guint flow_max)
{
  guint n_words = (flow_max + 63) / 64;
  NaPorts *ports = g_malloc0 (sizeof (NaPorts) + n_words * sizeof (guint64));

  ports->flow_max = flow_max;
  ports->n_words = n_words;
  return ports;
}

void
na_ports_free (NaPorts *ports)
{
  g_free (ports);
}

guint
na_ports_alloc (NaPorts *ports)
{
  if (ports->used >= ports->flow_max)
    return 0;

  for (guint w = ports->hint; w < ports->n_words; w++)
    {
      guint64 free_bits = ~ports->words[w];

      if (free_bits == 0)
        continue;

      guint bit = w * 64 + (guint) __builtin_ctzll (free_bits);
      if (bit >= ports->flow_max)
        break;
      ports->words[w] |= G_GUINT64_CONSTANT (1) << (bit % 64);
      ports->used++;
      ports->hint = w;
      return bit + NETAGENT_FIRST_PORT;
    }
  g_return_val_if_reached (0);
}

void
na_ports_release (NaPorts *ports, guint port)
{
  guint bit;

  g_return_if_fail (port >= NETAGENT_FIRST_PORT);
  bit = port - NETAGENT_FIRST_PORT;
  g_return_if_fail (bit < ports->flow_max);
  g_return_if_fail (na_ports_is_used (ports, port));

  ports->words[bit / 64] &= ~(G_GUINT64_CONSTANT (1) << (bit % 64));
  ports->used--;
  ports->hint = MIN (ports->hint, bit / 64);
}

gboolean
na_ports_is_used (NaPorts *ports, guint port)
{
  guint bit;

  if (port < NETAGENT_FIRST_PORT)
    return FALSE;
  bit = port - NETAGENT_FIRST_PORT;
  if (bit >= ports->flow_max)
    return FALSE;
  return (ports->words[bit / 64] >> (bit % 64)) & 1;
}

guint
na_ports_count (NaPorts *ports)
{
  return ports->used;
}
