/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-link"

#include <string.h>

#include "na-link.h"

char *
na_link_info_mac_string (const NaLinkInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);

  return g_strdup_printf ("%02x:%02x:%02x:%02x:%02x:%02x",
                          info->mac[0], info->mac[1], info->mac[2],
                          info->mac[3], info->mac[4], info->mac[5]);
}

gboolean
na_link_info_equal (const NaLinkInfo *a,
                    const NaLinkInfo *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  /* Field by field: the struct has padding, memcmp() would read it. */
  return a->ifindex == b->ifindex
    && strncmp (a->name, b->name, sizeof a->name) == 0
    && a->arptype == b->arptype
    && memcmp (a->mac, b->mac, sizeof a->mac) == 0
    && a->has_ether_mac == b->has_ether_mac
    && a->mtu == b->mtu
    && a->flags == b->flags
    && a->up == b->up;
}
