/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TAP channels: the client holds the TAP device's fd; frames for the flow
 * come out of it, frames written into it are checked and sent on the
 * NIC, and the device going away is a hang-up.
 */
#define G_LOG_DOMAIN "na-test"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "dp-test-fixture.h"

static void
on_hangup (NaDpFlow *flow, gpointer user_data)
{
  guint *calls = user_data;

  (*calls)++;
}

static void
test_tap (DpFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  NaFlowSpec spec = dp_test_ether_spec (ETYPE);
  NaDpChannel channel = { .type = NA_CHANNEL_TAP };
  guint8 frame[2048], buf[2048], sentinel[64];
  const guint8 *mac = f->link.mac, *peer = f->link.peer_mac;
  gsize len, slen, n;
  int tap, client = 42;
  guint hangups = 0;
  NaDpFlow *flow;

  if (!f->ok)
    return;
  tap = dp_test_tap_open ("dptap0", &channel.tap_ifindex);
  flow = na_dp_flow_add (f->agent, &spec, &channel, on_hangup, &hangups, &client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (flow);
  g_assert_cmpint (client, ==, -1);

  /* Wire → TAP, untagged and priority-tagged (tag and all). */
  len = dp_test_frame (frame, mac, peer, ETYPE, 100, 1);
  dp_test_inject (&f->link, frame, len);
  n = dp_test_recv (tap, buf, sizeof buf);
  g_assert_cmpmem (buf, n, frame, len);
  len = dp_test_frame_tagged (frame, mac, peer, 6 << 13, ETYPE, DP_TEST_MTU + 18, 2);
  dp_test_inject (&f->link, frame, len);
  n = dp_test_recv (tap, buf, sizeof buf);
  g_assert_cmpmem (buf, n, frame, len);

  /* TAP → wire, with the same checks as a socketpair's transmits. */
  len = dp_test_frame (frame, peer, mac, ETYPE, 100, 3);
  dp_test_send (tap, frame, len);
  n = dp_test_wire_recv (&f->link, buf, sizeof buf);
  g_assert_cmpmem (buf, n, frame, len);
  len = dp_test_frame_tagged (frame, peer, mac, 2 << 13, ETYPE, 100, 4);
  dp_test_send (tap, frame, len);
  n = dp_test_wire_recv (&f->link, buf, sizeof buf);
  g_assert_cmpmem (buf, n, frame, len);

  slen = dp_test_frame (sentinel, peer, mac, ETYPE, 60, 5);
  len = dp_test_frame (frame, peer, peer, ETYPE, 100, 6);
  dp_test_send (tap, frame, len);
  len = dp_test_frame (frame, peer, mac, ETYPE + 1, 100, 7);
  dp_test_send (tap, frame, len);
  len = dp_test_frame_tagged (frame, peer, mac, 9, ETYPE, 100, 8);
  dp_test_send (tap, frame, len);
  len = dp_test_frame (frame, peer, mac, ETYPE, DP_TEST_MTU + 15, 9);
  dp_test_send (tap, frame, len);
  dp_test_send (tap, sentinel, slen);
  n = dp_test_wire_recv (&f->link, buf, sizeof buf);
  g_assert_cmpmem (buf, n, sentinel, slen);

  na_datapath_sync (f->dp);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_REJECTED_SOURCE), ==, 1);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_REJECTED_FLOW), ==, 2);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_REJECTED_LENGTH), ==, 1);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_TX_REJECTED), ==, 4);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_TX_FRAMES), ==, 3);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_RX_FRAMES), ==, 2);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_FRAMES), ==, 3);

  /* The client closes its fd: the (non-persistent) device goes, a hang-up. */
  close (tap);
  while (hangups == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (hangups, ==, 1);
  na_dp_flow_remove (flow);
}

/* A client that does not read its TAP loses its own frames, counted. */
static void
test_tap_full (DpFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  NaFlowSpec spec = dp_test_ether_spec (ETYPE);
  NaFlowSpec other = dp_test_ether_spec (ETYPE + 1);
  NaDpChannel channel = { .type = NA_CHANNEL_TAP };
  guint8 frame[2048], buf[2048];
  int tap, client, oc;
  NaDpFlow *flow, *oflow;
  guint64 sent = 0;

  if (!f->ok)
    return;
  tap = dp_test_tap_open ("dptap1", &channel.tap_ifindex);
  flow = na_dp_flow_add (f->agent, &spec, &channel, NULL, NULL, &client, &error);
  g_assert_no_error (error);
  oflow = dp_test_flow_add (f->agent, &other, &oc);

  for (guint r = 0; r < 20; r++)
    {
      for (guint i = 0; i < 100; i++, sent++)
        {
          dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE, 500, (guint32) sent);
          dp_test_inject (&f->link, frame, 500);
        }
      dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE + 1, 64, r);
      dp_test_inject (&f->link, frame, 64);
      g_assert_cmpuint (dp_test_frame_seq (buf, dp_test_recv (oc, buf, sizeof buf)), ==, r);
    }
  na_datapath_sync (f->dp);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_RX_DROPPED), >, 0);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_RX_FRAMES) +
                    dp_test_flow_stat (flow, NA_FLOW_STAT_RX_DROPPED), ==, sent);
  g_assert_cmpuint (dp_test_flow_stat (oflow, NA_FLOW_STAT_RX_DROPPED), ==, 0);

  na_dp_flow_remove (flow);
  na_dp_flow_remove (oflow);
  close (tap);
  close (oc);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  dp_test_add ("/datapath/tap/frames", test_tap);
  dp_test_add ("/datapath/tap/full", test_tap_full);

  return g_test_run ();
}
