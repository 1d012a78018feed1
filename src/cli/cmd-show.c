/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include <netagent/netagent-names.h>

#include "nactl-format.h"
#include "nactl-json.h"
#include "nactl-resolve.h"
#include "nactl.h"

static gboolean
has_key (GVariant *dict, const char *key)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (dict, key, NULL);

  return value != NULL;
}

/*
 * Properties in the order of the interface's XML (the generated
 * introspection data), then any the daemon has that this netagentctl
 * does not know yet.
 */
static GPtrArray *
ordered_names (GDBusInterfaceInfo *info, GVariant *props)
{
  GPtrArray *names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GVariantIter iter;
  const char *name;

  for (guint i = 0; info->properties && info->properties[i]; i++)
    if (has_key (props, info->properties[i]->name))
      {
        g_ptr_array_add (names, info->properties[i]->name);
        g_hash_table_add (seen, info->properties[i]->name);
      }
  g_variant_iter_init (&iter, props);
  while (g_variant_iter_next (&iter, "{&sv}", &name, NULL))
    if (!g_hash_table_contains (seen, name))
      g_ptr_array_add (names, (gpointer) name);
  return names;
}

static void
print_text (const char *title, const char *path, GDBusInterfaceInfo *info, GVariant *props)
{
  g_autoptr(GPtrArray) names = ordered_names (info, props);
  int width = 0;

  for (guint i = 0; i < names->len; i++)
    width = MAX (width, (int) strlen (names->pdata[i]) + 1);

  g_print ("%s %s\n", title, path);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = names->pdata[i];
      g_autoptr(GVariant) value = g_variant_lookup_value (props, name, NULL);

      /* A dictionary (Statistics) gets a line per key, indented below. */
      if (g_variant_is_of_type (value, G_VARIANT_TYPE ("a{s*}")))
        {
          GVariantIter iter;
          const char *key;
          GVariant *child;
          int key_width = 0;

          g_print ("  %s:\n", name);
          g_variant_iter_init (&iter, value);
          while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
            {
              key_width = MAX (key_width, (int) strlen (key) + 1);
              g_variant_unref (child);
            }
          g_variant_iter_init (&iter, value);
          while (g_variant_iter_next (&iter, "{&s@*}", &key, &child))
            {
              g_autofree char *text = nactl_format_value (child);
              g_autofree char *label = g_strconcat (key, ":", NULL);

              g_print ("    %-*s %s\n", key_width, label, text);
              g_variant_unref (child);
            }
        }
      else
        {
          g_autofree char *text = nactl_format_property (name, value);
          g_autofree char *label = g_strconcat (name, ":", NULL);

          g_print ("  %-*s %s\n", width, label, text);
        }
    }
}

static void
print_json (const char *kind, const char *path, const char *interface, GVariant *props)
{
  g_autoptr(GString) out = g_string_new ("{\"path\":");

  nactl_json_append_string (out, path);
  g_string_append (out, ",\"kind\":");
  nactl_json_append_string (out, kind);
  g_string_append (out, ",\"interface\":");
  nactl_json_append_string (out, interface);
  g_string_append (out, ",\"properties\":");
  nactl_json_append_variant (out, props);
  g_string_append_c (out, '}');
  nactl_print_json (out);
}

int
nactl_cmd_show (NactlContext *ctx, int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    nactl_option_context_new ("show", N_("AGENT|FLOW"),
                              _("Show every property of an agent or a flow, its counters "
                                "included.\n\n"
                                "AGENT is an object path, the name of the agent’s network "
                                "interface, or the agent’s uuid; FLOW is an object path or "
                                "the flow’s uuid."),
                              entries);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GVariant) props = NULL;
  NactlObjectKind kind = 0;
  const char *interface;
  GDBusInterfaceInfo *info;

  if (!nactl_parse_options (context, "show", &argc, &argv))
    return NACTL_EXIT_USAGE;
  if (argc < 2)
    return nactl_usage_error ("show", _("Name an agent or a flow"));
  if (argc > 2)
    return nactl_usage_error ("show", _("Unexpected argument “%s”"), argv[2]);
  json |= ctx->json;

  path = nactl_resolve (ctx, argv[1], NACTL_OBJECT_AGENT | NACTL_OBJECT_FLOW, &kind, &error);
  if (path == NULL)
    return nactl_report_error ("show", error);

  if (kind == NACTL_OBJECT_AGENT)
    {
      interface = NETAGENT_DBUS_INTERFACE_AGENT;
      info = na_dbus_net_agent1_agent_interface_info ();
    }
  else
    {
      interface = NETAGENT_DBUS_INTERFACE_FLOW;
      info = na_dbus_net_agent1_flow_interface_info ();
    }

  /* GetAll, not the ObjectManager's snapshot: Statistics is computed when read. */
  props = nactl_get_all_properties (ctx, path, interface, &error);
  if (props == NULL)
    return nactl_report_error ("show", error);

  if (json)
    print_json (kind == NACTL_OBJECT_AGENT ? "agent" : "flow", path, interface, props);
  else
    print_text (kind == NACTL_OBJECT_AGENT ? _("Agent") : _("Flow"), path, info, props);
  return NACTL_EXIT_OK;
}
