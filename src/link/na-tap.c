/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-link"

/* <net/if.h> first: the kernel headers then leave its definitions alone. */
#include <net/if.h>

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "na-rtnl.h"
#include "na-tap.h"

/* After na-rtnl.h: this libnl header does not include what it uses. */
#include <netlink/route/link/inet6.h>

/* GLib 2.74 has no g_autofd: a scoped fd of our own. */
typedef int NaTapFd;

static void
tap_fd_clear (NaTapFd *fd)
{
  if (*fd >= 0)
    close (*fd);
  *fd = -1;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NaTapFd, tap_fd_clear)

/* The kernel's dev_valid_name(), without '%' (a pattern, not a name). */
static gboolean
tap_name_is_valid (const char *name)
{
  if (name[0] == '\0' || strlen (name) >= IFNAMSIZ)
    return FALSE;
  if (strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '/' || *p == ':' || *p == '%' || g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

static gboolean
set_errno_error (GError    **error,
                 int         saved_errno,
                 const char *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", what, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
change_link (NaNlSock           *sk,
             int                 ifindex,
             struct rtnl_link   *changes,
             const char         *what,
             GError            **error)
{
  g_autoptr(NaRtnlLink) orig = rtnl_link_alloc ();
  int err;

  rtnl_link_set_ifindex (orig, ifindex);
  err = rtnl_link_change (sk, orig, changes, 0);
  if (err < 0)
    {
      na_rtnl_set_error (error, err, what);
      return FALSE;
    }
  return TRUE;
}

/* Quiet IPv6, then the MTU, then up: in that order, see below. */
static gboolean
configure_tap (NaNlSock *sk,
               int       ifindex,
               guint     mtu,
               GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  /* Before the device goes up, or the kernel makes its link-local
   * address (and sends DAD and router solicitations) at once.  Own
   * request, before the MTU: below 1280 the device has no IPv6 state to
   * configure.  No IPv6 in the kernel at all is just as quiet. */
  {
    g_autoptr(NaRtnlLink) changes = rtnl_link_alloc ();

    if (rtnl_link_inet6_set_addr_gen_mode (changes, IN6_ADDR_GEN_MODE_NONE) == 0
        && !change_link (sk, ifindex, changes,
                         "Cannot turn off IPv6 address generation", &local_error))
      {
        if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
        g_clear_error (&local_error);
      }
  }

  if (mtu > 0)
    {
      g_autoptr(NaRtnlLink) changes = rtnl_link_alloc ();

      rtnl_link_set_mtu (changes, mtu);
      if (!change_link (sk, ifindex, changes, "Cannot set the TAP device's MTU", error))
        return FALSE;
    }

  {
    g_autoptr(NaRtnlLink) changes = rtnl_link_alloc ();

    rtnl_link_set_flags (changes, IFF_UP);
    if (!change_link (sk, ifindex, changes, "Cannot bring the TAP device up", error))
      return FALSE;
  }
  return TRUE;
}

int
na_tap_create (const char *wanted_name,
               uid_t       owner,
               guint       mtu,
               char        out_name[16],
               int        *out_ifindex,
               GError    **error)
{
  g_auto(NaTapFd) fd = -1;
  g_autoptr(NaNlSock) sk = NULL;
  g_autoptr(NaRtnlLink) link = NULL;
  struct ifreq ifr;
  int ifindex;
  int err;

  g_return_val_if_fail (out_name != NULL, -1);
  g_return_val_if_fail (out_ifindex != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (wanted_name == NULL || wanted_name[0] == '\0')
    wanted_name = NA_TAP_DEFAULT_NAME;
  else if (!tap_name_is_valid (wanted_name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid interface name", wanted_name);
      return -1;
    }

  fd = open ("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    {
      set_errno_error (error, errno, "Cannot open /dev/net/tun");
      return -1;
    }

  memset (&ifr, 0, sizeof ifr);
  /* IFF_TUN_EXCL: refuse any existing device of that name rather than
   * attach to someone else's persistent tap. */
  ifr.ifr_flags = (short) (IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL);   /* bit 15: the sign bit */
  g_strlcpy (ifr.ifr_name, wanted_name, sizeof ifr.ifr_name);
  if (ioctl (fd, TUNSETIFF, &ifr) < 0)
    {
      int saved = errno;

      if (saved == EBUSY || saved == EEXIST)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                     "An interface named “%s” already exists", wanted_name);
      else
        set_errno_error (error, saved, "Cannot create a TAP device");
      return -1;
    }
  if (ioctl (fd, TUNSETOWNER, (unsigned long) owner) < 0)
    {
      set_errno_error (error, errno, "Cannot set the TAP device's owner");
      return -1;
    }

  /* The kernel wrote the final name back (a pattern is expanded).  Its
   * index over netlink too: the daemon may have no IP socket to ask with. */
  ifr.ifr_name[IFNAMSIZ - 1] = '\0';
  sk = na_rtnl_socket_new (error);
  if (sk == NULL)
    return -1;
  err = rtnl_link_get_kernel (sk, 0, ifr.ifr_name, &link);
  if (err < 0)
    {
      na_rtnl_set_error (error, err, "Cannot find the new TAP device");
      return -1;
    }
  ifindex = rtnl_link_get_ifindex (link);

  /* On failure the fd closes and the non-persistent device goes with it. */
  if (!configure_tap (sk, ifindex, mtu, error))
    return -1;

  g_strlcpy (out_name, ifr.ifr_name, IFNAMSIZ);
  *out_ifindex = ifindex;
  return g_steal_fd (&fd);
}

gboolean
na_tap_delete (int      ifindex,
               GError **error)
{
  g_autoptr(NaNlSock) sk = NULL;
  g_autoptr(NaRtnlLink) current = NULL;
  g_autoptr(NaRtnlLink) target = NULL;
  int err;

  g_return_val_if_fail (ifindex > 0, FALSE);

  sk = na_rtnl_socket_new (error);
  if (sk == NULL)
    return FALSE;

  /* Never delete another device that came to hold a stale index. */
  err = rtnl_link_get_kernel (sk, ifindex, NULL, &current);
  if (err == -NLE_NODEV || err == -NLE_OBJ_NOTFOUND)
    return TRUE;
  if (err < 0)
    {
      na_rtnl_set_error (error, err, "Cannot look up the TAP device");
      return FALSE;
    }
  if (g_strcmp0 (rtnl_link_get_type (current), "tun") != 0)
    {
      g_debug ("Link %d is no longer a TAP device, not deleting it", ifindex);
      return TRUE;
    }

  target = rtnl_link_alloc ();
  rtnl_link_set_ifindex (target, ifindex);
  err = rtnl_link_delete (sk, target);
  if (err < 0 && err != -NLE_NODEV && err != -NLE_OBJ_NOTFOUND)
    {
      na_rtnl_set_error (error, err, "Cannot delete the TAP device");
      return FALSE;
    }
  return TRUE;
}
