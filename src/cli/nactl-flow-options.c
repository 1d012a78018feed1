/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <glib/gi18n.h>

#include <netagent/netagent-names.h>

#include "nactl-flow-options.h"
#include "nactl-parse.h"

void
nactl_flow_options_clear (NactlFlowOptions *options)
{
  g_clear_pointer (&options->agent, g_free);
  g_clear_pointer (&options->interface, g_free);
  g_clear_pointer (&options->ethertype_arg, g_free);
  g_clear_pointer (&options->local, g_free);
  g_clear_pointer (&options->remote, g_free);
}

void
nactl_flow_options_add (NactlFlowOptions *options,
                        GOptionContext   *context,
                        gboolean          with_ula)
{
  const GOptionEntry agent_entries[] = {
    { "agent", 'a', 0, G_OPTION_ARG_STRING, &options->agent,
      N_("The agent: object path, interface name or uuid (default: the only agent)"),
      N_("AGENT") },
    { "interface", 'i', 0, G_OPTION_ARG_STRING, &options->interface,
      N_("The agent on this network interface"), N_("IFACE") },
    { "ethertype", 'e', 0, G_OPTION_ARG_STRING, &options->ethertype_arg,
      N_("A custom-ether flow of this ethertype (0x88b5 or decimal)"), N_("TYPE") },
    { NULL }
  };
  const GOptionEntry ula_entries[] = {
    { "local", 'l', 0, G_OPTION_ARG_STRING, &options->local,
      N_("An ipv6-ula flow: the local IPv6 address"), N_("ADDRESS") },
    { "remote", 'r', 0, G_OPTION_ARG_STRING, &options->remote,
      N_("An ipv6-ula flow: the remote IPv6 address"), N_("ADDRESS") },
    { NULL }
  };

  g_option_context_add_main_entries (context, agent_entries, GETTEXT_PACKAGE);
  if (with_ula)
    g_option_context_add_main_entries (context, ula_entries, GETTEXT_PACKAGE);
}

gboolean
nactl_flow_options_check (NactlFlowOptions *options, GError **error)
{
  gboolean ula = options->local || options->remote;

  if (options->agent && options->interface)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--agent and --interface exclude each other"));
      return FALSE;
    }
  if (options->ethertype_arg && ula)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--ethertype excludes --local and --remote"));
      return FALSE;
    }
  if (options->ethertype_arg)
    return nactl_parse_ethertype ("--ethertype", options->ethertype_arg,
                                  &options->ethertype, error);
  if (ula)
    {
      if (options->local == NULL || options->remote == NULL)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                               _("an ipv6-ula flow needs both --local and --remote"));
          return FALSE;
        }
      return TRUE;
    }
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                       _("say what the flow carries: --ethertype, or --local and --remote"));
  return FALSE;
}

GVariant *
nactl_flow_options_to_parameters (NactlFlowOptions *options,
                                  const char       *channel_type,
                                  const char       *tap_name)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  if (options->ethertype_arg)
    {
      g_variant_dict_insert (&dict, "type", "s", NETAGENT_FEATURE_CUSTOM_ETHER);
      g_variant_dict_insert (&dict, "ethertype", "q", options->ethertype);
    }
  else
    {
      g_variant_dict_insert (&dict, "type", "s", NETAGENT_FEATURE_IPV6_ULA);
      g_variant_dict_insert (&dict, "local-address", "s", options->local);
      g_variant_dict_insert (&dict, "remote-address", "s", options->remote);
    }
  if (channel_type)
    g_variant_dict_insert (&dict, "channel-type", "s", channel_type);
  if (tap_name)
    g_variant_dict_insert (&dict, "tap-name", "s", tap_name);
  return g_variant_dict_end (&dict);
}

char *
nactl_flow_options_describe (NactlFlowOptions *options)
{
  if (options->ethertype_arg)
    return g_strdup_printf (_("ethertype 0x%04x"), options->ethertype);
  return g_strdup_printf (_("%s ↔ %s"), options->local, options->remote);
}
