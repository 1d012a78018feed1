/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentd"

#include <locale.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include <netagent/netagent-names.h>

#include "na-config.h"
#include "na-error.h"
#include "na-manager.h"

#define DEFAULT_CONFIG SYSCONFDIR "/netagentd/netagentd.conf"

typedef struct {
  const char      *config_path;
  GMainLoop       *loop;
  GDBusConnection *connection;
  NaManager       *manager;
  gboolean         owned;      /* the bus name was ours */
  int              exit_code;
} Daemon;

/*
 * Every flow holds a file descriptor (two with a TAP device), so a
 * thousand flows need thousands: take what the hard limit allows.
 */
static void
raise_fd_limit (void)
{
  struct rlimit rl;

  if (getrlimit (RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= rl.rlim_max)
    return;
  rl.rlim_cur = rl.rlim_max;
  if (setrlimit (RLIMIT_NOFILE, &rl) < 0)
    g_warning ("cannot raise the open file limit: %s", g_strerror (errno));
}

static gboolean
on_stop_signal (gpointer data)
{
  Daemon *d = data;

  g_message ("stopping: unregistering every agent");
  if (d->manager)
    na_manager_shutdown (d->manager);
  g_main_loop_quit (d->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_reload_signal (gpointer data)
{
  Daemon *d = data;
  g_autoptr(GError) error = NULL;
  NaConfig *config = na_config_load (d->config_path, &error);

  if (config == NULL)
    {
      /* A running daemon keeps the configuration it has. */
      g_warning ("not reloading %s, it has errors:\n%s", d->config_path, error->message);
      return G_SOURCE_CONTINUE;
    }
  g_message ("reloaded %s", d->config_path);
  na_manager_set_config (d->manager, config);
  return G_SOURCE_CONTINUE;
}

static void
on_name_acquired (GDBusConnection *connection, const char *name, gpointer data)
{
  Daemon *d = data;

  d->owned = TRUE;
  g_message ("%s %s ready as %s", PACKAGE_NAME, PACKAGE_VERSION, name);
}

static void
on_name_lost (GDBusConnection *connection, const char *name, gpointer data)
{
  Daemon *d = data;

  if (connection == NULL)
    {
      g_warning ("lost the connection to the bus");
      d->exit_code = EXIT_FAILURE;
    }
  else if (d->owned)
    g_message ("replaced by another instance: stopping");
  else
    {
      g_warning ("cannot own %s (another instance? try --replace)", name);
      d->exit_code = EXIT_FAILURE;
    }
  if (d->manager)
    na_manager_shutdown (d->manager);
  g_main_loop_quit (d->loop);
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean verbose = FALSE;
  gboolean replace = FALSE;
  gboolean session_bus = FALSE;
  gboolean version = FALSE;
  g_autofree char *config_path = NULL;
  g_autoptr(NaConfig) config = NULL;
  Daemon d = { .exit_code = EXIT_SUCCESS };
  GBusNameOwnerFlags flags = G_BUS_NAME_OWNER_FLAGS_ALLOW_REPLACEMENT;
  guint owner_id;
  const GOptionEntry entries[] = {
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Log debugging messages"), NULL },
    { "replace", 'r', 0, G_OPTION_ARG_NONE, &replace, N_("Replace a running instance"), NULL },
    { "session-bus", 0, 0, G_OPTION_ARG_NONE, &session_bus,
      N_("Use the session bus instead of the system bus (for development)"), NULL },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_("Read the configuration from FILE instead of the default (see netagentd(8))"),
      N_("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
                                _("Lends one slice of a network interface — one ethertype or "
                                  "one IPv6 ULA pair — to unprivileged programs over D-Bus."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }
  if (version)
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (verbose)
    g_log_set_debug_enabled (TRUE);

  d.config_path = config_path ? config_path : DEFAULT_CONFIG;
  config = na_config_load (d.config_path, &error);
  if (config == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }

  raise_fd_limit ();
  /* Register the error domain before the first reply crosses the bus. */
  (void) NA_ERROR;

  d.connection = g_bus_get_sync (session_bus ? G_BUS_TYPE_SESSION : G_BUS_TYPE_SYSTEM,
                                 NULL, &error);
  if (d.connection == NULL)
    {
      g_printerr ("%s: cannot connect to the bus: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }
  g_dbus_connection_set_exit_on_close (d.connection, FALSE);

  d.manager = na_manager_new (d.connection, &error);
  if (d.manager == NULL)
    {
      g_printerr ("%s: %s\n", g_get_prgname (), error->message);
      return EXIT_FAILURE;
    }

  na_manager_set_config (d.manager, g_steal_pointer (&config));

  d.loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_stop_signal, &d);
  g_unix_signal_add (SIGINT, on_stop_signal, &d);
  g_unix_signal_add (SIGHUP, on_reload_signal, &d);

  if (replace)
    flags |= G_BUS_NAME_OWNER_FLAGS_REPLACE;
  /* Objects are exported before the name is owned: a client that sees the
   * name finds the service complete. */
  owner_id = g_bus_own_name_on_connection (d.connection, NETAGENT_DBUS_NAME, flags,
                                           on_name_acquired, on_name_lost, &d, NULL);
  g_main_loop_run (d.loop);

  g_bus_unown_name (owner_id);
  g_clear_object (&d.manager);
  /* Let FlowRemoved/AgentUnregistered reach the bus before leaving. */
  g_dbus_connection_flush_sync (d.connection, NULL, NULL);
  g_clear_object (&d.connection);
  g_main_loop_unref (d.loop);
  return d.exit_code;
}
