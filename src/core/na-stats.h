/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Agent "Statistics" keys, in the order of the contract. */
typedef enum {
  NA_AGENT_STAT_BAD_ETHERTYPE,
  NA_AGENT_STAT_BAD_IPV6_ADDR,
  NA_AGENT_STAT_DUP_FLOW,
  NA_AGENT_STAT_RX_FRAMES,
  NA_AGENT_STAT_RX_BYTES,
  NA_AGENT_STAT_RX_DELIVERED,
  NA_AGENT_STAT_RX_UNMATCHED,
  NA_AGENT_STAT_RX_DROPPED,
  NA_AGENT_STAT_TX_FRAMES,
  NA_AGENT_STAT_TX_BYTES,
  NA_AGENT_STAT_TX_REJECTED_LENGTH,
  NA_AGENT_STAT_TX_REJECTED_SOURCE,
  NA_AGENT_STAT_TX_REJECTED_FLOW,
  NA_AGENT_STAT_TX_FAILED,
  /* Added to the contract's list: frames the kernel dropped because the
   * data path fell behind (its receive ring was full). */
  NA_AGENT_STAT_RX_RING_DROPPED,
  NA_AGENT_N_STATS
} NaAgentStat;

/* Flow "Statistics" keys. */
typedef enum {
  NA_FLOW_STAT_RX_FRAMES,
  NA_FLOW_STAT_RX_BYTES,
  NA_FLOW_STAT_RX_DROPPED,
  NA_FLOW_STAT_TX_FRAMES,
  NA_FLOW_STAT_TX_BYTES,
  NA_FLOW_STAT_TX_REJECTED,
  NA_FLOW_N_STATS
} NaFlowStat;

const char *na_agent_stat_name (NaAgentStat stat);
const char *na_flow_stat_name  (NaFlowStat stat);

/* a{st} from the values of every agent (or flow) statistic. */
GVariant *na_agent_stats_to_variant (const guint64 values[NA_AGENT_N_STATS]);
GVariant *na_flow_stats_to_variant  (const guint64 values[NA_FLOW_N_STATS]);

G_END_DECLS
