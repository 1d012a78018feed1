/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "na-core"

#include <arpa/inet.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include <netagent/netagent-names.h>

#include "na-error.h"
#include "na-flow-params.h"

/* The ethertypes the seed never hands out: the host stack's own. */
static const guint16 reserved_ethertypes[] = {
  0x0800, /* IPv4 */
  0x0806, /* ARP */
  0x8035, /* RARP */
  0x8100, /* 802.1Q VLAN */
  0x86DD, /* IPv6 */
  0x888E, /* EAPOL */
  0x88C7, /* 802.11i pre-authentication */
};

#define ETHERMTU 1500

/* Longest text form of an IPv6 address we accept (with a v4 tail). */
#define MAX_ADDRESS_LEN (INET6_ADDRSTRLEN - 1)

gboolean
na_ethertype_is_allowed (guint16 ethertype)
{
  if (ethertype <= ETHERMTU)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (reserved_ethertypes); i++)
    if (reserved_ethertypes[i] == ethertype)
      return FALSE;
  return TRUE;
}

void
na_flow_params_clear (NaFlowParams *params)
{
  g_clear_pointer (&params->local_address, g_free);
  g_clear_pointer (&params->remote_address, g_free);
  memset (params, 0, sizeof *params);
}

static gboolean
wrong_type (const char *key, GVariant *value, const char *want, GError **error)
{
  g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
               _("Parameter “%s” must be of type “%s”, not “%s”"),
               key, want, g_variant_get_type_string (value));
  return FALSE;
}

static gboolean
check_type (const char *key, GVariant *value, const GVariantType *type, GError **error)
{
  if (g_variant_is_of_type (value, type))
    return TRUE;
  return wrong_type (key, value, g_variant_type_peek_string (type) , error);
}

static gboolean
take_address (const char *key, GVariant *value, char **out, GError **error)
{
  const char *str;
  gsize len, keep;

  if (!check_type (key, value, G_VARIANT_TYPE_STRING, error))
    return FALSE;
  /* Keep at most one byte more than the longest address text: a huge
   * string is never copied whole, and what is kept still fails to parse.
   * Its content is judged by validation (BadAddress), after the type. */
  str = g_variant_get_string (value, &len);
  keep = MIN (len, MAX_ADDRESS_LEN + 1);
  /* The text is quoted in the BadAddress message, which must stay valid
   * UTF-8 to cross D-Bus: end the cut after a whole character, never
   * before one (a shorter cut could leave a valid address). */
  while (keep < len && ((guchar) str[keep] & 0xc0) == 0x80)
    keep++;
  g_free (*out);
  *out = g_strndup (str, keep);
  return TRUE;
}

static gboolean
parse_one (NaFlowParams *p, const char *key, GVariant *value, GError **error)
{
  if (g_str_equal (key, "type"))
    {
      if (!check_type (key, value, G_VARIANT_TYPE_STRING, error))
        return FALSE;
      p->type = na_flow_type_from_string (g_variant_get_string (value, NULL));
      if (p->type == NA_FLOW_TYPE_NONE)
        {
          g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                       _("Unknown flow type “%s” (expected custom-ether, ipv6-ula or filter)"),
                       g_variant_get_string (value, NULL));
          return FALSE;
        }
    }
  else if (g_str_equal (key, "ethertype"))
    {
      if (!check_type (key, value, G_VARIANT_TYPE_UINT16, error))
        return FALSE;
      p->has_ethertype = TRUE;
      p->ethertype = g_variant_get_uint16 (value);
    }
  else if (g_str_equal (key, "local-address"))
    return take_address (key, value, &p->local_address, error);
  else if (g_str_equal (key, "remote-address"))
    return take_address (key, value, &p->remote_address, error);
  else if (g_str_equal (key, "listener"))
    {
      if (!check_type (key, value, G_VARIANT_TYPE_BOOLEAN, error))
        return FALSE;
      p->has_listener = TRUE;
      p->listener = g_variant_get_boolean (value);
    }
  else if (g_str_equal (key, "channel-type"))
    {
      if (!check_type (key, value, G_VARIANT_TYPE_STRING, error))
        return FALSE;
      if (!na_channel_type_from_string (g_variant_get_string (value, NULL), &p->channel_type))
        {
          g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                       _("Unknown channel type “%s” (expected socketpair or tap)"),
                       g_variant_get_string (value, NULL));
          return FALSE;
        }
    }
  else if (g_str_equal (key, "tap-name"))
    {
      const char *name;

      if (!check_type (key, value, G_VARIANT_TYPE_STRING, error))
        return FALSE;
      name = g_variant_get_string (value, NULL);
      if (!na_ifname_is_valid (name))
        {
          g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                       _("Parameter “tap-name” is not a valid interface name"));
          return FALSE;
        }
      g_strlcpy (p->tap_name, name, sizeof p->tap_name);
    }
  else if (g_str_equal (key, "pid"))
    {
      if (!check_type (key, value, G_VARIANT_TYPE_UINT32, error))
        return FALSE;
      p->has_pid = TRUE;
      p->pid = g_variant_get_uint32 (value);
      if (p->pid == 0 || p->pid > G_MAXINT32)
        {
          g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                       _("Parameter “pid” is not a process id"));
          return FALSE;
        }
    }
  else
    {
      g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                   _("Unknown parameter “%s”"), key);
      return FALSE;
    }
  return TRUE;
}

gboolean
na_flow_params_parse (GVariant      *dict,
                      NaFlowParams  *params,
                      GError       **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  memset (params, 0, sizeof *params);
  if (!g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                   _("Parameters must be a dictionary of type “a{sv}”"));
      return FALSE;
    }

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      if (!parse_one (params, key, value, error))
        {
          g_variant_unref (value);
          na_flow_params_clear (params);
          return FALSE;
        }
    }

  if (params->tap_name[0] && params->channel_type != NA_CHANNEL_TAP)
    {
      g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                   _("Parameter “tap-name” needs “channel-type” tap"));
      na_flow_params_clear (params);
      return FALSE;
    }
  return TRUE;
}

gboolean
na_flow_params_infer_type (const NaFlowParams *p, NaFlowType *type, GError **error)
{
  gboolean ether_keys = p->has_ethertype;
  gboolean ula_keys = p->local_address || p->remote_address || p->has_listener;

  if (ether_keys && ula_keys)
    goto incompatible;

  switch (p->type)
    {
    case NA_FLOW_TYPE_CUSTOM_ETHER:
      if (ula_keys)
        goto incompatible;
      if (!ether_keys)
        {
          g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                       _("A custom-ether flow needs “ethertype”"));
          return FALSE;
        }
      break;
    case NA_FLOW_TYPE_IPV6_ULA:
      if (ether_keys)
        goto incompatible;
      break;
    case NA_FLOW_TYPE_FILTER:
      if (ether_keys || ula_keys)
        goto incompatible;
      break;
    case NA_FLOW_TYPE_NONE:
      if (ether_keys)
        {
          *type = NA_FLOW_TYPE_CUSTOM_ETHER;
          return TRUE;
        }
      if (ula_keys)
        {
          *type = NA_FLOW_TYPE_IPV6_ULA;
          return TRUE;
        }
      g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                   _("Flow type must be specified"));
      return FALSE;
    default:
      g_assert_not_reached ();
    }
  *type = p->type;
  return TRUE;

incompatible:
  g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
               _("Flow parameters are incompatible with other features: "
                 "“ethertype” is for custom-ether flows, addresses and "
                 "“listener” for ipv6-ula flows"));
  return FALSE;
}

static gboolean
parse_endpoint (const char *key, const char *text, gboolean allow_unspecified,
                struct in6_addr *out, NaAgentCounters *counters, GError **error)
{
  if (inet_pton (AF_INET6, text, out) != 1 ||
      (!allow_unspecified && IN6_IS_ADDR_UNSPECIFIED (out)))
    {
      if (counters)
        counters->bad_ipv6_addr++;
      g_set_error (error, NA_ERROR, NA_ERROR_BAD_ADDRESS,
                   _("Parameter “%s” is not a usable IPv6 address: “%s”"),
                   key, text);
      return FALSE;
    }
  return TRUE;
}

gboolean
na_flow_params_validate (const NaFlowParams *params,
                         NaFeatures          offered,
                         NaFlowSpec         *spec,
                         NaAgentCounters    *counters,
                         GError            **error)
{
  NaFlowType type = NA_FLOW_TYPE_NONE;

  memset (spec, 0, sizeof *spec);
  if (!na_flow_params_infer_type (params, &type, error))
    return FALSE;

  if (!(na_flow_type_feature (type) & offered))
    {
      g_set_error (error, NA_ERROR, NA_ERROR_NOT_SUPPORTED,
                   _("This agent does not offer %s flows"),
                   na_flow_type_to_string (type));
      return FALSE;
    }
  spec->type = type;

  /* A filter's messages carry a 4-byte header a TAP device cannot. */
  if (type == NA_FLOW_TYPE_FILTER && params->channel_type == NA_CHANNEL_TAP)
    {
      g_set_error (error, NA_ERROR, NA_ERROR_NOT_SUPPORTED,
                   _("A filter flow needs a socketpair channel"));
      return FALSE;
    }

  switch (type)
    {
    case NA_FLOW_TYPE_CUSTOM_ETHER:
      if (!na_ethertype_is_allowed (params->ethertype))
        {
          if (counters)
            counters->bad_ethertype++;
          g_set_error (error, NA_ERROR, NA_ERROR_BAD_ETHERTYPE,
                       _("Ethertype 0x%04x is not allowed: it must be above "
                         "0x05dc and not one the host stack uses"),
                       params->ethertype);
          return FALSE;
        }
      spec->ethertype = params->ethertype;
      break;

    case NA_FLOW_TYPE_IPV6_ULA:
      spec->listener = params->listener;
      if (spec->listener)
        {
          /* A listener's local address is generated; what the caller
           * gives is overwritten, as in the seed.  Still, text that is
           * not an address is a malformed request. */
          struct in6_addr ignored;

          if (params->local_address &&
              !parse_endpoint ("local-address", params->local_address, TRUE,
                               &ignored, counters, error))
            return FALSE;
          if (params->remote_address &&
              !parse_endpoint ("remote-address", params->remote_address, TRUE,
                               &spec->remote, counters, error))
            return FALSE;
          break;
        }
      if (!params->local_address || !params->remote_address)
        {
          g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                       _("An ipv6-ula flow needs both “local-address” and "
                         "“remote-address”"));
          return FALSE;
        }
      if (!parse_endpoint ("local-address", params->local_address, FALSE,
                           &spec->local, counters, error) ||
          !parse_endpoint ("remote-address", params->remote_address, FALSE,
                           &spec->remote, counters, error))
        return FALSE;
      break;

    case NA_FLOW_TYPE_FILTER:
      break;

    case NA_FLOW_TYPE_NONE:
    default:
      g_assert_not_reached ();
    }
  return TRUE;
}

gboolean
na_features_from_strv (const char *const *names,
                       NaFeatures        *features,
                       GError           **error)
{
  NaFeatures f = NA_FEATURE_NONE;

  for (gsize i = 0; names && names[i]; i++)
    {
      NaFeatures one = na_feature_from_string (names[i]);

      if (one == NA_FEATURE_NONE)
        {
          g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                       _("Unknown feature “%s” (expected custom-ether, ipv6-ula or filter)"),
                       names[i]);
          return FALSE;
        }
      f |= one;
    }

  if (f == NA_FEATURE_NONE)
    {
      g_set_error (error, NA_ERROR, NA_ERROR_NOT_SUPPORTED,
                   _("No feature supported"));
      return FALSE;
    }
  /* A seed netif is either low-latency (ipv6-ula) or not (custom-ether). */
  if ((f & NA_FEATURE_CUSTOM_ETHER) && (f & NA_FEATURE_IPV6_ULA))
    {
      g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                   _("Features custom-ether and ipv6-ula exclude each other"));
      return FALSE;
    }
  *features = f;
  return TRUE;
}

static gboolean
take_string (const char *key, GVariant *value, char *out, gsize size, GError **error)
{
  gsize len;
  const char *str;

  if (!check_type (key, value, G_VARIANT_TYPE_STRING, error))
    return FALSE;
  str = g_variant_get_string (value, &len);
  if (len >= size)
    {
      g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                   _("Option “%s” is too long (at most %zu bytes)"), key, size - 1);
      return FALSE;
    }
  memcpy (out, str, len + 1);
  return TRUE;
}

gboolean
na_register_options_parse (GVariant           *dict,
                           NaRegisterOptions  *o,
                           GError            **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  memset (o, 0, sizeof *o);
  o->features = NA_FEATURE_CUSTOM_ETHER;
  o->flow_max = NETAGENT_DEFAULT_FLOW_MAX;
  g_strlcpy (o->domain, NETAGENT_DEFAULT_DOMAIN, sizeof o->domain);
  g_strlcpy (o->type, NETAGENT_DEFAULT_TYPE, sizeof o->type);
  g_strlcpy (o->description, NETAGENT_DEFAULT_DESCRIPTION, sizeof o->description);

  if (!g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                   _("Options must be a dictionary of type “a{sv}”"));
      return FALSE;
    }

  g_variant_iter_init (&iter, dict);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      gboolean ok;

      if (g_str_equal (key, "features"))
        {
          g_autofree const char **names = NULL;

          ok = check_type (key, value, G_VARIANT_TYPE_STRING_ARRAY, error);
          if (ok)
            {
              names = g_variant_get_strv (value, NULL);
              ok = na_features_from_strv (names, &o->features, error);
            }
        }
      else if (g_str_equal (key, "flow-max"))
        {
          ok = check_type (key, value, G_VARIANT_TYPE_UINT32, error);
          if (ok)
            {
              o->flow_max = g_variant_get_uint32 (value);
              if (o->flow_max == 0 || o->flow_max > NETAGENT_FLOW_MAX_LIMIT)
                {
                  g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                               _("Option “flow-max” must be between 1 and %u"),
                               NETAGENT_FLOW_MAX_LIMIT);
                  ok = FALSE;
                }
            }
        }
      else if (g_str_equal (key, "domain"))
        ok = take_string (key, value, o->domain, sizeof o->domain, error);
      else if (g_str_equal (key, "type"))
        ok = take_string (key, value, o->type, sizeof o->type, error);
      else if (g_str_equal (key, "description"))
        ok = take_string (key, value, o->description, sizeof o->description, error);
      else
        {
          g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                       _("Unknown option “%s”"), key);
          ok = FALSE;
        }

      if (!ok)
        {
          g_variant_unref (value);
          return FALSE;
        }
    }
  return TRUE;
}
