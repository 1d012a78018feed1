/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "What the daemon delivers": frames injected on the wire, observed on
 * the flow's channel, counters checked exactly.
 */
#define G_LOG_DOMAIN "na-test"

#include <string.h>
#include <unistd.h>

#include "dp-test-fixture.h"
#include "na-test-netns.h"

typedef struct {
  guint64 frames;
  guint64 bytes;
} Tally;

/* Inject a frame that must arrive as is, and check that it does. */
static void
expect_delivered (DpFixture *f, int client, const guint8 *frame, gsize len, Tally *t)
{
  guint8 buf[2048];
  gsize n;

  dp_test_inject (&f->link, frame, len);
  n = dp_test_recv (client, buf, sizeof buf);
  g_assert_cmpmem (buf, n, frame, len);
  t->frames++;
  t->bytes += len;
}

/*
 * Inject a frame that must not arrive, then @sentinel that must: the
 * channel keeps order, so the sentinel coming first proves the refusal.
 */
static void
expect_refused (DpFixture *f, int client, const guint8 *frame, gsize len,
                const guint8 *sentinel, gsize sentinel_len, Tally *t)
{
  dp_test_inject (&f->link, frame, len);
  expect_delivered (f, client, sentinel, sentinel_len, t);
}

/* @in with a VLAN tag of @tci inserted after the addresses. */
static gsize
dp_test_tag (guint8 *out, const guint8 *in, gsize len, guint16 tci)
{
  memcpy (out, in, 12);
  out[12] = 0x81;
  out[13] = 0x00;
  out[14] = tci >> 8;
  out[15] = tci & 0xff;
  memcpy (out + 16, in + 12, len - 12);
  return len + 4;
}

static void
test_ether (DpFixture *f, gconstpointer data)
{
  NaFlowSpec spec = dp_test_ether_spec (ETYPE);
  guint8 frame[2048], sentinel[64];
  gsize len, slen;
  guint32 seq = 1;
  int client;
  NaDpFlow *flow;
  Tally t = { 0 };
  guint64 unmatched_bytes = 0;
  const guint8 *mac = f->link.mac, *peer = f->link.peer_mac;

  if (!f->ok)
    return;
  flow = dp_test_flow_add (f->agent, &spec, &client);

  /* Untagged to our address, small and full-size. */
  len = dp_test_frame (frame, mac, peer, ETYPE, 60, seq++);
  expect_delivered (f, client, frame, len, &t);
  len = dp_test_frame (frame, mac, peer, ETYPE, DP_TEST_MTU + 14, seq++);
  expect_delivered (f, client, frame, len, &t);
  len = dp_test_frame (frame, mac, peer, ETYPE, 14, 0);
  expect_delivered (f, client, frame, len, &t);

  /* Priority-tagged (VID 0, any PCP): delivered with the tag, as on the wire. */
  for (guint pcp = 0; pcp < 8; pcp += 3)
    {
      len = dp_test_frame_tagged (frame, mac, peer, pcp << 13, ETYPE, 64, seq++);
      expect_delivered (f, client, frame, len, &t);
    }
  len = dp_test_frame_tagged (frame, mac, peer, 5 << 13, ETYPE, DP_TEST_MTU + 18, seq++);
  expect_delivered (f, client, frame, len, &t);

  /* Group destinations pass. */
  len = dp_test_frame (frame, mcast, peer, ETYPE, 60, seq++);
  expect_delivered (f, client, frame, len, &t);
  len = dp_test_frame (frame, bcast, peer, ETYPE, 60, seq++);
  expect_delivered (f, client, frame, len, &t);
  len = dp_test_frame_tagged (frame, bcast, peer, 0, ETYPE, 60, seq++);
  expect_delivered (f, client, frame, len, &t);

  /* Refused by the kernel filter: another VID, another type (tagged or not). */
  slen = dp_test_frame (sentinel, mac, peer, ETYPE, 60, 0);
  len = dp_test_frame_tagged (frame, mac, peer, 5, ETYPE, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t);
  len = dp_test_frame_tagged (frame, mac, peer, (7 << 13) | 4095, ETYPE, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t);
  len = dp_test_frame (frame, mac, peer, ETYPE + 1, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t);
  len = dp_test_frame_tagged (frame, mac, peer, 0, ETYPE + 1, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t);
  len = dp_test_frame (frame, mac, peer, 0x0800, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t);

  /* Refused by the demux (the filter passes the type): unicast for another host. */
  len = dp_test_frame (frame, stranger, peer, ETYPE, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t);
  unmatched_bytes += len;
  len = dp_test_frame_tagged (frame, stranger, peer, 0, ETYPE, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t);
  unmatched_bytes += len;

  na_datapath_sync (f->dp);
  dp_test_assert_empty (client);

  /* What the filter refused never reached the daemon. */
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_UNMATCHED), ==, 2);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_DELIVERED), ==, t.frames);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_FRAMES), ==, t.frames + 2);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_BYTES), ==, t.bytes + unmatched_bytes);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_DROPPED), ==, 0);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_RX_FRAMES), ==, t.frames);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_RX_BYTES), ==, t.bytes);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_RX_DROPPED), ==, 0);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_TX_FRAMES), ==, 0);

  na_dp_flow_remove (flow);
  close (client);
}

static void
test_ula (DpFixture *f, gconstpointer data)
{
  NaFlowSpec spec = dp_test_ula_spec (ULA_L, ULA_R);
  guint8 frame[2048], sentinel[128];
  gsize len, slen;
  guint32 seq = 1;
  int client;
  NaDpFlow *flow;
  Tally t = { 0 };
  guint64 unmatched_bytes;
  const guint8 *mac = f->link.mac, *peer = f->link.peer_mac;

  if (!f->ok)
    return;
  flow = dp_test_flow_add (f->agent, &spec, &client);

  /* Inbound: source = remote, destination = local; from 54 bytes on. */
  len = dp_test_frame_ipv6 (frame, mac, peer, ULA_R, ULA_L, 54, 0);
  expect_delivered (f, client, frame, len, &t);
  len = dp_test_frame_ipv6 (frame, mac, peer, ULA_R, ULA_L, 100, seq++);
  expect_delivered (f, client, frame, len, &t);
  len = dp_test_frame_ipv6 (frame, mac, peer, ULA_R, ULA_L, DP_TEST_MTU + 14, seq++);
  expect_delivered (f, client, frame, len, &t);
  len = dp_test_frame_ipv6 (frame, mcast, peer, ULA_R, ULA_L, 100, seq++);
  expect_delivered (f, client, frame, len, &t);

  slen = dp_test_frame_ipv6 (sentinel, mac, peer, ULA_R, ULA_L, 80, 0);

  /* The kernel filter: too short, not to our local address, tagged. */
  len = dp_test_frame_ipv6 (frame, mac, peer, ULA_R, ULA_L, 54, 0);
  expect_refused (f, client, frame, 53, sentinel, slen, &t);
  len = dp_test_frame_ipv6 (frame, mac, peer, ULA_L, ULA_R, 80, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t);
  {
    guint8 plain[128];
    gsize plen = dp_test_frame_ipv6 (plain, mac, peer, ULA_R, ULA_L, 80, seq++);

    len = dp_test_tag (frame, plain, plen, 0);
  }
  expect_refused (f, client, frame, len, sentinel, slen, &t);

  /* The demux: right destination, wrong source. */
  len = dp_test_frame_ipv6 (frame, mac, peer, ULA_X, ULA_L, 80, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t);
  unmatched_bytes = len;

  na_datapath_sync (f->dp);
  dp_test_assert_empty (client);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_UNMATCHED), ==, 1);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_DELIVERED), ==, t.frames);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_FRAMES), ==, t.frames + 1);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_BYTES), ==, t.bytes + unmatched_bytes);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_RX_FRAMES), ==, t.frames);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_RX_BYTES), ==, t.bytes);

  na_dp_flow_remove (flow);
  close (client);
}

/* Two flows on one agent: each gets its own frames only. */
static void
test_two_flows (DpFixture *f, gconstpointer data)
{
  NaFlowSpec a = dp_test_ether_spec (ETYPE), b = dp_test_ether_spec (ETYPE + 1);
  guint8 frame[128], buf[128];
  int ca, cb;
  NaDpFlow *fa, *fb;

  if (!f->ok)
    return;
  fa = dp_test_flow_add (f->agent, &a, &ca);
  fb = dp_test_flow_add (f->agent, &b, &cb);

  for (guint32 seq = 0; seq < 100; seq++)
    {
      dp_test_frame (frame, f->link.mac, f->link.peer_mac, seq % 2 ? ETYPE + 1 : ETYPE, 64, seq);
      dp_test_inject (&f->link, frame, 64);
    }
  for (guint32 seq = 0; seq < 100; seq++)
    {
      gsize n = dp_test_recv (seq % 2 ? cb : ca, buf, sizeof buf);

      g_assert_cmpuint (n, ==, 64);
      g_assert_cmpuint (dp_test_frame_seq (buf, n), ==, seq);
    }
  na_datapath_sync (f->dp);
  dp_test_assert_empty (ca);
  dp_test_assert_empty (cb);
  g_assert_cmpuint (dp_test_flow_stat (fa, NA_FLOW_STAT_RX_FRAMES), ==, 50);
  g_assert_cmpuint (dp_test_flow_stat (fb, NA_FLOW_STAT_RX_FRAMES), ==, 50);

  /* Removing one flow stops its frames, the other goes on. */
  na_dp_flow_remove (fa);
  g_assert_cmpint (recv (ca, buf, sizeof buf, 0), ==, 0);   /* end-of-file */
  dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE, 64, 1000);
  dp_test_inject (&f->link, frame, 64);
  dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE + 1, 64, 1001);
  dp_test_inject (&f->link, frame, 64);
  g_assert_cmpuint (dp_test_frame_seq (buf, dp_test_recv (cb, buf, sizeof buf)), ==, 1001);

  na_dp_flow_remove (fb);
  close (ca);
  close (cb);
}

/* A bigger MTU (jumbo frames) takes a new ring with bigger slots. */
static void
test_mtu_change (DpFixture *f, gconstpointer data)
{
  NaFlowSpec spec = dp_test_ether_spec (ETYPE);
  g_autofree guint8 *frame = g_malloc (9100);
  g_autofree guint8 *buf = g_malloc (9100);
  gsize len, n;
  int client;
  NaDpFlow *flow;

  if (!f->ok)
    return;
  flow = dp_test_flow_add (f->agent, &spec, &client);

  na_test_sh ("ip link set %s mtu 9000 && ip link set %s mtu 9000", f->link.name, f->link.peer);
  na_dp_agent_set_link (f->agent, f->link.mac, 9000);
  len = dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE, 9014, 1);
  dp_test_inject (&f->link, frame, len);
  n = dp_test_recv (client, buf, 9100);
  g_assert_cmpmem (buf, n, frame, len);
  len = dp_test_frame_tagged (frame, f->link.mac, f->link.peer_mac, 0, ETYPE, 9018, 2);
  dp_test_inject (&f->link, frame, len);
  n = dp_test_recv (client, buf, 9100);
  g_assert_cmpmem (buf, n, frame, len);

  /* And out: up to the new MTU. */
  len = dp_test_frame (frame, f->link.peer_mac, f->link.mac, ETYPE, 9014, 3);
  dp_test_send (client, frame, len);
  n = dp_test_wire_recv (&f->link, buf, 9100);
  g_assert_cmpmem (buf, n, frame, len);

  na_datapath_sync (f->dp);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_DROPPED), ==, 0);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_RX_FRAMES), ==, 2);
  na_dp_flow_remove (flow);
  close (client);
}

/* The link going down and up again: frames resume, nothing else happens. */
static void
test_link_down_up (DpFixture *f, gconstpointer data)
{
  NaFlowSpec spec = dp_test_ether_spec (ETYPE);
  guint8 frame[128], buf[128];
  int client;
  NaDpFlow *flow;

  if (!f->ok)
    return;
  flow = dp_test_flow_add (f->agent, &spec, &client);

  na_test_sh ("ip link set %s down", f->link.name);
  na_datapath_sync (f->dp);
  na_test_sh ("ip link set %s up", f->link.name);
  dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE, 64, 77);
  dp_test_inject (&f->link, frame, 64);
  g_assert_cmpuint (dp_test_frame_seq (buf, dp_test_recv (client, buf, sizeof buf)), ==, 77);
  dp_test_frame (frame, f->link.peer_mac, f->link.mac, ETYPE, 64, 78);
  dp_test_send (client, frame, 64);
  g_assert_cmpuint (dp_test_frame_seq (buf, dp_test_wire_recv (&f->link, buf, sizeof buf)), ==, 78);

  na_dp_flow_remove (flow);
  close (client);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  dp_test_add ("/datapath/rx/custom-ether", test_ether);
  dp_test_add ("/datapath/rx/ipv6-ula", test_ula);
  dp_test_add ("/datapath/rx/two-flows", test_two_flows);
  dp_test_add ("/datapath/rx/mtu-change", test_mtu_change);
  dp_test_add ("/datapath/rx/link-down-up", test_link_down_up);

  return g_test_run ();
}
