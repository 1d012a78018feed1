/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-datapath"

#include "na-dp-demux.h"

void
na_dp_ether_table_clear (NaDpEtherTable *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (table->pages); i++)
    g_clear_pointer (&table->pages[i], g_free);
  table->count = 0;
}

gboolean
na_dp_ether_table_insert (NaDpEtherTable *table, guint16 type, gpointer value)
{
  gpointer *page = table->pages[type >> 8];

  g_return_val_if_fail (value != NULL, FALSE);

  if (page == NULL)
    page = table->pages[type >> 8] = g_new0 (gpointer, 256);
  if (page[type & 0xff] != NULL)
    return FALSE;
  page[type & 0xff] = value;
  table->count++;
  return TRUE;
}

void
na_dp_ether_table_remove (NaDpEtherTable *table, guint16 type)
{
  gpointer *page = table->pages[type >> 8];

  if (page == NULL || page[type & 0xff] == NULL)
    return;
  page[type & 0xff] = NULL;
  table->count--;
}

void
na_dp_pair_table_clear (NaDpPairTable *table)
{
  g_clear_pointer (&table->slots, g_free);
  table->mask = 0;
  table->count = 0;
}

static void
pair_put (NaDpPairTable *table, const NaDpPairSlot *slot)
{
  guint i = na_dp_pair_hash (&slot->local, &slot->remote) & table->mask;

  while (table->slots[i].value != NULL)
    i = (i + 1) & table->mask;
  table->slots[i] = *slot;
}

static void
pair_grow (NaDpPairTable *table)
{
  NaDpPairSlot *old = table->slots;
  guint old_size = old ? table->mask + 1 : 0;
  guint size = old_size ? old_size * 2 : 16;

  table->slots = g_new0 (NaDpPairSlot, size);
  table->mask = size - 1;
  for (guint i = 0; i < old_size; i++)
    if (old[i].value != NULL)
      pair_put (table, &old[i]);
  g_free (old);
}

gboolean
na_dp_pair_table_insert (NaDpPairTable         *table,
                         const struct in6_addr *local,
                         const struct in6_addr *remote,
                         gpointer               value)
{
  NaDpPairSlot slot = { *local, *remote, value };

  g_return_val_if_fail (value != NULL, FALSE);

  if (na_dp_pair_table_lookup (table, local, remote) != NULL)
    return FALSE;
  if (table->slots == NULL || (table->count + 1) * 2 > table->mask + 1)
    pair_grow (table);
  pair_put (table, &slot);
  table->count++;
  return TRUE;
}

void
na_dp_pair_table_remove (NaDpPairTable         *table,
                         const struct in6_addr *local,
                         const struct in6_addr *remote)
{
  guint i, j;

  if (table->count == 0)
    return;
  for (i = na_dp_pair_hash (local, remote) & table->mask;; i = (i + 1) & table->mask)
    {
      NaDpPairSlot *s = &table->slots[i];

      if (s->value == NULL)
        return;
      if (memcmp (&s->local, local, sizeof *local) == 0 &&
          memcmp (&s->remote, remote, sizeof *remote) == 0)
        break;
    }

  /*
   * Backward shift: pull later entries of the probe run into the hole
   * when their home slot does not lie (cyclically) between hole and them.
   */
  table->slots[i].value = NULL;
  table->count--;
  for (j = (i + 1) & table->mask; table->slots[j].value != NULL; j = (j + 1) & table->mask)
    {
      guint home = na_dp_pair_hash (&table->slots[j].local, &table->slots[j].remote) & table->mask;

      if (((j - home) & table->mask) >= ((j - i) & table->mask))
        {
          table->slots[i] = table->slots[j];
          table->slots[j].value = NULL;
          i = j;
        }
    }
}
