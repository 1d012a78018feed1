/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <string.h>

#include <glib.h>
#include <netinet/in.h>

G_BEGIN_DECLS

/*
 * The demux tables: O(1) per frame, changed only by the data path thread
 * (inside control commands), read on every received frame.
 */

/*
 * custom-ether: a two-level table indexed by the ethertype, 256 pages of
 * 256 values made on first use; a lookup is two loads.
 */
typedef struct {
  gpointer *pages[256];
  guint     count;
} NaDpEtherTable;

void     na_dp_ether_table_clear  (NaDpEtherTable *table);
/* FALSE when @type already has a value. */
gboolean na_dp_ether_table_insert (NaDpEtherTable *table, guint16 type, gpointer value);
void     na_dp_ether_table_remove (NaDpEtherTable *table, guint16 type);

static inline gpointer
na_dp_ether_table_lookup (const NaDpEtherTable *table, guint16 type)
{
  gpointer *page = table->pages[type >> 8];
  return page ? page[type & 0xff] : NULL;
}

/*
 * ipv6-ula: open addressing with linear probing on (local, remote),
 * at most half full, deletion by backward shift (no tombstones).
 */
typedef struct {
  struct in6_addr local;
  struct in6_addr remote;
  gpointer        value;    /* NULL: empty slot */
} NaDpPairSlot;

typedef struct {
  NaDpPairSlot *slots;
  guint         mask;
  guint         count;
} NaDpPairTable;

void     na_dp_pair_table_clear  (NaDpPairTable *table);
gboolean na_dp_pair_table_insert (NaDpPairTable         *table,
                                  const struct in6_addr *local,
                                  const struct in6_addr *remote,
                                  gpointer               value);
void     na_dp_pair_table_remove (NaDpPairTable         *table,
                                  const struct in6_addr *local,
                                  const struct in6_addr *remote);

static inline guint64
na_dp_load64 (const void *p)
{
  guint64 v;
  memcpy (&v, p, sizeof v);
  return v;
}

static inline guint
na_dp_pair_hash (const struct in6_addr *local, const struct in6_addr *remote)
{
  /* Interface ids differ most: weigh the low halves, fold the rest in. */
  guint64 h = na_dp_load64 ((const guint8 *) local + 8) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  h ^= na_dp_load64 ((const guint8 *) remote + 8) * G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f);
  h ^= na_dp_load64 (local) ^ (na_dp_load64 (remote) << 1);
  h ^= h >> 31;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  return (guint) (h ^ (h >> 33));
}

static inline gpointer
na_dp_pair_table_lookup (const NaDpPairTable   *table,
                         const struct in6_addr *local,
                         const struct in6_addr *remote)
{
  if (table->count == 0)
    return NULL;
  for (guint i = na_dp_pair_hash (local, remote) & table->mask;; i = (i + 1) & table->mask)
    {
      const NaDpPairSlot *s = &table->slots[i];

      if (s->value == NULL)
        return NULL;
      if (memcmp (&s->local, local, sizeof *local) == 0 &&
          memcmp (&s->remote, remote, sizeof *remote) == 0)
        return s->value;
    }
}

G_END_DECLS
