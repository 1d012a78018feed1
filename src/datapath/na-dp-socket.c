/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-datapath"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <linux/if_ether.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "na-dp-socket.h"
#include "na-glib-compat.h"

/* Ring memory per agent: ~4,000 full-size frames, milliseconds at line rate. */
#define RING_BYTES      (8u << 20)
#define RING_MIN_FRAMES 256u
#define RING_BLOCK      (64u << 10)
/* Kernel buffers of the other sockets. */
#define PACKET_BUF      (4 << 20)
/*
 * A channel holds up to this much in flight in each direction: thousands
 * of small frames, hundreds of full ones — enough to ride out a client
 * that is descheduled for a few milliseconds; bounded because an unread
 * flow pins this much kernel memory.
 */
#define CHANNEL_BUF     (2 << 20)

static gboolean
fail (GError **error, const char *what)
{
  int errsv = errno;

  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
               "%s: %s", what, g_strerror (errsv));
  return FALSE;
}

static gboolean
set_int (int fd, int level, int name, int value, GError **error, const char *what)
{
  if (setsockopt (fd, level, name, &value, sizeof value) < 0)
    return fail (error, what);
  return TRUE;
}

/*
 * Buffer sizes above net.core.[rw]mem_max need the FORCE variants (root,
 * CAP_NET_ADMIN); without them the kernel caps the value, which still works.
 */
static void
set_buf (int fd, int force_name, int name, int bytes)
{
  if (setsockopt (fd, SOL_SOCKET, force_name, &bytes, sizeof bytes) == 0)
    return;
  if (setsockopt (fd, SOL_SOCKET, name, &bytes, sizeof bytes) < 0)
    g_debug ("setting a socket buffer to %d bytes: %s", bytes, g_strerror (errno));
}

/* @protocol 0: bound for sending only. */
static gboolean
bind_packet (int fd, int ifindex, guint16 protocol, GError **error)
{
  struct sockaddr_ll sll = {
    .sll_family = AF_PACKET,
    .sll_protocol = htons (protocol),
    .sll_ifindex = ifindex,
  };

  if (bind (fd, (struct sockaddr *) &sll, sizeof sll) < 0)
    return fail (error, "bind(AF_PACKET)");
  return TRUE;
}

gboolean
na_dp_attach_filter (int                      fd,
                     const struct sock_fprog *prog,
                     GError                 **error)
{
  if (setsockopt (fd, SOL_SOCKET, SO_ATTACH_FILTER, prog, sizeof *prog) < 0)
    return fail (error, "SO_ATTACH_FILTER");
  return TRUE;
}

static void
ring_geometry (guint mtu, guint *frame_size, guint *frame_nr)
{
  /* Where the kernel puts a frame in its slot, plus the frame, plus a tag. */
  gsize need = TPACKET_ALIGN (TPACKET2_HDRLEN + 16) + (gsize) mtu + 14 + 4 + 16;
  guint size = 2048;

  while (size < need)
    size <<= 1;
  *frame_size = size;
  *frame_nr = MAX (RING_MIN_FRAMES, RING_BYTES / size);
}

gboolean
na_dp_ring_fits (const NaDpRing *ring, guint mtu)
{
  guint size, nr;

  ring_geometry (mtu, &size, &nr);
  return ring->frame_size == size;
}

gboolean
na_dp_ring_open (NaDpRing                 *ring,
                 int                       ifindex,
                 guint                     mtu,
                 const struct sock_fprog  *prog,
                 GError                  **error)
{
  g_autofd int fd = -1;
  struct tpacket_req req = { 0 };
  guint frame_size, frame_nr, block;
  void *map;

  memset (ring, 0, sizeof *ring);
  ring->fd = -1;
  ring_geometry (mtu, &frame_size, &frame_nr);
  block = MAX (RING_BLOCK, frame_size);

  fd = socket (AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0)
    return fail (error, "socket(AF_PACKET)");
  /* Protocol 0 receives nothing until bind(): filter first, then bind. */
  if (!na_dp_attach_filter (fd, prog, error))
    return FALSE;
  if (!set_int (fd, SOL_PACKET, PACKET_VERSION, TPACKET_V2, error, "PACKET_VERSION") ||
      !set_int (fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, error, "PACKET_IGNORE_OUTGOING"))
    return FALSE;

  req.tp_frame_size = frame_size;
  req.tp_block_size = block;
  req.tp_block_nr = frame_nr / (block / frame_size);
  req.tp_frame_nr = req.tp_block_nr * (block / frame_size);
  if (setsockopt (fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0)
    return fail (error, "PACKET_RX_RING");

  map = mmap (NULL, (gsize) req.tp_block_size * req.tp_block_nr,
              PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0);
  if (map == MAP_FAILED)
    return fail (error, "mmap(PACKET_RX_RING)");
  ring->map = map;
  ring->map_len = (gsize) req.tp_block_size * req.tp_block_nr;
  ring->frame_size = frame_size;
  ring->frame_nr = req.tp_frame_nr;

  if (!bind_packet (fd, ifindex, ETH_P_ALL, error))
    {
      munmap (ring->map, ring->map_len);
      ring->map = NULL;
      return FALSE;
    }
  ring->fd = g_steal_fd (&fd);
  return TRUE;
}

void
na_dp_ring_close (NaDpRing *ring)
{
  if (ring->map != NULL)
    munmap (ring->map, ring->map_len);
  ring->map = NULL;
  if (ring->fd >= 0)
    g_close (ring->fd, NULL);
  ring->fd = -1;
}

int
na_dp_tx_socket_open (int       ifindex,
                      GError  **error)
{
  g_autofd int fd = socket (AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

  if (fd < 0)
    {
      fail (error, "socket(AF_PACKET)");
      return -1;
    }
  set_buf (fd, SO_SNDBUFFORCE, SO_SNDBUF, PACKET_BUF);
  if (!bind_packet (fd, ifindex, 0, error))
    return -1;
  return g_steal_fd (&fd);
}

int
na_dp_tap_socket_open (int       tap_ifindex,
                       GError  **error)
{
  g_autofd int fd = socket (AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

  if (fd < 0)
    {
      fail (error, "socket(AF_PACKET)");
      return -1;
    }
  if (!set_int (fd, SOL_PACKET, PACKET_AUXDATA, 1, error, "PACKET_AUXDATA") ||
      !set_int (fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, error, "PACKET_IGNORE_OUTGOING") ||
      !set_int (fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1, error, "PACKET_QDISC_BYPASS"))
    return -1;
  set_buf (fd, SO_RCVBUFFORCE, SO_RCVBUF, PACKET_BUF);
  set_buf (fd, SO_SNDBUFFORCE, SO_SNDBUF, PACKET_BUF);
  if (!bind_packet (fd, tap_ifindex, ETH_P_ALL, error))
    return -1;
  return g_steal_fd (&fd);
}

gboolean
na_dp_socketpair_open (int      *daemon_end,
                       int      *client_end,
                       GError  **error)
{
  int sv[2];
  g_autofd int ours = -1;
  g_autofd int theirs = -1;

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return fail (error, "socketpair(AF_UNIX, SOCK_SEQPACKET)");
  ours = sv[0];
  theirs = sv[1];
  if (!g_unix_set_fd_nonblocking (ours, TRUE, error))
    return FALSE;

  /* Frames to the client are charged to our send buffer, the client's to its own. */
  for (guint i = 0; i < 2; i++)
    {
      set_buf (sv[i], SO_SNDBUFFORCE, SO_SNDBUF, CHANNEL_BUF);
      set_buf (sv[i], SO_RCVBUFFORCE, SO_RCVBUF, CHANNEL_BUF);
    }

  *daemon_end = g_steal_fd (&ours);
  *client_end = g_steal_fd (&theirs);
  return TRUE;
}
