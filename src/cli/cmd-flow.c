/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include <netagent/netagent-channel.h>
#include <netagent/netagent-names.h>

#include "na-glib-compat.h"
#include "nactl-flow-options.h"
#include "nactl-flow-session.h"
#include "nactl-resolve.h"
#include "nactl.h"

/* The channel's number in the command, as NETAGENT_CHANNEL_FD_ENV says. */
#define CHANNEL_FD 3

/* Assignment keys handed to the command as environment variables. */
static const struct {
  const char *key;
  const char *variable;
} assignment_env[] = {
  { "flow-uuid",           "NETAGENT_FLOW_UUID" },
  { "nexus-instance",      "NETAGENT_NEXUS_INSTANCE" },
  { "nexus-port",          "NETAGENT_NEXUS_PORT" },
  { "local-ether-address", "NETAGENT_LOCAL_ETHER" },
  { "local-endpoint",      "NETAGENT_LOCAL_ENDPOINT" },
  { "remote-endpoint",     "NETAGENT_REMOTE_ENDPOINT" },
  { "channel-type",        "NETAGENT_CHANNEL_TYPE" },
  { "tap-name",            "NETAGENT_TAP_NAME" },
};

typedef struct {
  GMainLoop   *loop;
  GSubprocess *child;
  gboolean     child_done;
} Run;

static void
flow_ended_cb (NactlFlowSession *session, const char *reason, gpointer user_data)
{
  g_printerr (_("%s: flow %s ended before the command: %s (%s)\n"), g_get_prgname (),
              nactl_flow_session_get_uuid (session), nactl_flow_end_reason_describe (reason),
              reason);
}

static void
child_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error))
    g_warning ("waiting for the command: %s", error->message);
  run->child_done = TRUE;
  g_main_loop_quit (run->loop);
}

/* SIGTERM and SIGHUP are for netagentctl and its command alike. */
static gboolean
forward_signal_cb (gpointer user_data, int signum)
{
  Run *run = user_data;

  if (run->child && !run->child_done)
    g_subprocess_send_signal (run->child, signum);
  return G_SOURCE_CONTINUE;
}

static gboolean
sigterm_cb (gpointer user_data)
{
  return forward_signal_cb (user_data, SIGTERM);
}

static gboolean
sighup_cb (gpointer user_data)
{
  return forward_signal_cb (user_data, SIGHUP);
}

/*
 * SIGINT from the terminal reaches the command too (same process group):
 * netagentctl only waits for it to end, then removes the flow.
 */
static gboolean
sigint_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
set_assignment_env (GSubprocessLauncher *launcher, GVariant *assignment)
{
  for (gsize i = 0; i < G_N_ELEMENTS (assignment_env); i++)
    {
      g_autoptr(GVariant) value = g_variant_lookup_value (assignment, assignment_env[i].key, NULL);
      g_autofree char *text = NULL;

      if (value == NULL)
        continue;
      if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        text = g_variant_dup_string (value, NULL);
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
        text = g_strdup_printf ("%" G_GUINT32_FORMAT, g_variant_get_uint32 (value));
      else
        continue;
      g_subprocess_launcher_setenv (launcher, assignment_env[i].variable, text, TRUE);
    }
}

static int
exit_status_of (GSubprocess *child)
{
  if (g_subprocess_get_if_exited (child))
    return g_subprocess_get_exit_status (child);
  if (g_subprocess_get_if_signaled (child))
    return 128 + g_subprocess_get_term_sig (child);
  return NACTL_EXIT_FAILURE;
}

static int
flow_open (NactlContext *ctx, int argc, char **argv)
{
  g_auto(NactlFlowOptions) flow = { 0 };
  gboolean tap = FALSE;
  g_autofree char *tap_name = NULL;
  const GOptionEntry entries[] = {
    { "tap", 't', 0, G_OPTION_ARG_NONE, &tap,
      N_("Ask for a TAP device instead of a socketpair"), NULL },
    { "tap-name", 0, 0, G_OPTION_ARG_STRING, &tap_name,
      N_("Name for the TAP device (with --tap)"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    nactl_option_context_new ("flow open", N_("[--] COMMAND [ARG…]"),
                              _("Open a flow and run COMMAND with its channel as file "
                                "descriptor 3.\n\n"
                                "The environment of COMMAND has NETAGENT_CHANNEL_FD=3, "
                                "NETAGENT_FLOW_UUID, NETAGENT_FLOW_PATH, NETAGENT_AGENT_PATH, "
                                "NETAGENT_INTERFACE, NETAGENT_LOCAL_ETHER, NETAGENT_NEXUS_PORT, "
                                "NETAGENT_CHANNEL_TYPE and, as they apply, NETAGENT_ETHERTYPE, "
                                "NETAGENT_LOCAL_ENDPOINT, NETAGENT_REMOTE_ENDPOINT and "
                                "NETAGENT_TAP_NAME. The flow lives as long as COMMAND; "
                                "netagentctl then removes it and exits with COMMAND’s status."),
                              NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *agent = NULL;
  g_autoptr(NactlFlowSession) session = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GVariant) interface = NULL;
  g_autoptr(GPtrArray) command = g_ptr_array_new ();
  g_autofd int child_channel = -1;
  Run run = { 0 };
  guint sources[3];
  int status;

  nactl_flow_options_add (&flow, context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  /* Options end at COMMAND: its own options are its own. */
  g_option_context_set_strict_posix (context, TRUE);
  if (!nactl_parse_options (context, "flow open", &argc, &argv))
    return NACTL_EXIT_USAGE;
  if (!nactl_flow_options_check (&flow, &error))
    return nactl_report_error ("flow open", error);
  if (tap_name && !tap)
    return nactl_usage_error ("flow open", _("--tap-name needs --tap"));
  for (int i = 1; i < argc; i++)
    if (i > 1 || !g_str_equal (argv[i], "--"))
      g_ptr_array_add (command, argv[i]);
  if (command->len == 0)
    return nactl_usage_error ("flow open", _("Name the command to run"));
  g_ptr_array_add (command, NULL);

  agent = nactl_pick_agent (ctx, flow.agent, flow.interface, &error);
  if (agent == NULL)
    return nactl_report_error ("flow open", error);
  interface = nactl_get_property (ctx, agent, NETAGENT_DBUS_INTERFACE_AGENT, "Interface", &error);
  if (interface == NULL)
    return nactl_report_error ("flow open", error);

  session = nactl_flow_session_open (ctx, agent,
                                     nactl_flow_options_to_parameters (&flow,
                                                                       tap ? NETAGENT_CHANNEL_TAP : NULL,
                                                                       tap_name),
                                     &error);
  if (session == NULL)
    return nactl_report_error ("flow open", error);
  if (nactl_flow_session_get_channel (session) < 0)
    {
      g_printerr (_("%s flow open: netagentd handed over no channel\n"), g_get_prgname ());
      nactl_flow_session_remove (session, NULL);
      return NACTL_EXIT_FAILURE;
    }

  /*
   * The command gets its own copy of the channel; netagentctl keeps one,
   * so the flow lasts until the command ends even if it closes fd 3 early
   * (and the end is a FlowRemove, not a hang-up).
   */
  child_channel = fcntl (nactl_flow_session_get_channel (session), F_DUPFD_CLOEXEC, 0);
  if (child_channel < 0)
    {
      int errsv = errno;

      g_printerr ("%s flow open: %s\n", g_get_prgname (), g_strerror (errsv));
      nactl_flow_session_remove (session, NULL);
      return NACTL_EXIT_FAILURE;
    }

  /* The command is netagentctl's stand-in: same stdin, stdout and stderr. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_subprocess_launcher_take_fd (launcher, g_steal_fd (&child_channel), CHANNEL_FD);
  g_subprocess_launcher_setenv (launcher, NETAGENT_CHANNEL_FD_ENV, G_STRINGIFY (CHANNEL_FD), TRUE);
  g_subprocess_launcher_setenv (launcher, "NETAGENT_FLOW_PATH",
                                nactl_flow_session_get_path (session), TRUE);
  g_subprocess_launcher_setenv (launcher, "NETAGENT_AGENT_PATH", agent, TRUE);
  if (g_variant_is_of_type (interface, G_VARIANT_TYPE_STRING))
    g_subprocess_launcher_setenv (launcher, "NETAGENT_INTERFACE",
                                  g_variant_get_string (interface, NULL), TRUE);
  if (flow.ethertype_arg)
    {
      g_autofree char *ethertype = g_strdup_printf ("0x%04x", flow.ethertype);

      g_subprocess_launcher_setenv (launcher, "NETAGENT_ETHERTYPE", ethertype, TRUE);
    }
  set_assignment_env (launcher, nactl_flow_session_get_assignment (session));

  run.loop = g_main_loop_new (NULL, FALSE);
  sources[0] = g_unix_signal_add (SIGINT, sigint_cb, &run);
  sources[1] = g_unix_signal_add (SIGTERM, sigterm_cb, &run);
  sources[2] = g_unix_signal_add (SIGHUP, sighup_cb, &run);

  run.child = g_subprocess_launcher_spawnv (launcher, (const char *const *) command->pdata, &error);
  /* The launcher holds the command's copy of the channel: close it here. */
  g_clear_object (&launcher);
  if (run.child == NULL)
    {
      status = g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT) ? 127 : 126;
      g_printerr ("%s flow open: %s\n", g_get_prgname (), error->message);
      g_clear_error (&error);
    }
  else
    {
      nactl_flow_session_set_ended_func (session, flow_ended_cb, NULL);
      g_subprocess_wait_async (run.child, NULL, child_done_cb, &run);
      g_main_loop_run (run.loop);
      status = exit_status_of (run.child);
      /* A command that ended because its flow did (end-of-file) gets told
       * why, even if the signal is still on its way. */
      nactl_flow_session_sync (session);
      nactl_flow_session_set_ended_func (session, NULL, NULL);
    }

  if (!nactl_flow_session_remove (session, &error))
    nactl_report_error ("flow open", error);

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    g_source_remove (sources[i]);
  g_clear_object (&run.child);
  g_main_loop_unref (run.loop);
  return status;
}

static int
flow_remove (NactlContext *ctx, int argc, char **argv)
{
  gboolean abort_flow = FALSE;
  const GOptionEntry entries[] = {
    { "abort", 0, 0, G_OPTION_ARG_NONE, &abort_flow,
      N_("End it with FlowAbort (reason “aborted”)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    nactl_option_context_new ("flow remove", N_("FLOW"),
                              _("End a flow (FlowRemove). FLOW is an object path or the "
                                "flow’s uuid. Ending another user’s flow needs the "
                                "flow-delegate authorization."),
                              entries);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GVariant) props = NULL;
  g_autoptr(NaDbusNetAgent1Agent) proxy = NULL;
  const char *agent = NULL, *uuid = NULL;
  gboolean ok;

  if (!nactl_parse_options (context, "flow remove", &argc, &argv))
    return NACTL_EXIT_USAGE;
  if (argc < 2)
    return nactl_usage_error ("flow remove", _("Name the flow"));
  if (argc > 2)
    return nactl_usage_error ("flow remove", _("Unexpected argument “%s”"), argv[2]);

  path = nactl_resolve (ctx, argv[1], NACTL_OBJECT_FLOW, NULL, &error);
  if (path)
    props = nactl_get_all_properties (ctx, path, NETAGENT_DBUS_INTERFACE_FLOW, &error);
  if (props == NULL)
    return nactl_report_error ("flow remove", error);
  if (!g_variant_lookup (props, "Agent", "&o", &agent) ||
      !g_variant_lookup (props, "Uuid", "&s", &uuid))
    {
      g_printerr (_("%s flow remove: netagentd did not say which agent holds %s\n"),
                  g_get_prgname (), path);
      return NACTL_EXIT_FAILURE;
    }

  proxy = nactl_agent_proxy (ctx, agent, &error);
  if (proxy == NULL)
    return nactl_report_error ("flow remove", error);
  if (abort_flow)
    ok = na_dbus_net_agent1_agent_call_flow_abort_sync (proxy, uuid, NACTL_CALL_FLAGS,
                                                        NACTL_CALL_TIMEOUT, NULL, &error);
  else
    ok = na_dbus_net_agent1_agent_call_flow_remove_sync (proxy, uuid, NACTL_CALL_FLAGS,
                                                         NACTL_CALL_TIMEOUT, NULL, &error);
  if (!ok)
    return nactl_report_error ("flow remove", error);
  return NACTL_EXIT_OK;
}

static const struct {
  const char *name;
  int (*func) (NactlContext *ctx, int argc, char **argv);
  const char *summary;
} flow_commands[] = {
  { "open",   flow_open,   N_("Open a flow and run a command with its channel") },
  { "remove", flow_remove, N_("End a flow") },
};

static void
print_flow_help (FILE *out)
{
  fprintf (out, _("Usage:\n  %s [OPTION…] flow COMMAND [OPTION…]\n\nCommands:\n"),
           g_get_prgname ());
  for (gsize i = 0; i < G_N_ELEMENTS (flow_commands); i++)
    fprintf (out, "  %-8s %s\n", flow_commands[i].name, _(flow_commands[i].summary));
  fprintf (out, _("\nRun “%s flow COMMAND --help” for a command’s options.\n"), g_get_prgname ());
}

int
nactl_cmd_flow (NactlContext *ctx, int argc, char **argv)
{
  if (argc < 2)
    {
      print_flow_help (stderr);
      return NACTL_EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_flow_help (stdout);
      return NACTL_EXIT_OK;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (flow_commands); i++)
    if (g_str_equal (argv[1], flow_commands[i].name))
      return flow_commands[i].func (ctx, argc - 1, argv + 1);
  return nactl_usage_error ("flow", _("Unknown command “%s”"), argv[1]);
}
