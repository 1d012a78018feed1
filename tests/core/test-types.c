/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UUIDs, interface names, IPv6 text and the contract's names for flow
 * types, features and channel types.
 */
#define G_LOG_DOMAIN "test-types"

#include <arpa/inet.h>
#include <string.h>

#include <netagent/netagent.h>

#include "na-types.h"

static void
test_uuid_valid (void)
{
  static const char *const good[] = {
    "0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "00000000-0000-0000-0000-000000000001",
    "10000000-0000-0000-0000-000000000000",
  };
  static const char *const bad[] = {
    "",
    "00000000-0000-0000-0000-000000000000",   /* nil */
    "0F8B5A4E-1C2D-4E3F-8A9B-0C1D2E3F4A5B",   /* upper case */
    "0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5B",   /* one upper-case digit */
    "0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5",    /* short (35) */
    "0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5bc",  /* long (37) */
    "0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b ",
    " 0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
    "{0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b}",
    "0f8b5a4e1c2d4e3f8a9b0c1d2e3f4a5b",       /* no dashes */
    "0f8b5a4e-1c2d4-e3f-8a9b-0c1d2e3f4a5b",   /* a dash moved */
    "0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5g",   /* not hex */
    "0f8b5a4e-1c2d-4e3f-8a9b+0c1d2e3f4a5b",
    "0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5\xc3\xa9", /* 37 bytes, non-ASCII */
    "urn:uuid:0f8b5a4e-1c2d-4e3f-8a9b-0c1d2e3f4a5b",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (na_uuid_is_valid (good[i]));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (na_uuid_is_valid (bad[i]))
        g_test_message ("accepted: “%s”", bad[i]);
      g_assert_false (na_uuid_is_valid (bad[i]));
    }
  g_assert_false (na_uuid_is_valid (NULL));
}

static void
test_uuid_generate (void)
{
  char a[NA_UUID_STRLEN], b[NA_UUID_STRLEN];

  G_STATIC_ASSERT (NA_UUID_STRLEN == 37);
  memset (a, 'X', sizeof a);
  na_uuid_generate (a);
  na_uuid_generate (b);
  g_assert_cmpuint (strlen (a), ==, 36);
  g_assert_true (na_uuid_is_valid (a));
  g_assert_true (na_uuid_is_valid (b));
  g_assert_cmpstr (a, !=, b);
  /* random (version 4, RFC 4122 variant) */
  g_assert_cmpint (a[14], ==, '4');
  g_assert_nonnull (strchr ("89ab", a[19]));
}

static void
test_ifname (void)
{
  static const char *const good[] = {
    "eth0", "x", "veth-na.1", "abcdefghijklmno" /* 15 */, "...", "a..", "a@b", "a+b", "tap_0",
  };
  static const char *const bad[] = {
    "", "abcdefghijklmnop" /* 16 */, ".", "..", "a/b", "/", "a:b", "eth0:1", "a b",
    "a\tb", "a\nb", "a\vb", "a\fb", "a\rb", " eth0", "eth0 ",
    /* control characters: stricter than the kernel, these end up in logs */
    "a\x01", "a\x7f",
    /* '%' makes the kernel pick the name ("tap%d" → "tap0") or refuse it:
     * the name asked for would not be the device's */
    "tap%d", "%d", "a%b",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      if (!na_ifname_is_valid (good[i]))
        g_test_message ("refused: “%s”", good[i]);
      g_assert_true (na_ifname_is_valid (good[i]));
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      if (na_ifname_is_valid (bad[i]))
        g_test_message ("accepted: “%s”", bad[i]);
      g_assert_false (na_ifname_is_valid (bad[i]));
    }
  g_assert_false (na_ifname_is_valid (NULL));
}

static void
test_in6_to_string (void)
{
  static const char *const cases[][2] = {
    { "2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1" },
    { "2001:DB8::A", "2001:db8::a" },
    { "::", "::" },
    { "fd00:0:0:0:0:0:0:1", "fd00::1" },
    /* RFC 5952 4.2.3: the first of equally long runs of zeros */
    { "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
    /* RFC 5952 4.2.2: a single 0 field is not shortened */
    { "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1" },
    { "fd12:3456:789a::ffff:0:1", "fd12:3456:789a::ffff:0:1" },
  };
  char buf[INET6_ADDRSTRLEN];

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      struct in6_addr a;

      g_assert_cmpint (inet_pton (AF_INET6, cases[i][0], &a), ==, 1);
      g_assert_true (na_in6_to_string (&a, buf) == buf);
      g_assert_cmpstr (buf, ==, cases[i][1]);
    }
}

/* A caller's string quoted in an error message: bounded, and valid UTF-8
 * even when the bound falls inside a character or the text is not UTF-8. */
static void
test_text_excerpt (void)
{
  static const char *const texts[] = {
    "", "short", "0123456789abcdef0123456789abcdef",
    "a\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9",
    "x\U0001F600\U0001F600\U0001F600",
    "\xff\xfe not UTF-8 \xc3",
  };
  static const gsize bounds[] = { 0, 1, 2, 3, 4, 5, 8, 16, 64 };

  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *text = texts[i];

      for (gsize j = 0; j < G_N_ELEMENTS (bounds); j++)
        {
          g_autofree char *shown = na_text_excerpt (text, bounds[j]);
          gsize kept = strnlen (text, bounds[j]);

          g_assert_nonnull (shown);
          g_assert_true (g_utf8_validate (shown, -1, NULL));
          /* a prefix of the text, within the bound … */
          g_assert_cmpuint (strlen (shown), <=, bounds[j]);
          g_assert_true (strncmp (shown, text, strlen (shown)) == 0);
          /* … all of it when it is valid there, else cut before the
           * character the bound splits (at most 3 bytes of it) */
          if (g_utf8_validate (text, (gssize) kept, NULL))
            g_assert_cmpuint (strlen (shown), ==, kept);
          else if (g_utf8_validate (text, -1, NULL))
            g_assert_cmpuint (strlen (shown) + 3, >=, kept);
        }
    }

  /* the three bytes of a cut 4-byte character are left out whole */
  {
    g_autofree char *shown = na_text_excerpt ("ab\xf0\x9f\x98\x80zz", 5);

    g_assert_cmpstr (shown, ==, "ab");
  }
}

static void
test_flow_type_names (void)
{
  static const struct {
    NaFlowType  type;
    NaFeatures  feature;
    const char *name;
  } cases[] = {
    { NA_FLOW_TYPE_CUSTOM_ETHER, NA_FEATURE_CUSTOM_ETHER, "custom-ether" },
    { NA_FLOW_TYPE_IPV6_ULA,     NA_FEATURE_IPV6_ULA,     "ipv6-ula" },
    { NA_FLOW_TYPE_FILTER,       NA_FEATURE_FILTER,       "filter" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpstr (na_flow_type_to_string (cases[i].type), ==, cases[i].name);
      g_assert_cmpint (na_flow_type_from_string (cases[i].name), ==, cases[i].type);
      g_assert_cmpint (na_feature_from_string (cases[i].name), ==, cases[i].feature);
      g_assert_cmpint (na_flow_type_feature (cases[i].type), ==, cases[i].feature);
    }
  g_assert_cmpstr (na_flow_type_to_string (NA_FLOW_TYPE_NONE), ==, "");
  g_assert_cmpint (na_flow_type_feature (NA_FLOW_TYPE_NONE), ==, NA_FEATURE_NONE);
  g_assert_cmpint (na_flow_type_from_string ("custom_ether"), ==, NA_FLOW_TYPE_NONE);
  g_assert_cmpint (na_flow_type_from_string ("Filter"), ==, NA_FLOW_TYPE_NONE);
  g_assert_cmpint (na_flow_type_from_string (""), ==, NA_FLOW_TYPE_NONE);
  g_assert_cmpint (na_flow_type_from_string (NULL), ==, NA_FLOW_TYPE_NONE);
  g_assert_cmpint (na_feature_from_string ("ipv6"), ==, NA_FEATURE_NONE);
  g_assert_cmpint (na_feature_from_string (NULL), ==, NA_FEATURE_NONE);

  /* the header spells them the same way */
  g_assert_cmpstr (NETAGENT_FEATURE_CUSTOM_ETHER, ==, "custom-ether");
  g_assert_cmpstr (NETAGENT_FEATURE_IPV6_ULA, ==, "ipv6-ula");
  g_assert_cmpstr (NETAGENT_FEATURE_FILTER, ==, "filter");
}

static void
test_channel_type_names (void)
{
  NaChannelType t = NA_CHANNEL_TAP;

  g_assert_cmpstr (na_channel_type_to_string (NA_CHANNEL_SOCKETPAIR), ==, "socketpair");
  g_assert_cmpstr (na_channel_type_to_string (NA_CHANNEL_TAP), ==, "tap");
  g_assert_true (na_channel_type_from_string ("socketpair", &t));
  g_assert_cmpint (t, ==, NA_CHANNEL_SOCKETPAIR);
  g_assert_true (na_channel_type_from_string ("tap", &t));
  g_assert_cmpint (t, ==, NA_CHANNEL_TAP);
  /* an unknown name leaves the output alone */
  g_assert_false (na_channel_type_from_string ("TAP", &t));
  g_assert_false (na_channel_type_from_string ("", &t));
  g_assert_false (na_channel_type_from_string (NULL, &t));
  g_assert_cmpint (t, ==, NA_CHANNEL_TAP);
  /* socketpair is the default: the zero value */
  g_assert_cmpint (NA_CHANNEL_SOCKETPAIR, ==, 0);
}

static void
test_features_to_strv (void)
{
  static const struct {
    NaFeatures        features;
    const char *const names[4];
  } cases[] = {
    { NA_FEATURE_NONE, { NULL } },
    { NA_FEATURE_CUSTOM_ETHER, { "custom-ether", NULL } },
    { NA_FEATURE_FILTER, { "filter", NULL } },
    { NA_FEATURE_FILTER | NA_FEATURE_IPV6_ULA, { "ipv6-ula", "filter", NULL } },
    { NA_FEATURE_FILTER | NA_FEATURE_CUSTOM_ETHER, { "custom-ether", "filter", NULL } },
    { NA_FEATURE_FILTER | NA_FEATURE_CUSTOM_ETHER | NA_FEATURE_IPV6_ULA,
      { "custom-ether", "ipv6-ula", "filter", NULL } },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) strv = na_features_to_strv (cases[i].features);

      g_assert_nonnull (strv);
      g_assert_true (g_strv_equal ((const char *const *) strv, cases[i].names));
    }
}

/* The D-Bus names of the contract, as the shared header spells them. */
static void
test_dbus_names (void)
{
  g_assert_cmpstr (NETAGENT_DBUS_NAME, ==, "io.netagentd.NetAgent1");
  g_assert_cmpstr (NETAGENT_DBUS_PATH, ==, "/io/netagentd/NetAgent1");
  g_assert_cmpstr (NETAGENT_DBUS_AGENT_PATH, ==, "/io/netagentd/NetAgent1/Agent");
  g_assert_cmpstr (NETAGENT_DBUS_FLOW_PATH, ==, "/io/netagentd/NetAgent1/Flow");
  g_assert_cmpstr (NETAGENT_DBUS_INTERFACE, ==, "io.netagentd.NetAgent1");
  g_assert_cmpstr (NETAGENT_DBUS_INTERFACE_AGENT, ==, "io.netagentd.NetAgent1.Agent");
  g_assert_cmpstr (NETAGENT_DBUS_INTERFACE_FLOW, ==, "io.netagentd.NetAgent1.Flow");
  g_assert_cmpstr (NETAGENT_CHANNEL_SOCKETPAIR, ==, "socketpair");
  g_assert_cmpstr (NETAGENT_CHANNEL_TAP, ==, "tap");
  g_assert_cmpstr (NETAGENT_REASON_REMOVED, ==, "removed");
  g_assert_cmpstr (NETAGENT_REASON_ABORTED, ==, "aborted");
  g_assert_cmpstr (NETAGENT_REASON_OWNER_VANISHED, ==, "owner-vanished");
  g_assert_cmpstr (NETAGENT_REASON_CHANNEL_CLOSED, ==, "channel-closed");
  g_assert_cmpstr (NETAGENT_REASON_PURGED, ==, "purged");
  g_assert_cmpuint (NETAGENT_FIRST_PORT, ==, 2);
  g_assert_cmpuint (NETAGENT_DEFAULT_FLOW_MAX, ==, 126);
  g_assert_cmpuint (NETAGENT_FLOW_MAX_LIMIT, ==, 65533);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/types/uuid/valid", test_uuid_valid);
  g_test_add_func ("/types/uuid/generate", test_uuid_generate);
  g_test_add_func ("/types/ifname", test_ifname);
  g_test_add_func ("/types/in6-to-string", test_in6_to_string);
  g_test_add_func ("/types/text-excerpt", test_text_excerpt);
  g_test_add_func ("/types/names/flow-type", test_flow_type_names);
  g_test_add_func ("/types/names/channel-type", test_channel_type_names);
  g_test_add_func ("/types/names/features", test_features_to_strv);
  g_test_add_func ("/types/names/dbus", test_dbus_names);

  return g_test_run ();
}
