/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Statistics keys exactly as the contract spells them, and their a{st}.
 */
#define G_LOG_DOMAIN "test-stats"

#include "na-stats.h"

static const char *const agent_keys[] = {
  "agent-bad-ethertype", "agent-bad-ipv6-addr", "agent-dup-flow",
  "rx-frames", "rx-bytes", "rx-delivered", "rx-unmatched", "rx-dropped",
  "tx-frames", "tx-bytes", "tx-rejected-length", "tx-rejected-source",
  "tx-rejected-flow", "tx-failed",
  /* added to the contract's list ("more may be added") */
  "rx-ring-dropped",
};

static const char *const flow_keys[] = {
  "rx-frames", "rx-bytes", "rx-dropped", "tx-frames", "tx-bytes", "tx-rejected",
};

static void
test_agent_names (void)
{
  g_assert_cmpuint (NA_AGENT_N_STATS, ==, G_N_ELEMENTS (agent_keys));
  for (guint i = 0; i < NA_AGENT_N_STATS; i++)
    g_assert_cmpstr (na_agent_stat_name (i), ==, agent_keys[i]);

  /* the seed's counters by name, whatever the order */
  g_assert_cmpstr (na_agent_stat_name (NA_AGENT_STAT_BAD_ETHERTYPE), ==, "agent-bad-ethertype");
  g_assert_cmpstr (na_agent_stat_name (NA_AGENT_STAT_BAD_IPV6_ADDR), ==, "agent-bad-ipv6-addr");
  g_assert_cmpstr (na_agent_stat_name (NA_AGENT_STAT_DUP_FLOW), ==, "agent-dup-flow");
  g_assert_cmpstr (na_agent_stat_name (NA_AGENT_STAT_RX_DROPPED), ==, "rx-dropped");
  g_assert_cmpstr (na_agent_stat_name (NA_AGENT_STAT_TX_FAILED), ==, "tx-failed");
  g_assert_cmpstr (na_agent_stat_name (NA_AGENT_STAT_RX_RING_DROPPED), ==, "rx-ring-dropped");
}

static void
test_flow_names (void)
{
  g_assert_cmpuint (NA_FLOW_N_STATS, ==, G_N_ELEMENTS (flow_keys));
  for (guint i = 0; i < NA_FLOW_N_STATS; i++)
    g_assert_cmpstr (na_flow_stat_name (i), ==, flow_keys[i]);
  g_assert_cmpstr (na_flow_stat_name (NA_FLOW_STAT_TX_REJECTED), ==, "tx-rejected");
}

static void
test_out_of_range (void)
{
  g_test_expect_message ("na-core", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_null (na_agent_stat_name (NA_AGENT_N_STATS));
  g_test_assert_expected_messages ();
  g_test_expect_message ("na-core", G_LOG_LEVEL_CRITICAL, "*");
  g_assert_null (na_flow_stat_name (NA_FLOW_N_STATS));
  g_test_assert_expected_messages ();
}

/* Each key once, in order, with its own value (distinct values catch a
 * shifted index; the largest catches truncation). */
static void
check_dict (GVariant *dict, const char *const *keys, const guint64 *values, gsize n)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_true (g_variant_is_of_type (dict, G_VARIANT_TYPE ("a{st}")));
  g_assert_false (g_variant_is_floating (dict));
  g_assert_cmpuint (g_variant_n_children (dict), ==, n);
  for (gsize i = 0; i < n; i++)
    {
      const char *key;
      guint64 value, looked_up = 0;

      g_variant_get_child (dict, i, "{&st}", &key, &value);
      g_assert_cmpstr (key, ==, keys[i]);
      g_assert_cmpuint (value, ==, values[i]);
      g_assert_false (g_hash_table_contains (seen, key));
      g_hash_table_add (seen, (gpointer) key);
      g_assert_true (g_variant_lookup (dict, keys[i], "t", &looked_up));
      g_assert_cmpuint (looked_up, ==, values[i]);
    }
}

static void
test_agent_variant (void)
{
  guint64 values[NA_AGENT_N_STATS];
  g_autoptr(GVariant) dict = NULL;

  for (guint i = 0; i < NA_AGENT_N_STATS; i++)
    values[i] = 1000 * i + 7;
  values[NA_AGENT_N_STATS - 1] = G_MAXUINT64;
  dict = g_variant_ref_sink (na_agent_stats_to_variant (values));
  check_dict (dict, agent_keys, values, NA_AGENT_N_STATS);
}

static void
test_flow_variant (void)
{
  guint64 values[NA_FLOW_N_STATS];
  g_autoptr(GVariant) dict = NULL;

  for (guint i = 0; i < NA_FLOW_N_STATS; i++)
    values[i] = G_GUINT64_CONSTANT (1) << (10 * i);
  values[0] = G_MAXUINT64;
  dict = g_variant_ref_sink (na_flow_stats_to_variant (values));
  check_dict (dict, flow_keys, values, NA_FLOW_N_STATS);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stats/agent-names", test_agent_names);
  g_test_add_func ("/stats/flow-names", test_flow_names);
  g_test_add_func ("/stats/out-of-range", test_out_of_range);
  g_test_add_func ("/stats/agent-variant", test_agent_variant);
  g_test_add_func ("/stats/flow-variant", test_flow_variant);

  return g_test_run ();
}
