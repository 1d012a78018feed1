/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-test-link"

/* <net/if.h> first: the kernel headers then leave its definitions alone. */
#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "link-test-util.h"
#include "na-link-monitor.h"
#include "na-tap.h"
#include "na-test-netns.h"

static NaLinkMonitor *
monitor_new (void)
{
  g_autoptr(GError) error = NULL;
  NaLinkMonitor *monitor = na_link_monitor_new (&error);

  g_assert_no_error (error);
  return monitor;
}

static int
tap_create (const char *wanted,
            uid_t       owner,
            guint       mtu,
            char        name[IFNAMSIZ],
            int        *ifindex)
{
  g_autoptr(GError) error = NULL;
  int fd = na_tap_create (wanted, owner, mtu, name, ifindex, &error);

  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (*ifindex, ==, (int) if_nametoindex (name));
  return fd;
}

static gboolean
ev_running (const LinkEv *ev,
            gpointer      data)
{
  return (ev->info.flags & IFF_RUNNING) != 0;
}

/*
 * Wait until the link is operationally up.  The kernel makes a link-local
 * address (when it makes one) in the notifier that runs before it reports
 * IFF_RUNNING, so from then on its absence means something.
 */
static void
wait_running (LinkRecorder *rec,
              int           ifindex)
{
  LinkEv ev;

  for (guint i = 0; i < rec->events->len; i++)
    {
      const LinkEv *seen = &g_array_index (rec->events, LinkEv, i);
      if (seen->info.ifindex == ifindex && seen->kind == LINK_EV_ADDED && ev_running (seen, NULL))
        return;
    }
  link_recorder_wait (rec, LINK_EV_CHANGED, ifindex, ev_running, NULL, &ev);
}

/* /proc/sys/net/ipv6/conf/NAME/SETTING */
static char *
read_ipv6_conf (const char *name,
                const char *setting)
{
  g_autofree char *path = g_build_filename ("/proc/sys/net/ipv6/conf", name, setting, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  /* /proc/sys/net answers for the reader's network namespace. */
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return g_strstrip (contents);
}

static void
test_named (void)
{
  g_autoptr(NaLinkMonitor) monitor = NULL;
  g_autoptr(LinkRecorder) rec = NULL;
  g_autofree char *details = NULL;
  g_autofree char *gen_mode = NULL;
  char name[IFNAMSIZ];
  struct ifreq ifr = { 0 };
  NaLinkInfo info;
  int ifindex = 0;
  int fd;

  if (!na_test_enter_netns ())
    return;
  monitor = monitor_new ();
  rec = link_recorder_new (monitor);

  fd = tap_create ("natest0", 4242, 1400, name, &ifindex);
  g_assert_cmpstr (name, ==, "natest0");

  /* The fd: close-on-exec, non-blocking, a TAP without packet info. */
  g_assert_true (fcntl (fd, F_GETFD) & FD_CLOEXEC);
  g_assert_true (fcntl (fd, F_GETFL) & O_NONBLOCK);
  g_assert_cmpint (ioctl (fd, TUNGETIFF, &ifr), ==, 0);
  g_assert_cmpstr (ifr.ifr_name, ==, "natest0");
  g_assert_cmpint (ifr.ifr_flags & (IFF_TAP | IFF_TUN), ==, IFF_TAP);
  g_assert_true (ifr.ifr_flags & IFF_NO_PI);
  g_assert_false (ifr.ifr_flags & IFF_PERSIST);

  /* Owner: the kernel reports it in the tun link details. */
  details = link_test_output ("ip -d link show dev natest0");
  g_assert_nonnull (strstr (details, " user 4242 "));

  /* MTU, up, an Ethernet MAC. */
  g_assert_true (na_link_monitor_lookup_name (monitor, "natest0", &info));
  g_assert_cmpint (info.ifindex, ==, ifindex);
  g_assert_cmpuint (info.mtu, ==, 1400);
  g_assert_true (info.flags & IFF_UP);
  g_assert_true (info.has_ether_mac);

  /* IPv6 quiet: no address generation, hence no link-local address. */
  gen_mode = read_ipv6_conf ("natest0", "addr_gen_mode");
  g_assert_cmpstr (gen_mode, ==, "1");
  wait_running (rec, ifindex);
  g_assert_true (na_link_monitor_lookup_index (monitor, ifindex, &info));
  g_assert_true (info.up);
  g_assert_false (link_test_has_ipv6_address ("natest0"));

  /* Not persistent: closing the fd takes the device away. */
  link_recorder_clear (rec);
  close (fd);
  link_recorder_wait (rec, LINK_EV_REMOVED, ifindex, NULL, NULL, NULL);
  g_assert_cmpuint (if_nametoindex ("natest0"), ==, 0);
}

/*
 * The control for the test above: the same TAP device brought up without
 * turning address generation off does get a link-local address here, so
 * "no address" above is the daemon's doing, not this namespace's.
 */
static void
test_link_local_control (void)
{
  g_autoptr(NaLinkMonitor) monitor = NULL;
  g_autoptr(LinkRecorder) rec = NULL;
  g_autofree char *disabled = NULL;
  struct ifreq ifr = { 0 };
  int ifindex;
  int fd;

  if (!na_test_enter_netns ())
    return;
  disabled = read_ipv6_conf ("default", "disable_ipv6");
  if (strcmp (disabled, "0") != 0)
    {
      g_test_skip ("IPv6 is disabled in new namespaces here");
      return;
    }
  monitor = monitor_new ();
  rec = link_recorder_new (monitor);

  fd = open ("/dev/net/tun", O_RDWR | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  g_strlcpy (ifr.ifr_name, "nactl0", sizeof ifr.ifr_name);
  g_assert_cmpint (ioctl (fd, TUNSETIFF, &ifr), ==, 0);
  ifindex = (int) if_nametoindex ("nactl0");
  na_test_sh ("ip link set nactl0 up");

  wait_running (rec, ifindex);
  g_assert_true (link_test_has_ipv6_address ("nactl0"));
  close (fd);
}

static void
test_generated_name (void)
{
  char name1[IFNAMSIZ], name2[IFNAMSIZ];
  int ifindex1 = 0, ifindex2 = 0;
  int fd1, fd2;

  if (!na_test_enter_netns ())
    return;

  fd1 = tap_create (NULL, 0, 0, name1, &ifindex1);
  fd2 = tap_create ("", 0, 0, name2, &ifindex2);
  g_assert_true (g_str_has_prefix (name1, "natap"));
  g_assert_true (g_str_has_prefix (name2, "natap"));
  g_assert_cmpstr (name1, !=, name2);
  g_assert_cmpint (ifindex1, !=, ifindex2);

  /* MTU 0 keeps the kernel's default. */
  {
    g_autofree char *details = link_test_output ("ip link show dev %s", name1);
    g_assert_nonnull (strstr (details, " mtu 1500 "));
  }
  close (fd1);
  close (fd2);
}

/* Below IPv6's minimum MTU the device has no IPv6 state to configure. */
static void
test_small_mtu (void)
{
  g_autofree char *details = NULL;
  char name[IFNAMSIZ];
  int ifindex = 0;
  int fd;

  if (!na_test_enter_netns ())
    return;
  fd = tap_create ("natest3", 0, 1000, name, &ifindex);
  details = link_test_output ("ip link show dev natest3");
  g_assert_nonnull (strstr (details, " mtu 1000 "));
  g_assert_nonnull (strstr (details, ",UP"));
  g_assert_false (link_test_has_ipv6_address ("natest3"));
  close (fd);
}

static void
test_delete_while_open (void)
{
  g_autoptr(GError) error = NULL;
  char name[IFNAMSIZ];
  char frame[64] = { 0 };
  int ifindex = 0;
  int fd;

  if (!na_test_enter_netns ())
    return;
  fd = tap_create ("natest1", 0, 0, name, &ifindex);

  g_assert_true (na_tap_delete (ifindex, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (if_nametoindex ("natest1"), ==, 0);

  /* The client's fd stays open but leads nowhere. */
  g_assert_cmpint (fcntl (fd, F_GETFD), >=, 0);
  g_assert_cmpint (write (fd, frame, sizeof frame), ==, -1);
  g_assert_cmpint (errno, ==, EBADFD);

  /* Gone already: still success. */
  g_assert_true (na_tap_delete (ifindex, &error));
  g_assert_no_error (error);
  close (fd);
}

/* A stale index that now names something else is left alone. */
static void
test_delete_not_a_tap (void)
{
  g_autoptr(GError) error = NULL;
  int ifindex;

  if (!na_test_enter_netns ())
    return;
  na_test_sh ("ip link add natv0 type veth peer name natv1");
  ifindex = (int) if_nametoindex ("natv0");

  g_assert_true (na_tap_delete (ifindex, &error));
  g_assert_no_error (error);
  g_assert_cmpint ((int) if_nametoindex ("natv0"), ==, ifindex);

  na_test_sh ("ip link del natv0");
}

static void
assert_create_fails (const char *wanted,
                     int         code)
{
  g_autoptr(GError) error = NULL;
  char name[IFNAMSIZ] = "";
  int ifindex = -1;
  int fd;

  fd = na_tap_create (wanted, 0, 0, name, &ifindex, &error);
  g_assert_error (error, G_IO_ERROR, code);
  g_assert_cmpint (fd, ==, -1);
}

static void
test_taken_name (void)
{
  char name[IFNAMSIZ];
  int ifindex = 0;
  int fd;

  if (!na_test_enter_netns ())
    return;

  /* Any link. */
  na_test_sh ("ip link add natk0 type veth peer name natk1");
  assert_create_fails ("natk0", G_IO_ERROR_EXISTS);

  /* One of our own taps: never a second fd on the same device. */
  fd = tap_create ("natk2", 0, 0, name, &ifindex);
  assert_create_fails ("natk2", G_IO_ERROR_EXISTS);

  /* Someone else's persistent tap, free to attach to: still refused. */
  na_test_sh ("ip tuntap add mode tap name natk3");
  assert_create_fails ("natk3", G_IO_ERROR_EXISTS);

  close (fd);
  na_test_sh ("ip link del natk0");
  na_test_sh ("ip tuntap del mode tap name natk3");
}

static void
test_invalid_name (void)
{
  if (!na_test_enter_netns ())
    return;

  assert_create_fails ("bad/name", G_IO_ERROR_INVALID_ARGUMENT);
  assert_create_fails ("has space", G_IO_ERROR_INVALID_ARGUMENT);
  assert_create_fails ("colon:0", G_IO_ERROR_INVALID_ARGUMENT);
  assert_create_fails ("sixteen-chars-xx", G_IO_ERROR_INVALID_ARGUMENT);
  assert_create_fails (".", G_IO_ERROR_INVALID_ARGUMENT);
  assert_create_fails ("..", G_IO_ERROR_INVALID_ARGUMENT);
  assert_create_fails ("tap%d", G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/link/tap/named", test_named);
  g_test_add_func ("/link/tap/link-local-control", test_link_local_control);
  g_test_add_func ("/link/tap/generated-name", test_generated_name);
  g_test_add_func ("/link/tap/small-mtu", test_small_mtu);
  g_test_add_func ("/link/tap/delete-while-open", test_delete_while_open);
  g_test_add_func ("/link/tap/delete-not-a-tap", test_delete_not_a_tap);
  g_test_add_func ("/link/tap/taken-name", test_taken_name);
  g_test_add_func ("/link/tap/invalid-name", test_invalid_name);

  return g_test_run ();
}
