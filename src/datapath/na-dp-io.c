/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-datapath"

/*
 * The per-frame work, all on the data path thread: receive from an
 * agent's ring, filter chain, demux, queue deliveries; read clients'
 * messages, check them, queue them for the wire; then flush everything in
 * batches (one sendmmsg per flow and per agent) and hand ring frames back.
 *
 * Nothing here allocates or locks, and syscalls are per batch, not per
 * frame (one read per channel, one send per flow and per agent): frames
 * stay where the kernel put them (the ring, or an agent's message buffers)
 * until the flush that sends them.
 */

#include <errno.h>
#include <linux/if_ether.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <netagent/netagent-channel.h>

#include "na-dp-private.h"
#include "na-frame.h"

static const struct netagent_filter_header filter_headers[2] = {
  { NETAGENT_FILTER_HEADER_VERSION, NETAGENT_FILTER_FROM_WIRE, 0 },
  { NETAGENT_FILTER_HEADER_VERSION, NETAGENT_FILTER_TO_WIRE, 0 },
};

#define FILTER_HLEN ((gsize) sizeof (struct netagent_filter_header))

static inline void
touch_agent (NaDatapath *dp, NaDpAgent *agent)
{
  if (!agent->touched)
    {
      agent->touched = TRUE;
      agent->next_touched = dp->touched;
      dp->touched = agent;
    }
}

/*
 * Put a VLAN tag the kernel moved into aux data back in front of the type:
 * the client sees the frame as it was on the wire.  Needs 4 bytes of room
 * before @frame.
 */
static inline guint8 *
vlan_put_back (guint8 *frame, gsize *len, guint16 tpid, guint16 tci)
{
  guint8 *tagged = frame - NA_VLAN_HLEN;

  memmove (tagged, frame, 2 * NA_ETH_ALEN);
  tagged[12] = tpid >> 8;
  tagged[13] = tpid & 0xff;
  tagged[14] = tci >> 8;
  tagged[15] = tci & 0xff;
  *len += NA_VLAN_HLEN;
  return tagged;
}

/* ---- deliveries (to flows' channels) ---- */

/* Queue @frame for @flow; @dir ≥ 0 puts a filter header of that direction in front. */
static void
queue_delivery (NaDatapath *dp,
                NaDpFlow   *flow,
                int         dir,
                guint8     *frame,
                gsize       len)
{
  NaDpPending *p;
  int idx;

  if (G_UNLIKELY (flow->closed))
    {
      NA_DP_STAT_ADD (flow->stats, NA_FLOW_STAT_RX_DROPPED, 1);
      NA_DP_STAT_ADD (flow->agent->stats, NA_AGENT_STAT_RX_DROPPED, 1);
      return;
    }

  g_assert (dp->n_pend < NA_DP_PENDING);
  idx = (int) dp->n_pend++;
  p = &dp->pend[idx];
  if (dir >= 0)
    {
      p->iov[0].iov_base = (gpointer) &filter_headers[dir];
      p->iov[0].iov_len = FILTER_HLEN;
      p->iov[1].iov_base = frame;
      p->iov[1].iov_len = len;
      p->iovlen = 2;
    }
  else
    {
      p->iov[0].iov_base = frame;
      p->iov[0].iov_len = len;
      p->iovlen = 1;
    }
  p->frame_len = (guint) len;
  p->next = -1;

  if (!flow->pend_queued)
    {
      flow->pend_queued = TRUE;
      flow->pend_first = idx;
      flow->pend_next = NULL;
      if (dp->pend_flows_tail != NULL)
        dp->pend_flows_tail->pend_next = flow;
      else
        dp->pend_flows = flow;
      dp->pend_flows_tail = flow;
    }
  else
    {
      dp->pend[flow->pend_last].next = idx;
    }
  flow->pend_last = idx;
}

/* An error after which the rest of a batch to this socket would fail too. */
static inline gboolean
error_ends_batch (int err)
{
  return err == EAGAIN || err == ENOBUFS || err == EPIPE || err == ECONNRESET ||
         err == ENETDOWN || err == ENXIO || err == ENODEV || err == ENOTCONN;
}

/*
 * One sendmmsg for every frame queued to a flow.  A full channel refuses
 * the rest (EAGAIN): those frames are this flow's loss only.
 */
static void
flush_flow (NaDatapath *dp, NaDpFlow *flow)
{
  NaDpAgent *agent = flow->agent;
  guint n = 0, pos = 0, delivered = 0, dropped = 0;
  guint64 bytes = 0;
  guint lens[NA_DP_PENDING];

  for (int i = flow->pend_first; i >= 0; i = dp->pend[i].next)
    {
      struct mmsghdr *m = &dp->scratch[n];

      memset (m, 0, sizeof *m);
      m->msg_hdr.msg_iov = dp->pend[i].iov;
      m->msg_hdr.msg_iovlen = dp->pend[i].iovlen;
      lens[n++] = dp->pend[i].frame_len;
    }

  while (pos < n)
    {
      int r;

      /* One frame (many flows interleaved): sendmsg skips sendmmsg's loop. */
      if (n - pos == 1)
        r = sendmsg (flow->fd, &dp->scratch[pos].msg_hdr, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 ? -1 : 1;
      else
        r = sendmmsg (flow->fd, dp->scratch + pos, n - pos, MSG_DONTWAIT | MSG_NOSIGNAL);

      if (r > 0)
        {
          for (guint k = pos; k < pos + (guint) r; k++)
            bytes += lens[k];
          delivered += (guint) r;
          pos += (guint) r;
        }
      else if (r < 0 && errno == EINTR)
        {
          continue;
        }
      else if (r < 0 && !error_ends_batch (errno))
        {
          /* This frame alone (e.g. too big for a TAP's MTU). */
          dropped++;
          pos++;
        }
      else
        {
          dropped += n - pos;
          break;
        }
    }

  NA_DP_STAT_ADD (flow->stats, NA_FLOW_STAT_RX_FRAMES, delivered);
  NA_DP_STAT_ADD (flow->stats, NA_FLOW_STAT_RX_BYTES, bytes);
  if (flow->spec.type != NA_FLOW_TYPE_FILTER)
    NA_DP_STAT_ADD (agent->stats, NA_AGENT_STAT_RX_DELIVERED, delivered);
  if (dropped > 0)
    {
      NA_DP_STAT_ADD (flow->stats, NA_FLOW_STAT_RX_DROPPED, dropped);
      NA_DP_STAT_ADD (agent->stats, NA_AGENT_STAT_RX_DROPPED, dropped);
    }
}

/* One sendmmsg for every frame an agent has for the wire. */
static void
flush_tx (NaDpAgent *agent)
{
  guint n = agent->tx_count, pos = 0, sent = 0, failed = 0;
  guint64 bytes = 0;

  while (pos < n)
    {
      int r = sendmmsg (agent->tx_fd, agent->tx_msgs + pos, n - pos, MSG_DONTWAIT);

      if (r > 0)
        {
          for (guint k = pos; k < pos + (guint) r; k++)
            bytes += agent->tx_iov[k].iov_len;
          sent += (guint) r;
          pos += (guint) r;
        }
      else if (r < 0 && errno == EINTR)
        {
          continue;
        }
      else if (r < 0 && !error_ends_batch (errno))
        {
          failed++;
          pos++;
        }
      else
        {
          failed += n - pos;
          break;
        }
    }
  agent->tx_count = 0;

  NA_DP_STAT_ADD (agent->stats, NA_AGENT_STAT_TX_FRAMES, sent);
  NA_DP_STAT_ADD (agent->stats, NA_AGENT_STAT_TX_BYTES, bytes);
  if (failed > 0)
    NA_DP_STAT_ADD (agent->stats, NA_AGENT_STAT_TX_FAILED, failed);
}

static void
ring_release (NaDpRing *ring)
{
  for (guint i = ring->held; i > 0; i--)
    {
      struct tpacket2_hdr *h = na_dp_ring_frame (ring, ring->head - i);

      __atomic_store_n (&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
    }
  ring->held = 0;
}

void
na_dp_io_flush (NaDatapath *dp)
{
  NaDpFlow *flow, *next_flow;
  NaDpAgent *agent, *next_agent;

  for (flow = dp->pend_flows; flow != NULL; flow = next_flow)
    {
      next_flow = flow->pend_next;
      flush_flow (dp, flow);
      flow->pend_queued = FALSE;
      flow->pend_next = NULL;
    }
  dp->pend_flows = dp->pend_flows_tail = NULL;
  dp->n_pend = 0;

  /* Only now are the frames in rings and buffers no longer referenced. */
  for (agent = dp->touched; agent != NULL; agent = next_agent)
    {
      next_agent = agent->next_touched;
      if (agent->tx_count > 0)
        flush_tx (agent);
      ring_release (&agent->ring);
      agent->bufs_used = 0;
      agent->touched = FALSE;
      agent->next_touched = NULL;
    }
  dp->touched = NULL;
}

/* ---- from the wire ---- */

static void
demux (NaDatapath *dp,
       NaDpAgent  *agent,
       guint8     *frame,
       gsize       len)
{
  NaFrameInfo info;
  NaDpFlow *flow = NULL;

  if (G_LIKELY (na_frame_parse (frame, len, &info)))
    {
      if (info.demux_type != 0 && agent->ethers.count > 0)
        {
          flow = na_dp_ether_table_lookup (&agent->ethers, info.demux_type);
          if (flow != NULL && !na_frame_dst_accepted (frame, &info, agent->mac))
            flow = NULL;
        }
      /* Inbound, the IPv6 destination is the flow's local address. */
      if (flow == NULL && info.ipv6 && agent->pairs.count > 0)
        flow = na_dp_pair_table_lookup (&agent->pairs, &info.ip6_dst, &info.ip6_src);
    }

  if (flow == NULL)
    {
      NA_DP_STAT_ADD (agent->stats, NA_AGENT_STAT_RX_UNMATCHED, 1);
      return;
    }
  queue_delivery (dp, flow, -1, frame, len);
}

/* A frame from the wire: the filter chain first, if any, else the demux. */
static inline void
from_wire (NaDatapath *dp,
           NaDpAgent  *agent,
           guint8     *frame,
           gsize       len)
{
  if (G_UNLIKELY (agent->filters->len > 0))
    queue_delivery (dp, g_ptr_array_index (agent->filters, 0), NETAGENT_FILTER_FROM_WIRE, frame, len);
  else
    demux (dp, agent, frame, len);
}

static void
agent_rx (NaDatapath *dp, NaDpAgent *agent)
{
  NaDpRing *ring = &agent->ring;

  for (guint budget = NA_DP_RING_BUDGET; budget > 0; budget--)
    {
      struct tpacket2_hdr *h = na_dp_ring_frame (ring, ring->head);
      guint32 status = __atomic_load_n (&h->tp_status, __ATOMIC_ACQUIRE);
      guint8 *frame;
      gsize len;

      if (!(status & TP_STATUS_USER))
        break;
      if (dp->n_pend == NA_DP_PENDING || ring->held == ring->frame_nr)
        na_dp_io_flush (dp);
      ring->head++;
      ring->held++;
      touch_agent (dp, agent);

      frame = (guint8 *) h + h->tp_mac;
      len = h->tp_snaplen;
      if (status & TP_STATUS_VLAN_VALID)
        {
          guint16 tpid = (status & TP_STATUS_VLAN_TPID_VALID) ? h->tp_vlan_tpid : NA_ETH_P_8021Q;

          /* The tag goes where the (unused) sockaddr_ll was. */
          if (G_UNLIKELY (h->tp_mac < TPACKET_ALIGN (sizeof *h) + NA_VLAN_HLEN))
            {
              NA_DP_STAT_ADD (agent->stats, NA_AGENT_STAT_RX_DROPPED, 1);
              continue;
            }
          frame = vlan_put_back (frame, &len, tpid, h->tp_vlan_tci);
        }

      NA_DP_STAT_ADD (agent->stats, NA_AGENT_STAT_RX_FRAMES, 1);
      NA_DP_STAT_ADD (agent->stats, NA_AGENT_STAT_RX_BYTES, len);

      /* Bigger than a slot (GRO, or an MTU raised under us): never half a frame. */
      if (G_UNLIKELY (h->tp_snaplen < h->tp_len))
        {
          NA_DP_STAT_ADD (agent->stats, NA_AGENT_STAT_RX_DROPPED, 1);
          continue;
        }

      from_wire (dp, agent, frame, len);
    }
}

void
na_dp_io_agent_event (NaDatapath *dp, NaDpAgent *agent, guint32 events)
{
  if (events & EPOLLERR)
    {
      int err = 0;
      socklen_t errlen = sizeof err;

      /* ENETDOWN when the link goes down: reading clears it; frames resume on up. */
      if (getsockopt (agent->ring.fd, SOL_SOCKET, SO_ERROR, &err, &errlen) == 0 && err != 0)
        g_debug ("agent on ifindex %d: %s", agent->ifindex, g_strerror (err));
    }
  agent_rx (dp, agent);
}

/* ---- to the wire ---- */

static inline void
to_wire (NaDatapath *dp,
         NaDpAgent  *agent,
         guint8     *frame,
         gsize       len)
{
  if (G_UNLIKELY (agent->filters->len > 0))
    {
      queue_delivery (dp, g_ptr_array_index (agent->filters, 0), NETAGENT_FILTER_TO_WIRE, frame, len);
      return;
    }
  /* Each frame sits in its own buffer, so tx_count ≤ bufs_used ≤ NA_DP_BUFS. */
  agent->tx_iov[agent->tx_count].iov_base = frame;
  agent->tx_iov[agent->tx_count].iov_len = len;
  agent->tx_count++;
  touch_agent (dp, agent);
}

static void
reject (NaDpFlow *flow, NaAgentStat why)
{
  NA_DP_STAT_ADD (flow->agent->stats, why, 1);
  NA_DP_STAT_ADD (flow->stats, NA_FLOW_STAT_TX_REJECTED, 1);
}

/* A message from a client flow (socketpair or TAP): checked, then on its way. */
static void
client_frame (NaDatapath *dp,
              NaDpFlow   *flow,
              guint8     *frame,
              gsize       len,
              gboolean    truncated)
{
  NaDpAgent *agent = flow->agent;

  if (G_UNLIKELY (truncated))
    {
      reject (flow, NA_AGENT_STAT_TX_REJECTED_LENGTH);
      return;
    }

  switch (na_frame_check_tx (frame, len, agent->mac, agent->mtu, &flow->spec))
    {
    case NA_FRAME_TX_OK:
      NA_DP_STAT_ADD (flow->stats, NA_FLOW_STAT_TX_FRAMES, 1);
      NA_DP_STAT_ADD (flow->stats, NA_FLOW_STAT_TX_BYTES, len);
      to_wire (dp, agent, frame, len);
      break;
    case NA_FRAME_TX_BAD_LENGTH:
      reject (flow, NA_AGENT_STAT_TX_REJECTED_LENGTH);
      break;
    case NA_FRAME_TX_BAD_SOURCE:
      reject (flow, NA_AGENT_STAT_TX_REJECTED_SOURCE);
      break;
    case NA_FRAME_TX_BAD_FLOW:
    default:
      reject (flow, NA_AGENT_STAT_TX_REJECTED_FLOW);
      break;
    }
}

/*
 * A message a filter wrote back: it continues to the next filter, then
 * on its way (demux from the wire, the NIC to the wire).
 */
static void
filter_message (NaDatapath *dp,
                NaDpFlow   *flow,
                guint8     *msg,
                gsize       len,
                gboolean    truncated)
{
  NaDpAgent *agent = flow->agent;
  guint8 version, dir;
  guint next = flow->filter_pos + 1;
  guint8 *frame = msg + FILTER_HLEN;
  gsize frame_len;

  if (G_UNLIKELY (truncated))
    {
      reject (flow, NA_AGENT_STAT_TX_REJECTED_LENGTH);
      return;
    }
  if (len < FILTER_HLEN)
    {
      NA_DP_STAT_ADD (flow->stats, NA_FLOW_STAT_TX_REJECTED, 1);
      return;
    }
  version = msg[0];
  dir = msg[1];
  if (version != NETAGENT_FILTER_HEADER_VERSION || dir > NETAGENT_FILTER_TO_WIRE)
    {
      NA_DP_STAT_ADD (flow->stats, NA_FLOW_STAT_TX_REJECTED, 1);
      return;
    }
  frame_len = len - FILTER_HLEN;
  if (dir == NETAGENT_FILTER_TO_WIRE && !na_frame_length_ok (frame, frame_len, agent->mtu))
    {
      reject (flow, NA_AGENT_STAT_TX_REJECTED_LENGTH);
      return;
    }

  NA_DP_STAT_ADD (flow->stats, NA_FLOW_STAT_TX_FRAMES, 1);
  NA_DP_STAT_ADD (flow->stats, NA_FLOW_STAT_TX_BYTES, frame_len);

  if (next < agent->filters->len)
    {
      queue_delivery (dp, g_ptr_array_index (agent->filters, next), dir, frame, frame_len);
    }
  else if (dir == NETAGENT_FILTER_FROM_WIRE)
    {
      demux (dp, agent, frame, frame_len);
    }
  else
    {
      agent->tx_iov[agent->tx_count].iov_base = frame;
      agent->tx_iov[agent->tx_count].iov_len = frame_len;
      agent->tx_count++;
      touch_agent (dp, agent);
    }
}

/* The client closed its end: a zero-length read then means end-of-file. */
static gboolean
peer_gone (int fd)
{
  struct pollfd pfd = { .fd = fd, .events = POLLRDHUP };

  return poll (&pfd, 1, 0) > 0 && (pfd.revents & (POLLRDHUP | POLLHUP)) != 0;
}

static const struct tpacket_auxdata *
find_auxdata (struct msghdr *msg)
{
  for (struct cmsghdr *c = CMSG_FIRSTHDR (msg); c != NULL; c = CMSG_NXTHDR (msg, c))
    if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA &&
        c->cmsg_len >= CMSG_LEN (sizeof (struct tpacket_auxdata)))
      return (const struct tpacket_auxdata *) (gconstpointer) CMSG_DATA (c);
  return NULL;
}

/* Buffers @base … @base + @n back to plain frame reads. */
static void
rd_reset (NaDpAgent *agent, guint base, guint n)
{
  for (guint i = base; i < base + n; i++)
    {
      agent->rd_iov[i].iov_base = agent->bufs + (gsize) i * agent->buf_size + NA_DP_HEADROOM;
      agent->rd_iov[i].iov_len = agent->buf_frame_max;
      memset (&agent->rd_msgs[i], 0, sizeof agent->rd_msgs[i]);
      agent->rd_msgs[i].msg_hdr.msg_iov = &agent->rd_iov[i];
      agent->rd_msgs[i].msg_hdr.msg_iovlen = 1;
    }
}

/*
 * Read what a flow's channel has for us, in batches straight into the
 * agent's buffers.  Returns TRUE at end-of-file.
 */
static gboolean
read_channel (NaDatapath *dp, NaDpFlow *flow, gboolean hup)
{
  NaDpAgent *agent = flow->agent;
  gboolean filter = flow->spec.type == NA_FLOW_TYPE_FILTER;
  gboolean tap = flow->channel == NA_CHANNEL_TAP;
  /* A filter's message has its header in front of the frame. */
  gsize lead = filter ? FILTER_HLEN : 0;
  guint budget = NA_DP_READ_BUDGET;

  while (budget > 0)
    {
      guint want = MIN (budget, NA_DP_BATCH);
      guint zeros = 0;
      guint base;
      struct mmsghdr *msgs;
      struct iovec *iov;
      int r;

      /* Room for a whole batch, so no flush happens in the middle of one. */
      if (NA_DP_BUFS - agent->bufs_used < want || NA_DP_PENDING - dp->n_pend < want)
        na_dp_io_flush (dp);
      want = MIN (want, NA_DP_BUFS - agent->bufs_used);
      base = agent->bufs_used;
      msgs = agent->rd_msgs + base;
      iov = agent->rd_iov + base;

      for (guint i = 0; i < want && (lead > 0 || tap); i++)
        {
          guint8 *slot = agent->bufs + (gsize) (base + i) * agent->buf_size;

          iov[i].iov_base = slot + NA_DP_HEADROOM - lead;
          iov[i].iov_len = agent->buf_frame_max + lead;
          if (tap)
            {
              msgs[i].msg_hdr.msg_control = agent->cmsg[base + i].buf;
              msgs[i].msg_hdr.msg_controllen = sizeof agent->cmsg[base + i].buf;
            }
        }

      r = recvmmsg (flow->fd, msgs, want, MSG_DONTWAIT, NULL);
      if (r < 0)
        {
          int errsv = errno;

          if (lead > 0 || tap)
            rd_reset (agent, base, want);
          /*
           * ECONNRESET: the client closed with frames of ours unread.  The
           * error is reported once, before what it wrote last: read on.
           */
          if (errsv == EINTR || errsv == ECONNRESET)
            continue;
          if (errsv != EAGAIN && errsv != ENETDOWN)
            g_debug ("reading a channel: %s", g_strerror (errsv));
          return FALSE;
        }
      agent->bufs_used += (guint) r;
      touch_agent (dp, agent);

      for (guint i = 0; i < (guint) r; i++)
        {
          guint8 *msg = iov[i].iov_base;
          gsize len = msgs[i].msg_len;
          gboolean truncated = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;

          if (len == 0 && !truncated && !tap)
            {
              zeros++;
              continue;
            }
          if (filter)
            {
              filter_message (dp, flow, msg, len, truncated);
              continue;
            }
          if (tap)
            {
              const struct tpacket_auxdata *aux = find_auxdata (&msgs[i].msg_hdr);

              if (aux != NULL && (aux->tp_status & TP_STATUS_VLAN_VALID))
                msg = vlan_put_back (msg, &len,
                                     (aux->tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux->tp_vlan_tpid : NA_ETH_P_8021Q,
                                     aux->tp_vlan_tci);
            }
          client_frame (dp, flow, msg, len, truncated);
        }

      if (lead > 0 || tap)
        rd_reset (agent, base, want);

      if (zeros > 0)
        {
          /*
           * After the client closed its end every read returns an empty
           * message; only while it is open is one a (refused) frame.
           */
          if (hup || peer_gone (flow->fd))
            return TRUE;
          for (guint i = 0; i < zeros; i++)
            reject (flow, NA_AGENT_STAT_TX_REJECTED_LENGTH);
        }

      budget -= (guint) r;
      if ((guint) r < want)
        break;
    }
  return FALSE;
}

/* A TAP device that went away leaves its packet socket unbound (ifindex -1). */
gboolean
na_dp_io_tap_gone (NaDpFlow *flow)
{
  struct sockaddr_ll sll = { 0 };
  socklen_t slen = sizeof sll;
  int err = 0;
  socklen_t errlen = sizeof err;

  getsockopt (flow->fd, SOL_SOCKET, SO_ERROR, &err, &errlen);
  if (getsockname (flow->fd, (struct sockaddr *) &sll, &slen) < 0)
    return TRUE;
  return sll.sll_ifindex != flow->tap_ifindex;
}

void
na_dp_io_flow_event (NaDatapath *dp, NaDpFlow *flow, guint32 events)
{
  if (flow->closed)
    return;

  if (flow->channel == NA_CHANNEL_TAP)
    {
      /* The device went down (ENETDOWN), maybe for good: see if it is still there. */
      if ((events & (EPOLLERR | EPOLLHUP)) && na_dp_io_tap_gone (flow))
        {
          na_dp_post_hangup (dp, flow);
          return;
        }
      if (events & EPOLLIN)
        read_channel (dp, flow, FALSE);
      return;
    }

  if (read_channel (dp, flow, (events & (EPOLLHUP | EPOLLRDHUP)) != 0))
    na_dp_post_hangup (dp, flow);
}

void
na_dp_io_agent_bufs (NaDpAgent *agent)
{
  agent->buf_frame_max = agent->mtu + NA_ETH_HLEN + NA_VLAN_HLEN;
  agent->buf_size = (NA_DP_HEADROOM + agent->buf_frame_max + 63) & ~(gsize) 63;
  g_free (agent->bufs);
  agent->bufs = g_malloc (agent->buf_size * NA_DP_BUFS);
  agent->bufs_used = 0;
  rd_reset (agent, 0, NA_DP_BUFS);
  for (guint i = 0; i < NA_DP_BUFS; i++)
    {
      memset (&agent->tx_msgs[i], 0, sizeof agent->tx_msgs[i]);
      agent->tx_msgs[i].msg_hdr.msg_iov = &agent->tx_iov[i];
      agent->tx_msgs[i].msg_hdr.msg_iovlen = 1;
    }
}
