/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <linux/if_packet.h>
#include <sys/socket.h>
#include <time.h>

#include "na-datapath.h"
#include "na-dp-demux.h"
#include "na-dp-socket.h"
#include "na-glib-compat.h"

G_BEGIN_DECLS

/*
 * Internals shared by the data path's files.  Ownership, in short:
 * fields marked [dp] belong to the data path thread (changed only there,
 * inside control commands or per-frame work); [ctl] to the control thread;
 * [atomic] are written by one side with relaxed atomic stores and read by
 * the other with relaxed atomic loads.
 */

/* Frames per syscall and per wake-up. */
#define NA_DP_BATCH        64
/* Deliveries queued before a flush (sendmmsg per flow). */
#define NA_DP_PENDING      256
/* Frames taken from a ring per event, before others get their turn. */
#define NA_DP_RING_BUDGET  256
/* Messages read from a channel per event. */
#define NA_DP_READ_BUDGET  64
/* Message buffers per agent (client transmits, filter write-backs). */
#define NA_DP_BUFS         64
/* Room in front of a frame in a buffer: a VLAN tag put back + a filter header. */
#define NA_DP_HEADROOM     8

typedef enum {
  NA_DP_SRC_COMMAND,
  NA_DP_SRC_AGENT,
  NA_DP_SRC_FLOW,
  NA_DP_SRC_LINKS,
} NaDpSourceKind;

struct _NaDpFlow {
  NaDpSourceKind   kind;            /* first: epoll's data.ptr points here */
  gatomicrefcount  ref;
  NaDatapath      *dp;
  NaDpAgent       *agent;
  NaFlowSpec       spec;
  NaChannelType    channel;
  int              fd;              /* daemon end, or packet socket on the TAP [dp closes] */
  int              tap_ifindex;
  NaDpHangupFunc   hangup;
  gpointer         user_data;

  /* Guards `removed` and the hang-up callback against a concurrent remove. */
  GRecMutex        hangup_lock;
  gboolean         removed;

  /* [dp] */
  gboolean         closed;          /* hung up: out of epoll, gets nothing */
  guint            filter_pos;      /* filter flows: position in the chain */
  int              pend_first;      /* this flow's queued deliveries */
  int              pend_last;
  NaDpFlow        *pend_next;       /* next flow with queued deliveries */
  gboolean         pend_queued;

  guint64          stats[NA_FLOW_N_STATS];   /* [atomic] */
};

struct _NaDpAgent {
  NaDpSourceKind   kind;
  NaDatapath      *dp;
  int              ifindex;
  GPtrArray       *ctl_flows;       /* [ctl] flows, for na_dp_agent_free() */

  /* [dp] */
  guint8           mac[6];
  guint            mtu;
  NaDpRing         ring;
  int              tx_fd;           /* transmit socket */
  NaDpEtherTable   ethers;
  NaDpPairTable    pairs;
  GPtrArray       *flows;           /* every flow */
  GPtrArray       *filters;         /* filter flows in insertion order */
  guint64          ring_drops;      /* [atomic] frames the kernel could not put in the ring */

  /* [dp] message buffers: NA_DP_BUFS of buf_size, each with NA_DP_HEADROOM in front */
  guint8          *bufs;
  gsize            buf_size;
  guint            buf_frame_max;   /* the most a message may carry: MTU + 18 */
  guint            bufs_used;
  union {
    gsize          align;     /* a cmsghdr's alignment */
    guint8         buf[CMSG_SPACE (sizeof (struct tpacket_auxdata))];
  }                cmsg[NA_DP_BUFS];

  /*
   * [dp] recvmmsg's message headers, one per buffer, made once: a read
   * then writes only what the kernel did not (a TAP's control room, a
   * filter's header room), which keeps a lone frame's path short.
   */
  struct mmsghdr   rd_msgs[NA_DP_BUFS];
  struct iovec     rd_iov[NA_DP_BUFS];

  /* [dp] frames on their way to the wire */
  struct mmsghdr   tx_msgs[NA_DP_BUFS];
  struct iovec     tx_iov[NA_DP_BUFS];
  guint            tx_count;
  gboolean         touched;         /* in the flush list */
  NaDpAgent       *next_touched;

  guint64          stats[NA_AGENT_N_STATS];  /* [atomic] */
};

/* One queued delivery of a frame to a flow's channel. */
typedef struct {
  struct iovec iov[2];
  guint        iovlen;
  guint        frame_len;       /* without a filter header */
  int          next;            /* next delivery to the same flow */
} NaDpPending;

typedef struct _NaDpCommand NaDpCommand;

struct _NaDatapath {
  NaDpSourceKind   kind;            /* the command eventfd's source */
  GMainContext    *control;
  GThread         *thread;
  int              epfd;
  int              evfd;
  NaDpSourceKind   links_kind;      /* the link-event socket's source */
  int              links_fd;        /* route netlink, RTM_DELLINK */
  GPtrArray       *agents;          /* [dp] */

  GMutex           cmd_lock;
  GCond            cmd_cond;
  GQueue           commands;        /* under cmd_lock */
  gboolean         quit;            /* [dp] */
  guint            n_agents;        /* [ctl] */

  clockid_t        cpu_clock;       /* the thread's CPU-time clock */

  /* [dp] queued deliveries and the flows/agents to flush */
  NaDpPending      pend[NA_DP_PENDING];
  guint            n_pend;
  NaDpFlow        *pend_flows;
  NaDpFlow        *pend_flows_tail;
  NaDpAgent       *touched;
  struct mmsghdr   scratch[NA_DP_PENDING];
};

/* Single writer: a relaxed store is enough for readers on other threads. */
#define NA_DP_STAT_ADD(arr, idx, n) \
  __atomic_store_n (&(arr)[idx], (arr)[idx] + (guint64) (n), __ATOMIC_RELAXED)

/* na-dp-io.c: the per-frame work, on the data path thread. */
void na_dp_io_agent_event (NaDatapath *dp, NaDpAgent *agent, guint32 events);
void na_dp_io_flow_event  (NaDatapath *dp, NaDpFlow *flow, guint32 events);
void na_dp_io_flush       (NaDatapath *dp);
/* Size the agent's buffers for its MTU (between flushes only). */
void na_dp_io_agent_bufs  (NaDpAgent *agent);

/* TRUE when the TAP device of a TAP flow is gone (its socket came unbound). */
gboolean na_dp_io_tap_gone (NaDpFlow *flow);

/* na-dp-links.c: TAP devices going away. */
int  na_dp_links_open  (GError **error);
void na_dp_links_event (NaDatapath *dp);

/* na-datapath.c */
void na_dp_post_hangup (NaDatapath *dp, NaDpFlow *flow);

G_END_DECLS
