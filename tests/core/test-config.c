/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "test-config"

#include <string.h>

#include "na-config.h"

static NaConfig *
parse (const char *text, GError **error)
{
  return na_config_parse (text, strlen (text), "test.conf", error);
}

static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NaConfig) config = parse ("# nothing\n\n; still nothing\n", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (config->user_flow_quota, ==, 0);
  g_assert_cmpuint (config->rules->len, ==, 0);
  g_assert_null (na_config_match (config, "eth0"));
}

static void
test_missing_file_is_default (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NaConfig) config = na_config_load ("/nonexistent/netagentd.conf", &error);

  g_assert_no_error (error);
  g_assert_nonnull (config);
  g_assert_cmpuint (config->rules->len, ==, 0);
}

static void
test_full (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NaConfig) config = parse ("[daemon]\n"
                                      "UserFlowQuota = 64\n"
                                      "\n"
                                      "[agent lldp]\n"
                                      "Interfaces=eth*; enp?s0 ;\n"
                                      "Features=custom-ether;filter\n"
                                      "FlowMax=1000\n"
                                      "Description=LLDP and friends\n"
                                      "[agent ula]\n"
                                      "Interfaces=usb0\n"
                                      "Features=ipv6-ula\n",
                                      &error);
  const NaConfigRule *rule;

  g_assert_no_error (error);
  g_assert_cmpuint (config->user_flow_quota, ==, 64);
  g_assert_cmpuint (config->rules->len, ==, 2);

  rule = na_config_match (config, "eth3");
  g_assert_nonnull (rule);
  g_assert_cmpstr (rule->name, ==, "lldp");
  g_assert_cmpuint (g_strv_length (rule->patterns), ==, 2);
  g_assert_cmpstr (rule->patterns[1], ==, "enp?s0");
  g_assert_cmpint (rule->options.features, ==, NA_FEATURE_CUSTOM_ETHER | NA_FEATURE_FILTER);
  g_assert_cmpuint (rule->options.flow_max, ==, 1000);
  g_assert_cmpstr (rule->options.description, ==, "LLDP and friends");
  /* Keys not given keep Register's defaults. */
  g_assert_cmpstr (rule->options.domain, ==, "Skywalk");
  g_assert_cmpstr (rule->options.type, ==, "NetIf");

  g_assert_true (na_config_match (config, "enp3s0") == rule);
  g_assert_null (na_config_match (config, "enp10s0"));

  rule = na_config_match (config, "usb0");
  g_assert_nonnull (rule);
  g_assert_cmpint (rule->options.features, ==, NA_FEATURE_IPV6_ULA);
  g_assert_cmpuint (rule->options.flow_max, ==, 126);
  g_assert_cmpstr (rule->options.description, ==, "Userspace Networking");
}

static void
test_first_rule_wins (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NaConfig) config = parse ("[agent a]\nInterfaces=veth*\n"
                                      "[agent b]\nInterfaces=veth0\n", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (na_config_match (config, "veth0")->name, ==, "a");
}

/* Every problem is reported with its line, and the file is refused. */
static void
test_errors_line_by_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NaConfig) config = parse ("[daemon]\n"                    /* 1 */
                                      "UserFlowQuota=lots\n"          /* 2 */
                                      "Colour=blue\n"                 /* 3 */
                                      "[agent x]\n"                   /* 4 */
                                      "Interfaces=eth0\n"             /* 5 */
                                      "Features=custom-ether;ipv6-ula\n" /* 6 */
                                      "FlowMax=0\n"                   /* 7 */
                                      "FlowMax=65534\n"               /* 8 */
                                      "no equals sign\n"              /* 9 */
                                      "[elsewhere]\n"                 /* 10 */
                                      "Ignored=yes\n"                 /* 11 */
                                      "[agent y]\n"                   /* 12 */
                                      "Features=\n"                   /* 13 */
                                      "Domain=0123456789012345678901234567890123\n" /* 14 */
                                      "[agent x\n",                   /* 15 */
                                      &error);
  g_auto(GStrv) lines = NULL;

  g_assert_null (config);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "test.conf:2: UserFlowQuota"));
  g_assert_true (g_str_has_prefix (lines[1], "test.conf:3: unknown key “Colour”"));
  g_assert_true (g_str_has_prefix (lines[2], "test.conf:6: Features custom-ether and ipv6-ula"));
  g_assert_true (g_str_has_prefix (lines[3], "test.conf:7: FlowMax"));
  g_assert_true (g_str_has_prefix (lines[4], "test.conf:8: FlowMax"));
  g_assert_true (g_str_has_prefix (lines[5], "test.conf:9: expected"));
  g_assert_true (g_str_has_prefix (lines[6], "test.conf:10: unknown group [elsewhere]"));
  g_assert_true (g_str_has_prefix (lines[7], "test.conf:13: No feature supported"));
  g_assert_true (g_str_has_prefix (lines[8], "test.conf:14: Domain is too long"));
  g_assert_true (g_str_has_prefix (lines[9], "test.conf:15: a group header"));
  g_assert_true (g_str_has_prefix (lines[10], "test.conf: [agent y] has no Interfaces"));
  g_assert_null (lines[11]);
}

static void
test_duplicate_group (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NaConfig) config = parse ("[agent x]\nInterfaces=a\n[agent x]\nInterfaces=b\n",
                                      &error);

  g_assert_null (config);
  g_assert_nonnull (strstr (error->message, "test.conf:3: [agent x] appears twice"));
}

static void
test_key_outside_group (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NaConfig) config = parse ("UserFlowQuota=1\n", &error);

  g_assert_null (config);
  g_assert_nonnull (strstr (error->message, "test.conf:1:"));
}

static void
test_not_utf8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(NaConfig) config = parse ("[daemon]\n\xff\n", &error);

  g_assert_null (config);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/empty", test_empty);
  g_test_add_func ("/config/missing-file", test_missing_file_is_default);
  g_test_add_func ("/config/full", test_full);
  g_test_add_func ("/config/first-rule-wins", test_first_rule_wins);
  g_test_add_func ("/config/errors-line-by-line", test_errors_line_by_line);
  g_test_add_func ("/config/duplicate-group", test_duplicate_group);
  g_test_add_func ("/config/key-outside-group", test_key_outside_group);
  g_test_add_func ("/config/not-utf8", test_not_utf8);
  return g_test_run ();
}
