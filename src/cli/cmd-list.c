/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include <netagent/netagent-flags.h>
#include <netagent/netagent-names.h>

#include "nactl-format.h"
#include "nactl-json.h"
#include "nactl-resolve.h"
#include "nactl.h"

typedef struct {
  const char *path;
  GVariant   *props;    /* a{sv} of the Agent interface */
} AgentRow;

/* Agent/2 before Agent/10: by the number the daemon gave. */
static gint
compare_rows (gconstpointer a, gconstpointer b)
{
  const AgentRow *ra = a, *rb = b;
  const char *na = strrchr (ra->path, '/'), *nb = strrchr (rb->path, '/');
  guint64 ia = g_ascii_strtoull (na + 1, NULL, 10), ib = g_ascii_strtoull (nb + 1, NULL, 10);

  if (ia != ib)
    return ia < ib ? -1 : 1;
  return strcmp (ra->path, rb->path);
}

static const char *
lookup_str (GVariant *props, const char *key)
{
  const char *value = NULL;

  g_variant_lookup (props, key, "&s", &value);
  return value;
}

static guint32
lookup_u32 (GVariant *props, const char *key)
{
  guint32 value = 0;

  g_variant_lookup (props, key, "u", &value);
  return value;
}

static char *
lookup_strv_joined (GVariant *props, const char *key, const char *separator)
{
  g_autofree const char **strv = NULL;

  if (!g_variant_lookup (props, key, "^a&s", &strv))
    return NULL;
  return g_strjoinv (separator, (char **) strv);
}

static void
print_table (GArray *rows)
{
  const char *headers[] = {
    _("PATH"), _("INTERFACE"), _("UUID"), _("FEATURES"), _("FLAGS"), _("ACTIVE"), _("FLOWS"), NULL
  };
  g_autoptr(NactlTable) table = nactl_table_new (headers);
  g_autofree char *text = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      AgentRow *row = &g_array_index (rows, AgentRow, i);
      guint32 flags = lookup_u32 (row->props, "Flags");
      g_autofree char *features = lookup_strv_joined (row->props, "Features", ",");
      g_autofree char *flags_text = g_strdup_printf ("0x%04x", flags);
      g_autofree char *flows = g_strdup_printf ("%u/%u", lookup_u32 (row->props, "FlowCount"),
                                                lookup_u32 (row->props, "FlowMax"));
      const char *cells[] = {
        row->path,
        lookup_str (row->props, "Interface"),
        lookup_str (row->props, "Uuid"),
        features,
        flags_text,
        (flags & NETAGENT_FLAG_ACTIVE) ? _("yes") : _("no"),
        flows,
      };

      nactl_table_add_row (table, cells);
    }
  text = nactl_table_render (table);
  fputs (text, stdout);
}

static void
json_member (GString *out, const char *key, gboolean first)
{
  if (!first)
    g_string_append_c (out, ',');
  nactl_json_append_string (out, key);
  g_string_append_c (out, ':');
}

/* The table's columns under the contract's key style, values as typed. */
static void
print_json (GArray *rows)
{
  g_autoptr(GString) out = g_string_new ("[");

  for (guint i = 0; i < rows->len; i++)
    {
      AgentRow *row = &g_array_index (rows, AgentRow, i);
      static const struct { const char *key; const char *property; } members[] = {
        { "interface", "Interface" },
        { "uuid", "Uuid" },
        { "features", "Features" },
        { "flags", "Flags" },
        { "flow-count", "FlowCount" },
        { "flow-max", "FlowMax" },
      };

      if (i)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      json_member (out, "path", TRUE);
      nactl_json_append_string (out, row->path);
      for (gsize m = 0; m < G_N_ELEMENTS (members); m++)
        {
          g_autoptr(GVariant) value = g_variant_lookup_value (row->props, members[m].property, NULL);

          json_member (out, members[m].key, FALSE);
          if (value)
            nactl_json_append_variant (out, value);
          else
            g_string_append (out, "null");
        }
      json_member (out, "active", FALSE);
      g_string_append (out, (lookup_u32 (row->props, "Flags") & NETAGENT_FLAG_ACTIVE)
                            ? "true" : "false");
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, ']');
  nactl_print_json (out);
}

int
nactl_cmd_list (NactlContext *ctx, int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    nactl_option_context_new ("list", NULL, _("List the registered agents."), entries);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) objects = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (AgentRow));
  GVariantIter iter;
  const char *path;
  GVariant *interfaces;

  if (!nactl_parse_options (context, "list", &argc, &argv))
    return NACTL_EXIT_USAGE;
  if (argc > 1)
    return nactl_usage_error ("list", _("Unexpected argument “%s”"), argv[1]);
  json |= ctx->json;

  objects = nactl_get_managed_objects (ctx, &error);
  if (objects == NULL)
    return nactl_report_error ("list", error);

  g_variant_iter_init (&iter, objects);
  while (g_variant_iter_next (&iter, "{&o@a{sa{sv}}}", &path, &interfaces))
    {
      GVariant *props = g_variant_lookup_value (interfaces, NETAGENT_DBUS_INTERFACE_AGENT,
                                                G_VARIANT_TYPE_VARDICT);

      if (props)
        g_array_append_val (rows, ((AgentRow) { path, props }));
      g_variant_unref (interfaces);
    }
  g_array_sort (rows, compare_rows);

  if (json)
    print_json (rows);
  else
    print_table (rows);

  for (guint i = 0; i < rows->len; i++)
    g_variant_unref (g_array_index (rows, AgentRow, i).props);
  return NACTL_EXIT_OK;
}
