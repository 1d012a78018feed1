/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include <netagent/netagent-names.h>

#include "na-error.h"
#include "nactl.h"

void
nactl_context_clear (NactlContext *ctx)
{
  if (ctx->connection)
    {
      /* Let queued messages (a last FlowRemove) reach the bus. */
      g_dbus_connection_flush_sync (ctx->connection, NULL, NULL);
    }
  g_clear_object (&ctx->connection);
}

GDBusConnection *
nactl_context_get_connection (NactlContext *ctx, GError **error)
{
  if (ctx->connection == NULL)
    {
      ctx->connection = g_bus_get_sync (ctx->bus_type, NULL, error);
      if (ctx->connection == NULL)
        return NULL;
      /* netagentctl decides how to end when the bus goes away. */
      g_dbus_connection_set_exit_on_close (ctx->connection, FALSE);
    }
  return ctx->connection;
}

GVariant *
nactl_call (NactlContext        *ctx,
            const char          *path,
            const char          *interface,
            const char          *method,
            GVariant            *parameters,
            const GVariantType  *reply_type,
            GError             **error)
{
  GDBusConnection *connection = nactl_context_get_connection (ctx, error);

  if (connection == NULL)
    {
      if (parameters)
        g_variant_unref (g_variant_ref_sink (parameters));
      return NULL;
    }
  return g_dbus_connection_call_sync (connection, NETAGENT_DBUS_NAME, path, interface, method,
                                      parameters, reply_type, NACTL_CALL_FLAGS,
                                      NACTL_CALL_TIMEOUT, NULL, error);
}

GVariant *
nactl_get_all_properties (NactlContext  *ctx,
                          const char    *path,
                          const char    *interface,
                          GError       **error)
{
  g_autoptr(GVariant) reply = nactl_call (ctx, path, "org.freedesktop.DBus.Properties", "GetAll",
                                          g_variant_new ("(s)", interface),
                                          G_VARIANT_TYPE ("(a{sv})"), error);
  GVariant *props = NULL;

  if (reply)
    g_variant_get (reply, "(@a{sv})", &props);
  return props;
}

GVariant *
nactl_get_property (NactlContext  *ctx,
                    const char    *path,
                    const char    *interface,
                    const char    *name,
                    GError       **error)
{
  g_autoptr(GVariant) reply = nactl_call (ctx, path, "org.freedesktop.DBus.Properties", "Get",
                                          g_variant_new ("(ss)", interface, name),
                                          G_VARIANT_TYPE ("(v)"), error);
  GVariant *value = NULL;

  if (reply)
    g_variant_get (reply, "(v)", &value);
  return value;
}

/* Proxies for calls only: no property cache to fill, no signals. */
#define PROXY_FLAGS (G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES | \
                     G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS)

NaDbusNetAgent1 *
nactl_manager_proxy (NactlContext *ctx, GError **error)
{
  GDBusConnection *connection = nactl_context_get_connection (ctx, error);

  if (connection == NULL)
    return NULL;
  return na_dbus_net_agent1_proxy_new_sync (connection, PROXY_FLAGS, NETAGENT_DBUS_NAME,
                                            NETAGENT_DBUS_PATH, NULL, error);
}

NaDbusNetAgent1Agent *
nactl_agent_proxy (NactlContext *ctx, const char *agent_path, GError **error)
{
  GDBusConnection *connection = nactl_context_get_connection (ctx, error);

  if (connection == NULL)
    return NULL;
  return na_dbus_net_agent1_agent_proxy_new_sync (connection, PROXY_FLAGS, NETAGENT_DBUS_NAME,
                                                  agent_path, NULL, error);
}

/* ---- reporting ----------------------------------------------------------- */

char *
nactl_error_short_name (const GError *error)
{
  g_autofree char *name = g_dbus_error_get_remote_error (error);
  const char *dot;

  /* Errors made here in NA_ERROR speak the contract's names too. */
  if (name == NULL && error->domain == NA_ERROR)
    name = g_dbus_error_encode_gerror (error);
  if (name == NULL)
    return NULL;
  dot = strrchr (name, '.');
  return g_strdup (dot ? dot + 1 : name);
}

int
nactl_report_error (const char *command, const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);
  g_autofree char *short_name = nactl_error_short_name (error);
  g_autofree char *prefix = command ? g_strdup_printf ("%s %s", g_get_prgname (), command)
                                    : g_strdup (g_get_prgname ());

  if (error->domain == G_OPTION_ERROR)
    return nactl_usage_error (command, "%s", error->message);

  g_dbus_error_strip_remote_error (copy);
  if (short_name)
    g_printerr ("%s: %s (%s)\n", prefix, copy->message, short_name);
  else
    g_printerr ("%s: %s\n", prefix, copy->message);
  return NACTL_EXIT_FAILURE;
}

int
nactl_usage_error (const char *command, const char *format, ...)
{
  g_autofree char *message = NULL;
  g_autofree char *full = command ? g_strdup_printf ("%s %s", g_get_prgname (), command)
                                  : g_strdup (g_get_prgname ());
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", full, message);
  g_printerr (_("Try “%s --help” for more information.\n"), full);
  return NACTL_EXIT_USAGE;
}

/* ---- commands ------------------------------------------------------------ */

GOptionContext *
nactl_option_context_new (const char         *command,
                          const char         *parameters,
                          const char         *summary,
                          const GOptionEntry *entries)
{
  g_autofree char *usage = g_strdup_printf ("%s [OPTION…]%s%s", command,
                                            parameters ? " " : "",
                                            parameters ? parameters : "");
  GOptionContext *context = g_option_context_new (usage);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary)
    g_option_context_set_summary (context, summary);
  if (entries)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

gboolean
nactl_parse_options (GOptionContext  *context,
                     const char      *command,
                     int             *argc,
                     char          ***argv)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;
  nactl_usage_error (command, "%s", error->message);
  return FALSE;
}

void
nactl_print_json (GString *json)
{
  g_string_append_c (json, '\n');
  fputs (json->str, stdout);
  fflush (stdout);
}
