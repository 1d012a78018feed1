/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include <netagent/netagent-names.h>

#include "nactl-json.h"
#include "nactl.h"

typedef struct {
  NactlContext *ctx;
  GMainLoop    *loop;
  gboolean      json;
} Monitor;

static const char *const name_owner_changed_args[] = { "name", "old_owner", "new_owner" };

/* Argument names of a signal, from the interface's introspection data. */
static const char *
arg_name (const char *interface, const char *signal, guint index)
{
  GDBusInterfaceInfo *info = NULL;
  GDBusSignalInfo *signal_info;

  if (g_strcmp0 (interface, NETAGENT_DBUS_INTERFACE) == 0)
    info = na_dbus_net_agent1_interface_info ();
  else if (g_strcmp0 (interface, NETAGENT_DBUS_INTERFACE_AGENT) == 0)
    info = na_dbus_net_agent1_agent_interface_info ();
  else if (g_strcmp0 (signal, "NameOwnerChanged") == 0 &&
           index < G_N_ELEMENTS (name_owner_changed_args))
    return name_owner_changed_args[index];

  if (info == NULL)
    return NULL;
  signal_info = g_dbus_interface_info_lookup_signal (info, signal);
  if (signal_info == NULL || signal_info->args == NULL)
    return NULL;
  for (guint i = 0; signal_info->args[i]; i++)
    if (i == index)
      return signal_info->args[i]->name;
  return NULL;
}

/* An argument on one line: arrays as [a,b], the rest as text. */
static void
append_text (GString *out, GVariant *value)
{
  if (g_variant_is_container (value) && !g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      gsize n = g_variant_n_children (value);

      g_string_append_c (out, '[');
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

          if (i)
            g_string_append_c (out, ',');
          append_text (out, child);
        }
      g_string_append_c (out, ']');
    }
  else if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) ||
           g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH))
    g_string_append (out, g_variant_get_string (value, NULL));
  else
    {
      g_autofree char *text = g_variant_print (value, FALSE);

      g_string_append (out, text);
    }
}

static char *
arg_key (const char *interface, const char *signal, guint index)
{
  const char *name = arg_name (interface, signal, index);

  return name ? g_strdup (name) : g_strdup_printf ("arg%u", index);
}

static void
signal_cb (GDBusConnection *connection,
           const char      *sender,
           const char      *path,
           const char      *interface,
           const char      *signal,
           GVariant        *parameters,
           gpointer         user_data)
{
  Monitor *m = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%f%:z");
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean on_agent = g_strcmp0 (interface, NETAGENT_DBUS_INTERFACE_AGENT) == 0;
  gsize n = g_variant_n_children (parameters);

  if (m->json)
    {
      g_string_append (out, "{\"time\":");
      nactl_json_append_string (out, time);
      g_string_append (out, ",\"signal\":");
      nactl_json_append_string (out, signal);
      g_string_append (out, ",\"interface\":");
      nactl_json_append_string (out, interface);
      g_string_append (out, ",\"path\":");
      nactl_json_append_string (out, path);
      g_string_append (out, ",\"args\":{");
      for (gsize i = 0; i < n; i++)
        {
          g_autoptr(GVariant) arg = g_variant_get_child_value (parameters, i);
          g_autofree char *key = arg_key (interface, signal, (guint) i);

          if (i)
            g_string_append_c (out, ',');
          nactl_json_append_string (out, key);
          g_string_append_c (out, ':');
          nactl_json_append_variant (out, arg);
        }
      g_string_append (out, "}}");
      nactl_print_json (out);
      return;
    }

  g_string_append_printf (out, "%s %s", time, signal);
  /* Flow signals come from an agent's object: say which. */
  if (on_agent)
    g_string_append_printf (out, " agent=%s", path);
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GVariant) arg = g_variant_get_child_value (parameters, i);
      g_autofree char *key = arg_key (interface, signal, (guint) i);

      g_string_append_printf (out, " %s=", key);
      append_text (out, arg);
    }
  g_string_append_c (out, '\n');
  fputs (out->str, stdout);
  fflush (stdout);
}

static gboolean
stop_cb (gpointer user_data)
{
  Monitor *m = user_data;

  g_main_loop_quit (m->loop);
  return G_SOURCE_CONTINUE;
}

int
nactl_cmd_monitor (NactlContext *ctx, int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per line"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    nactl_option_context_new ("monitor", NULL,
                              _("Print the signals of netagentd’s manager and of every agent "
                                "as they come, one line each with a timestamp, until "
                                "interrupted."),
                              entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) has_owner = NULL;
  GDBusConnection *connection;
  Monitor m = { .ctx = ctx };
  guint subscriptions[3];
  gboolean running = FALSE;
  guint sigint, sigterm;

  if (!nactl_parse_options (context, "monitor", &argc, &argv))
    return NACTL_EXIT_USAGE;
  if (argc > 1)
    return nactl_usage_error ("monitor", _("Unexpected argument “%s”"), argv[1]);
  m.json = json || ctx->json;

  connection = nactl_context_get_connection (ctx, &error);
  if (connection == NULL)
    return nactl_report_error ("monitor", error);

  m.loop = g_main_loop_new (NULL, FALSE);
  subscriptions[0] =
    g_dbus_connection_signal_subscribe (connection, NETAGENT_DBUS_NAME, NETAGENT_DBUS_INTERFACE,
                                        NULL, NETAGENT_DBUS_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        signal_cb, &m, NULL);
  subscriptions[1] =
    g_dbus_connection_signal_subscribe (connection, NETAGENT_DBUS_NAME,
                                        NETAGENT_DBUS_INTERFACE_AGENT, NULL, NULL, NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE, signal_cb, &m, NULL);
  subscriptions[2] =
    g_dbus_connection_signal_subscribe (connection, "org.freedesktop.DBus",
                                        "org.freedesktop.DBus", "NameOwnerChanged",
                                        "/org/freedesktop/DBus", NETAGENT_DBUS_NAME,
                                        G_DBUS_SIGNAL_FLAGS_NONE, signal_cb, &m, NULL);
  sigint = g_unix_signal_add (SIGINT, stop_cb, &m);
  sigterm = g_unix_signal_add (SIGTERM, stop_cb, &m);

  /*
   * The bus handles a connection's messages in order: once this answer is
   * back, the match rules above are in place, so the line below means no
   * later signal is missed.  It also tells whether the daemon runs.
   */
  has_owner = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                           "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                           "NameHasOwner", g_variant_new ("(s)", NETAGENT_DBUS_NAME),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, &error);
  if (has_owner == NULL)
    {
      int status = nactl_report_error ("monitor", error);

      for (guint i = 0; i < G_N_ELEMENTS (subscriptions); i++)
        g_dbus_connection_signal_unsubscribe (connection, subscriptions[i]);
      g_source_remove (sigint);
      g_source_remove (sigterm);
      g_main_loop_unref (m.loop);
      return status;
    }
  g_variant_get (has_owner, "(b)", &running);
  if (running)
    g_printerr (_("Monitoring %s (netagentd is running); Ctrl-C to stop.\n"), NETAGENT_DBUS_NAME);
  else
    g_printerr (_("Monitoring %s (netagentd is not running); Ctrl-C to stop.\n"),
                NETAGENT_DBUS_NAME);

  g_main_loop_run (m.loop);

  for (guint i = 0; i < G_N_ELEMENTS (subscriptions); i++)
    g_dbus_connection_signal_unsubscribe (connection, subscriptions[i]);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_main_loop_unref (m.loop);
  return NACTL_EXIT_OK;
}
