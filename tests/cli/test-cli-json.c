/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "test-cli-json"

#include <math.h>

#include "nactl-json.h"

static void
check (const char *gvariant_text, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = g_variant_parse (NULL, gvariant_text, NULL, NULL, &error);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_no_error (error);
  nactl_json_append_variant (out, value);
  g_assert_cmpstr (out->str, ==, expected);
}

static void
test_scalars (void)
{
  check ("true", "true");
  check ("false", "false");
  check ("byte 255", "255");
  check ("int16 -5", "-5");
  check ("uint16 0x88b5", "34997");
  check ("int32 -2147483648", "-2147483648");
  check ("uint32 4294967295", "4294967295");
  check ("int64 -9223372036854775808", "-9223372036854775808");
  check ("uint64 18446744073709551615", "18446744073709551615");
  check ("handle 3", "3");
  check ("1.5", "1.5");
  check ("'text'", "\"text\"");
  check ("objectpath '/io/netagentd/NetAgent1/Agent/1'", "\"/io/netagentd/NetAgent1/Agent/1\"");
  check ("signature 'a{sv}'", "\"a{sv}\"");
}

static void
test_double_not_finite (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GVariant) inf = g_variant_ref_sink (g_variant_new_double (INFINITY));
  g_autoptr(GVariant) nan = g_variant_ref_sink (g_variant_new_double (NAN));

  nactl_json_append_variant (out, inf);
  g_string_append_c (out, ',');
  nactl_json_append_variant (out, nan);
  g_assert_cmpstr (out->str, ==, "null,null");
}

static void
test_escapes (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  nactl_json_append_string (out, "a\"b\\c\n\t\r\b\f\x01\x1f é ↔");
  g_assert_cmpstr (out->str, ==, "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f é ↔\"");
}

static void
test_containers (void)
{
  check ("@as []", "[]");
  check ("['custom-ether', 'filter']", "[\"custom-ether\",\"filter\"]");
  check ("@a{sv} {}", "{}");
  check ("{'rx-frames': <uint64 3>, 'flags': <uint32 42051>, 'features': <['a']>}",
         "{\"rx-frames\":3,\"flags\":42051,\"features\":[\"a\"]}");
  check ("{'rx-frames': uint64 1, 'tx-frames': 2}",
         "{\"rx-frames\":1,\"tx-frames\":2}");
  /* Keys that are not strings become text. */
  check ("{uint32 1: 'one'}", "{\"1\":\"one\"}");
  check ("(1, 'x', [true])", "[1,\"x\",[true]]");
  check ("@ms nothing", "null");
  check ("@ms 'x'", "\"x\"");
  check ("<<'nested'>>", "\"nested\"");
  check ("[@ay [1, 2]]", "[[1,2]]");
  check ("{'o': <objectpath '/'>}", "{\"o\":\"/\"}");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/json/scalars", test_scalars);
  g_test_add_func ("/cli/json/double-not-finite", test_double_not_finite);
  g_test_add_func ("/cli/json/escapes", test_escapes);
  g_test_add_func ("/cli/json/containers", test_containers);
  return g_test_run ();
}
