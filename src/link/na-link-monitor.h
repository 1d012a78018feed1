/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib-object.h>

#include "na-link.h"

G_BEGIN_DECLS

/*
 * Watches the kernel's network interfaces (rtnetlink RTNLGRP_LINK) on the
 * thread-default GMainContext current when it was created, keeps a table
 * of them, and answers lookups.  Use it from that context's thread only.
 *
 * Signals (emitted from that context):
 *   link-added   (gpointer info)   — a NaLinkInfo*, valid during emission
 *   link-changed (gpointer info)   — only when a NaLinkInfo field changed
 *                                    (name, MTU, MAC, flags, up, type)
 *   link-removed (int ifindex, const char *last_name)
 *
 * When the kernel reports that events were lost (ENOBUFS), the monitor
 * reads the full list again and emits the differences, so a listener
 * never misses a final state, though it may miss intermediate ones.
 */
#define NA_TYPE_LINK_MONITOR (na_link_monitor_get_type ())
G_DECLARE_FINAL_TYPE (NaLinkMonitor, na_link_monitor, NA, LINK_MONITOR, GObject)

NaLinkMonitor *na_link_monitor_new          (GError       **error);

/*
 * Describe the link with this (primary) name, or with this index.  The
 * answer comes from the table when it is current; when the name or index
 * is not there, or events are waiting to be read, the kernel is asked
 * directly, so a link added a moment ago is found (its link-added signal
 * still follows from the event stream).  Never emits a signal.
 * Returns FALSE when there is no such link.
 */
gboolean       na_link_monitor_lookup_name  (NaLinkMonitor *self,
                                             const char    *name,
                                             NaLinkInfo    *out);
gboolean       na_link_monitor_lookup_index (NaLinkMonitor *self,
                                             int            ifindex,
                                             NaLinkInfo    *out);

/* Every link the monitor knows, by index; free with g_array_unref(). */
GArray        *na_link_monitor_list         (NaLinkMonitor *self);

G_END_DECLS
