/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "nactl.h"

G_BEGIN_DECLS

/*
 * One flow held by netagentctl: inserted on an agent, watched until it
 * ends, removed when netagentctl is done with it.  Used by `flow open`,
 * `capture` and `send`.
 *
 * The flow's uuid is made here, so FlowRemoved can be watched before the
 * flow exists and no end is missed.  Signals are dispatched by the
 * default main context.
 */
typedef struct _NactlFlowSession NactlFlowSession;

/* The flow ended without netagentctl asking; @reason as in FlowRemoved. */
typedef void (*NactlFlowEndedFunc) (NactlFlowSession *session,
                                    const char       *reason,
                                    gpointer          user_data);

/* Not a FlowRemoved reason: netagentd left the bus. */
#define NACTL_REASON_DAEMON_VANISHED "daemon-vanished"

/* FlowInsert on @agent_path with @parameters (a{sv}, floating is taken). */
NactlFlowSession *nactl_flow_session_open         (NactlContext      *ctx,
                                                   const char        *agent_path,
                                                   GVariant          *parameters,
                                                   GError           **error);

const char       *nactl_flow_session_get_uuid     (NactlFlowSession  *self);
const char       *nactl_flow_session_get_path     (NactlFlowSession  *self);
const char       *nactl_flow_session_get_agent    (NactlFlowSession  *self);
/* The assignment a{sv} (borrowed). */
GVariant         *nactl_flow_session_get_assignment (NactlFlowSession *self);
/* The channel, still owned by the session (-1 if none came). */
int               nactl_flow_session_get_channel  (NactlFlowSession  *self);

void              nactl_flow_session_set_ended_func (NactlFlowSession  *self,
                                                     NactlFlowEndedFunc func,
                                                     gpointer           user_data);
/* Why the flow ended, or NULL while it lives (as far as signals tell). */
const char       *nactl_flow_session_get_end_reason (NactlFlowSession *self);

/*
 * Make sure every signal netagentd sent before now has been dispatched:
 * after a channel read end-of-file, the FlowRemoved that explains it is
 * then known.  A round trip to the daemon, whose signals and replies
 * from its main loop travel in order.
 */
void              nactl_flow_session_sync         (NactlFlowSession  *self);

/*
 * FlowRemove, unless the flow already ended (then nothing to do); the
 * channel is closed afterwards.
 */
gboolean          nactl_flow_session_remove       (NactlFlowSession  *self,
                                                   GError           **error);

void              nactl_flow_session_free         (NactlFlowSession  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NactlFlowSession, nactl_flow_session_free)

/* A sentence for people about why a flow ended. */
const char       *nactl_flow_end_reason_describe  (const char        *reason);

G_END_DECLS
