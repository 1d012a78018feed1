/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <string.h>

#include <glib/gi18n.h>

#include "nactl-parse.h"

static gboolean
bad_value (GError **error, const char *what, const char *text, const char *expected)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("Invalid value “%s” for %s: %s"), text, what, expected);
  return FALSE;
}

gboolean
nactl_parse_uint (const char  *what,
                  const char  *text,
                  guint64      min,
                  guint64      max,
                  guint64     *out,
                  GError     **error)
{
  g_autofree char *expected = g_strdup_printf (_("expected a number from %llu to %llu"),
                                               (unsigned long long) min,
                                               (unsigned long long) max);
  guint64 value = 0;

  if (text[0] == '\0')
    return bad_value (error, what, text, expected);
  /* g_ascii_string_to_unsigned() would take a leading '+' and spaces. */
  for (const char *p = text; *p; p++)
    {
      if (!g_ascii_isdigit (*p))
        return bad_value (error, what, text, expected);
      if (value > (G_MAXUINT64 - (guint64) (*p - '0')) / 10)
        return bad_value (error, what, text, expected);
      value = value * 10 + (guint64) (*p - '0');
    }
  if (value < min || value > max)
    return bad_value (error, what, text, expected);
  *out = value;
  return TRUE;
}

gboolean
nactl_parse_ethertype (const char  *what,
                       const char  *text,
                       guint16     *out,
                       GError     **error)
{
  const char *expected = _("expected a number up to 0xffff, such as 0x88b5 or 35061");
  guint64 value = 0;

  if ((text[0] == '0' && (text[1] == 'x' || text[1] == 'X')))
    {
      const char *digits = text + 2;
      gsize n = strlen (digits);

      if (n == 0 || n > 4)
        return bad_value (error, what, text, expected);
      for (const char *p = digits; *p; p++)
        {
          if (!g_ascii_isxdigit (*p))
            return bad_value (error, what, text, expected);
          value = value * 16 + (guint64) g_ascii_xdigit_value (*p);
        }
    }
  else if (!nactl_parse_uint (what, text, 0, G_MAXUINT16, &value, NULL))
    return bad_value (error, what, text, expected);

  *out = (guint16) value;
  return TRUE;
}

gboolean
nactl_parse_mac (const char  *what,
                 const char  *text,
                 guint8       out[6],
                 GError     **error)
{
  const char *expected = _("expected a MAC address such as 02:00:00:00:00:01");
  guint8 mac[6];

  if (strlen (text) != 17)
    return bad_value (error, what, text, expected);
  for (int i = 0; i < 6; i++)
    {
      const char *p = text + i * 3;

      if (!g_ascii_isxdigit (p[0]) || !g_ascii_isxdigit (p[1]) ||
          (i < 5 && p[2] != ':'))
        return bad_value (error, what, text, expected);
      mac[i] = (guint8) (g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]));
    }
  memcpy (out, mac, sizeof mac);
  return TRUE;
}

static gboolean
is_separator (char c)
{
  return c == ':' || c == '-' || c == '.' || g_ascii_isspace (c);
}

GBytes *
nactl_parse_hex (const char  *what,
                 const char  *text,
                 GError     **error)
{
  const char *expected = _("expected bytes in hex, such as 01:02:ab or 0102ab");
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  const char *p = text;
  gboolean after_separator = FALSE;

  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    p += 2;
  while (*p)
    {
      guint8 byte;

      if (is_separator (*p))
        {
          /* Only between pairs: not first, not doubled, not last. */
          if (bytes->len == 0 || after_separator || p[1] == '\0')
            {
              bad_value (error, what, text, expected);
              return NULL;
            }
          after_separator = TRUE;
          p++;
          continue;
        }
      if (!g_ascii_isxdigit (p[0]) || !g_ascii_isxdigit (p[1]))
        {
          bad_value (error, what, text, expected);
          return NULL;
        }
      byte = (guint8) (g_ascii_xdigit_value (p[0]) << 4 | g_ascii_xdigit_value (p[1]));
      g_byte_array_append (bytes, &byte, 1);
      after_separator = FALSE;
      p += 2;
    }
  if (p != text && bytes->len == 0)
    {
      /* A bare "0x". */
      bad_value (error, what, text, expected);
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}

char **
nactl_split_list (const char *const *values)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (gsize i = 0; values && values[i]; i++)
    {
      g_auto(GStrv) items = g_strsplit (values[i], ",", -1);

      for (gsize j = 0; items[j]; j++)
        {
          g_strstrip (items[j]);
          if (items[j][0] != '\0')
            g_strv_builder_add (builder, items[j]);
        }
    }
  return g_strv_builder_end (builder);
}
