/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>
#include <linux/filter.h>
#include <linux/if_packet.h>

G_BEGIN_DECLS

/*
 * The sockets of the data path.
 *
 * An agent's NIC socket is AF_PACKET/SOCK_RAW bound to the interface with
 * a TPACKET_V2 receive ring: the kernel copies each frame straight into
 * memory shared with the data path and wakes it per frame (no block
 * timeout holding frames back, as TPACKET_V3 would), VLAN tags the kernel
 * stripped come back in the frame header, and a burst is read without a
 * syscall per frame.  Transmit uses sendmmsg on a second socket (below).
 */
typedef struct {
  int      fd;
  guint8  *map;
  gsize    map_len;
  guint    frame_size;
  guint    frame_nr;          /* a power of two */
  guint    head;              /* next frame to look at */
  guint    held;              /* frames before head not yet handed back */
} NaDpRing;

/*
 * Open, filter (@prog before the socket is bound, so nothing unfiltered
 * is ever queued), bind to @ifindex and map the ring, sized for @mtu.
 */
gboolean na_dp_ring_open  (NaDpRing                 *ring,
                           int                       ifindex,
                           guint                     mtu,
                           const struct sock_fprog  *prog,
                           GError                  **error);
void     na_dp_ring_close (NaDpRing *ring);

/* TRUE when a ring made for @mtu would be the same as @ring. */
gboolean na_dp_ring_fits  (const NaDpRing *ring, guint mtu);

static inline struct tpacket2_hdr *
na_dp_ring_frame (const NaDpRing *ring, guint index)
{
  return (struct tpacket2_hdr *) (gpointer) (ring->map + (gsize) (index & (ring->frame_nr - 1)) * ring->frame_size);
}

/*
 * The agent's transmit socket: bound to the interface with protocol 0, so
 * it receives nothing, and nobody polls it — the kernel then skips a
 * write-space wake-up per sent frame that the ring socket would cost.
 */
int      na_dp_tx_socket_open (int       ifindex,
                               GError  **error);

/* Swap the kernel filter (SO_ATTACH_FILTER replaces atomically). */
gboolean na_dp_attach_filter (int                      fd,
                              const struct sock_fprog *prog,
                              GError                 **error);

/*
 * The data path's side of a TAP channel: a packet socket bound to the
 * TAP interface, with VLAN aux data, that ignores its own transmissions
 * and bypasses the qdisc so that a full TAP queue is an error we count.
 */
int      na_dp_tap_socket_open (int       tap_ifindex,
                                GError  **error);

/*
 * A SOCK_SEQPACKET pair with generous buffers: @daemon_end non-blocking,
 * @client_end blocking; both O_CLOEXEC.
 */
gboolean na_dp_socketpair_open (int      *daemon_end,
                                int      *client_end,
                                GError  **error);

G_END_DECLS
