/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <unistd.h>

#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>

#include <netagent/netagent-names.h>

#include "na-error.h"
#include "na-types.h"
#include "nactl-flow-session.h"

struct _NactlFlowSession {
  NactlContext         *ctx;
  GDBusConnection      *connection;
  NaDbusNetAgent1Agent *agent;
  char                 *agent_path;
  char                  uuid[NA_UUID_STRLEN];
  char                 *path;
  GVariant             *assignment;
  int                   channel;
  guint                 removed_id;
  guint                 owner_id;
  char                 *end_reason;
  NactlFlowEndedFunc    ended_func;
  gpointer              ended_data;
};

static void
ended (NactlFlowSession *self, const char *reason)
{
  if (self->end_reason)
    return;
  self->end_reason = g_strdup (reason);
  if (self->ended_func)
    self->ended_func (self, reason, self->ended_data);
}

static void
flow_removed_cb (GDBusConnection *connection,
                 const char      *sender,
                 const char      *path,
                 const char      *interface,
                 const char      *signal,
                 GVariant        *parameters,
                 gpointer         user_data)
{
  NactlFlowSession *self = user_data;
  const char *uuid, *flow, *reason;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(sos)")))
    return;
  g_variant_get (parameters, "(&s&o&s)", &uuid, &flow, &reason);
  if (g_str_equal (uuid, self->uuid))
    ended (self, reason);
}

static void
owner_changed_cb (GDBusConnection *connection,
                  const char      *sender,
                  const char      *path,
                  const char      *interface,
                  const char      *signal,
                  GVariant        *parameters,
                  gpointer         user_data)
{
  NactlFlowSession *self = user_data;
  const char *name, *old_owner, *new_owner;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(sss)")))
    return;
  g_variant_get (parameters, "(&s&s&s)", &name, &old_owner, &new_owner);
  /* The daemon forgets all its flows when it goes. */
  if (g_str_equal (name, NETAGENT_DBUS_NAME) && old_owner[0] != '\0')
    ended (self, NACTL_REASON_DAEMON_VANISHED);
}

static void
watch (NactlFlowSession *self)
{
  self->removed_id =
    g_dbus_connection_signal_subscribe (self->connection, NETAGENT_DBUS_NAME,
                                        NETAGENT_DBUS_INTERFACE_AGENT, "FlowRemoved",
                                        self->agent_path, self->uuid,
                                        G_DBUS_SIGNAL_FLAGS_NONE, flow_removed_cb, self, NULL);
  self->owner_id =
    g_dbus_connection_signal_subscribe (self->connection, "org.freedesktop.DBus",
                                        "org.freedesktop.DBus", "NameOwnerChanged",
                                        "/org/freedesktop/DBus", NETAGENT_DBUS_NAME,
                                        G_DBUS_SIGNAL_FLAGS_NONE, owner_changed_cb, self, NULL);
}

NactlFlowSession *
nactl_flow_session_open (NactlContext  *ctx,
                         const char    *agent_path,
                         GVariant      *parameters,
                         GError       **error)
{
  g_autoptr(NactlFlowSession) self = g_new0 (NactlFlowSession, 1);
  g_autoptr(GVariant) params = g_variant_ref_sink (parameters);
  g_autoptr(GUnixFDList) fds = NULL;
  gint32 handle;

  self->ctx = ctx;
  self->channel = -1;
  self->agent_path = g_strdup (agent_path);
  na_uuid_generate (self->uuid);

  self->connection = nactl_context_get_connection (ctx, error);
  if (self->connection == NULL)
    return NULL;
  g_object_ref (self->connection);
  self->agent = nactl_agent_proxy (ctx, agent_path, error);
  if (self->agent == NULL)
    return NULL;

  watch (self);
  if (!na_dbus_net_agent1_agent_call_flow_insert_sync (self->agent, self->uuid, params,
                                                       NACTL_CALL_FLAGS, NACTL_CALL_TIMEOUT,
                                                       NULL, &self->path, &self->assignment,
                                                       &fds, NULL, error))
    return NULL;

  if (g_variant_lookup (self->assignment, "channel", "h", &handle))
    {
      if (fds == NULL || handle < 0 || handle >= g_unix_fd_list_get_length (fds))
        {
          g_set_error (error, NA_ERROR, NA_ERROR_FAILED,
                       _("netagentd's reply names channel %d but carries no such file descriptor"),
                       handle);
          nactl_flow_session_remove (self, NULL);
          return NULL;
        }
      self->channel = g_unix_fd_list_get (fds, handle, error);
      if (self->channel < 0)
        {
          nactl_flow_session_remove (self, NULL);
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

const char *
nactl_flow_session_get_uuid (NactlFlowSession *self)
{
  return self->uuid;
}

const char *
nactl_flow_session_get_path (NactlFlowSession *self)
{
  return self->path;
}

const char *
nactl_flow_session_get_agent (NactlFlowSession *self)
{
  return self->agent_path;
}

GVariant *
nactl_flow_session_get_assignment (NactlFlowSession *self)
{
  return self->assignment;
}

int
nactl_flow_session_get_channel (NactlFlowSession *self)
{
  return self->channel;
}

void
nactl_flow_session_set_ended_func (NactlFlowSession   *self,
                                   NactlFlowEndedFunc  func,
                                   gpointer            user_data)
{
  self->ended_func = func;
  self->ended_data = user_data;
}

const char *
nactl_flow_session_get_end_reason (NactlFlowSession *self)
{
  return self->end_reason;
}

static void
dispatch_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
nactl_flow_session_sync (NactlFlowSession *self)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  /*
   * A call the daemon answers from its main loop, where it also emits
   * FlowRemoved: the answer comes after any signal sent before.  (Not
   * Peer.Ping, which GDBus answers from its own thread, ahead of them.)
   */
  reply = g_dbus_connection_call_sync (self->connection, NETAGENT_DBUS_NAME, NETAGENT_DBUS_PATH,
                                       "org.freedesktop.DBus.Properties", "Get",
                                       g_variant_new ("(ss)", NETAGENT_DBUS_INTERFACE, "Version"),
                                       NULL, NACTL_CALL_FLAGS | G_DBUS_CALL_FLAGS_NO_AUTO_START,
                                       -1, NULL, &error);
  if (reply == NULL)
    g_debug ("sync with netagentd: %s", error->message);
  dispatch_pending ();
}

gboolean
nactl_flow_session_remove (NactlFlowSession *self, GError **error)
{
  g_autoptr(GError) local = NULL;

  dispatch_pending ();
  if (self->end_reason == NULL)
    {
      if (!na_dbus_net_agent1_agent_call_flow_remove_sync (self->agent, self->uuid,
                                                           NACTL_CALL_FLAGS, NACTL_CALL_TIMEOUT,
                                                           NULL, &local))
        {
          /* Ended on its own while we asked: then there is nothing to remove. */
          nactl_flow_session_sync (self);
          if (self->end_reason == NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
        }
      else
        {
          g_free (self->end_reason);
          self->end_reason = g_strdup (NETAGENT_REASON_REMOVED);
        }
    }
  if (self->channel >= 0)
    {
      close (self->channel);
      self->channel = -1;
    }
  return TRUE;
}

void
nactl_flow_session_free (NactlFlowSession *self)
{
  if (self == NULL)
    return;
  if (self->connection)
    {
      if (self->removed_id)
        g_dbus_connection_signal_unsubscribe (self->connection, self->removed_id);
      if (self->owner_id)
        g_dbus_connection_signal_unsubscribe (self->connection, self->owner_id);
    }
  if (self->channel >= 0)
    close (self->channel);
  g_clear_object (&self->agent);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->assignment, g_variant_unref);
  g_free (self->agent_path);
  g_free (self->path);
  g_free (self->end_reason);
  g_free (self);
}

const char *
nactl_flow_end_reason_describe (const char *reason)
{
  if (g_strcmp0 (reason, NETAGENT_REASON_REMOVED) == 0)
    return _("it was removed (FlowRemove)");
  if (g_strcmp0 (reason, NETAGENT_REASON_ABORTED) == 0)
    return _("it was aborted (FlowAbort)");
  if (g_strcmp0 (reason, NETAGENT_REASON_OWNER_VANISHED) == 0)
    return _("its owner left the bus");
  if (g_strcmp0 (reason, NETAGENT_REASON_CHANNEL_CLOSED) == 0)
    return _("its channel was closed");
  if (g_strcmp0 (reason, NETAGENT_REASON_PURGED) == 0)
    return _("its agent was unregistered or its interface went away");
  if (g_strcmp0 (reason, NACTL_REASON_DAEMON_VANISHED) == 0)
    return _("netagentd left the bus");
  return _("for a reason netagentctl does not know");
}
