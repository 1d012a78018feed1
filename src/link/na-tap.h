/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* The name pattern used when the caller does not choose one. */
#define NA_TAP_DEFAULT_NAME "natap%d"

/*
 * Make a TAP device (IFF_TAP | IFF_NO_PI) for one flow and return its fd
 * (O_CLOEXEC | O_NONBLOCK), or -1 with @error set (G_IO_ERROR).
 *
 * @wanted_name: NULL or "" lets the daemon choose (NA_TAP_DEFAULT_NAME);
 *   otherwise a valid interface name without '%' (G_IO_ERROR_INVALID_ARGUMENT),
 *   not in use by any link (G_IO_ERROR_EXISTS; an existing tap of that name
 *   is never attached to).
 * @owner: the uid that owns the device (TUNSETOWNER).
 * @mtu: the device's MTU, or 0 to keep the kernel's default.
 * @out_name, @out_ifindex: the device's name and index.
 *
 * The device is not persistent: closing every fd of it removes it too.
 * It is brought up with IPv6 address generation off (netlink, not /proc),
 * so the host stack sends nothing on it by itself.
 */
int      na_tap_create (const char *wanted_name,
                        uid_t       owner,
                        guint       mtu,
                        char        out_name[16],
                        int        *out_ifindex,
                        GError    **error);

/*
 * Remove the TAP device with this index now, even while a client still
 * holds its fd.  A device already gone — or an index that no longer names
 * a tun/tap device — is success: the device is not there either way.
 */
gboolean na_tap_delete (int         ifindex,
                        GError    **error);

G_END_DECLS
