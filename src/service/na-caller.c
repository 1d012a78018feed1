/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-caller"

#include <glib/gi18n-lib.h>

#include "na-caller.h"
#include "na-error.h"

void
na_caller_free (NaCaller *caller)
{
  if (caller == NULL)
    return;
  g_free (caller->bus_name);
  g_free (caller);
}

static void
credentials_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(GTask) task = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) creds = NULL;
  g_autoptr(NaCaller) caller = g_new0 (NaCaller, 1);

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), res, &error);
  if (reply == NULL)
    {
      g_task_return_new_error (task, NA_ERROR, NA_ERROR_FAILED,
                               _("Cannot identify the caller: %s"), error->message);
      return;
    }
  g_variant_get (reply, "(@a{sv})", &creds);
  /* Both are needed: the uid to authorize and own, the pid for the seed's
   * duplicate rule.  A bus that cannot tell is refused, not guessed. */
  if (!g_variant_lookup (creds, "UnixUserID", "u", &caller->uid) ||
      !g_variant_lookup (creds, "ProcessID", "u", &caller->pid))
    {
      g_task_return_new_error (task, NA_ERROR, NA_ERROR_FAILED,
                               _("Cannot identify the caller: the bus does not "
                                 "give its user and process id"));
      return;
    }
  caller->bus_name = g_strdup (g_task_get_task_data (task));
  g_task_return_pointer (task, g_steal_pointer (&caller), (GDestroyNotify) na_caller_free);
}

void
na_caller_get_async (GDBusMethodInvocation *invocation,
                     GCancellable          *cancellable,
                     GAsyncReadyCallback    callback,
                     gpointer               user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  const char *sender = g_dbus_method_invocation_get_sender (invocation);

  g_task_set_task_data (task, g_strdup (sender), g_free);
  g_dbus_connection_call (g_dbus_method_invocation_get_connection (invocation),
                          "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "GetConnectionCredentials",
                          g_variant_new ("(s)", sender), G_VARIANT_TYPE ("(a{sv})"),
                          G_DBUS_CALL_FLAGS_NONE, -1, cancellable,
                          credentials_cb, task);
}

NaCaller *
na_caller_get_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  NaOwners *owners;
  char     *bus_name;
  guint     watch_id;
  guint     holds;
} Owner;

struct _NaOwners {
  GDBusConnection     *connection;
  GHashTable          *by_name;   /* bus name → Owner */
  NaOwnerVanishedFunc  vanished;
  gpointer             user_data;
};

static void
owner_free (gpointer data)
{
  Owner *o = data;

  if (o->watch_id)
    g_bus_unwatch_name (o->watch_id);
  g_free (o->bus_name);
  g_free (o);
}

NaOwners *
na_owners_new (GDBusConnection *connection, NaOwnerVanishedFunc vanished, gpointer user_data)
{
  NaOwners *owners = g_new0 (NaOwners, 1);

  owners->connection = g_object_ref (connection);
  owners->by_name = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, owner_free);
  owners->vanished = vanished;
  owners->user_data = user_data;
  return owners;
}

void
na_owners_free (NaOwners *owners)
{
  if (owners == NULL)
    return;
  g_hash_table_unref (owners->by_name);
  g_object_unref (owners->connection);
  g_free (owners);
}

static void
name_vanished_cb (GDBusConnection *connection, const char *name, gpointer data)
{
  Owner *o = data;
  NaOwners *owners = o->owners;
  g_autofree char *bus_name = g_strdup (name);

  g_debug ("%s left the bus", bus_name);
  /* Forget it first: the callback releases the holds of its flows. */
  g_hash_table_remove (owners->by_name, bus_name);
  owners->vanished (bus_name, owners->user_data);
}

void
na_owners_hold (NaOwners *owners, const char *bus_name)
{
  Owner *o = g_hash_table_lookup (owners->by_name, bus_name);

  if (o == NULL)
    {
      o = g_new0 (Owner, 1);
      o->owners = owners;
      o->bus_name = g_strdup (bus_name);
      g_hash_table_insert (owners->by_name, o->bus_name, o);
      /* If the name is already gone, GIO reports it as vanished from the
       * main loop: a client that quits mid-call still loses its flows. */
      o->watch_id = g_bus_watch_name_on_connection (owners->connection, bus_name,
                                                    G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                    NULL, name_vanished_cb, o, NULL);
    }
  o->holds++;
}

void
na_owners_release (NaOwners *owners, const char *bus_name)
{
  Owner *o = g_hash_table_lookup (owners->by_name, bus_name);

  if (o == NULL)
    return;  /* it vanished already */
  if (--o->holds == 0)
    g_hash_table_remove (owners->by_name, bus_name);
}
