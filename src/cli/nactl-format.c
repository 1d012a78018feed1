/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <netagent/netagent-flags.h>

#include "nactl-format.h"

/* ---- aligned tables ---------------------------------------------------- */

struct _NactlTable {
  guint      n_columns;
  GPtrArray *rows;       /* of GStrv, the header first */
};

NactlTable *
nactl_table_new (const char *const *headers)
{
  NactlTable *self = g_new0 (NactlTable, 1);

  self->n_columns = g_strv_length ((char **) headers);
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_ptr_array_add (self->rows, g_strdupv ((char **) headers));
  return self;
}

void
nactl_table_add_row (NactlTable *self, const char *const *cells)
{
  char **row = g_new0 (char *, self->n_columns + 1);

  for (guint i = 0; i < self->n_columns; i++)
    row[i] = g_strdup (cells[i] ? cells[i] : "-");
  g_ptr_array_add (self->rows, row);
}

char *
nactl_table_render (NactlTable *self)
{
  g_autofree glong *widths = g_new0 (glong, self->n_columns);
  GString *out = g_string_new (NULL);

  for (guint r = 0; r < self->rows->len; r++)
    {
      char **row = self->rows->pdata[r];

      for (guint c = 0; c < self->n_columns; c++)
        widths[c] = MAX (widths[c], g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < self->rows->len; r++)
    {
      char **row = self->rows->pdata[r];
      gsize line_start = out->len;

      for (guint c = 0; c < self->n_columns; c++)
        {
          g_string_append (out, row[c]);
          if (c + 1 < self->n_columns)
            {
              glong pad = widths[c] - g_utf8_strlen (row[c], -1) + 2;

              for (glong i = 0; i < pad; i++)
                g_string_append_c (out, ' ');
            }
        }
      /* Padding before empty last cells would only be trailing blanks. */
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

void
nactl_table_free (NactlTable *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->rows);
  g_free (self);
}

/* ---- values ------------------------------------------------------------ */

#define FLAG(name) { NETAGENT_FLAG_##name, #name }
const NactlFlagName nactl_agent_flag_names[] = {
  FLAG (REGISTERED),
  FLAG (ACTIVE),
  FLAG (NETWORK_PROVIDER),
  FLAG (NEXUS_PROVIDER),
  FLAG (NEXUS_LISTENER),
  FLAG (CUSTOM_ETHER_NEXUS),
  FLAG (INTERPOSE_NEXUS),
  { 0, NULL }
};
#undef FLAG

#define FLAG(name) { NETAGENT_NEXUS_FLAG_##name, #name }
const NactlFlagName nactl_nexus_flag_names[] = {
  FLAG (SUPPORTS_USER_PACKET_POOL),
  FLAG (ASSERT_UNSUPPORTED),
  FLAG (SHOULD_USE_EVENT_RING),
  { 0, NULL }
};
#undef FLAG

char *
nactl_flags_to_string (guint32 flags, const NactlFlagName *names)
{
  GString *out = g_string_new (NULL);
  guint32 rest = flags;
  gboolean first = TRUE;

  g_string_append_printf (out, "0x%" G_GINT32_MODIFIER "x", flags);
  if (flags == 0)
    return g_string_free (out, FALSE);

  g_string_append (out, " (");
  for (const NactlFlagName *n = names; n->name; n++)
    if ((flags & n->value) == n->value)
      {
        g_string_append_printf (out, "%s%s", first ? "" : ", ", n->name);
        rest &= ~n->value;
        first = FALSE;
      }
  if (rest)
    g_string_append_printf (out, "%s0x%" G_GINT32_MODIFIER "x", first ? "" : ", ", rest);
  g_string_append_c (out, ')');
  return g_string_free (out, FALSE);
}

char *
nactl_format_value (GVariant *value)
{
  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      return g_strdup (g_variant_get_boolean (value) ? "yes" : "no");
    case G_VARIANT_CLASS_BYTE:
      return g_strdup_printf ("%u", g_variant_get_byte (value));
    case G_VARIANT_CLASS_INT16:
      return g_strdup_printf ("%d", g_variant_get_int16 (value));
    case G_VARIANT_CLASS_UINT16:
      return g_strdup_printf ("%u", g_variant_get_uint16 (value));
    case G_VARIANT_CLASS_INT32:
      return g_strdup_printf ("%" G_GINT32_FORMAT, g_variant_get_int32 (value));
    case G_VARIANT_CLASS_UINT32:
      return g_strdup_printf ("%" G_GUINT32_FORMAT, g_variant_get_uint32 (value));
    case G_VARIANT_CLASS_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, g_variant_get_int64 (value));
    case G_VARIANT_CLASS_UINT64:
      return g_strdup_printf ("%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      {
        const char *str = g_variant_get_string (value, NULL);

        return g_strdup (str[0] ? str : "-");
      }
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr(GVariant) inner = g_variant_get_variant (value);

        return nactl_format_value (inner);
      }
    case G_VARIANT_CLASS_ARRAY:
      if (!g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (value))))
        {
          gsize n = g_variant_n_children (value);
          GString *out;

          if (n == 0)
            return g_strdup ("-");
          out = g_string_new (NULL);
          for (gsize i = 0; i < n; i++)
            {
              g_autoptr(GVariant) child = g_variant_get_child_value (value, i);
              g_autofree char *text = nactl_format_value (child);

              g_string_append_printf (out, "%s%s", i ? ", " : "", text);
            }
          return g_string_free (out, FALSE);
        }
      break;
    default:
      break;
    }
  return g_variant_print (value, FALSE);
}

char *
nactl_format_property (const char *name, GVariant *value)
{
  if (g_str_equal (name, "Flags") && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return nactl_flags_to_string (g_variant_get_uint32 (value), nactl_agent_flag_names);
  if (g_str_equal (name, "NexusFlags") && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return nactl_flags_to_string (g_variant_get_uint32 (value), nactl_nexus_flag_names);
  if (g_str_equal (name, "FrameType") && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    {
      guint32 type = g_variant_get_uint32 (value);

      if (type == NETAGENT_NEXUS_FRAME_TYPE_LINK)
        return g_strdup_printf ("%u (LINK)", type);
    }
  if (g_str_equal (name, "Ethertype") && g_variant_is_of_type (value, G_VARIANT_TYPE_UINT16))
    {
      guint16 ethertype = g_variant_get_uint16 (value);

      return ethertype ? g_strdup_printf ("0x%04x", ethertype) : g_strdup ("-");
    }
  return nactl_format_value (value);
}
