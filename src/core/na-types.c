/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "na-core"

#include <arpa/inet.h>
#include <string.h>
#include <uuid/uuid.h>

#include <netagent/netagent-names.h>

#include "na-types.h"

static const struct {
  NaFlowType  type;
  NaFeatures  feature;
  const char *name;
} flow_types[] = {
  { NA_FLOW_TYPE_CUSTOM_ETHER, NA_FEATURE_CUSTOM_ETHER, NETAGENT_FEATURE_CUSTOM_ETHER },
  { NA_FLOW_TYPE_IPV6_ULA,     NA_FEATURE_IPV6_ULA,     NETAGENT_FEATURE_IPV6_ULA },
  { NA_FLOW_TYPE_FILTER,       NA_FEATURE_FILTER,       NETAGENT_FEATURE_FILTER },
};

const char *
na_flow_type_to_string (NaFlowType type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (flow_types); i++)
    if (flow_types[i].type == type)
      return flow_types[i].name;
  return "";
}

NaFlowType
na_flow_type_from_string (const char *str)
{
  for (gsize i = 0; i < G_N_ELEMENTS (flow_types); i++)
    if (g_strcmp0 (flow_types[i].name, str) == 0)
      return flow_types[i].type;
  return NA_FLOW_TYPE_NONE;
}

NaFeatures
na_feature_from_string (const char *str)
{
  for (gsize i = 0; i < G_N_ELEMENTS (flow_types); i++)
    if (g_strcmp0 (flow_types[i].name, str) == 0)
      return flow_types[i].feature;
  return NA_FEATURE_NONE;
}

NaFeatures
na_flow_type_feature (NaFlowType type)
{
  for (gsize i = 0; i < G_N_ELEMENTS (flow_types); i++)
    if (flow_types[i].type == type)
      return flow_types[i].feature;
  return NA_FEATURE_NONE;
}

char **
na_features_to_strv (NaFeatures features)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **strv;

  for (gsize i = 0; i < G_N_ELEMENTS (flow_types); i++)
    if (features & flow_types[i].feature)
      g_strv_builder_add (builder, flow_types[i].name);
  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return strv;
}

const char *
na_channel_type_to_string (NaChannelType type)
{
  return type == NA_CHANNEL_TAP ? NETAGENT_CHANNEL_TAP : NETAGENT_CHANNEL_SOCKETPAIR;
}

gboolean
na_channel_type_from_string (const char *str, NaChannelType *out)
{
  if (g_strcmp0 (str, NETAGENT_CHANNEL_SOCKETPAIR) == 0)
    *out = NA_CHANNEL_SOCKETPAIR;
  else if (g_strcmp0 (str, NETAGENT_CHANNEL_TAP) == 0)
    *out = NA_CHANNEL_TAP;
  else
    return FALSE;
  return TRUE;
}

gboolean
na_uuid_is_valid (const char *str)
{
  static const char nil[] = "00000000-0000-0000-0000-000000000000";

  if (str == NULL || strlen (str) != NA_UUID_STRLEN - 1)
    return FALSE;
  for (gsize i = 0; i < NA_UUID_STRLEN - 1; i++)
    {
      gboolean dash = (i == 8 || i == 13 || i == 18 || i == 23);
      char c = str[i];

      if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
        return FALSE;
    }
  return strcmp (str, nil) != 0;
}

void
na_uuid_generate (char out[NA_UUID_STRLEN])
{
  uuid_t uu;

  uuid_generate_random (uu);
  uuid_unparse_lower (uu, out);
}

gboolean
na_ifname_is_valid (const char *name)
{
  gsize len;

  if (name == NULL)
    return FALSE;
  len = strlen (name);
  if (len == 0 || len >= NA_IFNAMSIZ)
    return FALSE;
  if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return FALSE;
  /* '%' too: the kernel takes a name with '%' as a pattern ("tap%d" makes
   * "tap0") or refuses it, so the device would not get the name asked for. */
  for (const char *p = name; *p; p++)
    if (*p == '/' || *p == ':' || *p == '%' || g_ascii_isspace (*p) || !g_ascii_isprint (*p))
      return FALSE;
  return TRUE;
}

const char *
na_in6_to_string (const struct in6_addr *addr, char *buf)
{
  return inet_ntop (AF_INET6, addr, buf, INET6_ADDRSTRLEN);
}

char *
na_text_excerpt (const char *text, gsize max_bytes)
{
  const char *end;

  /* The valid prefix within the bound: a character the bound cuts is left
   * out whole.  (g_utf8_make_valid() would put one U+FFFD per byte of it,
   * up to three times the bound, not the cut this promises.) */
  g_utf8_validate_len (text, strnlen (text, max_bytes), &end);
  return g_strndup (text, (gsize) (end - text));
}
