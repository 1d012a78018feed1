/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <string.h>

#include "nactl-frame.h"

GBytes *
nactl_frame_new (const guint8  dst[NACTL_ETH_ALEN],
                 const guint8  src[NACTL_ETH_ALEN],
                 guint16       ethertype,
                 GBytes       *payload)
{
  gsize payload_len = payload ? g_bytes_get_size (payload) : 0;
  gsize len = MAX (NACTL_ETH_HLEN + payload_len, NACTL_ETH_ZLEN);
  guint8 *frame = g_malloc0 (len);

  memcpy (frame, dst, NACTL_ETH_ALEN);
  memcpy (frame + NACTL_ETH_ALEN, src, NACTL_ETH_ALEN);
  frame[12] = (guint8) (ethertype >> 8);
  frame[13] = (guint8) (ethertype & 0xff);
  if (payload_len)
    memcpy (frame + NACTL_ETH_HLEN, g_bytes_get_data (payload, NULL), payload_len);
  return g_bytes_new_take (frame, len);
}

char *
nactl_mac_to_string (const guint8 mac[NACTL_ETH_ALEN])
{
  return g_strdup_printf ("%02x:%02x:%02x:%02x:%02x:%02x",
                          mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}
