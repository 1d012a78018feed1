/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "na-agent-state.h"
#include "na-auth.h"
#include "na-caller.h"
#include "na-datapath.h"
#include "na-dbus-generated.h"
#include "na-ula.h"

G_BEGIN_DECLS

/*
 * What the manager shares with its agents: daemon-wide state (one
 * generation counter, one ULA generator, object numbering) and services
 * (bus export, data path, authorization, owner tracking).
 */
typedef struct {
  GDBusConnection          *connection;
  NaDbusNetAgent1          *manager;         /* for the agent signals */
  GDBusObjectManagerServer *object_manager;
  NaDatapath               *datapath;
  NaAuth                   *auth;
  NaOwners                 *owners;
  NaUlaGenerator            ula;
  NaGeneration              generation;
  guint64                   next_flow_id;    /* Flow/<n>: never reused */
  guint                     user_flow_quota; /* flows one uid may hold; 0: no quota */
  GHashTable               *user_flows;      /* uid → number of flows */
} NaContext;

G_END_DECLS
