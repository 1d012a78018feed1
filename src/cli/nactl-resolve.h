/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "nactl.h"

G_BEGIN_DECLS

/*
 * How a user names an agent or a flow on the command line: an object
 * path, an agent's network interface (FindAgent), or a uuid (the Uuid
 * property of an agent or a flow).  An unknown name is NA_ERROR_NOT_FOUND,
 * as the daemon would say.
 */

typedef enum {
  NACTL_OBJECT_AGENT = 1 << 0,
  NACTL_OBJECT_FLOW  = 1 << 1,
} NactlObjectKind;

/* GetManagedObjects of netagentd's ObjectManager: a{oa{sa{sv}}}. */
GVariant *nactl_get_managed_objects (NactlContext     *ctx,
                                     GError          **error);

/*
 * The object path @spec names among the kinds in @kinds; *@kind (may be
 * NULL) tells which it is.
 */
char     *nactl_resolve             (NactlContext     *ctx,
                                     const char       *spec,
                                     NactlObjectKind   kinds,
                                     NactlObjectKind  *kind,
                                     GError          **error);

/*
 * The agent a flow command works on: --agent AGENT, --interface IFACE
 * (at most one of them), or when neither is given the only agent there is.
 */
char     *nactl_pick_agent          (NactlContext     *ctx,
                                     const char       *agent,
                                     const char       *interface,
                                     GError          **error);

G_END_DECLS
