/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Nexus ports 2 .. flow_max + 1 (0 is the device, 1 the host, as in the
 * seed).  Allocation always takes the lowest free port.
 */
typedef struct _NaPorts NaPorts;

NaPorts *na_ports_new      (guint flow_max);
void     na_ports_free     (NaPorts *ports);
/* The lowest free port, or 0 when all flow_max are taken. */
guint    na_ports_alloc    (NaPorts *ports);
void     na_ports_release  (NaPorts *ports, guint port);
gboolean na_ports_is_used  (NaPorts *ports, guint port);
guint    na_ports_count    (NaPorts *ports);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NaPorts, na_ports_free)

G_END_DECLS
