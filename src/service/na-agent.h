/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "na-context.h"
#include "na-flow-params.h"
#include "na-link.h"

G_BEGIN_DECLS

/*
 * An agent on one network interface, as published on the bus
 * (io.netagentd.NetAgent1.Agent): the seed's netagent, with its flows.
 */
#define NA_TYPE_AGENT (na_agent_get_type ())
G_DECLARE_FINAL_TYPE (NaAgent, na_agent, NA, AGENT, NaDbusNetAgent1AgentSkeleton)

/* Attaches to the link's data path; NULL with an NA_ERROR on failure. */
NaAgent    *na_agent_new            (NaContext               *ctx,
                                     const char              *object_path,
                                     const NaLinkInfo        *link,
                                     const NaRegisterOptions *options,
                                     GError                 **error);

const char *na_agent_get_path       (NaAgent *agent);
const char *na_agent_get_uuid_str   (NaAgent *agent);
int         na_agent_get_ifindex    (NaAgent *agent);
const char *na_agent_get_ifname     (NaAgent *agent);

/* The link changed: publish what did (new generation, AgentUpdated). */
void        na_agent_link_changed   (NaAgent *agent, const NaLinkInfo *link);

/* End every flow (FlowRemoved "purged") and detach from the link. */
void        na_agent_purge          (NaAgent *agent);

/* @bus_name left the bus: its flows end with "owner-vanished". */
void        na_agent_owner_vanished (NaAgent *agent, const char *bus_name);

G_END_DECLS
