/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NACTL_ETH_ALEN 6
#define NACTL_ETH_HLEN 14
/* The shortest Ethernet frame without its FCS: shorter ones are padded. */
#define NACTL_ETH_ZLEN 60

/*
 * An Ethernet frame as a channel carries it: destination, source,
 * ethertype, @payload, zero-padded to NACTL_ETH_ZLEN bytes.
 */
GBytes *nactl_frame_new (const guint8  dst[NACTL_ETH_ALEN],
                         const guint8  src[NACTL_ETH_ALEN],
                         guint16       ethertype,
                         GBytes       *payload);

/* "aa:bb:cc:dd:ee:ff" */
char   *nactl_mac_to_string (const guint8 mac[NACTL_ETH_ALEN]);

G_END_DECLS
