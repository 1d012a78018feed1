/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "na-types.h"

G_BEGIN_DECLS

/*
 * An agent's published flags, as the seed computes them from its
 * features: filter → INTERPOSE_NEXUS | NETWORK_PROVIDER; custom-ether →
 * CUSTOM_ETHER_NEXUS | NETWORK_PROVIDER; ipv6-ula (the seed's low-latency
 * netif) → NEXUS_PROVIDER | NETWORK_PROVIDER; always NEXUS_LISTENER, plus
 * REGISTERED while registered and ACTIVE while the link is up.
 */
guint32 na_agent_flags       (NaFeatures features, gboolean registered, gboolean link_up);
guint32 na_agent_nexus_flags (NaFeatures features);

/* The daemon-wide generation counter: 1, 2, … (0 is never handed out). */
typedef struct {
  guint32 last;
} NaGeneration;

guint32 na_generation_next (NaGeneration *gen);

G_END_DECLS
