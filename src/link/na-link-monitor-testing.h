/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* Hooks for the link layer's own tests; the daemon does not use them. */

#include "na-link-monitor.h"

G_BEGIN_DECLS

/*
 * Shrink the event socket's receive buffer so that a burst of events
 * overruns it (ENOBUFS) and the resynchronisation path runs.
 */
gboolean na_link_monitor_set_event_buffer_for_testing (NaLinkMonitor *self,
                                                       int            bytes,
                                                       GError       **error);

/* How many times the monitor has re-read the full link list after an overrun. */
guint    na_link_monitor_get_n_resyncs_for_testing    (NaLinkMonitor *self);

G_END_DECLS
