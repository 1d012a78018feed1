/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Filter flows: every frame, both directions, before the demux, through
 * the chain in insertion order with a 4-byte header; what a filter writes
 * back goes on, what it keeps is dropped.
 */
#define G_LOG_DOMAIN "na-test"

#include <string.h>
#include <unistd.h>

#include <netagent/netagent-channel.h>

#include "dp-test-fixture.h"

static NaDpFlow *
add_filter (DpFixture *f, int *client)
{
  NaFlowSpec spec = { .type = NA_FLOW_TYPE_FILTER };

  return dp_test_flow_add (f->agent, &spec, client);
}

/* Read a filter's next message: its header, then @frame. */
static gsize
filter_recv (int fd, guint8 dir, guint8 *frame, gsize size)
{
  guint8 buf[4096];
  gsize n = dp_test_recv (fd, buf, sizeof buf);

  g_assert_cmpuint (n, >=, 4);
  g_assert_cmpuint (buf[0], ==, NETAGENT_FILTER_HEADER_VERSION);
  g_assert_cmpuint (buf[1], ==, dir);
  g_assert_cmpuint (buf[2], ==, 0);
  g_assert_cmpuint (buf[3], ==, 0);
  g_assert_cmpuint (n - 4, <=, size);
  memcpy (frame, buf + 4, n - 4);
  return n - 4;
}

static void
filter_send (int fd, guint8 dir, const guint8 *frame, gsize len)
{
  guint8 buf[4096] = { NETAGENT_FILTER_HEADER_VERSION, dir, 0, 0 };

  memcpy (buf + 4, frame, len);
  dp_test_send (fd, buf, len + 4);
}

/* Let a message through filter @fd unchanged, checking it is @frame. */
static void
pass (int fd, guint8 dir, const guint8 *frame, gsize len)
{
  guint8 buf[2048];
  gsize n = filter_recv (fd, dir, buf, sizeof buf);

  g_assert_cmpmem (buf, n, frame, len);
  filter_send (fd, dir, buf, n);
}

static void
test_chain (DpFixture *f, gconstpointer data)
{
  NaFlowSpec spec = dp_test_ether_spec (ETYPE);
  guint8 frame[2048], buf[2048], edited[2048];
  const guint8 *mac = f->link.mac, *peer = f->link.peer_mac;
  gsize len, n;
  int f1, f2, client;
  NaDpFlow *filter1, *filter2, *flow;

  if (!f->ok)
    return;
  filter1 = add_filter (f, &f1);
  filter2 = add_filter (f, &f2);
  flow = dp_test_flow_add (f->agent, &spec, &client);

  /* From the wire: filter 1, filter 2, then the flow. */
  len = dp_test_frame (frame, mac, peer, ETYPE, 100, 1);
  dp_test_inject (&f->link, frame, len);
  pass (f1, NETAGENT_FILTER_FROM_WIRE, frame, len);
  pass (f2, NETAGENT_FILTER_FROM_WIRE, frame, len);
  n = dp_test_recv (client, buf, sizeof buf);
  g_assert_cmpmem (buf, n, frame, len);

  /* A filter sees frames no flow claims (and tagged ones as on the wire). */
  len = dp_test_frame_tagged (frame, mac, peer, 7, 0x0800, 100, 2);
  dp_test_inject (&f->link, frame, len);
  pass (f1, NETAGENT_FILTER_FROM_WIRE, frame, len);
  pass (f2, NETAGENT_FILTER_FROM_WIRE, frame, len);

  /* What a filter edits is what goes on. */
  len = dp_test_frame (frame, mac, peer, ETYPE, 100, 3);
  dp_test_inject (&f->link, frame, len);
  n = filter_recv (f1, NETAGENT_FILTER_FROM_WIRE, edited, sizeof edited);
  g_assert_cmpmem (edited, n, frame, len);
  edited[50] ^= 0xff;
  filter_send (f1, NETAGENT_FILTER_FROM_WIRE, edited, n);
  pass (f2, NETAGENT_FILTER_FROM_WIRE, edited, n);
  n = dp_test_recv (client, buf, sizeof buf);
  g_assert_cmpmem (buf, n, edited, len);

  /* What a filter keeps is dropped: the next frame is the next the flow gets. */
  len = dp_test_frame (frame, mac, peer, ETYPE, 100, 4);
  dp_test_inject (&f->link, frame, len);
  filter_recv (f1, NETAGENT_FILTER_FROM_WIRE, buf, sizeof buf);
  len = dp_test_frame (frame, mac, peer, ETYPE, 100, 5);
  dp_test_inject (&f->link, frame, len);
  pass (f1, NETAGENT_FILTER_FROM_WIRE, frame, len);
  pass (f2, NETAGENT_FILTER_FROM_WIRE, frame, len);
  n = dp_test_recv (client, buf, sizeof buf);
  g_assert_cmpuint (dp_test_frame_seq (buf, n), ==, 5);

  /* To the wire: checked first, then filter 1, filter 2, the NIC. */
  len = dp_test_frame (frame, peer, peer, ETYPE, 100, 6);   /* bad source: never filtered */
  dp_test_send (client, frame, len);
  len = dp_test_frame (frame, peer, mac, ETYPE, 100, 7);
  dp_test_send (client, frame, len);
  pass (f1, NETAGENT_FILTER_TO_WIRE, frame, len);
  pass (f2, NETAGENT_FILTER_TO_WIRE, frame, len);
  n = dp_test_wire_recv (&f->link, buf, sizeof buf);
  g_assert_cmpmem (buf, n, frame, len);

  /* Garbage from a filter is refused; the chain goes on working. */
  dp_test_send (f1, (const guint8 *) "\1", 1);
  filter_send (f1, 7, frame, len);
  buf[0] = 2;
  buf[1] = 0;
  buf[2] = buf[3] = 0;
  memcpy (buf + 4, frame, len);
  dp_test_send (f1, buf, len + 4);
  len = dp_test_frame (frame, mac, peer, ETYPE, 100, 8);
  dp_test_inject (&f->link, frame, len);
  pass (f1, NETAGENT_FILTER_FROM_WIRE, frame, len);
  pass (f2, NETAGENT_FILTER_FROM_WIRE, frame, len);
  n = dp_test_recv (client, buf, sizeof buf);
  g_assert_cmpuint (dp_test_frame_seq (buf, n), ==, 8);

  na_datapath_sync (f->dp);
  g_assert_cmpuint (dp_test_flow_stat (filter1, NA_FLOW_STAT_TX_REJECTED), ==, 3);
  g_assert_cmpuint (dp_test_flow_stat (filter1, NA_FLOW_STAT_RX_FRAMES), ==, 7);
  g_assert_cmpuint (dp_test_flow_stat (filter2, NA_FLOW_STAT_RX_FRAMES), ==, 6);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_RX_FRAMES), ==, 4);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_FRAMES), ==, 6);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_DELIVERED), ==, 4);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_UNMATCHED), ==, 1);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_FRAMES), ==, 1);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_TX_REJECTED_SOURCE), ==, 1);

  /* Filter 1 goes: filter 2 is now the whole chain. */
  na_dp_flow_remove (filter1);
  close (f1);
  len = dp_test_frame (frame, mac, peer, ETYPE, 100, 9);
  dp_test_inject (&f->link, frame, len);
  pass (f2, NETAGENT_FILTER_FROM_WIRE, frame, len);
  n = dp_test_recv (client, buf, sizeof buf);
  g_assert_cmpuint (dp_test_frame_seq (buf, n), ==, 9);

  /* No filter: straight through again, and the kernel filter narrows back. */
  na_dp_flow_remove (filter2);
  close (f2);
  len = dp_test_frame (frame, mac, peer, 0x0800, 100, 10);
  dp_test_inject (&f->link, frame, len);
  len = dp_test_frame (frame, mac, peer, ETYPE, 100, 11);
  dp_test_inject (&f->link, frame, len);
  n = dp_test_recv (client, buf, sizeof buf);
  g_assert_cmpuint (dp_test_frame_seq (buf, n), ==, 11);
  na_datapath_sync (f->dp);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_FRAMES), ==, 8);

  na_dp_flow_remove (flow);
  close (client);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  dp_test_add ("/datapath/filter/chain", test_chain);

  return g_test_run ();
}
