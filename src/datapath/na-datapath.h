/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

#include "na-flow-params.h"
#include "na-stats.h"
#include "na-types.h"

G_BEGIN_DECLS

/*
 * The data path: moves frames between a NIC and its flows' channels on
 * thread(s) of its own.  The control plane (the GLib main loop) talks to it
 * only through the functions below; they are called from the control
 * thread, are race-free against the data path thread(s), and return once
 * the change is in effect.  Nothing here emits D-Bus traffic or touches
 * the main loop per frame.
 */
typedef struct _NaDatapath NaDatapath;
typedef struct _NaDpAgent  NaDpAgent;
typedef struct _NaDpFlow   NaDpFlow;

/*
 * Called on the control GMainContext when the client closed its end of
 * the channel (or a TAP device went away).  Never called after
 * na_dp_flow_remove() returned for that flow.
 */
typedef void (*NaDpHangupFunc) (NaDpFlow *flow, gpointer user_data);

/* @control: where hang-ups are reported (NULL: the thread-default context). */
NaDatapath *na_datapath_new  (GMainContext *control, GError **error);
/* Stops the thread(s); every agent must have been freed. */
void        na_datapath_free (NaDatapath *dp);
/*
 * Returns once the data path thread has finished a round of work begun
 * after the call: what was ready when it was called has been handled,
 * counters included (a source with more than a round's budget waiting —
 * hundreds of frames — goes on in later rounds).  A barrier for tests and
 * for readers that need settled counters.
 */
void        na_datapath_sync (NaDatapath *dp);
/* CPU time the data path thread has used so far, in ns (for benchmarks). */
guint64     na_datapath_get_cpu_time_ns (NaDatapath *dp);

/*
 * Attach to a link: one AF_PACKET socket bound to @ifindex, with a kernel
 * filter that passes only what the agent's flows claim (nothing until the
 * first flow).
 */
NaDpAgent  *na_dp_agent_new      (NaDatapath   *dp,
                                  int           ifindex,
                                  const guint8  mac[6],
                                  guint         mtu,
                                  GError      **error);
/* Removes every flow (closing its channel; no hang-up is reported), detaches. */
void        na_dp_agent_free     (NaDpAgent    *agent);
/* The link's MAC or MTU changed: checks use the new values from now on. */
void        na_dp_agent_set_link (NaDpAgent    *agent,
                                  const guint8  mac[6],
                                  guint         mtu);
/* Fills the data path's keys (rx-*, tx-*); leaves the agent-* ones alone. */
void        na_dp_agent_get_stats (NaDpAgent *agent,
                                   guint64    values[NA_AGENT_N_STATS]);
/*
 * Frames the kernel dropped because the agent's receive ring was full
 * (the data path fell behind), accumulated since the agent was made.
 */
guint64     na_dp_agent_get_ring_drops (NaDpAgent *agent);

typedef struct {
  NaChannelType type;
  /* NA_CHANNEL_TAP: the TAP device the client holds the fd of. */
  int           tap_ifindex;
} NaDpChannel;

/*
 * Start moving frames for a flow described by @spec (validated by the
 * core).  For a socketpair channel the data path makes the
 * AF_UNIX/SOCK_SEQPACKET pair and returns the client's end in @client_fd
 * (O_CLOEXEC); for a TAP channel it bridges the device and @client_fd is
 * left at -1 (the caller made the device and holds its fd).
 */
NaDpFlow   *na_dp_flow_add       (NaDpAgent          *agent,
                                  const NaFlowSpec   *spec,
                                  const NaDpChannel  *channel,
                                  NaDpHangupFunc      hangup,
                                  gpointer            user_data,
                                  int                *client_fd,
                                  GError            **error);
/* Stop and free: the daemon's end is closed (the client reads EOF). */
void        na_dp_flow_remove    (NaDpFlow *flow);
void        na_dp_flow_get_stats (NaDpFlow *flow,
                                  guint64   values[NA_FLOW_N_STATS]);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NaDatapath, na_datapath_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NaDpAgent, na_dp_agent_free)

G_END_DECLS
