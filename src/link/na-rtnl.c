/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-link"

/* <net/if.h> first: <linux/if.h> (for IFF_LOWER_UP) then adds only what it lacks. */
#include <net/if.h>
#include <linux/if.h>

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <net/if_arp.h>
#include <netlink/errno.h>
#include <string.h>

#include "na-rtnl.h"

NaNlSock *
na_rtnl_socket_new (GError **error)
{
  g_autoptr(NaNlSock) sk = nl_socket_alloc ();
  int err;
  int fd;

  if (sk == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "Cannot allocate a netlink socket");
      return NULL;
    }
  err = nl_connect (sk, NETLINK_ROUTE);
  if (err < 0)
    {
      na_rtnl_set_error (error, err, "Cannot connect to rtnetlink");
      return NULL;
    }
  /* libnl may or may not ask for SOCK_CLOEXEC depending on its version;
   * a netlink socket must not leak into a spawned helper either way. */
  fd = nl_socket_get_fd (sk);
  if (fcntl (fd, F_SETFD, FD_CLOEXEC) < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "fcntl(FD_CLOEXEC): %s", g_strerror (saved));
      return NULL;
    }
  return g_steal_pointer (&sk);
}

gboolean
na_rtnl_link_to_info (struct rtnl_link *link,
                      NaLinkInfo       *out)
{
  const char *name = rtnl_link_get_name (link);
  struct nl_addr *addr = rtnl_link_get_addr (link);
  int ifindex = rtnl_link_get_ifindex (link);

  if (ifindex <= 0 || name == NULL || name[0] == '\0'
      || strlen (name) >= sizeof out->name)
    return FALSE;

  memset (out, 0, sizeof *out);
  out->ifindex = ifindex;
  g_strlcpy (out->name, name, sizeof out->name);
  out->arptype = rtnl_link_get_arptype (link);
  out->mtu = rtnl_link_get_mtu (link);
  out->flags = rtnl_link_get_flags (link);
  out->up = (out->flags & IFF_UP) && (out->flags & IFF_LOWER_UP);

  /* The seed hands out a MAC only for Ethernet with a 6-byte address;
   * anything else (loopback's all-zero address included) has none. */
  if (out->arptype == ARPHRD_ETHER && addr != NULL
      && nl_addr_get_len (addr) == sizeof out->mac)
    {
      memcpy (out->mac, nl_addr_get_binary_addr (addr), sizeof out->mac);
      out->has_ether_mac = TRUE;
    }
  return TRUE;
}

void
na_rtnl_set_error (GError    **error,
                   int         nlerr,
                   const char *what)
{
  GIOErrorEnum code;

  switch (nlerr < 0 ? -nlerr : nlerr)
    {
    case NLE_EXIST:
      code = G_IO_ERROR_EXISTS;
      break;
    case NLE_NODEV:
    case NLE_OBJ_NOTFOUND:
      code = G_IO_ERROR_NOT_FOUND;
      break;
    case NLE_PERM:
    case NLE_NOACCESS:
      code = G_IO_ERROR_PERMISSION_DENIED;
      break;
    case NLE_INVAL:
    case NLE_RANGE:
      code = G_IO_ERROR_INVALID_ARGUMENT;
      break;
    case NLE_BUSY:
      code = G_IO_ERROR_BUSY;
      break;
    case NLE_OPNOTSUPP:
    case NLE_AF_NOSUPPORT:
      code = G_IO_ERROR_NOT_SUPPORTED;
      break;
    default:
      code = G_IO_ERROR_FAILED;
      break;
    }
  g_set_error (error, G_IO_ERROR, code, "%s: %s", what, nl_geterror (nlerr));
}
