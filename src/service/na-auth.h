/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>

#include "na-types.h"

G_BEGIN_DECLS

/*
 * Authorization of D-Bus callers: polkit, asked asynchronously about the
 * caller's unique bus name (never a pid, which can be recycled).  Any error
 * while asking denies.  Root is authorized without asking, as polkit itself
 * would (it holds CAP_NET_RAW anyway).  Built without polkit: root only,
 * except the flow-insert action, which anyone may use.
 */
#define NA_TYPE_AUTH (na_auth_get_type ())
G_DECLARE_FINAL_TYPE (NaAuth, na_auth, NA, AUTH, GObject)

NaAuth  *na_auth_new          (void);

/*
 * Is the caller of @invocation allowed what it asks?  The polkit action is
 * looked up in one table (na-auth.c) from the method called, the flow
 * type (FlowInsert) and whether the caller acts for someone else (a
 * delegated pid, another owner's flow); a call the table does not know
 * is denied.  @caller_uid: the caller's uid, from its bus credentials.
 */
void     na_auth_check_async  (NaAuth                *auth,
                               GDBusMethodInvocation *invocation,
                               guint32                caller_uid,
                               NaFlowType             flow_type,
                               gboolean               on_behalf,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data);
/* FALSE with NA_ERROR_ACCESS_DENIED when the caller may not. */
gboolean na_auth_check_finish (NaAuth        *auth,
                               GAsyncResult  *result,
                               GError       **error);

G_END_DECLS
