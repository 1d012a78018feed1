/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Channels: end-of-file on remove, hang-ups (and none after a remove),
 * a flooded unread flow that costs other flows nothing, 1,000 flows
 * each getting exactly its frames.
 */
#define G_LOG_DOMAIN "na-test"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

#include "dp-test-fixture.h"

typedef struct {
  guint     calls;
  NaDpFlow *flow;
  gpointer  user_data;
} Hangups;

static void
on_hangup (NaDpFlow *flow, gpointer user_data)
{
  Hangups *h = user_data;

  h->calls++;
  h->flow = flow;
  h->user_data = user_data;
}

static NaDpFlow *
add_watched (DpFixture *f, guint16 type, Hangups *h, int *client)
{
  g_autoptr(GError) error = NULL;
  NaFlowSpec spec = dp_test_ether_spec (type);
  NaDpChannel channel = { .type = NA_CHANNEL_SOCKETPAIR };
  NaDpFlow *flow;

  flow = na_dp_flow_add (f->agent, &spec, &channel, on_hangup, h, client, &error);
  g_assert_no_error (error);
  return flow;
}

/* Run everything pending on the control context (no waiting). */
static void
drain_context (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_remove_eof (DpFixture *f, gconstpointer data)
{
  NaFlowSpec spec = dp_test_ether_spec (ETYPE);
  guint8 buf[64];
  int client;
  NaDpFlow *flow;

  if (!f->ok)
    return;
  flow = dp_test_flow_add (f->agent, &spec, &client);
  na_dp_flow_remove (flow);
  g_assert_cmpint (recv (client, buf, sizeof buf, MSG_DONTWAIT), ==, 0);
  close (client);

  /* Agent gone: every channel reads end-of-file. */
  flow = dp_test_flow_add (f->agent, &spec, &client);
  na_dp_agent_free (f->agent);
  f->agent = na_dp_agent_new (f->dp, f->link.ifindex, f->link.mac, DP_TEST_MTU, NULL);
  g_assert_nonnull (f->agent);
  g_assert_cmpint (recv (client, buf, sizeof buf, MSG_DONTWAIT), ==, 0);
  close (client);
}

static void
test_refusals (DpFixture *f, gconstpointer data)
{
  NaFlowSpec spec = dp_test_ether_spec (ETYPE);
  NaDpChannel channel = { .type = NA_CHANNEL_SOCKETPAIR };
  NaDpChannel tap = { .type = NA_CHANNEL_TAP, .tap_ifindex = 0 };
  g_autoptr(GError) error = NULL;
  int client, other = -1;
  NaDpFlow *flow;

  if (!f->ok)
    return;
  flow = dp_test_flow_add (f->agent, &spec, &client);

  /* One flow per ethertype. */
  g_assert_null (na_dp_flow_add (f->agent, &spec, &channel, NULL, NULL, &other, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_cmpint (other, ==, -1);
  g_clear_error (&error);

  /* A listener is not a flow of the data path. */
  spec = dp_test_ula_spec ("fd00::1", "fd00::2");
  spec.listener = TRUE;
  g_assert_null (na_dp_flow_add (f->agent, &spec, &channel, NULL, NULL, &other, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* A TAP channel needs a device; a filter cannot use one. */
  spec = dp_test_ether_spec (ETYPE + 1);
  g_assert_null (na_dp_flow_add (f->agent, &spec, &tap, NULL, NULL, &other, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  spec.type = NA_FLOW_TYPE_FILTER;
  tap.tap_ifindex = f->link.ifindex;
  g_assert_null (na_dp_flow_add (f->agent, &spec, &tap, NULL, NULL, &other, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* The first flow is unharmed by all that. */
  {
    guint8 frame[64], buf[64];

    dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE, 64, 7);
    dp_test_inject (&f->link, frame, 64);
    g_assert_cmpuint (dp_test_frame_seq (buf, dp_test_recv (client, buf, sizeof buf)), ==, 7);
  }
  na_dp_flow_remove (flow);
  close (client);
}

static void
test_hangup (DpFixture *f, gconstpointer data)
{
  Hangups h = { 0 };
  int client;
  NaDpFlow *flow;

  if (!f->ok)
    return;
  flow = add_watched (f, ETYPE, &h, &client);

  close (client);
  while (h.calls == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (h.calls, ==, 1);
  g_assert_true (h.flow == flow);
  g_assert_true (h.user_data == &h);

  /* Frames for a hung-up flow are dropped (and counted), nothing else. */
  {
    guint8 frame[64];

    dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE, 64, 1);
    dp_test_inject (&f->link, frame, 64);
  }
  na_datapath_sync (f->dp);
  drain_context ();
  g_assert_cmpuint (h.calls, ==, 1);

  na_dp_flow_remove (flow);
}

/*
 * What a client writes just before it closes still goes out, even when it
 * leaves frames of ours unread (its close then resets our end, when the
 * data path has not read the frames yet).
 */
static void
test_last_words (DpFixture *f, gconstpointer data)
{
  Hangups h = { 0 };
  guint8 frame[128], buf[128];
  int client;
  NaDpFlow *flow;

  if (!f->ok)
    return;
  flow = add_watched (f, ETYPE, &h, &client);

  /* Frames for the client that it never reads. */
  for (guint32 seq = 0; seq < 10; seq++)
    {
      dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE, 64, seq);
      dp_test_inject (&f->link, frame, 64);
    }
  na_datapath_sync (f->dp);
  while (dp_test_flow_stat (flow, NA_FLOW_STAT_RX_FRAMES) < 10)
    {
      dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE + 1, 64, 0);
      dp_test_inject (&f->link, frame, 64);
      na_datapath_sync (f->dp);
    }

  /* Its last words, then it goes. */
  for (guint32 seq = 100; seq < 110; seq++)
    {
      dp_test_frame (frame, f->link.peer_mac, f->link.mac, ETYPE, 64, seq);
      dp_test_send (client, frame, 64);
    }
  close (client);

  for (guint32 seq = 100; seq < 110; seq++)
    g_assert_cmpuint (dp_test_frame_seq (buf, dp_test_wire_recv (&f->link, buf, sizeof buf)), ==, seq);
  while (h.calls == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (h.calls, ==, 1);
  na_datapath_sync (f->dp);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_TX_FRAMES), ==, 10);
  g_assert_cmpuint (dp_test_flow_stat (flow, NA_FLOW_STAT_TX_REJECTED), ==, 0);
  na_dp_flow_remove (flow);
}

/* Removing from inside the callback, the usual reaction, works. */
static void
on_hangup_remove (NaDpFlow *flow, gpointer user_data)
{
  guint *calls = user_data;

  (*calls)++;
  na_dp_flow_remove (flow);
}

static void
test_hangup_remove_inside (DpFixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  NaFlowSpec spec = dp_test_ether_spec (ETYPE);
  NaDpChannel channel = { .type = NA_CHANNEL_SOCKETPAIR };
  guint calls = 0;
  int client;

  if (!f->ok)
    return;
  g_assert_nonnull (na_dp_flow_add (f->agent, &spec, &channel, on_hangup_remove, &calls, &client, &error));
  g_assert_no_error (error);
  close (client);
  while (calls == 0)
    g_main_context_iteration (NULL, TRUE);
  na_datapath_sync (f->dp);
  drain_context ();
  g_assert_cmpuint (calls, ==, 1);
}

/*
 * Wait until the data path has noticed a client's close and queued the
 * hang-up on the control context, without dispatching it.  It notices on
 * its own schedule (a sync may run before its poll returns), so this
 * polls, bounded as a guard against hangs.
 */
static void
wait_hangup_queued (DpFixture *f)
{
  for (guint i = 0; i < 5000 && !g_main_context_pending (NULL); i++)
    {
      na_datapath_sync (f->dp);
      if (!g_main_context_pending (NULL))
        g_usleep (1000);
    }
  g_assert_true (g_main_context_pending (NULL));
}

/*
 * The race: the hang-up is already on its way to the control context
 * when the control plane removes the flow.  After the remove returns, the
 * callback never runs.
 */
static void
test_no_hangup_after_remove (DpFixture *f, gconstpointer data)
{
  Hangups h = { 0 };
  int client;
  NaDpFlow *flow;

  if (!f->ok)
    return;

  flow = add_watched (f, ETYPE, &h, &client);
  close (client);
  /* The data path has seen the close and queued the hang-up… */
  wait_hangup_queued (f);
  /* …which the remove overtakes. */
  na_dp_flow_remove (flow);
  drain_context ();
  g_assert_cmpuint (h.calls, ==, 0);

  /* And freeing the agent stops hang-ups of its flows the same way. */
  flow = add_watched (f, ETYPE, &h, &client);
  close (client);
  wait_hangup_queued (f);
  na_dp_agent_free (f->agent);
  f->agent = na_dp_agent_new (f->dp, f->link.ifindex, f->link.mac, DP_TEST_MTU, NULL);
  drain_context ();
  g_assert_cmpuint (h.calls, ==, 0);
}

/*
 * A client that never reads loses its own frames only: the other flow
 * gets every frame while the first overflows.  The sender waits for each
 * frame of the second flow before sending more (no kernel queue on the
 * way overflows, whatever the speed of the machine).
 */
static void
test_flood_isolation (DpFixture *f, gconstpointer data)
{
  NaFlowSpec a = dp_test_ether_spec (ETYPE), b = dp_test_ether_spec (ETYPE + 1);
  guint8 frame[2048], buf[2048];
  int ca, cb;
  NaDpFlow *fa, *fb;
  const guint rounds = 200, per_round = 100;
  guint64 sent_a = 0;

  if (!f->ok)
    return;
  fa = dp_test_flow_add (f->agent, &a, &ca);
  fb = dp_test_flow_add (f->agent, &b, &cb);

  for (guint r = 0; r < rounds; r++)
    {
      for (guint i = 0; i < per_round; i++)
        {
          gsize len = dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE, 1000, r * per_round + i);

          dp_test_inject (&f->link, frame, len);
          sent_a++;
        }
      dp_test_frame (frame, f->link.mac, f->link.peer_mac, ETYPE + 1, 64, r);
      dp_test_inject (&f->link, frame, 64);
      g_assert_cmpuint (dp_test_frame_seq (buf, dp_test_recv (cb, buf, sizeof buf)), ==, r);
    }

  na_datapath_sync (f->dp);
  /* A overflowed (20 MB into a channel of a few)… */
  g_assert_cmpuint (dp_test_flow_stat (fa, NA_FLOW_STAT_RX_DROPPED), >, 0);
  g_assert_cmpuint (dp_test_flow_stat (fa, NA_FLOW_STAT_RX_FRAMES) +
                    dp_test_flow_stat (fa, NA_FLOW_STAT_RX_DROPPED), ==, sent_a);
  /* …B lost nothing, and the agent's drops are A's. */
  g_assert_cmpuint (dp_test_flow_stat (fb, NA_FLOW_STAT_RX_FRAMES), ==, rounds);
  g_assert_cmpuint (dp_test_flow_stat (fb, NA_FLOW_STAT_RX_DROPPED), ==, 0);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_DROPPED), ==,
                    dp_test_flow_stat (fa, NA_FLOW_STAT_RX_DROPPED));
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_FRAMES), ==, sent_a + rounds);
  g_assert_cmpuint (na_dp_agent_get_ring_drops (f->agent), ==, 0);

  /* What A did get is the head of what was sent, in order, whole. */
  for (guint64 i = 0; i < dp_test_flow_stat (fa, NA_FLOW_STAT_RX_FRAMES); i++)
    {
      gsize n = dp_test_recv (ca, buf, sizeof buf);

      g_assert_cmpuint (n, ==, 1000);
      g_assert_cmpuint (dp_test_frame_seq (buf, n), >=, i);
    }
  dp_test_assert_empty (ca);

  na_dp_flow_remove (fa);
  na_dp_flow_remove (fb);
  close (ca);
  close (cb);
}

/* 1,000 flows on one agent: a frame for each reaches exactly its flow. */
static void
test_many_flows (DpFixture *f, gconstpointer data)
{
  const guint n = 1000;
  g_autofree NaDpFlow **flows = g_new0 (NaDpFlow *, n);
  g_autofree int *clients = g_new0 (int, n);
  g_autofree guint *order = g_new0 (guint, n);
  guint8 frame[128], buf[128];
  GRand *rand = g_rand_new_with_seed (42);

  if (!f->ok)
    return;

  /* Scattered ethertypes: the kernel filter gets many ranges. */
  for (guint i = 0; i < n; i++)
    {
      NaFlowSpec spec = dp_test_ether_spec (0x9000 + i * 7);

      flows[i] = dp_test_flow_add (f->agent, &spec, &clients[i]);
      order[i] = i;
    }
  for (guint i = n - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, (gint32) i + 1), tmp = order[i];

      order[i] = order[j];
      order[j] = tmp;
    }

  /* In chunks, read before sending more: no kernel queue on the way overflows. */
  for (guint k0 = 0; k0 < n; k0 += 100)
    {
      for (guint k = k0; k < k0 + 100; k++)
        {
          guint i = order[k];

          dp_test_frame (frame, f->link.mac, f->link.peer_mac, 0x9000 + i * 7, 64, i);
          dp_test_inject (&f->link, frame, 64);
          /* An unclaimed type between two claimed ones. */
          dp_test_frame (frame, f->link.mac, f->link.peer_mac, 0x9000 + i * 7 + 3, 64, i);
          dp_test_inject (&f->link, frame, 64);
        }
      for (guint k = k0; k < k0 + 100; k++)
        {
          guint i = order[k];
          gsize len = dp_test_recv (clients[i], buf, sizeof buf);

          g_assert_cmpuint (len, ==, 64);
          g_assert_cmpuint (dp_test_frame_seq (buf, len), ==, i);
        }
    }
  na_datapath_sync (f->dp);
  for (guint i = 0; i < n; i++)
    {
      dp_test_assert_empty (clients[i]);
      g_assert_cmpuint (dp_test_flow_stat (flows[i], NA_FLOW_STAT_RX_FRAMES), ==, 1);
    }
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_DELIVERED), ==, n);
  /* Beyond NA_DP_BPF_MAX_RANGES the filter is coarser: the demux counts the rest. */
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_FRAMES), ==,
                    n + dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_UNMATCHED));

  /* Half of them go; the others still get their frames. */
  for (guint i = 0; i < n; i += 2)
    {
      na_dp_flow_remove (flows[i]);
      close (clients[i]);
    }
  for (guint i = 1; i < n; i += 2)
    {
      dp_test_frame (frame, f->link.mac, f->link.peer_mac, 0x9000 + i * 7, 64, i + n);
      dp_test_inject (&f->link, frame, 64);
    }
  for (guint i = 1; i < n; i += 2)
    {
      gsize len = dp_test_recv (clients[i], buf, sizeof buf);

      g_assert_cmpuint (dp_test_frame_seq (buf, len), ==, i + n);
      na_dp_flow_remove (flows[i]);
      close (clients[i]);
    }
  g_rand_free (rand);
}

/* The same with ipv6-ula flows: 1,000 (local, remote) pairs. */
static void
test_many_ula_flows (DpFixture *f, gconstpointer data)
{
  const guint n = 1000;
  g_autofree NaDpFlow **flows = g_new0 (NaDpFlow *, n);
  g_autofree int *clients = g_new0 (int, n);
  guint8 frame[128], buf[128];

  if (!f->ok)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *local = g_strdup_printf ("fd00:1::%x", i % 10 + 1);
      g_autofree char *remote = g_strdup_printf ("fd00:2::%x", i + 1);
      NaFlowSpec spec = dp_test_ula_spec (local, remote);

      flows[i] = dp_test_flow_add (f->agent, &spec, &clients[i]);
    }
  for (guint i0 = 0; i0 < n; i0 += 100)
    {
      for (guint i = i0; i < i0 + 100; i++)
        {
          g_autofree char *local = g_strdup_printf ("fd00:1::%x", i % 10 + 1);
          g_autofree char *remote = g_strdup_printf ("fd00:2::%x", i + 1);

          dp_test_frame_ipv6 (frame, f->link.mac, f->link.peer_mac, remote, local, 80, i);
          dp_test_inject (&f->link, frame, 80);
          /* Swapped: to a local address, from one no flow has. */
          dp_test_frame_ipv6 (frame, f->link.mac, f->link.peer_mac, local, local, 80, i);
          dp_test_inject (&f->link, frame, 80);
        }
      for (guint i = i0; i < i0 + 100; i++)
        {
          gsize len = dp_test_recv (clients[i], buf, sizeof buf);

          g_assert_cmpuint (len, ==, 80);
          g_assert_cmpuint (dp_test_frame_seq (buf, len), ==, i);
        }
    }
  na_datapath_sync (f->dp);
  for (guint i = 0; i < n; i++)
    {
      dp_test_assert_empty (clients[i]);
      na_dp_flow_remove (flows[i]);
      close (clients[i]);
    }
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_UNMATCHED), ==, n);
  g_assert_cmpuint (dp_test_agent_stat (f->agent, NA_AGENT_STAT_RX_DELIVERED), ==, n);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  dp_test_add ("/datapath/channel/remove-eof", test_remove_eof);
  dp_test_add ("/datapath/channel/refusals", test_refusals);
  dp_test_add ("/datapath/channel/hangup", test_hangup);
  dp_test_add ("/datapath/channel/hangup-remove-inside", test_hangup_remove_inside);
  dp_test_add ("/datapath/channel/last-words", test_last_words);
  dp_test_add ("/datapath/channel/no-hangup-after-remove", test_no_hangup_after_remove);
  dp_test_add ("/datapath/channel/flood-isolation", test_flood_isolation);
  dp_test_add ("/datapath/channel/many-flows", test_many_flows);
  dp_test_add ("/datapath/channel/many-ula-flows", test_many_ula_flows);

  return g_test_run ();
}
