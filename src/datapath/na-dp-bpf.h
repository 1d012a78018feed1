/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>
#include <linux/filter.h>
#include <netinet/in.h>

G_BEGIN_DECLS

/*
 * The kernel prefilter of an agent's packet socket: a classic BPF program
 * that passes only frames some flow of the agent can claim, so unrelated
 * traffic on a busy NIC never wakes the data path.  It is a superset of
 * the demux (which stays authoritative): exact for up to
 * NA_DP_BPF_MAX_RANGES ethertype ranges and NA_DP_BPF_MAX_LOCALS IPv6
 * local addresses, coarser beyond.
 *
 * The kernel hands a packet socket VLAN-tagged frames with the tag moved
 * into the skb (on veth and most drivers), so tags are read from the
 * ancillary fields: an 802.1Q tag with VID 0 passes on its inner type, any
 * other VID never; an 802.1ad tag is itself the type.  IPv6 passes only
 * untagged, at least 54 bytes long, to a claimed local address.
 */

#define NA_DP_BPF_MAX_RANGES 256
#define NA_DP_BPF_MAX_LOCALS 128

/* What the agent's flows claim. */
typedef struct {
  gboolean               pass_all;     /* a filter flow sees every frame */
  const guint16         *ethertypes;   /* any order, duplicates allowed */
  guint                  n_ethertypes;
  const struct in6_addr *locals;       /* ipv6-ula flows' local addresses */
  guint                  n_locals;
} NaDpBpfClaims;

/* A program for @claims (nothing claimed: drop all); free with g_free(). */
struct sock_filter *na_dp_bpf_build (const NaDpBpfClaims *claims,
                                     guint               *n_insns);

G_END_DECLS
