/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/*
 * Helpers for the data path tests: a veth pair in the test's own network
 * namespace, the data path on one end, a raw packet socket on the other
 * (the "wire"), and hand-built frames with a sequence number in them.
 *
 * Absence is never waited for: a test that checks a frame is NOT
 * delivered sends it, then a frame that must be delivered on the same
 * path; the data path keeps order, so when the second arrives first, the
 * first was refused.  Waits for what must arrive have a generous bound
 * that only a broken data path reaches.
 */

#include <glib.h>

#include "na-datapath.h"

G_BEGIN_DECLS

#define DP_TEST_MTU 1500

typedef struct {
  char   name[16];
  char   peer[16];
  int    ifindex;
  int    peer_ifindex;
  guint8 mac[6];
  guint8 peer_mac[6];
  int    wire;            /* raw packet socket on the peer end */
} DpTestLink;

/* Enter a private netns with IPv6 off on every new link; FALSE: skip. */
gboolean dp_test_enter_netns (void);

/* veth @name ↔ @name"p", both up, MACs 02:00:00:00:@id:01 and :02. */
void     dp_test_link_init  (DpTestLink *link, const char *name, guint8 id);
void     dp_test_link_clear (DpTestLink *link);

/* A frame with @seq (big-endian) at offset 14 (after a tag: 18). */
gsize    dp_test_frame        (guint8 *buf, const guint8 dst[6], const guint8 src[6],
                               guint16 type, gsize len, guint32 seq);
gsize    dp_test_frame_tagged (guint8 *buf, const guint8 dst[6], const guint8 src[6],
                               guint16 tci, guint16 inner, gsize len, guint32 seq);
gsize    dp_test_frame_ipv6   (guint8 *buf, const guint8 dst[6], const guint8 src[6],
                               const char *src_ip, const char *dst_ip, gsize len, guint32 seq);
guint32  dp_test_frame_seq    (const guint8 *frame, gsize len);
struct in6_addr dp_test_in6   (const char *text);

/* Send @frame into the data path's NIC from the peer. */
void     dp_test_inject    (DpTestLink *link, const guint8 *frame, gsize len);
/* The next frame the peer receives, VLAN tag (if any) put back in place. */
gsize    dp_test_wire_recv (DpTestLink *link, guint8 *buf, gsize size);
/* The next message on a channel (socketpair or TAP fd). */
gsize    dp_test_recv      (int fd, guint8 *buf, gsize size);
/* Nothing is waiting on @fd right now. */
void     dp_test_assert_empty (int fd);
void     dp_test_send      (int fd, const guint8 *buf, gsize len);

guint64  dp_test_agent_stat (NaDpAgent *agent, NaAgentStat stat);
guint64  dp_test_flow_stat  (NaDpFlow *flow, NaFlowStat stat);

NaFlowSpec dp_test_ether_spec (guint16 ethertype);
NaFlowSpec dp_test_ula_spec   (const char *local, const char *remote);

/* Add a socketpair flow, asserting success. */
NaDpFlow *dp_test_flow_add (NaDpAgent *agent, const NaFlowSpec *spec, int *client_fd);

/* A TAP device (IFF_TAP | IFF_NO_PI), up; returns its fd. */
int      dp_test_tap_open (const char *name, int *ifindex);

G_END_DECLS
