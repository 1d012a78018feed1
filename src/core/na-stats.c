/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "na-core"

#include "na-stats.h"

static const char *const agent_stat_names[NA_AGENT_N_STATS] = {
  [NA_AGENT_STAT_BAD_ETHERTYPE]      = "agent-bad-ethertype",
  [NA_AGENT_STAT_BAD_IPV6_ADDR]      = "agent-bad-ipv6-addr",
  [NA_AGENT_STAT_DUP_FLOW]           = "agent-dup-flow",
  [NA_AGENT_STAT_RX_FRAMES]          = "rx-frames",
  [NA_AGENT_STAT_RX_BYTES]           = "rx-bytes",
  [NA_AGENT_STAT_RX_DELIVERED]       = "rx-delivered",
  [NA_AGENT_STAT_RX_UNMATCHED]       = "rx-unmatched",
  [NA_AGENT_STAT_RX_DROPPED]         = "rx-dropped",
  [NA_AGENT_STAT_TX_FRAMES]          = "tx-frames",
  [NA_AGENT_STAT_TX_BYTES]           = "tx-bytes",
  [NA_AGENT_STAT_TX_REJECTED_LENGTH] = "tx-rejected-length",
  [NA_AGENT_STAT_TX_REJECTED_SOURCE] = "tx-rejected-source",
  [NA_AGENT_STAT_TX_REJECTED_FLOW]   = "tx-rejected-flow",
  [NA_AGENT_STAT_TX_FAILED]          = "tx-failed",
  [NA_AGENT_STAT_RX_RING_DROPPED]    = "rx-ring-dropped",
};

static const char *const flow_stat_names[NA_FLOW_N_STATS] = {
  [NA_FLOW_STAT_RX_FRAMES]   = "rx-frames",
  [NA_FLOW_STAT_RX_BYTES]    = "rx-bytes",
  [NA_FLOW_STAT_RX_DROPPED]  = "rx-dropped",
  [NA_FLOW_STAT_TX_FRAMES]   = "tx-frames",
  [NA_FLOW_STAT_TX_BYTES]    = "tx-bytes",
  [NA_FLOW_STAT_TX_REJECTED] = "tx-rejected",
};

const char *
na_agent_stat_name (NaAgentStat stat)
{
  g_return_val_if_fail (stat < NA_AGENT_N_STATS, NULL);
  return agent_stat_names[stat];
}

const char *
na_flow_stat_name (NaFlowStat stat)
{
  g_return_val_if_fail (stat < NA_FLOW_N_STATS, NULL);
  return flow_stat_names[stat];
}

static GVariant *
stats_to_variant (const char *const *names, const guint64 *values, gsize n)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{st}"));
  for (gsize i = 0; i < n; i++)
    g_variant_builder_add (&builder, "{st}", names[i], values[i]);
  return g_variant_builder_end (&builder);
}

GVariant *
na_agent_stats_to_variant (const guint64 values[NA_AGENT_N_STATS])
{
  return stats_to_variant (agent_stat_names, values, NA_AGENT_N_STATS);
}

GVariant *
na_flow_stats_to_variant (const guint64 values[NA_FLOW_N_STATS])
{
  return stats_to_variant (flow_stat_names, values, NA_FLOW_N_STATS);
}
