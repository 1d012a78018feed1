/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>

#include "na-config.h"

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

/*
 * Apply a configuration (taking it): its per-user flow quota from now on,
 * and its rules for automatic registration, on the links present now and
 * on every link that appears (or is renamed) later.  Agents already
 * registered stay as they are.
 */
void       na_manager_set_config (NaManager *manager,
                                  NaConfig  *config);

/* Unregister every agent (their flows end "purged", TAP devices go). */
void       na_manager_shutdown (NaManager *manager);

G_END_DECLS
