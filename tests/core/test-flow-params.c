/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FlowInsert parameters (parsing, the seed's validation rules and
 * counters) and Register options (defaults, limits, features).
 */
#define G_LOG_DOMAIN "test-flow-params"

#include <arpa/inet.h>
#include <string.h>

#include <netagent/netagent.h>

#include "na-core-test.h"
#include "na-flow-params.h"

#define ALL_OFFERED (NA_FEATURE_CUSTOM_ETHER | NA_FEATURE_IPV6_ULA | NA_FEATURE_FILTER)

/* The seven ethertypes the seed never hands out, written out again here so
 * that a change to the core's list is caught. */
static const guint16 forbidden[] = {
  0x0800, 0x0806, 0x8035, 0x8100, 0x86DD, 0x888E, 0x88C7,
};

static gboolean
validate_text (const char       *text,
               NaFeatures        offered,
               NaFlowSpec       *spec,
               NaAgentCounters  *counters,
               GError          **error)
{
  g_auto(NaFlowParams) params = { 0 };

  na_test_parse_params (text, &params);
  return na_flow_params_validate (&params, offered, spec, counters, error);
}

/* Validation that must fail with @code; returns the message's error. */
static GError *
validate_fails (const char *text, NaFeatures offered, NaAgentCounters *counters, NaError code)
{
  NaFlowSpec spec;
  GError *error = NULL;

  g_assert_false (validate_text (text, offered, &spec, counters, &error));
  na_test_assert_error (error, code);
  return error;
}

static GError *
parse_fails (const char *text)
{
  g_autoptr(GVariant) dict = na_test_vardict (text);
  NaFlowParams params;
  GError *error = NULL;

  memset (&params, 0xa5, sizeof params);
  if (na_flow_params_parse (dict, &params, &error))
    g_error ("accepted: %s", text);
  na_test_assert_error (error, NA_ERROR_INVALID_ARGUMENT);
  /* On error nothing is left behind (nothing to free either) */
  g_assert_null (params.local_address);
  g_assert_null (params.remote_address);
  g_assert_false (params.has_ethertype);
  g_assert_false (params.has_pid);
  return error;
}

static void
assert_counters (const NaAgentCounters *c, guint64 ethertype, guint64 addr, guint64 dup)
{
  g_assert_cmpuint (c->bad_ethertype, ==, ethertype);
  g_assert_cmpuint (c->bad_ipv6_addr, ==, addr);
  g_assert_cmpuint (c->dup_flow, ==, dup);
}

/* ---- parsing ---- */

static void
test_parse_defaults (void)
{
  g_auto(NaFlowParams) p = { 0 };

  na_test_parse_params ("@a{sv} {}", &p);
  g_assert_cmpint (p.type, ==, NA_FLOW_TYPE_NONE);
  g_assert_false (p.has_ethertype);
  g_assert_null (p.local_address);
  g_assert_null (p.remote_address);
  g_assert_false (p.has_listener);
  g_assert_cmpint (p.channel_type, ==, NA_CHANNEL_SOCKETPAIR);
  g_assert_cmpstr (p.tap_name, ==, "");
  g_assert_false (p.has_pid);
}

static void
test_parse_all_keys (void)
{
  g_auto(NaFlowParams) ula = { 0 };
  g_auto(NaFlowParams) ether = { 0 };

  na_test_parse_params ("{'type': <'ipv6-ula'>, 'local-address': <'fd00::1'>,"
                        " 'remote-address': <'fd00::2'>, 'listener': <false>,"
                        " 'channel-type': <'tap'>, 'tap-name': <'na-tap0'>,"
                        " 'pid': <uint32 1234>}", &ula);
  g_assert_cmpint (ula.type, ==, NA_FLOW_TYPE_IPV6_ULA);
  g_assert_cmpstr (ula.local_address, ==, "fd00::1");
  g_assert_cmpstr (ula.remote_address, ==, "fd00::2");
  g_assert_true (ula.has_listener);
  g_assert_false (ula.listener);
  g_assert_cmpint (ula.channel_type, ==, NA_CHANNEL_TAP);
  g_assert_cmpstr (ula.tap_name, ==, "na-tap0");
  g_assert_true (ula.has_pid);
  g_assert_cmpuint (ula.pid, ==, 1234);

  na_test_parse_params ("{'type': <'custom-ether'>, 'ethertype': <uint16 0x88b5>,"
                        " 'channel-type': <'socketpair'>, 'listener': <true>}", &ether);
  g_assert_cmpint (ether.type, ==, NA_FLOW_TYPE_CUSTOM_ETHER);
  g_assert_true (ether.has_ethertype);
  g_assert_cmpuint (ether.ethertype, ==, 0x88b5);
  g_assert_true (ether.listener);
  g_assert_cmpint (ether.channel_type, ==, NA_CHANNEL_SOCKETPAIR);
}

static void
test_parse_not_a_dict (void)
{
  g_autoptr(GVariant) str = g_variant_ref_sink (g_variant_new_string ("ethertype"));
  g_autoptr(GVariant) ss = g_variant_parse (G_VARIANT_TYPE ("a{ss}"), "{'type': 'filter'}",
                                            NULL, NULL, NULL);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  NaFlowParams p;

  g_assert_false (na_flow_params_parse (str, &p, &e1));
  na_test_assert_error (e1, NA_ERROR_INVALID_ARGUMENT);
  g_assert_false (na_flow_params_parse (ss, &p, &e2));
  na_test_assert_error (e2, NA_ERROR_INVALID_ARGUMENT);
}

static void
test_parse_unknown_key (void)
{
  g_autoptr(GError) e1 = parse_fails ("{'ethertype': <uint16 0x88b5>, 'colour': <'blue'>}");
  g_autoptr(GError) e2 = parse_fails ("{'Ethertype': <uint16 0x88b5>}");
  g_autoptr(GError) e3 = parse_fails ("{'local-address': <'fd00::1'>, 'local_address': <'fd00::1'>}");

  na_test_assert_message_has (e1, "colour");
  na_test_assert_message_has (e2, "Ethertype");
  na_test_assert_message_has (e3, "local_address");
}

static void
test_parse_wrong_type (void)
{
  static const struct {
    const char *key;
    const char *dict;
  } cases[] = {
    { "type",           "{'type': <uint32 1>}" },
    { "type",           "{'type': <['filter']>}" },
    { "ethertype",      "{'ethertype': <uint32 0x88b5>}" },
    { "ethertype",      "{'ethertype': <int16 1000>}" },
    { "ethertype",      "{'ethertype': <'0x88b5'>}" },
    { "ethertype",      "{'ethertype': <<uint16 0x88b5>>}" },
    { "local-address",  "{'local-address': <uint32 1>}" },
    { "local-address",  "{'local-address': <['fd00::1']>}" },
    { "remote-address", "{'remote-address': <byte 1>}" },
    { "remote-address", "{'local-address': <'fd00::1'>, 'remote-address': <@ay []>}" },
    { "listener",       "{'listener': <'true'>}" },
    { "listener",       "{'listener': <uint32 1>}" },
    { "channel-type",   "{'channel-type': <uint32 0>}" },
    { "tap-name",       "{'channel-type': <'tap'>, 'tap-name': <['tap0']>}" },
    { "pid",            "{'pid': <int32 5>}" },
    { "pid",            "{'pid': <uint64 5>}" },
    { "pid",            "{'pid': <uint16 5>}" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = parse_fails (cases[i].dict);

      na_test_assert_message_has (error, cases[i].key);
    }
}

static void
test_parse_unknown_values (void)
{
  g_autoptr(GError) e1 = parse_fails ("{'type': <'bogus'>}");
  g_error_free (parse_fails ("{'type': <''>}"));
  g_error_free (parse_fails ("{'type': <'Custom-Ether'>, 'ethertype': <uint16 0x88b5>}"));
  g_autoptr(GError) e4 = parse_fails ("{'ethertype': <uint16 0x88b5>, 'channel-type': <'pipe'>}");

  na_test_assert_message_has (e1, "bogus");
  na_test_assert_message_has (e4, "pipe");
}

/* The parser keeps only what follows the key it failed on: an error after
 * an address key must free the address (LSan catches a leak here). */
static void
test_parse_error_clears (void)
{
  g_autoptr(GError) e1 = parse_fails ("{'local-address': <'fd00::1'>, 'remote-address': <'fd00::2'>,"
                                      " 'pid': <int32 1>}");
  g_autoptr(GError) e2 = parse_fails ("{'local-address': <'fd00::1'>, 'tap-name': <'tap0'>}");

  na_test_assert_message_has (e1, "pid");
  na_test_assert_message_has (e2, "tap-name");
}

static void
test_parse_tap_name (void)
{
  static const char *const good[] = {
    "tap0", "na-tap.1", "x", "abcdefghijklmno" /* 15 bytes */, "a..b", "...",
  };
  static const char *const bad[] = {
    "", "abcdefghijklmnop" /* 16 bytes */, ".", "..", "a/b", "a:b", "a b",
    "a\\tb", "a\\nb", "tap%d", "%s",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'channel-type': <'tap'>, 'tap-name': <'%s'>}", good[i]);
      g_auto(NaFlowParams) p = { 0 };

      na_test_parse_params (text, &p);
      g_assert_cmpstr (p.tap_name, ==, good[i]);
      g_assert_cmpint (p.channel_type, ==, NA_CHANNEL_TAP);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'channel-type': <'tap'>, 'tap-name': <'%s'>}", bad[i]);
      g_autoptr(GError) error = parse_fails (text);

      na_test_assert_message_has (error, "tap-name");
    }

  /* A TAP name makes sense only for a tap channel, whatever the key order */
  {
    g_autoptr(GError) e1 = parse_fails ("{'tap-name': <'tap0'>}");
    g_autoptr(GError) e2 = parse_fails ("{'tap-name': <'tap0'>, 'channel-type': <'socketpair'>}");
    g_auto(NaFlowParams) p = { 0 };

    na_test_assert_message_has (e1, "tap-name");
    na_test_assert_message_has (e2, "tap-name");
    na_test_parse_params ("{'tap-name': <'tap0'>, 'channel-type': <'tap'>}", &p);
    g_assert_cmpstr (p.tap_name, ==, "tap0");
  }
}

static void
test_parse_pid (void)
{
  g_autoptr(GError) e0 = parse_fails ("{'ethertype': <uint16 0x88b5>, 'pid': <uint32 0>}");
  g_autoptr(GError) e1 = parse_fails ("{'pid': <uint32 2147483648>}");
  g_autoptr(GError) e2 = parse_fails ("{'pid': <uint32 4294967295>}");
  g_auto(NaFlowParams) one = { 0 };
  g_auto(NaFlowParams) max = { 0 };

  na_test_assert_message_has (e0, "pid");
  na_test_assert_message_has (e1, "pid");
  na_test_assert_message_has (e2, "pid");

  na_test_parse_params ("{'pid': <uint32 1>}", &one);
  g_assert_true (one.has_pid);
  g_assert_cmpuint (one.pid, ==, 1);
  na_test_parse_params ("{'pid': <uint32 2147483647>}", &max);
  g_assert_cmpuint (max.pid, ==, G_MAXINT32);
}

/* ---- ethertype rule ---- */

static gboolean
is_forbidden (guint16 ethertype)
{
  for (gsize i = 0; i < G_N_ELEMENTS (forbidden); i++)
    if (forbidden[i] == ethertype)
      return TRUE;
  return FALSE;
}

static void
test_ethertype_forbidden (void)
{
  NaAgentCounters counters = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (forbidden); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'ethertype': <uint16 %u>}", forbidden[i]);
      g_autoptr(GError) error = NULL;

      g_assert_false (na_ethertype_is_allowed (forbidden[i]));
      error = validate_fails (text, NA_FEATURE_CUSTOM_ETHER, &counters, NA_ERROR_BAD_ETHERTYPE);
      /* counted exactly once per refusal */
      assert_counters (&counters, i + 1, 0, 0);
    }

  /* Their neighbours are fine: the rule is a list, not ranges */
  for (gsize i = 0; i < G_N_ELEMENTS (forbidden); i++)
    {
      NaFlowSpec spec;
      g_autofree char *below = g_strdup_printf ("{'ethertype': <uint16 %u>}", forbidden[i] - 1);
      g_autofree char *above = g_strdup_printf ("{'ethertype': <uint16 %u>}", forbidden[i] + 1);
      g_autoptr(GError) error = NULL;

      g_assert_true (validate_text (below, NA_FEATURE_CUSTOM_ETHER, &spec, &counters, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (spec.ethertype, ==, forbidden[i] - 1);
      g_assert_true (validate_text (above, NA_FEATURE_CUSTOM_ETHER, &spec, &counters, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (spec.ethertype, ==, forbidden[i] + 1);
    }
  assert_counters (&counters, G_N_ELEMENTS (forbidden), 0, 0);
}

static void
test_ethertype_boundary (void)
{
  static const guint16 refused[] = { 0, 1, 1499, 0x05DC };
  static const guint16 allowed[] = { 0x05DD, 0x0600, 0x88B5, 0x88B6, 0xFFFF };
  NaAgentCounters counters = { 0 };

  G_STATIC_ASSERT (0x05DC == 1500);

  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'ethertype': <uint16 %u>}", refused[i]);
      g_autoptr(GError) error = NULL;

      g_assert_false (na_ethertype_is_allowed (refused[i]));
      error = validate_fails (text, NA_FEATURE_CUSTOM_ETHER, &counters, NA_ERROR_BAD_ETHERTYPE);
      assert_counters (&counters, i + 1, 0, 0);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'ethertype': <uint16 %u>}", allowed[i]);
      g_autoptr(GError) error = NULL;
      NaFlowSpec spec;

      g_assert_true (na_ethertype_is_allowed (allowed[i]));
      g_assert_true (validate_text (text, NA_FEATURE_CUSTOM_ETHER, &spec, &counters, &error));
      g_assert_no_error (error);
      g_assert_cmpint (spec.type, ==, NA_FLOW_TYPE_CUSTOM_ETHER);
      g_assert_cmpuint (spec.ethertype, ==, allowed[i]);
    }
  assert_counters (&counters, G_N_ELEMENTS (refused), 0, 0);
}

/* Every one of the 65536 values against an independent statement of the
 * rule: above 1500 and none of the seven. */
static void
test_ethertype_exhaustive (void)
{
  guint n_allowed = 0;

  for (guint v = 0; v <= G_MAXUINT16; v++)
    {
      gboolean expected = v > 1500 && !is_forbidden ((guint16) v);

      if (na_ethertype_is_allowed ((guint16) v) != expected)
        g_test_message ("ethertype 0x%04x: expected %s", v, expected ? "allowed" : "refused");
      g_assert_true (na_ethertype_is_allowed ((guint16) v) == expected);
      n_allowed += expected;
    }
  g_assert_cmpuint (n_allowed, ==, 65535 - 1500 - 7);
}

/* The seed checks the type is offered before the ethertype: a refused
 * request for an unoffered type does not count as a bad ethertype. */
static void
test_ethertype_not_offered_not_counted (void)
{
  NaAgentCounters counters = { 0 };
  g_autoptr(GError) error = NULL;

  error = validate_fails ("{'ethertype': <uint16 0x0800>}", NA_FEATURE_IPV6_ULA,
                          &counters, NA_ERROR_NOT_SUPPORTED);
  assert_counters (&counters, 0, 0, 0);
}

/* ---- IPv6 endpoints ---- */

static const char *const bad_addresses[] = {
  "::", "0::0", "0:0:0:0:0:0:0:0", "::0",
  "192.0.2.1", "10.0.0.1",
  "garbage", "", " fd00::1", "fd00::1 ", "fd00::1%eth0", "fd00::1/64",
  "fd00:::1", "[fd00::1]", "fd00::g", "fd00:1:2:3:4:5:6:7:8",
};

static void
test_address_bad (void)
{
  NaAgentCounters counters = { 0 };
  guint64 expected = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (bad_addresses); i++)
    {
      g_autofree char *bad_local = g_strdup_printf ("{'local-address': <'%s'>, 'remote-address': <'fd00::2'>}",
                                                    bad_addresses[i]);
      g_autofree char *bad_remote = g_strdup_printf ("{'local-address': <'fd00::1'>, 'remote-address': <'%s'>}",
                                                     bad_addresses[i]);
      g_autoptr(GError) e1 = NULL;
      g_autoptr(GError) e2 = NULL;

      e1 = validate_fails (bad_local, NA_FEATURE_IPV6_ULA, &counters, NA_ERROR_BAD_ADDRESS);
      na_test_assert_message_has (e1, "local-address");
      assert_counters (&counters, 0, ++expected, 0);

      e2 = validate_fails (bad_remote, NA_FEATURE_IPV6_ULA, &counters, NA_ERROR_BAD_ADDRESS);
      na_test_assert_message_has (e2, "remote-address");
      assert_counters (&counters, 0, ++expected, 0);
    }
}

/* One refusal, one count, even when both endpoints are bad. */
static void
test_address_both_bad_counted_once (void)
{
  NaAgentCounters counters = { 0 };
  g_autoptr(GError) error = NULL;

  error = validate_fails ("{'local-address': <'::'>, 'remote-address': <'garbage'>}",
                          NA_FEATURE_IPV6_ULA, &counters, NA_ERROR_BAD_ADDRESS);
  assert_counters (&counters, 0, 1, 0);
}

/* A missing address is a malformed request, not a bad address. */
static void
test_address_missing (void)
{
  static const char *const requests[] = {
    "{'local-address': <'fd00::1'>}",
    "{'remote-address': <'fd00::2'>}",
    "{'listener': <false>}",
    "{'listener': <false>, 'remote-address': <'::'>}",
    "{'type': <'ipv6-ula'>}",
    "{'type': <'ipv6-ula'>, 'local-address': <'::'>}",
  };
  NaAgentCounters counters = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_error_free (validate_fails (requests[i], NA_FEATURE_IPV6_ULA,
                                    &counters, NA_ERROR_INVALID_ARGUMENT));
      assert_counters (&counters, 0, 0, 0);
    }
}

/* ULA-ness is deliberately not enforced (the seed leaves it open). */
static void
test_address_not_ula_accepted (void)
{
  static const char *const pairs[][2] = {
    { "2001:db8::", "2001:db8::1" },
    { "fe80::1", "fe80::2" },
    { "::1", "::ffff:192.0.2.1" },
    { "FD00::A", "fd00:0:0:0:0:0:0:b" },
  };
  NaAgentCounters counters = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'local-address': <'%s'>, 'remote-address': <'%s'>}",
                                               pairs[i][0], pairs[i][1]);
      g_autoptr(GError) error = NULL;
      struct in6_addr local, remote;
      NaFlowSpec spec;

      g_assert_true (validate_text (text, NA_FEATURE_IPV6_ULA, &spec, &counters, &error));
      g_assert_no_error (error);
      g_assert_cmpint (inet_pton (AF_INET6, pairs[i][0], &local), ==, 1);
      g_assert_cmpint (inet_pton (AF_INET6, pairs[i][1], &remote), ==, 1);
      g_assert_cmpint (spec.type, ==, NA_FLOW_TYPE_IPV6_ULA);
      g_assert_false (spec.listener);
      g_assert_cmpmem (&spec.local, sizeof spec.local, &local, sizeof local);
      g_assert_cmpmem (&spec.remote, sizeof spec.remote, &remote, sizeof remote);
    }
  assert_counters (&counters, 0, 0, 0);
}

/* A huge string is refused as a bad address, never accepted: the parser
 * bounds what it keeps, and the cut must not turn text into an address —
 * nor cut a UTF-8 character in half (the text is quoted in the error). */
static void
test_address_huge (void)
{
  static const char *const heads[] = {
    "f", "fd00::1", "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255",
    "fd00::1 ", "fd00::1é", "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255é",
  };
  NaAgentCounters counters = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (heads); i++)
    {
      const char *tails[] = { "a", "é", "\U0001F600" };

      for (gsize j = 0; j < G_N_ELEMENTS (tails); j++)
        {
          g_autoptr(GString) huge = g_string_new (heads[i]);
          g_autoptr(GVariant) dict = NULL;
          g_auto(NaFlowParams) params = { 0 };
          g_autoptr(GError) error = NULL;
          NaFlowSpec spec;
          guint64 before = counters.bad_ipv6_addr;

          while (huge->len < (1 << 20))
            g_string_append (huge, tails[j]);
          dict = g_variant_ref_sink (g_variant_new_parsed ("{'local-address': <%s>,"
                                                           " 'remote-address': <'fd00::2'>}",
                                                           huge->str));
          g_assert_true (na_flow_params_parse (dict, &params, NULL));
          /* not copied whole */
          g_assert_cmpuint (strlen (params.local_address), <, 64);
          g_assert_true (g_utf8_validate (params.local_address, -1, NULL));

          g_assert_false (na_flow_params_validate (&params, NA_FEATURE_IPV6_ULA, &spec,
                                                   &counters, &error));
          na_test_assert_error (error, NA_ERROR_BAD_ADDRESS);
          g_assert_cmpuint (counters.bad_ipv6_addr, ==, before + 1);
        }
    }
}

static void
test_address_counters_optional (void)
{
  g_error_free (validate_fails ("{'local-address': <'::'>, 'remote-address': <'fd00::2'>}",
                                NA_FEATURE_IPV6_ULA, NULL, NA_ERROR_BAD_ADDRESS));
  g_error_free (validate_fails ("{'ethertype': <uint16 0x0806>}",
                                NA_FEATURE_CUSTOM_ETHER, NULL, NA_ERROR_BAD_ETHERTYPE));
}

/* ---- type ---- */

static void
test_type_inferred (void)
{
  NaAgentCounters counters = { 0 };
  NaFlowSpec spec;
  g_autoptr(GError) error = NULL;

  g_assert_true (validate_text ("{'ethertype': <uint16 0x88b5>}", ALL_OFFERED, &spec, &counters, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spec.type, ==, NA_FLOW_TYPE_CUSTOM_ETHER);

  g_assert_true (validate_text ("{'local-address': <'fd00::1'>, 'remote-address': <'fd00::2'>}",
                                ALL_OFFERED, &spec, &counters, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spec.type, ==, NA_FLOW_TYPE_IPV6_ULA);
  g_assert_false (spec.listener);

  g_assert_true (validate_text ("{'listener': <true>}", ALL_OFFERED, &spec, &counters, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spec.type, ==, NA_FLOW_TYPE_IPV6_ULA);
  g_assert_true (spec.listener);

  /* One address alone also makes it ipv6-ula: then the other is missing */
  g_error_free (validate_fails ("{'remote-address': <'fd00::2'>}", NA_FEATURE_IPV6_ULA,
                                &counters, NA_ERROR_INVALID_ARGUMENT));
  g_error_free (validate_fails ("{'remote-address': <'fd00::2'>}", NA_FEATURE_CUSTOM_ETHER,
                                &counters, NA_ERROR_NOT_SUPPORTED));

  g_assert_true (validate_text ("{'type': <'filter'>}", ALL_OFFERED, &spec, &counters, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spec.type, ==, NA_FLOW_TYPE_FILTER);
  assert_counters (&counters, 0, 0, 0);
}

static void
test_type_incompatible (void)
{
  static const char *const requests[] = {
    "{'ethertype': <uint16 0x88b5>, 'local-address': <'fd00::1'>}",
    "{'ethertype': <uint16 0x88b5>, 'remote-address': <'fd00::2'>}",
    "{'ethertype': <uint16 0x88b5>, 'listener': <true>}",
    "{'ethertype': <uint16 0x88b5>, 'listener': <false>}",
    /* even with values the rules would refuse: the shape is checked first */
    "{'ethertype': <uint16 0x0800>, 'local-address': <'::'>, 'remote-address': <'::'>}",
    /* an explicit type that conflicts with the keys */
    "{'type': <'custom-ether'>, 'ethertype': <uint16 0x88b5>, 'local-address': <'fd00::1'>}",
    "{'type': <'custom-ether'>, 'local-address': <'fd00::1'>, 'remote-address': <'fd00::2'>}",
    "{'type': <'custom-ether'>, 'listener': <true>}",
    "{'type': <'ipv6-ula'>, 'ethertype': <uint16 0x88b5>}",
    "{'type': <'ipv6-ula'>, 'ethertype': <uint16 0x88b5>, 'listener': <true>}",
    "{'type': <'filter'>, 'ethertype': <uint16 0x88b5>}",
    "{'type': <'filter'>, 'local-address': <'fd00::1'>}",
    "{'type': <'filter'>, 'listener': <true>}",
  };
  NaAgentCounters counters = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autoptr(GError) error = validate_fails (requests[i], ALL_OFFERED, &counters,
                                                NA_ERROR_INVALID_ARGUMENT);

      na_test_assert_message_has (error, "incompatible");
    }
  assert_counters (&counters, 0, 0, 0);
}

static void
test_type_missing (void)
{
  static const char *const requests[] = {
    "@a{sv} {}",
    "{'channel-type': <'socketpair'>}",
    "{'channel-type': <'tap'>, 'tap-name': <'tap0'>}",
    "{'pid': <uint32 5>}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (requests); i++)
    {
      g_autoptr(GError) error = validate_fails (requests[i], ALL_OFFERED, NULL,
                                                NA_ERROR_INVALID_ARGUMENT);

      na_test_assert_message_has (error, "Flow type must be specified");
    }
}

static void
test_type_explicit (void)
{
  NaAgentCounters counters = { 0 };
  NaFlowSpec spec;
  g_autoptr(GError) error = NULL;

  g_assert_true (validate_text ("{'type': <'custom-ether'>, 'ethertype': <uint16 0x88b5>}",
                                ALL_OFFERED, &spec, &counters, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spec.type, ==, NA_FLOW_TYPE_CUSTOM_ETHER);
  g_assert_cmpuint (spec.ethertype, ==, 0x88b5);

  g_assert_true (validate_text ("{'type': <'ipv6-ula'>, 'local-address': <'fd00::1'>,"
                                " 'remote-address': <'fd00::2'>}",
                                ALL_OFFERED, &spec, &counters, &error));
  g_assert_no_error (error);
  g_assert_cmpint (spec.type, ==, NA_FLOW_TYPE_IPV6_ULA);

  g_assert_true (validate_text ("{'type': <'ipv6-ula'>, 'listener': <true>}",
                                ALL_OFFERED, &spec, &counters, &error));
  g_assert_no_error (error);
  g_assert_true (spec.listener);

  /* custom-ether named but no ethertype */
  {
    g_autoptr(GError) e = validate_fails ("{'type': <'custom-ether'>}", ALL_OFFERED, &counters,
                                          NA_ERROR_INVALID_ARGUMENT);
    na_test_assert_message_has (e, "ethertype");
  }
  assert_counters (&counters, 0, 0, 0);
}

static void
test_type_not_offered (void)
{
  static const struct {
    const char *request;
    NaFeatures  needs;
  } requests[] = {
    { "{'ethertype': <uint16 0x88b5>}", NA_FEATURE_CUSTOM_ETHER },
    { "{'type': <'custom-ether'>, 'ethertype': <uint16 0x88b5>}", NA_FEATURE_CUSTOM_ETHER },
    { "{'local-address': <'fd00::1'>, 'remote-address': <'fd00::2'>}", NA_FEATURE_IPV6_ULA },
    { "{'listener': <true>}", NA_FEATURE_IPV6_ULA },
    { "{'type': <'filter'>}", NA_FEATURE_FILTER },
  };
  static const NaFeatures offers[] = {
    NA_FEATURE_NONE,
    NA_FEATURE_CUSTOM_ETHER,
    NA_FEATURE_IPV6_ULA,
    NA_FEATURE_FILTER,
    NA_FEATURE_CUSTOM_ETHER | NA_FEATURE_FILTER,
    NA_FEATURE_IPV6_ULA | NA_FEATURE_FILTER,
  };
  NaAgentCounters counters = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (requests); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (offers); j++)
      {
        NaFlowSpec spec;
        g_autoptr(GError) error = NULL;
        gboolean ok = validate_text (requests[i].request, offers[j], &spec, &counters, &error);

        if (offers[j] & requests[i].needs)
          {
            g_assert_no_error (error);
            g_assert_true (ok);
            g_assert_true (na_flow_type_feature (spec.type) == requests[i].needs);
          }
        else
          {
            g_assert_false (ok);
            na_test_assert_error (error, NA_ERROR_NOT_SUPPORTED);
          }
      }
  assert_counters (&counters, 0, 0, 0);
}

/* The type alone, before any agent is known (the service picks the
 * authorization from it): same inference, same errors, nothing counted. */
static void
test_type_infer_alone (void)
{
  static const struct {
    const char *request;
    NaFlowType  type;
  } good[] = {
    { "{'ethertype': <uint16 0x0800>}", NA_FLOW_TYPE_CUSTOM_ETHER },
    { "{'local-address': <'::'>}", NA_FLOW_TYPE_IPV6_ULA },
    { "{'listener': <false>}", NA_FLOW_TYPE_IPV6_ULA },
    { "{'type': <'filter'>}", NA_FLOW_TYPE_FILTER },
    { "{'type': <'ipv6-ula'>}", NA_FLOW_TYPE_IPV6_ULA },
  };
  static const char *const bad[] = {
    "@a{sv} {}",
    "{'ethertype': <uint16 0x88b5>, 'listener': <true>}",
    "{'type': <'filter'>, 'remote-address': <'fd00::2'>}",
    "{'type': <'custom-ether'>}",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_auto(NaFlowParams) p = { 0 };
      g_autoptr(GError) error = NULL;
      NaFlowType type = NA_FLOW_TYPE_NONE;

      na_test_parse_params (good[i].request, &p);
      g_assert_true (na_flow_params_infer_type (&p, &type, &error));
      g_assert_no_error (error);
      g_assert_cmpint (type, ==, good[i].type);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(NaFlowParams) p = { 0 };
      g_autoptr(GError) error = NULL;
      NaFlowType type = NA_FLOW_TYPE_NONE;

      na_test_parse_params (bad[i], &p);
      g_assert_false (na_flow_params_infer_type (&p, &type, &error));
      na_test_assert_error (error, NA_ERROR_INVALID_ARGUMENT);
    }
}

/* A listener's local address is generated later: what the caller gives is
 * not taken (the table test checks it is overwritten); text that is not
 * an address is still refused. */
static void
test_listener (void)
{
  NaAgentCounters counters = { 0 };
  NaFlowSpec spec;
  struct in6_addr zero = IN6ADDR_ANY_INIT;
  g_autoptr(GError) error = NULL;

  g_assert_true (validate_text ("{'listener': <true>, 'local-address': <'fd00::1234'>}",
                                NA_FEATURE_IPV6_ULA, &spec, &counters, &error));
  g_assert_no_error (error);
  g_assert_true (spec.listener);
  g_assert_cmpmem (&spec.local, sizeof spec.local, &zero, sizeof zero);

  g_assert_true (validate_text ("{'listener': <true>, 'local-address': <'::'>}",
                                NA_FEATURE_IPV6_ULA, &spec, &counters, &error));
  g_assert_no_error (error);
  assert_counters (&counters, 0, 0, 0);

  {
    g_error_free (validate_fails ("{'listener': <true>, 'local-address': <'garbage'>}",
                                  NA_FEATURE_IPV6_ULA, &counters, NA_ERROR_BAD_ADDRESS));
    assert_counters (&counters, 0, 1, 0);
  }
}

/* ---- Register options ---- */

static gboolean
register_text (const char *text, NaRegisterOptions *o, GError **error)
{
  g_autoptr(GVariant) dict = na_test_vardict (text);

  return na_register_options_parse (dict, o, error);
}

static void
register_fails (const char *text, NaError code, const char *word)
{
  NaRegisterOptions o;
  g_autoptr(GError) error = NULL;

  if (register_text (text, &o, &error))
    g_error ("accepted: %s", text);
  na_test_assert_error (error, code);
  if (word)
    na_test_assert_message_has (error, word);
}

static void
test_register_defaults (void)
{
  NaRegisterOptions o;
  g_autoptr(GError) error = NULL;

  g_assert_true (register_text ("@a{sv} {}", &o, &error));
  g_assert_no_error (error);
  g_assert_cmpint (o.features, ==, NA_FEATURE_CUSTOM_ETHER);
  g_assert_cmpuint (o.flow_max, ==, 126);
  g_assert_cmpstr (o.domain, ==, "Skywalk");
  g_assert_cmpstr (o.type, ==, "NetIf");
  g_assert_cmpstr (o.description, ==, "Userspace Networking");
}

static void
test_register_all (void)
{
  NaRegisterOptions o;
  g_autoptr(GError) error = NULL;

  g_assert_true (register_text ("{'features': <['ipv6-ula', 'filter']>, 'flow-max': <uint32 7>,"
                                " 'domain': <'D'>, 'type': <'T'>, 'description': <'Desc'>}",
                                &o, &error));
  g_assert_no_error (error);
  g_assert_cmpint (o.features, ==, NA_FEATURE_IPV6_ULA | NA_FEATURE_FILTER);
  g_assert_cmpuint (o.flow_max, ==, 7);
  g_assert_cmpstr (o.domain, ==, "D");
  g_assert_cmpstr (o.type, ==, "T");
  g_assert_cmpstr (o.description, ==, "Desc");
}

/* Sizes with the terminator, as the seed: 32, 32, 128. */
static void
test_register_sizes (void)
{
  static const struct {
    const char *key;
    gsize       size;
  } fields[] = {
    { "domain", 32 }, { "type", 32 }, { "description", 128 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *fits = g_strnfill (fields[i].size - 1, 'x');
      g_autofree char *too_long = g_strnfill (fields[i].size, 'x');
      g_autofree char *ok_text = g_strdup_printf ("{'%s': <'%s'>}", fields[i].key, fits);
      g_autofree char *bad_text = g_strdup_printf ("{'%s': <'%s'>}", fields[i].key, too_long);
      g_autoptr(GError) error = NULL;
      NaRegisterOptions o;
      const char *stored;

      g_assert_true (register_text (ok_text, &o, &error));
      g_assert_no_error (error);
      stored = i == 0 ? o.domain : i == 1 ? o.type : o.description;
      g_assert_cmpstr (stored, ==, fits);

      register_fails (bad_text, NA_ERROR_INVALID_ARGUMENT, fields[i].key);
    }

  /* Bytes count, not characters */
  {
    g_autoptr(GString) s = g_string_new (NULL);
    g_autofree char *text = NULL;

    /* 16 characters, 32 bytes */
    while (s->len < 32)
      g_string_append (s, "é");
    g_assert_cmpuint (g_utf8_strlen (s->str, -1), ==, 16);
    text = g_strdup_printf ("{'domain': <'%s'>}", s->str);
    register_fails (text, NA_ERROR_INVALID_ARGUMENT, "domain");
  }
}

static void
test_register_flow_max (void)
{
  static const guint32 good[] = { 1, 2, 126, 65533 };
  NaRegisterOptions o;

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'flow-max': <uint32 %u>}", good[i]);
      g_autoptr(GError) error = NULL;

      g_assert_true (register_text (text, &o, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (o.flow_max, ==, good[i]);
    }
  register_fails ("{'flow-max': <uint32 0>}", NA_ERROR_INVALID_ARGUMENT, "flow-max");
  register_fails ("{'flow-max': <uint32 65534>}", NA_ERROR_INVALID_ARGUMENT, "flow-max");
  register_fails ("{'flow-max': <uint32 4294967295>}", NA_ERROR_INVALID_ARGUMENT, "flow-max");
  register_fails ("{'flow-max': <int32 5>}", NA_ERROR_INVALID_ARGUMENT, "flow-max");
  register_fails ("{'flow-max': <uint16 5>}", NA_ERROR_INVALID_ARGUMENT, "flow-max");
}

static void
test_register_features (void)
{
  static const struct {
    const char *list;
    NaFeatures  features;
  } good[] = {
    { "['custom-ether']", NA_FEATURE_CUSTOM_ETHER },
    { "['ipv6-ula']", NA_FEATURE_IPV6_ULA },
    { "['filter']", NA_FEATURE_FILTER },
    { "['filter', 'custom-ether']", NA_FEATURE_CUSTOM_ETHER | NA_FEATURE_FILTER },
    { "['ipv6-ula', 'filter']", NA_FEATURE_IPV6_ULA | NA_FEATURE_FILTER },
    { "['custom-ether', 'custom-ether']", NA_FEATURE_CUSTOM_ETHER },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *text = g_strdup_printf ("{'features': <%s>}", good[i].list);
      g_autoptr(GError) error = NULL;
      NaRegisterOptions o;

      g_assert_true (register_text (text, &o, &error));
      g_assert_no_error (error);
      g_assert_cmpint (o.features, ==, good[i].features);
    }

  register_fails ("{'features': <@as []>}", NA_ERROR_NOT_SUPPORTED, NULL);
  register_fails ("{'features': <['custom-ether', 'ipv6-ula']>}", NA_ERROR_INVALID_ARGUMENT, NULL);
  register_fails ("{'features': <['ipv6-ula', 'filter', 'custom-ether']>}", NA_ERROR_INVALID_ARGUMENT, NULL);
  register_fails ("{'features': <['custom-ether', 'bogus']>}", NA_ERROR_INVALID_ARGUMENT, "bogus");
  register_fails ("{'features': <['']>}", NA_ERROR_INVALID_ARGUMENT, NULL);
  register_fails ("{'features': <'custom-ether'>}", NA_ERROR_INVALID_ARGUMENT, "features");
  register_fails ("{'features': <[<'custom-ether'>]>}", NA_ERROR_INVALID_ARGUMENT, "features");
}

static void
test_register_unknown (void)
{
  g_autoptr(GVariant) not_dict = g_variant_ref_sink (g_variant_new_string ("features"));
  g_autoptr(GError) error = NULL;
  NaRegisterOptions o;

  register_fails ("{'colour': <'blue'>}", NA_ERROR_INVALID_ARGUMENT, "colour");
  register_fails ("{'flow-max': <uint32 5>, 'flow_max': <uint32 5>}", NA_ERROR_INVALID_ARGUMENT, "flow_max");
  register_fails ("{'domain': <uint32 5>}", NA_ERROR_INVALID_ARGUMENT, "domain");
  register_fails ("{'description': <['x']>}", NA_ERROR_INVALID_ARGUMENT, "description");

  g_assert_false (na_register_options_parse (not_dict, &o, &error));
  na_test_assert_error (error, NA_ERROR_INVALID_ARGUMENT);
}

static void
test_features_from_strv (void)
{
  const char *const none[] = { NULL };
  const char *const all_but_one[] = { "filter", "ipv6-ula", NULL };
  const char *const upper[] = { "Custom-Ether", NULL };
  NaFeatures f = NA_FEATURE_NONE;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;

  g_assert_false (na_features_from_strv (NULL, &f, &e1));
  na_test_assert_error (e1, NA_ERROR_NOT_SUPPORTED);
  g_assert_false (na_features_from_strv (none, &f, &e2));
  na_test_assert_error (e2, NA_ERROR_NOT_SUPPORTED);
  g_assert_false (na_features_from_strv (upper, &f, &e3));
  na_test_assert_error (e3, NA_ERROR_INVALID_ARGUMENT);
  g_assert_true (na_features_from_strv (all_but_one, &f, NULL));
  g_assert_cmpint (f, ==, NA_FEATURE_IPV6_ULA | NA_FEATURE_FILTER);
}

/* A filter's 4-byte header cannot travel on a TAP device. */
static void
test_filter_needs_socketpair (void)
{
  g_autoptr(GError) error = validate_fails ("{'type': <'filter'>, 'channel-type': <'tap'>}",
                                            NA_FEATURE_FILTER, NULL, NA_ERROR_NOT_SUPPORTED);
  NaFlowSpec spec;
  g_autoptr(GError) none = NULL;

  g_assert_nonnull (strstr (error->message, "socketpair"));
  g_assert_true (validate_text ("{'type': <'filter'>, 'channel-type': <'socketpair'>}",
                                NA_FEATURE_FILTER, &spec, NULL, &none));
  g_assert_no_error (none);
  g_assert_true (validate_text ("{'ethertype': <uint16 0x88b5>, 'channel-type': <'tap'>}",
                                NA_FEATURE_CUSTOM_ETHER, &spec, NULL, &none));
  g_assert_no_error (none);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/flow-params/parse/defaults", test_parse_defaults);
  g_test_add_func ("/flow-params/validate/filter-needs-socketpair", test_filter_needs_socketpair);
  g_test_add_func ("/flow-params/parse/all-keys", test_parse_all_keys);
  g_test_add_func ("/flow-params/parse/not-a-dict", test_parse_not_a_dict);
  g_test_add_func ("/flow-params/parse/unknown-key", test_parse_unknown_key);
  g_test_add_func ("/flow-params/parse/wrong-type", test_parse_wrong_type);
  g_test_add_func ("/flow-params/parse/unknown-values", test_parse_unknown_values);
  g_test_add_func ("/flow-params/parse/error-clears", test_parse_error_clears);
  g_test_add_func ("/flow-params/parse/tap-name", test_parse_tap_name);
  g_test_add_func ("/flow-params/parse/pid", test_parse_pid);
  g_test_add_func ("/flow-params/ethertype/forbidden", test_ethertype_forbidden);
  g_test_add_func ("/flow-params/ethertype/boundary", test_ethertype_boundary);
  g_test_add_func ("/flow-params/ethertype/exhaustive", test_ethertype_exhaustive);
  g_test_add_func ("/flow-params/ethertype/not-offered-not-counted", test_ethertype_not_offered_not_counted);
  g_test_add_func ("/flow-params/address/bad", test_address_bad);
  g_test_add_func ("/flow-params/address/both-bad-counted-once", test_address_both_bad_counted_once);
  g_test_add_func ("/flow-params/address/missing", test_address_missing);
  g_test_add_func ("/flow-params/address/not-ula-accepted", test_address_not_ula_accepted);
  g_test_add_func ("/flow-params/address/huge", test_address_huge);
  g_test_add_func ("/flow-params/address/counters-optional", test_address_counters_optional);
  g_test_add_func ("/flow-params/type/inferred", test_type_inferred);
  g_test_add_func ("/flow-params/type/incompatible", test_type_incompatible);
  g_test_add_func ("/flow-params/type/missing", test_type_missing);
  g_test_add_func ("/flow-params/type/explicit", test_type_explicit);
  g_test_add_func ("/flow-params/type/not-offered", test_type_not_offered);
  g_test_add_func ("/flow-params/type/infer-alone", test_type_infer_alone);
  g_test_add_func ("/flow-params/listener", test_listener);
  g_test_add_func ("/register-options/defaults", test_register_defaults);
  g_test_add_func ("/register-options/all", test_register_all);
  g_test_add_func ("/register-options/sizes", test_register_sizes);
  g_test_add_func ("/register-options/flow-max", test_register_flow_max);
  g_test_add_func ("/register-options/features", test_register_features);
  g_test_add_func ("/register-options/unknown", test_register_unknown);
  g_test_add_func ("/features/from-strv", test_features_from_strv);

  return g_test_run ();
}
