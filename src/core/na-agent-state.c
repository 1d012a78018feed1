/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "na-core"

#include <netagent/netagent-flags.h>

#include "na-agent-state.h"

guint32
na_agent_flags (NaFeatures features, gboolean registered, gboolean link_up)
{
  guint32 flags = NETAGENT_FLAG_NEXUS_LISTENER;

  if (features & NA_FEATURE_FILTER)
    flags |= NETAGENT_FLAG_INTERPOSE_NEXUS | NETAGENT_FLAG_NETWORK_PROVIDER;
  /* The seed's low-latency netif offers ipv6-ula flows as a plain nexus
   * provider; any other netif offers custom-ether flows. */
  if (features & NA_FEATURE_IPV6_ULA)
    flags |= NETAGENT_FLAG_NEXUS_PROVIDER | NETAGENT_FLAG_NETWORK_PROVIDER;
  if (features & NA_FEATURE_CUSTOM_ETHER)
    flags |= NETAGENT_FLAG_CUSTOM_ETHER_NEXUS | NETAGENT_FLAG_NETWORK_PROVIDER;
  if (registered)
    flags |= NETAGENT_FLAG_REGISTERED;
  if (link_up)
    flags |= NETAGENT_FLAG_ACTIVE;
  return flags;
}

guint32
na_agent_nexus_flags (NaFeatures features)
{
  guint32 flags = NETAGENT_NEXUS_FLAG_SUPPORTS_USER_PACKET_POOL |
                  NETAGENT_NEXUS_FLAG_ASSERT_UNSUPPORTED;

  if (features & NA_FEATURE_IPV6_ULA)
    flags |= NETAGENT_NEXUS_FLAG_SHOULD_USE_EVENT_RING;
  return flags;
}

guint32
na_generation_next (NaGeneration *gen)
{
  do
    gen->last++;
  while (gen->last == 0);
  return gen->last;
}
