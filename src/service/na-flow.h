/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "na-dbus-generated.h"
#include "na-flow-table.h"
#include "na-datapath.h"

G_BEGIN_DECLS

/*
 * A flow as published on the bus (io.netagentd.NetAgent1.Flow) and what
 * the daemon holds for it: its data path flow and, for a tap channel, the
 * TAP device.
 */
#define NA_TYPE_FLOW (na_flow_get_type ())
G_DECLARE_FINAL_TYPE (NaFlow, na_flow, NA, FLOW, NaDbusNetAgent1FlowSkeleton)

typedef struct {
  const char *agent_path;
  const char *owner_bus_name;
  guint32     owner_uid;
  guint32     owner_pid;
  NaChannelType channel_type;
  const char *tap_name;       /* NULL unless tap */
  int         tap_ifindex;    /* 0 unless tap */
} NaFlowOwnerInfo;

NaFlow      *na_flow_new            (const char            *object_path,
                                     const NaFlowEntry     *entry,
                                     const NaFlowOwnerInfo *info);

const char  *na_flow_get_path       (NaFlow *flow);
const char  *na_flow_get_uuid_str   (NaFlow *flow);
const char  *na_flow_get_owner      (NaFlow *flow);
guint32      na_flow_get_owner_uid  (NaFlow *flow);
int          na_flow_get_tap_ifindex (NaFlow *flow);

/* Takes ownership of @dp; the flow's Statistics come from it. */
void         na_flow_set_datapath   (NaFlow *flow, NaDpFlow *dp);
/* Stops the data path for it (closing the daemon's end); idempotent. */
void         na_flow_stop_datapath  (NaFlow *flow);

/* The flow's a{st}. */
GVariant    *na_flow_build_statistics (NaFlow *flow);

G_END_DECLS
