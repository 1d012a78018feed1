/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "test-cli-format"

#include <netagent/netagent-flags.h>

#include "nactl-format.h"

static void
test_table (void)
{
  const char *headers[] = { "PATH", "INTERFACE", "FLOWS", NULL };
  g_autoptr(NactlTable) table = nactl_table_new (headers);
  g_autofree char *text = NULL;

  nactl_table_add_row (table, (const char *[]) { "/a/1", "veth0", "0/126" });
  nactl_table_add_row (table, (const char *[]) { "/a/10", NULL, "1/2" });
  nactl_table_add_row (table, (const char *[]) { "/é", "ü", "" });
  text = nactl_table_render (table);
  /* Widths count characters, not bytes; no blanks at the end of a line. */
  g_assert_cmpstr (text, ==,
                   "PATH   INTERFACE  FLOWS\n"
                   "/a/1   veth0      0/126\n"
                   "/a/10  -          1/2\n"
                   "/é     ü\n");
}

static void
test_table_header_only (void)
{
  const char *headers[] = { "A", "BB", NULL };
  g_autoptr(NactlTable) table = nactl_table_new (headers);
  g_autofree char *text = nactl_table_render (table);

  g_assert_cmpstr (text, ==, "A  BB\n");
}

static void
test_flags (void)
{
  g_autofree char *custom = nactl_flags_to_string (0xA443, nactl_agent_flag_names);
  g_autofree char *ula = nactl_flags_to_string (0x04C3, nactl_agent_flag_names);
  g_autofree char *zero = nactl_flags_to_string (0, nactl_agent_flag_names);
  g_autofree char *unknown = nactl_flags_to_string (0x10001, nactl_agent_flag_names);
  g_autofree char *only_unknown = nactl_flags_to_string (0x4, nactl_agent_flag_names);
  g_autofree char *nexus = nactl_flags_to_string (0x7, nactl_nexus_flag_names);

  /* The contract's custom-ether + filter agent: no NEXUS_PROVIDER. */
  g_assert_cmpstr (custom, ==, "0xa443 (REGISTERED, ACTIVE, NETWORK_PROVIDER, NEXUS_LISTENER, "
                               "CUSTOM_ETHER_NEXUS, INTERPOSE_NEXUS)");
  g_assert_cmpstr (ula, ==, "0x4c3 (REGISTERED, ACTIVE, NETWORK_PROVIDER, NEXUS_PROVIDER, "
                            "NEXUS_LISTENER)");
  g_assert_cmpstr (zero, ==, "0x0");
  g_assert_cmpstr (unknown, ==, "0x10001 (REGISTERED, 0x10000)");
  g_assert_cmpstr (only_unknown, ==, "0x4 (0x4)");
  g_assert_cmpstr (nexus, ==, "0x7 (SUPPORTS_USER_PACKET_POOL, ASSERT_UNSUPPORTED, "
                              "SHOULD_USE_EVENT_RING)");
}

static void
check_value (const char *name, const char *gvariant_text, const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) value = g_variant_parse (NULL, gvariant_text, NULL, NULL, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = name ? nactl_format_property (name, value) : nactl_format_value (value);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_values (void)
{
  check_value (NULL, "'veth0'", "veth0");
  check_value (NULL, "''", "-");
  check_value (NULL, "uint32 1500", "1500");
  check_value (NULL, "int32 -3", "-3");
  check_value (NULL, "true", "yes");
  check_value (NULL, "false", "no");
  check_value (NULL, "['custom-ether', 'filter']", "custom-ether, filter");
  check_value (NULL, "@ao []", "-");
  check_value (NULL, "[objectpath '/a/1', '/a/2']", "/a/1, /a/2");
  check_value (NULL, "<uint64 7>", "7");

  check_value ("Flags", "uint32 0x24c3",
               "0x24c3 (REGISTERED, ACTIVE, NETWORK_PROVIDER, NEXUS_PROVIDER, NEXUS_LISTENER, "
               "CUSTOM_ETHER_NEXUS)");
  check_value ("NexusFlags", "uint32 3", "0x3 (SUPPORTS_USER_PACKET_POOL, ASSERT_UNSUPPORTED)");
  check_value ("FrameType", "uint32 1", "1 (LINK)");
  check_value ("FrameType", "uint32 9", "9");
  check_value ("Ethertype", "uint16 0x88b5", "0x88b5");
  check_value ("Ethertype", "uint16 0", "-");
  check_value ("Mtu", "uint32 1500", "1500");
  /* A known name with an unexpected type is shown as it is. */
  check_value ("Flags", "'odd'", "odd");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/format/table", test_table);
  g_test_add_func ("/cli/format/table-header-only", test_table_header_only);
  g_test_add_func ("/cli/format/flags", test_flags);
  g_test_add_func ("/cli/format/values", test_values);
  return g_test_run ();
}
