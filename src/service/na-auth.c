/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-auth"

#include <glib/gi18n-lib.h>
#if HAVE_POLKIT
#include <polkit/polkit.h>
#endif

#include <netagent/netagent-names.h>

#include "na-auth.h"
#include "na-error.h"

struct _NaAuth {
  GObject parent_instance;
#if HAVE_POLKIT
  PolkitAuthority *authority;   /* NULL until polkit answered, or if it failed */
#endif
};

G_DEFINE_FINAL_TYPE (NaAuth, na_auth, G_TYPE_OBJECT)

/* Every authorized call, and the action it needs. */
static const struct {
  const char *method;
  NaFlowType  flow_type;    /* FlowInsert only */
  gboolean    on_behalf;    /* for another process, or another's flow */
  const char *action;
} actions[] = {
  { "Register",   NA_FLOW_TYPE_NONE,         FALSE, NETAGENT_ACTION_REGISTER },
  { "Unregister", NA_FLOW_TYPE_NONE,         FALSE, NETAGENT_ACTION_REGISTER },
  { "FlowInsert", NA_FLOW_TYPE_CUSTOM_ETHER, FALSE, NETAGENT_ACTION_FLOW_INSERT },
  { "FlowInsert", NA_FLOW_TYPE_IPV6_ULA,     FALSE, NETAGENT_ACTION_FLOW_INSERT },
  { "FlowInsert", NA_FLOW_TYPE_FILTER,       FALSE, NETAGENT_ACTION_FLOW_FILTER },
  /* "pid": asked after the flow type's own action */
  { "FlowInsert", NA_FLOW_TYPE_CUSTOM_ETHER, TRUE,  NETAGENT_ACTION_FLOW_DELEGATE },
  { "FlowInsert", NA_FLOW_TYPE_IPV6_ULA,     TRUE,  NETAGENT_ACTION_FLOW_DELEGATE },
  { "FlowInsert", NA_FLOW_TYPE_FILTER,       TRUE,  NETAGENT_ACTION_FLOW_DELEGATE },
  /* Ending one's own flow needs nothing; another's needs this. */
  { "FlowRemove", NA_FLOW_TYPE_NONE,         TRUE,  NETAGENT_ACTION_FLOW_DELEGATE },
  { "FlowAbort",  NA_FLOW_TYPE_NONE,         TRUE,  NETAGENT_ACTION_FLOW_DELEGATE },
};

static const char *
action_for (const char *method, NaFlowType flow_type, gboolean on_behalf)
{
  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (actions[i].method, method) &&
        actions[i].flow_type == flow_type && actions[i].on_behalf == on_behalf)
      return actions[i].action;
  return NULL;
}

static void
na_auth_finalize (GObject *object)
{
#if HAVE_POLKIT
  NaAuth *self = NA_AUTH (object);

  g_clear_object (&self->authority);
#endif
  G_OBJECT_CLASS (na_auth_parent_class)->finalize (object);
}

static void
na_auth_class_init (NaAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = na_auth_finalize;
}

static void
na_auth_init (NaAuth *self)
{
}

NaAuth *
na_auth_new (void)
{
  return g_object_new (NA_TYPE_AUTH, NULL);
}

static void
deny (GTask *task, const char *action_id, const char *why)
{
  g_task_return_new_error (task, NA_ERROR, NA_ERROR_ACCESS_DENIED,
                           _("Not authorized to perform “%s”%s%s"),
                           action_id, why ? ": " : "", why ? why : "");
}

#if HAVE_POLKIT
static void
check_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PolkitAuthorizationResult) result = NULL;
  const char *action_id = g_task_get_task_data (task);

  result = polkit_authority_check_authorization_finish (POLKIT_AUTHORITY (source), res, &error);
  if (result == NULL)
    {
      g_warning ("polkit check of %s failed, denying: %s", action_id, error->message);
      deny (task, action_id, _("the authorization service could not be asked"));
    }
  else if (!polkit_authorization_result_get_is_authorized (result))
    deny (task, action_id, NULL);
  else
    g_task_return_boolean (task, TRUE);
}

static void
authority_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  NaAuth *self = g_task_get_source_object (task);
  GDBusMethodInvocation *invocation;
  const char *action_id = g_task_get_task_data (task);
  g_autoptr(PolkitSubject) subject = NULL;
  PolkitCheckAuthorizationFlags flags = POLKIT_CHECK_AUTHORIZATION_FLAGS_NONE;
  GCancellable *cancellable;

  if (self->authority == NULL)
    {
      self->authority = polkit_authority_get_finish (res, &error);
      if (self->authority == NULL)
        {
          g_warning ("cannot reach polkit, denying: %s", error->message);
          deny (task, action_id, _("the authorization service could not be asked"));
          return;
        }
    }

  invocation = g_object_get_data (G_OBJECT (task), "invocation");
  subject = polkit_system_bus_name_new (g_dbus_method_invocation_get_sender (invocation));
  if (g_dbus_message_get_flags (g_dbus_method_invocation_get_message (invocation)) &
      G_DBUS_MESSAGE_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION)
    flags |= POLKIT_CHECK_AUTHORIZATION_FLAGS_ALLOW_USER_INTERACTION;

  cancellable = g_task_get_cancellable (task);
  polkit_authority_check_authorization (self->authority, subject, action_id, NULL, flags,
                                        cancellable, check_cb, g_steal_pointer (&task));
}
#endif

void
na_auth_check_async (NaAuth                *self,
                     GDBusMethodInvocation *invocation,
                     guint32                caller_uid,
                     NaFlowType             flow_type,
                     gboolean               on_behalf,
                     GCancellable          *cancellable,
                     GAsyncReadyCallback    callback,
                     gpointer               user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  const char *method = g_dbus_method_invocation_get_method_name (invocation);
  const char *action_id = action_for (method, flow_type, on_behalf);

  if (action_id == NULL)
    {
      /* Fail closed: a call missing from the table is nobody's. */
      g_warning ("no authorization rule for %s, denying", method);
      g_task_return_new_error (task, NA_ERROR, NA_ERROR_ACCESS_DENIED,
                               _("Not authorized to call %s"), method);
      return;
    }
  g_task_set_task_data (task, g_strdup (action_id), g_free);

  if (caller_uid == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

#if HAVE_POLKIT
  g_object_set_data_full (G_OBJECT (task), "invocation",
                          g_object_ref (invocation), g_object_unref);
  if (self->authority == NULL)
    polkit_authority_get_async (cancellable, authority_cb, g_steal_pointer (&task));
  else
    authority_cb (NULL, NULL, g_steal_pointer (&task));
#else
  if (g_str_equal (action_id, NETAGENT_ACTION_FLOW_INSERT))
    g_task_return_boolean (task, TRUE);
  else
    deny (task, action_id, _("only root may (built without polkit)"));
#endif
}

gboolean
na_auth_check_finish (NaAuth        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
