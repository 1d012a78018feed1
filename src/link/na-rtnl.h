/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Private to the link layer: the only header that names libnl types.
 * Nothing outside src/link/ may include it.
 */

#include <glib.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include "na-link.h"

G_BEGIN_DECLS

typedef struct nl_sock    NaNlSock;
typedef struct rtnl_link  NaRtnlLink;
typedef struct nl_cache   NaNlCache;
typedef struct nl_msg     NaNlMsg;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NaNlSock, nl_socket_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NaRtnlLink, rtnl_link_put)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NaNlCache, nl_cache_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NaNlMsg, nlmsg_free)

/*
 * A connected, blocking NETLINK_ROUTE socket for request/answer
 * exchanges (close-on-exec, in no multicast group).
 */
NaNlSock *na_rtnl_socket_new  (GError **error);

/*
 * Fill @out from a libnl link object.  Returns FALSE when the object
 * lacks what a NaLinkInfo needs (an index and a name).
 */
gboolean  na_rtnl_link_to_info (struct rtnl_link *link,
                                NaLinkInfo       *out);

/* Set @error (G_IO_ERROR) from a negative libnl error code. */
void      na_rtnl_set_error   (GError    **error,
                               int         nlerr,
                               const char *what);

G_END_DECLS
