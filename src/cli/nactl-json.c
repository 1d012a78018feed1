/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <math.h>

#include "nactl-json.h"

void
nactl_json_append_string (GString *out, const char *str)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) str; *p; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          /* The rest of U+0000..U+001F must be escaped; UTF-8 goes as is. */
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

/* A dictionary key is always a JSON string: text of whatever basic type. */
static void
append_key (GString *out, GVariant *key)
{
  if (g_variant_is_of_type (key, G_VARIANT_TYPE_STRING) ||
      g_variant_is_of_type (key, G_VARIANT_TYPE_OBJECT_PATH) ||
      g_variant_is_of_type (key, G_VARIANT_TYPE_SIGNATURE))
    nactl_json_append_string (out, g_variant_get_string (key, NULL));
  else
    {
      g_autoptr(GString) text = g_string_new (NULL);

      nactl_json_append_variant (text, key);
      nactl_json_append_string (out, text->str);
    }
}

static void
append_double (GString *out, double d)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (d))
    g_string_append (out, "null");
  else
    g_string_append (out, g_ascii_dtostr (buf, sizeof buf, d));
}

void
nactl_json_append_variant (GString *out, GVariant *value)
{
  const GVariantType *type = g_variant_get_type (value);

  switch (g_variant_classify (value))
    {
    case G_VARIANT_CLASS_BOOLEAN:
      g_string_append (out, g_variant_get_boolean (value) ? "true" : "false");
      return;
    case G_VARIANT_CLASS_BYTE:
      g_string_append_printf (out, "%u", g_variant_get_byte (value));
      return;
    case G_VARIANT_CLASS_INT16:
      g_string_append_printf (out, "%d", g_variant_get_int16 (value));
      return;
    case G_VARIANT_CLASS_UINT16:
      g_string_append_printf (out, "%u", g_variant_get_uint16 (value));
      return;
    case G_VARIANT_CLASS_INT32:
      g_string_append_printf (out, "%" G_GINT32_FORMAT, g_variant_get_int32 (value));
      return;
    case G_VARIANT_CLASS_UINT32:
      g_string_append_printf (out, "%" G_GUINT32_FORMAT, g_variant_get_uint32 (value));
      return;
    case G_VARIANT_CLASS_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, g_variant_get_int64 (value));
      return;
    case G_VARIANT_CLASS_UINT64:
      g_string_append_printf (out, "%" G_GUINT64_FORMAT, g_variant_get_uint64 (value));
      return;
    case G_VARIANT_CLASS_HANDLE:
      g_string_append_printf (out, "%" G_GINT32_FORMAT, g_variant_get_handle (value));
      return;
    case G_VARIANT_CLASS_DOUBLE:
      append_double (out, g_variant_get_double (value));
      return;
    case G_VARIANT_CLASS_STRING:
    case G_VARIANT_CLASS_OBJECT_PATH:
    case G_VARIANT_CLASS_SIGNATURE:
      nactl_json_append_string (out, g_variant_get_string (value, NULL));
      return;
    case G_VARIANT_CLASS_VARIANT:
      {
        g_autoptr(GVariant) inner = g_variant_get_variant (value);

        nactl_json_append_variant (out, inner);
        return;
      }
    case G_VARIANT_CLASS_MAYBE:
      {
        g_autoptr(GVariant) inner = g_variant_get_maybe (value);

        if (inner == NULL)
          g_string_append (out, "null");
        else
          nactl_json_append_variant (out, inner);
        return;
      }
    case G_VARIANT_CLASS_ARRAY:
      if (g_variant_type_is_dict_entry (g_variant_type_element (type)))
        {
          gsize n = g_variant_n_children (value);

          g_string_append_c (out, '{');
          for (gsize i = 0; i < n; i++)
            {
              g_autoptr(GVariant) entry = g_variant_get_child_value (value, i);
              g_autoptr(GVariant) key = g_variant_get_child_value (entry, 0);
              g_autoptr(GVariant) val = g_variant_get_child_value (entry, 1);

              if (i)
                g_string_append_c (out, ',');
              append_key (out, key);
              g_string_append_c (out, ':');
              nactl_json_append_variant (out, val);
            }
          g_string_append_c (out, '}');
          return;
        }
      G_GNUC_FALLTHROUGH;
    case G_VARIANT_CLASS_TUPLE:
    case G_VARIANT_CLASS_DICT_ENTRY:
      {
        gsize n = g_variant_n_children (value);

        g_string_append_c (out, '[');
        for (gsize i = 0; i < n; i++)
          {
            g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

            if (i)
              g_string_append_c (out, ',');
            nactl_json_append_variant (out, child);
          }
        g_string_append_c (out, ']');
        return;
      }
    }
  g_assert_not_reached ();
}
