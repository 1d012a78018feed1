/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-test"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dp-test-util.h"
#include "na-test-netns.h"

/* Only a broken data path makes a test wait this long (it then fails). */
#define WAIT_MS 20000

gboolean
dp_test_enter_netns (void)
{
  if (!na_test_enter_netns ())
    return FALSE;
  /* No router solicitations or neighbour discovery on the test's links. */
  na_test_sh ("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
  return TRUE;
}

static void
wait_readable (int fd)
{
  struct pollfd pfd = { .fd = fd, .events = POLLIN };
  int r;

  do
    r = poll (&pfd, 1, WAIT_MS);
  while (r < 0 && errno == EINTR);
  if (r == 0)
    g_error ("nothing arrived on fd %d", fd);
  g_assert_cmpint (r, ==, 1);
}

void
dp_test_link_init (DpTestLink *link, const char *name, guint8 id)
{
  struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons (ETH_P_ALL) };
  int one = 1, bytes = 8 << 20;

  memset (link, 0, sizeof *link);
  g_strlcpy (link->name, name, sizeof link->name);
  g_snprintf (link->peer, sizeof link->peer, "%sp", name);
  memcpy (link->mac, (guint8[]) { 0x02, 0, 0, 0, id, 0x01 }, 6);
  memcpy (link->peer_mac, (guint8[]) { 0x02, 0, 0, 0, id, 0x02 }, 6);

  na_test_sh ("ip link add %s address 02:00:00:00:%02x:01 type veth peer name %s address 02:00:00:00:%02x:02",
              link->name, id, link->peer, id);
  na_test_sh ("ip link set %s up && ip link set %s up", link->name, link->peer);
  link->ifindex = (int) if_nametoindex (link->name);
  link->peer_ifindex = (int) if_nametoindex (link->peer);
  g_assert_cmpint (link->ifindex, >, 0);
  g_assert_cmpint (link->peer_ifindex, >, 0);

  link->wire = socket (AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  g_assert_cmpint (link->wire, >=, 0);
  g_assert_no_errno (setsockopt (link->wire, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one));
  g_assert_no_errno (setsockopt (link->wire, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one));
  g_assert_no_errno (setsockopt (link->wire, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes));
  sll.sll_ifindex = link->peer_ifindex;
  g_assert_no_errno (bind (link->wire, (struct sockaddr *) &sll, sizeof sll));
}

void
dp_test_link_clear (DpTestLink *link)
{
  close (link->wire);
  na_test_sh ("ip link del %s", link->name);
}

static void
put16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
put32 (guint8 *p, guint32 v)
{
  put16 (p, v >> 16);
  put16 (p + 2, v & 0xffff);
}

gsize
dp_test_frame (guint8 *buf, const guint8 dst[6], const guint8 src[6],
               guint16 type, gsize len, guint32 seq)
{
  g_assert_cmpuint (len, >=, 14);
  for (gsize i = 14; i < len; i++)
    buf[i] = (guint8) (i * 7);
  memcpy (buf, dst, 6);
  memcpy (buf + 6, src, 6);
  put16 (buf + 12, type);
  if (len >= 18)
    put32 (buf + 14, seq);
  return len;
}

gsize
dp_test_frame_tagged (guint8 *buf, const guint8 dst[6], const guint8 src[6],
                      guint16 tci, guint16 inner, gsize len, guint32 seq)
{
  g_assert_cmpuint (len, >=, 22);
  dp_test_frame (buf, dst, src, 0x8100, len, 0);
  put16 (buf + 14, tci);
  put16 (buf + 16, inner);
  put32 (buf + 18, seq);
  return len;
}

struct in6_addr
dp_test_in6 (const char *text)
{
  struct in6_addr a;

  g_assert_cmpint (inet_pton (AF_INET6, text, &a), ==, 1);
  return a;
}

gsize
dp_test_frame_ipv6 (guint8 *buf, const guint8 dst[6], const guint8 src[6],
                    const char *src_ip, const char *dst_ip, gsize len, guint32 seq)
{
  struct in6_addr s = dp_test_in6 (src_ip), d = dp_test_in6 (dst_ip);

  g_assert_cmpuint (len, >=, 54);
  dp_test_frame (buf, dst, src, 0x86DD, len, 0);
  memset (buf + 14, 0, 8);
  buf[14] = 0x60;
  put16 (buf + 18, (guint16) (len - 54));
  buf[20] = 253;        /* next header: experimental */
  buf[21] = 64;
  memcpy (buf + 22, &s, 16);
  memcpy (buf + 38, &d, 16);
  if (len >= 58)
    put32 (buf + 54, seq);
  return len;
}

guint32
dp_test_frame_seq (const guint8 *frame, gsize len)
{
  gsize off = 14;

  if (len >= 14 && frame[12] == 0x86 && frame[13] == 0xdd)
    off = 54;
  else if (len >= 18 && frame[12] == 0x81 && frame[13] == 0x00)
    off = 18;
  g_assert_cmpuint (len, >=, off + 4);
  return ((guint32) frame[off] << 24) | ((guint32) frame[off + 1] << 16) |
         ((guint32) frame[off + 2] << 8) | frame[off + 3];
}

void
dp_test_inject (DpTestLink *link, const guint8 *frame, gsize len)
{
  g_assert_cmpint (send (link->wire, frame, len, 0), ==, (gssize) len);
}

gsize
dp_test_wire_recv (DpTestLink *link, guint8 *buf, gsize size)
{
  union {
    gsize  align;
    guint8 buf[CMSG_SPACE (sizeof (struct tpacket_auxdata))];
  } control;
  struct iovec iov = { buf + 4, size - 4 };
  struct msghdr msg = {
    .msg_iov = &iov,
    .msg_iovlen = 1,
    .msg_control = control.buf,
    .msg_controllen = sizeof control.buf,
  };
  gssize n;

  wait_readable (link->wire);
  n = recvmsg (link->wire, &msg, 0);
  g_assert_cmpint (n, >=, 14);
  g_assert_false (msg.msg_flags & MSG_TRUNC);

  for (struct cmsghdr *c = CMSG_FIRSTHDR (&msg); c != NULL; c = CMSG_NXTHDR (&msg, c))
    {
      struct tpacket_auxdata aux;

      if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA)
        continue;
      memcpy (&aux, CMSG_DATA (c), sizeof aux);
      if (aux.tp_status & TP_STATUS_VLAN_VALID)
        {
          /* The kernel took the tag out; the wire had it after the addresses. */
          memmove (buf, buf + 4, 12);
          put16 (buf + 12, (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid : 0x8100);
          put16 (buf + 14, aux.tp_vlan_tci);
          return (gsize) n + 4;
        }
    }
  memmove (buf, buf + 4, (gsize) n);
  return (gsize) n;
}

gsize
dp_test_recv (int fd, guint8 *buf, gsize size)
{
  gssize n;

  wait_readable (fd);
  /* MSG_TRUNC: a message too long for @buf shows its real length. */
  n = recv (fd, buf, size, MSG_TRUNC);
  if (n < 0 && errno == ENOTSOCK)
    n = read (fd, buf, size);     /* a TAP device */
  g_assert_cmpint (n, >=, 0);
  g_assert_cmpint (n, <=, (gssize) size);
  return (gsize) n;
}

void
dp_test_assert_empty (int fd)
{
  guint8 buf[1];

  g_assert_cmpint (recv (fd, buf, sizeof buf, MSG_DONTWAIT | MSG_PEEK), ==, -1);
  g_assert_cmpint (errno, ==, EAGAIN);
}

void
dp_test_send (int fd, const guint8 *buf, gsize len)
{
  g_assert_cmpint (write (fd, buf, len), ==, (gssize) len);
}

guint64
dp_test_agent_stat (NaDpAgent *agent, NaAgentStat stat)
{
  guint64 values[NA_AGENT_N_STATS] = { 0 };

  na_dp_agent_get_stats (agent, values);
  return values[stat];
}

guint64
dp_test_flow_stat (NaDpFlow *flow, NaFlowStat stat)
{
  guint64 values[NA_FLOW_N_STATS] = { 0 };

  na_dp_flow_get_stats (flow, values);
  return values[stat];
}

NaFlowSpec
dp_test_ether_spec (guint16 ethertype)
{
  NaFlowSpec spec = { .type = NA_FLOW_TYPE_CUSTOM_ETHER, .ethertype = ethertype };
  return spec;
}

NaFlowSpec
dp_test_ula_spec (const char *local, const char *remote)
{
  NaFlowSpec spec = { .type = NA_FLOW_TYPE_IPV6_ULA };

  spec.local = dp_test_in6 (local);
  spec.remote = dp_test_in6 (remote);
  return spec;
}

NaDpFlow *
dp_test_flow_add (NaDpAgent *agent, const NaFlowSpec *spec, int *client_fd)
{
  g_autoptr(GError) error = NULL;
  NaDpChannel channel = { .type = NA_CHANNEL_SOCKETPAIR };
  NaDpFlow *flow;

  flow = na_dp_flow_add (agent, spec, &channel, NULL, NULL, client_fd, &error);
  g_assert_no_error (error);
  g_assert_nonnull (flow);
  g_assert_cmpint (*client_fd, >=, 0);
  return flow;
}

int
dp_test_tap_open (const char *name, int *ifindex)
{
  struct ifreq ifr = { 0 };
  int fd = open ("/dev/net/tun", O_RDWR | O_CLOEXEC);

  g_assert_cmpint (fd, >=, 0);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  g_strlcpy (ifr.ifr_name, name, sizeof ifr.ifr_name);
  g_assert_no_errno (ioctl (fd, TUNSETIFF, &ifr));
  na_test_sh ("ip link set %s up", name);
  *ifindex = (int) if_nametoindex (name);
  g_assert_cmpint (*ifindex, >, 0);
  return fd;
}
