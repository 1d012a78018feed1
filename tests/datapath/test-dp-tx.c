/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "What the daemon sends": a client writes frames into its channel, the
 * peer of the NIC observes what leaves; every refusal counted by reason,
 * the flow staying up through any garbage.
 */
#define G_LOG_DOMAIN "na-test"

#include <string.h>
#include <unistd.h>

#include "dp-test-fixture.h"

typedef struct {
  guint64 frames, bytes;
  guint64 length, source, flow;
} Tally;

static void
expect_sent (DpFixture *f, int client, const guint8 *frame, gsize len, Tally *t)
{
  guint8 buf[4096];
  gsize n;

  dp_test_send (client, frame, len);
  n = dp_test_wire_recv (&f->link, buf, sizeof buf);
  g_assert_cmpmem (buf, n, frame, len);
  t->frames++;
  t->bytes += len;
}

/*
 * A refused frame, then one that must be sent: it is the next on the
 * wire.  @reason is the tally of the refusal's reason.
 */
static void
expect_refused (DpFixture *f, int client, const guint8 *frame, gsize len,
                const guint8 *sentinel, gsize sentinel_len, Tally *t, guint64 *reason)
{
  dp_test_send (client, frame, len);
  expect_sent (f, client, sentinel, sentinel_len, t);
  (*reason)++;
}

static void
check_counters (DpFixture *f, NaDpFlow *flow, const Tally *t)
{
  na_datapath_sync (f->dp);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_FRAMES), ==, t->frames);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_BYTES), ==, t->bytes);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_REJECTED_LENGTH), ==, t->length);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_REJECTED_SOURCE), ==, t->source);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_REJECTED_FLOW), ==, t->flow);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_FAILED), ==, 0);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_TX_FRAMES), ==, t->frames);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_TX_BYTES), ==, t->bytes);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_TX_REJECTED), ==, t->length + t->source + t->flow);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_FRAMES), ==, 0);
}

static void
test_ether (DpFixture *f, gconstpointer data)
{
  NaFlowSpec spec = dp_test_ether_spec (ETYPE);
  guint8 frame[8192], sentinel[64];
  gsize len, slen;
  guint32 seq = 1;
  int client;
  NaDpFlow *flow;
  Tally t = { 0 };
  const guint8 *mac = f->link.mac, *peer = f->link.peer_mac;
  guint8 mcast_self[6];

  if (!f->ok)
    return;
  flow = dp_test_flow_add (f->agent, &spec, &client);
  slen = dp_test_frame (sentinel, peer, mac, ETYPE, 60, 0);

  /* Accepted: the length bounds, tagged or not, any destination. */
  len = dp_test_frame (frame, peer, mac, ETYPE, 14, 0);
  expect_sent (f, client, frame, len, &t);
  len = dp_test_frame (frame, peer, mac, ETYPE, 60, seq++);
  expect_sent (f, client, frame, len, &t);
  len = dp_test_frame (frame, peer, mac, ETYPE, DP_TEST_MTU + 14, seq++);
  expect_sent (f, client, frame, len, &t);
  len = dp_test_frame_tagged (frame, peer, mac, 3 << 13, ETYPE, DP_TEST_MTU + 18, seq++);
  expect_sent (f, client, frame, len, &t);
  len = dp_test_frame_tagged (frame, peer, mac, 0, ETYPE, 64, seq++);
  expect_sent (f, client, frame, len, &t);
  len = dp_test_frame (frame, mcast, mac, ETYPE, 60, seq++);
  expect_sent (f, client, frame, len, &t);
  len = dp_test_frame (frame, stranger, mac, ETYPE, 60, seq++);
  expect_sent (f, client, frame, len, &t);

  /* Length. */
  expect_refused (f, client, frame, 0, sentinel, slen, &t, &t.length);
  len = dp_test_frame (frame, peer, mac, ETYPE, 14, 0);
  expect_refused (f, client, frame, 13, sentinel, slen, &t, &t.length);
  len = dp_test_frame (frame, peer, mac, ETYPE, DP_TEST_MTU + 15, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.length);
  len = dp_test_frame (frame, peer, mac, ETYPE, DP_TEST_MTU + 18, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.length);
  len = dp_test_frame_tagged (frame, peer, mac, 0, ETYPE, DP_TEST_MTU + 19, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.length);
  /* Longer than any buffer: detected whole, never sent cut short. */
  len = dp_test_frame (frame, peer, mac, ETYPE, sizeof frame, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.length);

  /* Source. */
  len = dp_test_frame (frame, peer, stranger, ETYPE, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.source);
  len = dp_test_frame (frame, peer, mcast, ETYPE, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.source);
  memcpy (mcast_self, mac, 6);
  mcast_self[0] |= 1;
  len = dp_test_frame (frame, peer, mcast_self, ETYPE, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.source);

  /* Flow. */
  len = dp_test_frame (frame, peer, mac, ETYPE + 1, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.flow);
  len = dp_test_frame (frame, peer, mac, 0x0800, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.flow);
  len = dp_test_frame_tagged (frame, peer, mac, 5, ETYPE, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.flow);
  len = dp_test_frame_tagged (frame, peer, mac, 0, ETYPE + 1, 60, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.flow);
  len = dp_test_frame_tagged (frame, peer, mac, 0, ETYPE, 60, seq++);
  expect_refused (f, client, frame, 17, sentinel, slen, &t, &t.flow);

  check_counters (f, flow, &t);

  /* The MTU follows the link. */
  na_dp_agent_set_link (f->agent, mac, 1000);
  len = dp_test_frame (frame, peer, mac, ETYPE, 1015, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.length);
  len = dp_test_frame (frame, peer, mac, ETYPE, 1014, seq++);
  expect_sent (f, client, frame, len, &t);
  check_counters (f, flow, &t);

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
  const guint8 *mac = f->link.mac, *peer = f->link.peer_mac;

  if (!f->ok)
    return;
  flow = dp_test_flow_add (f->agent, &spec, &client);
  slen = dp_test_frame_ipv6 (sentinel, peer, mac, ULA_L, ULA_R, 80, 0);

  /* Outbound: source = local, destination = remote. */
  len = dp_test_frame_ipv6 (frame, peer, mac, ULA_L, ULA_R, 54, 0);
  expect_sent (f, client, frame, len, &t);
  len = dp_test_frame_ipv6 (frame, peer, mac, ULA_L, ULA_R, DP_TEST_MTU + 14, seq++);
  expect_sent (f, client, frame, len, &t);

  len = dp_test_frame_ipv6 (frame, peer, mac, ULA_L, ULA_R, 54, 0);
  expect_refused (f, client, frame, 53, sentinel, slen, &t, &t.flow);
  len = dp_test_frame_ipv6 (frame, peer, mac, ULA_R, ULA_L, 80, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.flow);
  len = dp_test_frame_ipv6 (frame, peer, mac, ULA_L, ULA_X, 80, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.flow);
  len = dp_test_frame_ipv6 (frame, peer, mac, ULA_L, ULA_R, 80, seq++);
  frame[12] = 0x88;
  frame[13] = 0xb5;
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.flow);
  len = dp_test_frame_ipv6 (frame, peer, stranger, ULA_L, ULA_R, 80, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.source);
  len = dp_test_frame_ipv6 (frame, peer, mac, ULA_L, ULA_R, DP_TEST_MTU + 15, seq++);
  expect_refused (f, client, frame, len, sentinel, slen, &t, &t.length);

  check_counters (f, flow, &t);
  na_dp_flow_remove (flow);
  close (client);
}

/* A burst bigger than one batch goes out whole and in order. */
static void
test_burst (DpFixture *f, gconstpointer data)
{
  NaFlowSpec spec = dp_test_ether_spec (ETYPE);
  guint8 frame[256];
  int client;
  NaDpFlow *flow;
  const guint n = 1000;

  if (!f->ok)
    return;
  flow = dp_test_flow_add (f->agent, &spec, &client);
  for (guint32 seq = 0; seq < n; seq++)
    {
      gsize len = dp_test_frame (frame, f->link.peer_mac, f->link.mac, ETYPE, 64 + seq % 128, seq);

      dp_test_send (client, frame, len);
    }
  for (guint32 seq = 0; seq < n; seq++)
    {
      gsize len = dp_test_wire_recv (&f->link, frame, sizeof frame);

      g_assert_cmpuint (len, ==, 64 + seq % 128);
      g_assert_cmpuint (dp_test_frame_seq (frame, len), ==, seq);
    }
  na_datapath_sync (f->dp);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_FRAMES), ==, n);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_TX_FRAMES), ==, n);
  na_dp_flow_remove (flow);
  close (client);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  dp_test_add ("/datapath/tx/custom-ether", test_ether);
  dp_test_add ("/datapath/tx/ipv6-ula", test_ula);
  dp_test_add ("/datapath/tx/burst", test_burst);

  return g_test_run ();
}
