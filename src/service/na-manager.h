/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The daemon's service: io.netagentd.NetAgent1 at /io/netagentd/NetAgent1
 * with an ObjectManager for its agents and flows, following the links
 * they sit on.
 */
#define NA_TYPE_MANAGER (na_manager_get_type ())
G_DECLARE_FINAL_TYPE (NaManager, na_manager, NA, MANAGER, GObject)

NaManager *na_manager_new      (GDBusConnection *connection,
                                GError         **error);

/* Flows one uid may hold across all agents; 0: no limit. */
void       na_manager_set_user_flow_quota (NaManager *manager, guint quota);

/* Register an agent as the Register method would, without a caller (the
 * configuration's automatic registration). */
gboolean   na_manager_register (NaManager  *manager,
                                const char *interface,
                                GVariant   *options,
                                GError    **error);

/* Unregister every agent (their flows end "purged", TAP devices go). */
void       na_manager_shutdown (NaManager *manager);

G_END_DECLS
