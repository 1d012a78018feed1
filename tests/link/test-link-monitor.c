/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-test-link"

/* <net/if.h> first: <linux/if.h> (for IFF_LOWER_UP) then adds only what it lacks. */
#include <net/if.h>
#include <linux/if.h>
#include <net/if_arp.h>
#include <string.h>

#include "link-test-util.h"
#include "na-link-monitor.h"
#include "na-link-monitor-testing.h"
#include "na-test-netns.h"

/*
 * Every test runs in the process's private network namespace and uses
 * link names of its own, so that tests never see each other's links.
 */

static NaLinkMonitor *
monitor_new (void)
{
  g_autoptr(GError) error = NULL;
  NaLinkMonitor *monitor = na_link_monitor_new (&error);

  g_assert_no_error (error);
  g_assert_nonnull (monitor);
  return monitor;
}

static void
test_lookup_veth (void)
{
  g_autoptr(NaLinkMonitor) monitor = NULL;
  g_autofree char *mac = NULL;
  NaLinkInfo info, by_index;
  int ifindex;

  if (!na_test_enter_netns ())
    return;
  na_test_sh ("ip link add nalk0 mtu 1400 address 02:00:00:00:10:01 type veth peer name nalk1");
  ifindex = (int) if_nametoindex ("nalk0");
  g_assert_cmpint (ifindex, >, 0);

  monitor = monitor_new ();
  g_assert_true (na_link_monitor_lookup_name (monitor, "nalk0", &info));
  g_assert_cmpint (info.ifindex, ==, ifindex);
  g_assert_cmpstr (info.name, ==, "nalk0");
  g_assert_cmpuint (info.arptype, ==, ARPHRD_ETHER);
  g_assert_true (info.has_ether_mac);
  mac = na_link_info_mac_string (&info);
  g_assert_cmpstr (mac, ==, "02:00:00:00:10:01");
  g_assert_cmpuint (info.mtu, ==, 1400);
  g_assert_false (info.flags & IFF_UP);
  g_assert_false (info.up);

  g_assert_true (na_link_monitor_lookup_index (monitor, ifindex, &by_index));
  g_assert_true (na_link_info_equal (&info, &by_index));

  na_test_sh ("ip link del nalk0");
}

static void
test_lookup_loopback (void)
{
  g_autoptr(NaLinkMonitor) monitor = NULL;
  static const guint8 zero[6] = { 0 };
  NaLinkInfo info;

  if (!na_test_enter_netns ())
    return;
  monitor = monitor_new ();

  g_assert_true (na_link_monitor_lookup_name (monitor, "lo", &info));
  g_assert_cmpint (info.ifindex, ==, (int) if_nametoindex ("lo"));
  g_assert_cmpuint (info.arptype, ==, ARPHRD_LOOPBACK);
  /* lo has a 6-byte (all zero) address, but it is not Ethernet. */
  g_assert_false (info.has_ether_mac);
  g_assert_cmpmem (info.mac, sizeof info.mac, zero, sizeof zero);
  g_assert_true (info.flags & IFF_LOOPBACK);
  g_assert_true (info.up);
}

static void
test_lookup_missing (void)
{
  g_autoptr(NaLinkMonitor) monitor = NULL;
  NaLinkInfo info;

  if (!na_test_enter_netns ())
    return;
  monitor = monitor_new ();

  g_assert_false (na_link_monitor_lookup_name (monitor, "nosuch0", &info));
  g_assert_false (na_link_monitor_lookup_name (monitor, "", &info));
  /* Longer than IFNAMSIZ: refused, never truncated into another name. */
  g_assert_false (na_link_monitor_lookup_name (monitor, "lo-and-then-some-more", &info));
  g_assert_false (na_link_monitor_lookup_index (monitor, 0, &info));
  g_assert_false (na_link_monitor_lookup_index (monitor, -1, &info));
  g_assert_false (na_link_monitor_lookup_index (monitor, 999999, &info));
}

static void
test_list (void)
{
  g_autoptr(NaLinkMonitor) monitor = NULL;
  g_autoptr(GArray) list = NULL;
  int lo, veth;
  gboolean seen_lo = FALSE, seen_veth = FALSE;

  if (!na_test_enter_netns ())
    return;
  na_test_sh ("ip link add nals0 type veth peer name nals1");
  lo = (int) if_nametoindex ("lo");
  veth = (int) if_nametoindex ("nals0");
  monitor = monitor_new ();

  list = na_link_monitor_list (monitor);
  for (guint i = 0; i < list->len; i++)
    {
      const NaLinkInfo *info = &g_array_index (list, NaLinkInfo, i);
      NaLinkInfo looked_up;

      if (i > 0)
        g_assert_cmpint (g_array_index (list, NaLinkInfo, i - 1).ifindex, <, info->ifindex);
      g_assert_true (na_link_monitor_lookup_index (monitor, info->ifindex, &looked_up));
      g_assert_true (na_link_info_equal (info, &looked_up));
      seen_lo |= info->ifindex == lo;
      seen_veth |= info->ifindex == veth && strcmp (info->name, "nals0") == 0;
    }
  g_assert_true (seen_lo);
  g_assert_true (seen_veth);

  na_test_sh ("ip link del nals0");
}

/* An alternative name is not the link's name. */
static void
test_lookup_altname (void)
{
  g_autoptr(NaLinkMonitor) monitor = NULL;
  NaLinkInfo info;

  if (!na_test_enter_netns ())
    return;
  na_test_sh ("ip link add nalt0 type veth peer name nalt1");
  na_test_sh ("ip link property add dev nalt0 altname nalt-alias");
  monitor = monitor_new ();

  g_assert_true (na_link_monitor_lookup_name (monitor, "nalt0", &info));
  g_assert_false (na_link_monitor_lookup_name (monitor, "nalt-alias", &info));

  na_test_sh ("ip link del nalt0");
}

typedef struct {
  NaLinkMonitor *monitor;
  const char    *name;
} LookupFor;

static gboolean
name_is_gone (gpointer user_data)
{
  LookupFor *l = user_data;
  NaLinkInfo info;

  return !na_link_monitor_lookup_name (l->monitor, l->name, &info);
}

/* A Register right after "ip link add": the monitor has not read the event yet. */
static void
test_lookup_fresh (void)
{
  g_autoptr(NaLinkMonitor) monitor = NULL;
  g_autoptr(LinkRecorder) rec = NULL;
  NaLinkInfo info;
  LinkEv ev;
  int ifindex;

  if (!na_test_enter_netns ())
    return;
  monitor = monitor_new ();
  rec = link_recorder_new (monitor);

  na_test_sh ("ip link add nafr0 type veth peer name nafr1");
  ifindex = (int) if_nametoindex ("nafr0");
  g_assert_true (na_link_monitor_lookup_name (monitor, "nafr0", &info));
  g_assert_cmpint (info.ifindex, ==, ifindex);
  /* Answering did not emit anything … */
  g_assert_cmpuint (rec->events->len, ==, 0);
  /* … and the event stream still announces the link, once. */
  link_recorder_wait (rec, LINK_EV_ADDED, ifindex, NULL, NULL, &ev);
  g_assert_cmpstr (ev.info.name, ==, "nafr0");
  g_assert_true (na_link_info_equal (&ev.info, &info));

  /* The other way round: a deleted link is not answered from the table. */
  na_test_sh ("ip link del nafr0");
  g_assert_false (na_link_monitor_lookup_name (monitor, "nafr0", &info));
  g_assert_false (na_link_monitor_lookup_index (monitor, ifindex, &info));
  {
    LookupFor l = { monitor, "nafr0" };
    link_recorder_wait (rec, LINK_EV_REMOVED, ifindex, NULL, NULL, NULL);
    g_assert_true (name_is_gone (&l));
  }
  g_assert_cmpuint (link_recorder_count (rec, LINK_EV_ADDED, ifindex), ==, 1);
}

static gboolean
ev_mtu_is (const LinkEv *ev,
           gpointer      data)
{
  return ev->info.mtu == GPOINTER_TO_UINT (data);
}

static gboolean
ev_is_up (const LinkEv *ev,
          gpointer      data)
{
  return ev->info.up;
}

static gboolean
ev_lost_carrier (const LinkEv *ev,
                 gpointer      data)
{
  return !ev->info.up && (ev->info.flags & IFF_UP);
}

static gboolean
ev_mac_is (const LinkEv *ev,
           gpointer      data)
{
  g_autofree char *mac = na_link_info_mac_string (&ev->info);

  return strcmp (mac, data) == 0;
}

static gboolean
ev_name_is (const LinkEv *ev,
            gpointer      data)
{
  return strcmp (ev->info.name, data) == 0;
}

static void
test_events (void)
{
  g_autoptr(NaLinkMonitor) monitor = NULL;
  g_autoptr(LinkRecorder) rec = NULL;
  NaLinkInfo info;
  LinkEv ev;
  int a, b;

  if (!na_test_enter_netns ())
    return;
  monitor = monitor_new ();
  rec = link_recorder_new (monitor);

  /* A link added after the start. */
  na_test_sh ("ip link add naev0 type veth peer name naev1");
  a = (int) if_nametoindex ("naev0");
  b = (int) if_nametoindex ("naev1");
  link_recorder_wait (rec, LINK_EV_ADDED, a, NULL, NULL, &ev);
  g_assert_cmpstr (ev.info.name, ==, "naev0");
  g_assert_cmpuint (ev.info.arptype, ==, ARPHRD_ETHER);
  g_assert_true (ev.info.has_ether_mac);
  link_recorder_wait (rec, LINK_EV_ADDED, b, NULL, NULL, NULL);

  /* MTU. */
  link_recorder_clear (rec);
  na_test_sh ("ip link set naev0 mtu 1280");
  link_recorder_wait (rec, LINK_EV_CHANGED, a, ev_mtu_is, GUINT_TO_POINTER (1280), &ev);
  g_assert_true (na_link_monitor_lookup_index (monitor, a, &info));
  g_assert_cmpuint (info.mtu, ==, 1280);

  /* MAC. */
  link_recorder_clear (rec);
  na_test_sh ("ip link set naev0 address 02:00:00:00:20:02");
  link_recorder_wait (rec, LINK_EV_CHANGED, a, ev_mac_is, (gpointer) "02:00:00:00:20:02", &ev);
  g_assert_true (ev.info.has_ether_mac);

  /* A change the kernel reports (RTM_NEWLINK) but NaLinkInfo does not
   * hold emits nothing: the MTU change that follows is the only one. */
  link_recorder_clear (rec);
  na_test_sh ("ip link set naev0 txqueuelen 500");
  na_test_sh ("ip link set naev0 mtu 1300");
  link_recorder_wait (rec, LINK_EV_CHANGED, a, ev_mtu_is, GUINT_TO_POINTER (1300), NULL);
  g_assert_cmpuint (link_recorder_count (rec, LINK_EV_CHANGED, a), ==, 1);

  /* Up: a veth has carrier only once both ends are up. */
  link_recorder_clear (rec);
  na_test_sh ("ip link set naev0 up");
  na_test_sh ("ip link set naev1 up");
  link_recorder_wait (rec, LINK_EV_CHANGED, a, ev_is_up, NULL, &ev);
  g_assert_true (ev.info.flags & IFF_UP);
  g_assert_true (ev.info.flags & IFF_LOWER_UP);

  /* Carrier loss: the peer goes down, naev0 stays administratively up. */
  link_recorder_clear (rec);
  na_test_sh ("ip link set naev1 down");
  link_recorder_wait (rec, LINK_EV_CHANGED, a, ev_lost_carrier, NULL, &ev);
  g_assert_false (ev.info.flags & IFF_LOWER_UP);
  g_assert_true (na_link_monitor_lookup_index (monitor, a, &info));
  g_assert_false (info.up);

  /* Down. */
  link_recorder_clear (rec);
  na_test_sh ("ip link set naev0 down");
  link_recorder_wait (rec, LINK_EV_CHANGED, a, NULL, NULL, &ev);
  g_assert_false (ev.info.flags & IFF_UP);
  g_assert_false (ev.info.up);

  /* Rename: same index, new name; the old name is free. */
  link_recorder_clear (rec);
  na_test_sh ("ip link set naev0 name naev2");
  link_recorder_wait (rec, LINK_EV_CHANGED, a, ev_name_is, (gpointer) "naev2", &ev);
  g_assert_true (na_link_monitor_lookup_name (monitor, "naev2", &info));
  g_assert_cmpint (info.ifindex, ==, a);
  g_assert_false (na_link_monitor_lookup_name (monitor, "naev0", &info));

  /* Delete: both ends of the veth go, with their last names. */
  link_recorder_clear (rec);
  na_test_sh ("ip link del naev2");
  link_recorder_wait (rec, LINK_EV_REMOVED, a, NULL, NULL, &ev);
  g_assert_cmpstr (ev.info.name, ==, "naev2");
  link_recorder_wait (rec, LINK_EV_REMOVED, b, NULL, NULL, &ev);
  g_assert_cmpstr (ev.info.name, ==, "naev1");
  g_assert_false (na_link_monitor_lookup_index (monitor, a, &info));
  g_assert_false (na_link_monitor_lookup_name (monitor, "naev2", &info));
  g_assert_cmpuint (link_recorder_count (rec, LINK_EV_REMOVED, a), ==, 1);
}

#define N_BURST 24

typedef struct {
  NaLinkMonitor *monitor;
  guint          resyncs_before;
} ResyncWait;

static gboolean
resynced (gpointer user_data)
{
  ResyncWait *w = user_data;

  return na_link_monitor_get_n_resyncs_for_testing (w->monitor) > w->resyncs_before;
}

/*
 * Joining and leaving a bridge: the bridge reports the port with
 * AF_BRIDGE messages on the same group, an RTM_DELLINK among them, which
 * must not pass for the link's removal.
 */
static void
test_bridge_port (void)
{
  g_autoptr(NaLinkMonitor) monitor = NULL;
  g_autoptr(LinkRecorder) rec = NULL;
  NaLinkInfo info;
  int port;

  if (!na_test_enter_netns ())
    return;
  na_test_sh ("ip link add nabp0 type veth peer name nabp1");
  na_test_sh ("ip link add nabr0 type bridge");
  port = (int) if_nametoindex ("nabp0");
  monitor = monitor_new ();
  rec = link_recorder_new (monitor);

  na_test_sh ("ip link set nabp0 master nabr0");
  na_test_sh ("ip link set nabp0 nomaster");
  /* A marker after them: once it is seen, all of the above was read. */
  na_test_sh ("ip link set nabp0 mtu 1280");
  link_recorder_wait (rec, LINK_EV_CHANGED, port, ev_mtu_is, GUINT_TO_POINTER (1280), NULL);

  g_assert_cmpuint (link_recorder_count (rec, LINK_EV_REMOVED, port), ==, 0);
  g_assert_cmpuint (link_recorder_count (rec, LINK_EV_ADDED, port), ==, 0);
  g_assert_true (na_link_monitor_lookup_index (monitor, port, &info));
  g_assert_cmpstr (info.name, ==, "nabp0");

  na_test_sh ("ip link del nabp0");
  na_test_sh ("ip link del nabr0");
}

/* Lost events (ENOBUFS) are made up for by re-reading the list. */
static void
test_overrun (void)
{
  g_autoptr(NaLinkMonitor) monitor = NULL;
  g_autoptr(LinkRecorder) rec = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) script = g_string_new (NULL);
  ResyncWait w;
  NaLinkInfo info;
  int gone, kept;

  if (!na_test_enter_netns ())
    return;
  na_test_sh ("ip link add naor0 type veth peer name naor1");
  na_test_sh ("ip link add naok0 mtu 1400 type veth peer name naok1");
  gone = (int) if_nametoindex ("naor0");
  kept = (int) if_nametoindex ("naok0");

  monitor = monitor_new ();
  rec = link_recorder_new (monitor);
  g_assert_true (na_link_monitor_set_event_buffer_for_testing (monitor, 1, &error));
  g_assert_no_error (error);
  w.monitor = monitor;
  w.resyncs_before = na_link_monitor_get_n_resyncs_for_testing (monitor);

  /* Far more than the (minimal) queue holds, while the loop is not run. */
  for (guint i = 0; i < N_BURST; i++)
    g_string_append_printf (script, "link add naob%u type veth peer name naoc%u\n", i, i);
  g_string_append (script, "link del naor0\n");
  g_string_append (script, "link set naok0 mtu 1450\n");
  na_test_sh ("ip -batch - <<'END'\n%sEND", script->str);

  link_test_wait (resynced, &w, "a resync after the overrun");

  /* Every difference was reported exactly once. */
  for (guint i = 0; i < N_BURST; i++)
    {
      char name[IFNAMSIZ];

      for (guint end = 0; end < 2; end++)
        {
          int ifindex;

          g_snprintf (name, sizeof name, end ? "naoc%u" : "naob%u", i);
          ifindex = (int) if_nametoindex (name);
          g_assert_cmpint (ifindex, >, 0);
          g_assert_cmpuint (link_recorder_count (rec, LINK_EV_ADDED, ifindex), ==, 1);
          g_assert_true (na_link_monitor_lookup_index (monitor, ifindex, &info));
          g_assert_cmpstr (info.name, ==, name);
        }
    }
  g_assert_cmpuint (link_recorder_count (rec, LINK_EV_REMOVED, gone), ==, 1);
  g_assert_cmpuint (link_recorder_count (rec, LINK_EV_CHANGED, kept), ==, 1);
  g_assert_true (na_link_monitor_lookup_index (monitor, kept, &info));
  g_assert_cmpuint (info.mtu, ==, 1450);
  g_assert_false (na_link_monitor_lookup_index (monitor, gone, &info));

  /* Events flow normally afterwards. */
  link_recorder_clear (rec);
  na_test_sh ("ip link set naok0 mtu 1500");
  link_recorder_wait (rec, LINK_EV_CHANGED, kept, ev_mtu_is, GUINT_TO_POINTER (1500), NULL);

  na_test_sh ("ip link del naok0");
  for (guint i = 0; i < N_BURST; i++)
    na_test_sh ("ip link del naob%u", i);
}

/* Dropping the last reference from a signal handler is safe. */
static void
on_added_unref (NaLinkMonitor *monitor,
                gpointer       info,
                gpointer       user_data)
{
  NaLinkMonitor **slot = user_data;

  g_clear_object (slot);
}

static gboolean
slot_is_empty (gpointer user_data)
{
  return *(NaLinkMonitor **) user_data == NULL;
}

static void
test_unref_in_handler (void)
{
  NaLinkMonitor *monitor = NULL;

  if (!na_test_enter_netns ())
    return;
  monitor = monitor_new ();
  g_signal_connect (monitor, "link-added", G_CALLBACK (on_added_unref), &monitor);
  /* A veth pair: two link-added in a row, the second after the drop. */
  na_test_sh ("ip link add naur0 type veth peer name naur1");
  link_test_wait (slot_is_empty, &monitor, "the monitor to be dropped");
  /* Let any further dispatch happen: it must not touch the freed monitor. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  na_test_sh ("ip link del naur0");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (monitor);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/link/monitor/lookup-veth", test_lookup_veth);
  g_test_add_func ("/link/monitor/lookup-loopback", test_lookup_loopback);
  g_test_add_func ("/link/monitor/lookup-missing", test_lookup_missing);
  g_test_add_func ("/link/monitor/lookup-altname", test_lookup_altname);
  g_test_add_func ("/link/monitor/list", test_list);
  g_test_add_func ("/link/monitor/lookup-fresh", test_lookup_fresh);
  g_test_add_func ("/link/monitor/events", test_events);
  g_test_add_func ("/link/monitor/bridge-port", test_bridge_port);
  g_test_add_func ("/link/monitor/overrun", test_overrun);
  g_test_add_func ("/link/monitor/unref-in-handler", test_unref_in_handler);

  return g_test_run ();
}
