/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n.h>

#include "na-error.h"
#include "nactl.h"

static const struct {
  const char       *name;
  NactlCommandFunc  func;
  const char       *summary;
} commands[] = {
  { "list",       nactl_cmd_list,       N_("List the registered agents") },
  { "show",       nactl_cmd_show,       N_("Show an agent or a flow") },
  { "register",   nactl_cmd_register,   N_("Register an agent on a network interface") },
  { "unregister", nactl_cmd_unregister, N_("Unregister an agent") },
  { "monitor",    nactl_cmd_monitor,    N_("Print netagentd’s signals as they come") },
  { "flow",       nactl_cmd_flow,       N_("Open a flow for a command, or end a flow") },
  { "capture",    nactl_cmd_capture,    N_("Write a flow’s frames to a pcap file") },
  { "send",       nactl_cmd_send,       N_("Send frames through a flow") },
};

static char *
commands_description (void)
{
  GString *out = g_string_new (_("Commands:\n"));

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (out, "  %-11s %s\n", commands[i].name, _(commands[i].summary));
  g_string_append_printf (out, "  %-11s %s\n", "help", _("Show the help of a command"));
  g_string_append_printf (out, _("\nRun “%s COMMAND --help” for a command’s options.\n"),
                          g_get_prgname ());
  return g_string_free (out, FALSE);
}

static NactlCommandFunc
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return commands[i].func;
  return NULL;
}

/* `help COMMAND` is `COMMAND --help`. */
static int
run_help (NactlContext *ctx, GOptionContext *context, int argc, char **argv)
{
  NactlCommandFunc func;
  char *help_argv[] = { argv[1], (char *) "--help", NULL };

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      fputs (help, stdout);
      return 0;
    }
  func = find_command (argv[1]);
  if (func == NULL)
    return nactl_usage_error (NULL, _("Unknown command “%s”"), argv[1]);
  return func (ctx, 2, help_argv);
}

int
main (int argc, char **argv)
{
  NactlContext ctx = { .bus_type = G_BUS_TYPE_SYSTEM };
  gboolean system_bus = FALSE, session_bus = FALSE, json = FALSE, version = FALSE;
  const GOptionEntry entries[] = {
    { "system", 0, 0, G_OPTION_ARG_NONE, &system_bus,
      N_("Talk to netagentd on the system bus (the default)"), NULL },
    { "session", 0, 0, G_OPTION_ARG_NONE, &session_bus,
      N_("Talk to netagentd on the session bus (for development)"), NULL },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON (list, show, register, monitor)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  NactlCommandFunc func;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("netagentctl");

  /* Daemon errors come back as NA_ERROR codes once the domain is known. */
  (void) NA_ERROR;

  context = g_option_context_new (_("COMMAND [OPTION…] [ARG…]"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Manage netagentd’s agents and flows: lend one slice of a "
                                  "network interface — one ethertype or one IPv6 ULA pair — "
                                  "to unprivileged programs."));
  description = commands_description ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Global options come before the command; what follows is the command's. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return nactl_usage_error (NULL, "%s", error->message);

  if (version)
    {
      g_print ("%s %s\n", g_get_prgname (), PACKAGE_VERSION);
      return NACTL_EXIT_OK;
    }
  if (system_bus && session_bus)
    return nactl_usage_error (NULL, _("--system and --session exclude each other"));
  if (session_bus)
    ctx.bus_type = G_BUS_TYPE_SESSION;
  ctx.json = json;

  if (argc < 2)
    return nactl_usage_error (NULL, _("Name a command"));
  if (g_str_equal (argv[1], "help"))
    return run_help (&ctx, context, argc - 1, argv + 1);
  func = find_command (argv[1]);
  if (func == NULL)
    return nactl_usage_error (NULL, _("Unknown command “%s”"), argv[1]);

  status = func (&ctx, argc - 1, argv + 1);
  nactl_context_clear (&ctx);
  return status;
}
