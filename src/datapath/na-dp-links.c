/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-datapath"

/*
 * TAP devices going away.  When the client closes the fd of its
 * (non-persistent) TAP device, the kernel takes the device down — our
 * packet socket on it gets ENETDOWN while the device still exists — and
 * then unregisters it, which unbinds the socket without another word.
 * RTM_DELLINK on a route netlink socket is the event that says "gone".
 */

#include <errno.h>
#include <gio/gio.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "na-dp-private.h"

int
na_dp_links_open (GError **error)
{
  struct sockaddr_nl snl = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
  int fd = socket (AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  int errsv;

  if (fd < 0 || bind (fd, (struct sockaddr *) &snl, sizeof snl) < 0)
    {
      errsv = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   "route netlink socket: %s", g_strerror (errsv));
      if (fd >= 0)
        g_clear_fd (&fd, NULL);
      return -1;
    }
  return fd;
}

/* Hang up every TAP flow on @ifindex (0: every TAP flow whose device is gone). */
static void
hang_up_taps (NaDatapath *dp, int ifindex)
{
  for (guint i = 0; i < dp->agents->len; i++)
    {
      NaDpAgent *agent = g_ptr_array_index (dp->agents, i);

      for (guint j = 0; j < agent->flows->len; j++)
        {
          NaDpFlow *flow = g_ptr_array_index (agent->flows, j);

          if (flow->channel != NA_CHANNEL_TAP || flow->closed)
            continue;
          if (ifindex != 0 ? flow->tap_ifindex == ifindex : na_dp_io_tap_gone (flow))
            na_dp_post_hangup (dp, flow);
        }
    }
}

void
na_dp_links_event (NaDatapath *dp)
{
  union {
    struct nlmsghdr align;
    guint8          buf[16384];
  } msg;

  for (;;)
    {
      gssize n = recv (dp->links_fd, &msg, sizeof msg, MSG_DONTWAIT);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          /* Events were lost: look at every TAP flow instead. */
          if (errno == ENOBUFS)
            {
              hang_up_taps (dp, 0);
              continue;
            }
          return;
        }

      for (struct nlmsghdr *h = &msg.align; NLMSG_OK (h, (gsize) n); h = NLMSG_NEXT (h, n))
        {
          const struct ifinfomsg *ifi;

          if (h->nlmsg_type != RTM_DELLINK || h->nlmsg_len < NLMSG_LENGTH (sizeof *ifi))
            continue;
          ifi = NLMSG_DATA (h);
          hang_up_taps (dp, ifi->ifi_index);
        }
    }
}
