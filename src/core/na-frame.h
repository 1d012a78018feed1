/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <netinet/in.h>

#include "na-flow-params.h"

G_BEGIN_DECLS

/*
 * The contract's frame rules, as pure functions on a buffer: what a frame
 * is (classification), which flow may receive it, and whether a flow may
 * send it.  No sockets here, so every rule is unit-tested and fuzzed with
 * hand-built frames; the data path calls the same code per frame.
 */

#define NA_ETH_ALEN           6
#define NA_ETH_HLEN           14
#define NA_VLAN_HLEN          4
#define NA_ETH_P_8021Q        0x8100
#define NA_ETH_P_IPV6         0x86DD
#define NA_IPV6_HLEN          40
/* An IPv6 frame a flow may carry: Ethernet header plus a full IPv6 header. */
#define NA_IPV6_MIN_FRAME     (NA_ETH_HLEN + NA_IPV6_HLEN)

typedef enum {
  NA_FRAME_DST_UNICAST,
  NA_FRAME_DST_MULTICAST,
  NA_FRAME_DST_BROADCAST,
} NaFrameDst;

typedef struct {
  gsize           len;
  NaFrameDst      dst;
  /* The type field after the two addresses, as on the wire. */
  guint16         ethertype;
  /* ethertype is 802.1Q and the 4-byte tag is there. */
  gboolean        tagged;
  guint16         vid;          /* when tagged */
  guint8          pcp;          /* when tagged */
  /*
   * The type a custom-ether flow is matched on: the ethertype of an
   * untagged frame, the inner type of a priority-tagged one (VID 0), and 0
   * (no flow) for any other VID or a truncated tag.
   */
  guint16         demux_type;
  /* Untagged 0x86DD with a full IPv6 header; then the addresses below. */
  gboolean        ipv6;
  struct in6_addr ip6_src;
  struct in6_addr ip6_dst;
} NaFrameInfo;

/* Classify @frame; FALSE (and @info undefined) when shorter than 14 bytes. */
gboolean na_frame_parse (const guint8 *frame,
                         gsize         len,
                         NaFrameInfo  *info);

/* The destination rule: a unicast destination must be @mac. */
gboolean na_frame_dst_accepted (const guint8      *frame,
                                const NaFrameInfo *info,
                                const guint8       mac[NA_ETH_ALEN]);

/*
 * Receive: may a flow described by @spec on an interface with @mac get
 * this frame?  custom-ether: demux_type is the flow's and the destination
 * rule holds; ipv6-ula: IPv6 destination = local, source = remote; a
 * filter sees everything.
 */
gboolean na_frame_matches_rx (const guint8      *frame,
                              const NaFrameInfo *info,
                              const guint8       mac[NA_ETH_ALEN],
                              const NaFlowSpec  *spec);

typedef enum {
  NA_FRAME_TX_OK,
  NA_FRAME_TX_BAD_LENGTH,    /* < 14, or > MTU + 14 (+ 4 when 802.1Q-tagged) */
  NA_FRAME_TX_BAD_SOURCE,    /* source MAC not the interface's, or multicast */
  NA_FRAME_TX_BAD_FLOW,      /* not a frame of the flow */
} NaFrameTxVerdict;

/* The length rule alone (what a filter's to-wire frame is held to). */
gboolean na_frame_length_ok (const guint8 *frame,
                             gsize         len,
                             guint         mtu);

/*
 * Transmit: may a flow described by @spec send this frame on an interface
 * with @mac and @mtu?  Checks in order: length, source, flow.  A filter
 * flow is held to the length rule only: what it writes back to the wire
 * came from a checked flow, and filters are privileged.
 */
NaFrameTxVerdict na_frame_check_tx (const guint8     *frame,
                                    gsize             len,
                                    const guint8      mac[NA_ETH_ALEN],
                                    guint             mtu,
                                    const NaFlowSpec *spec);

G_END_DECLS
