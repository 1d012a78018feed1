/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A snapshot of one network interface, as the kernel last described it.
 * A plain value: copy it freely, it owns nothing.
 */
typedef struct {
  int      ifindex;
  char     name[16];          /* current name, NUL-terminated (IFNAMSIZ) */
  guint    arptype;           /* ARPHRD_* */
  guint8   mac[6];            /* all zero unless has_ether_mac */
  gboolean has_ether_mac;     /* ARPHRD_ETHER with a 6-byte address (the seed's get_mac_addr rule) */
  guint    mtu;
  guint    flags;             /* IFF_* incl. IFF_LOWER_UP */
  gboolean up;                /* IFF_UP and IFF_LOWER_UP (carrier): the agent is ACTIVE only then */
} NaLinkInfo;

/* The MAC as "aa:bb:cc:dd:ee:ff" (lower case); free with g_free(). */
char     *na_link_info_mac_string (const NaLinkInfo *info);

/* TRUE when every field of @a and @b is the same. */
gboolean  na_link_info_equal      (const NaLinkInfo *a,
                                   const NaLinkInfo *b);

G_END_DECLS
