/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <glib/gi18n.h>

#include <netagent/netagent-names.h>

#include "na-types.h"
#include "nactl-json.h"
#include "nactl-parse.h"
#include "nactl-resolve.h"
#include "nactl.h"

int
nactl_cmd_register (NactlContext *ctx, int argc, char **argv)
{
  g_auto(GStrv) feature_args = NULL;
  g_autofree char *flow_max_arg = NULL;
  g_autofree char *description = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *type = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "features", 'f', 0, G_OPTION_ARG_STRING_ARRAY, &feature_args,
      N_("What the agent offers, comma-separated: custom-ether, ipv6-ula, filter "
         "(default: custom-ether)"), N_("LIST") },
    { "flow-max", 'm', 0, G_OPTION_ARG_STRING, &flow_max_arg,
      N_("Most flows at once (default: 126)"), "N" },
    { "description", 'd', 0, G_OPTION_ARG_STRING, &description,
      N_("Description of the agent"), N_("TEXT") },
    { "domain", 0, 0, G_OPTION_ARG_STRING, &domain,
      N_("Domain of the agent (default: Skywalk)"), N_("TEXT") },
    { "type", 0, 0, G_OPTION_ARG_STRING, &type,
      N_("Type of the agent (default: NetIf)"), N_("TEXT") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    nactl_option_context_new ("register", N_("IFACE"),
                              _("Register an agent on the network interface IFACE and print "
                                "its object path."),
                              entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(NaDbusNetAgent1) manager = NULL;
  g_autofree char *agent = NULL;
  GVariantDict options;

  if (!nactl_parse_options (context, "register", &argc, &argv))
    return NACTL_EXIT_USAGE;
  if (argc < 2)
    return nactl_usage_error ("register", _("Name the network interface"));
  if (argc > 2)
    return nactl_usage_error ("register", _("Unexpected argument “%s”"), argv[2]);
  json |= ctx->json;

  g_variant_dict_init (&options, NULL);
  if (feature_args)
    {
      g_auto(GStrv) features = nactl_split_list ((const char *const *) feature_args);

      for (gsize i = 0; features[i]; i++)
        if (na_feature_from_string (features[i]) == NA_FEATURE_NONE)
          {
            g_variant_dict_clear (&options);
            return nactl_usage_error ("register",
                                      _("Unknown feature “%s” (known: %s, %s, %s)"),
                                      features[i], NETAGENT_FEATURE_CUSTOM_ETHER,
                                      NETAGENT_FEATURE_IPV6_ULA, NETAGENT_FEATURE_FILTER);
          }
      g_variant_dict_insert_value (&options, "features",
                                   g_variant_new_strv ((const char *const *) features, -1));
    }
  if (flow_max_arg)
    {
      guint64 flow_max;

      if (!nactl_parse_uint ("--flow-max", flow_max_arg, 1, NETAGENT_FLOW_MAX_LIMIT,
                             &flow_max, &error))
        {
          g_variant_dict_clear (&options);
          return nactl_report_error ("register", error);
        }
      g_variant_dict_insert (&options, "flow-max", "u", (guint32) flow_max);
    }
  if (description)
    g_variant_dict_insert (&options, "description", "s", description);
  if (domain)
    g_variant_dict_insert (&options, "domain", "s", domain);
  if (type)
    g_variant_dict_insert (&options, "type", "s", type);

  manager = nactl_manager_proxy (ctx, &error);
  if (manager == NULL ||
      !na_dbus_net_agent1_call_register_sync (manager, argv[1], g_variant_dict_end (&options),
                                              NACTL_CALL_FLAGS, NACTL_CALL_TIMEOUT, &agent,
                                              NULL, &error))
    {
      g_variant_dict_clear (&options);
      return nactl_report_error ("register", error);
    }

  if (json)
    {
      g_autoptr(GString) out = g_string_new ("{\"agent\":");

      nactl_json_append_string (out, agent);
      g_string_append_c (out, '}');
      nactl_print_json (out);
    }
  else
    g_print ("%s\n", agent);
  return NACTL_EXIT_OK;
}

int
nactl_cmd_unregister (NactlContext *ctx, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    nactl_option_context_new ("unregister", N_("AGENT"),
                              _("Unregister an agent; its flows end (reason “purged”).\n\n"
                                "AGENT is an object path, the name of the agent’s network "
                                "interface, or the agent’s uuid."),
                              NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(NaDbusNetAgent1) manager = NULL;
  g_autofree char *agent = NULL;

  if (!nactl_parse_options (context, "unregister", &argc, &argv))
    return NACTL_EXIT_USAGE;
  if (argc < 2)
    return nactl_usage_error ("unregister", _("Name the agent"));
  if (argc > 2)
    return nactl_usage_error ("unregister", _("Unexpected argument “%s”"), argv[2]);

  /* A path goes to the daemon as it is: it answers NotFound itself. */
  if (argv[1][0] == '/' && g_variant_is_object_path (argv[1]))
    agent = g_strdup (argv[1]);
  else
    agent = nactl_resolve (ctx, argv[1], NACTL_OBJECT_AGENT, NULL, &error);
  if (agent == NULL)
    return nactl_report_error ("unregister", error);

  manager = nactl_manager_proxy (ctx, &error);
  if (manager == NULL ||
      !na_dbus_net_agent1_call_unregister_sync (manager, agent, NACTL_CALL_FLAGS,
                                                NACTL_CALL_TIMEOUT, NULL, &error))
    return nactl_report_error ("unregister", error);
  return NACTL_EXIT_OK;
}
