/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * What newer GLib has and Debian 12's 2.74 lacks, under GLib's own names,
 * so the code reads the same and this file goes away with the minimum
 * version.
 */
#include <errno.h>
#include <unistd.h>

#include <glib.h>

#if !GLIB_CHECK_VERSION (2, 76, 0)
static inline gboolean
na_compat_clear_fd (int *fd_ptr, GError **error)
{
  int fd = *fd_ptr;

  *fd_ptr = -1;
  if (fd < 0)
    return TRUE;
  if (close (fd) < 0 && errno != EINTR)
    {
      int errsv = errno;

      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                           g_strerror (errsv));
      errno = errsv;
      return FALSE;
    }
  return TRUE;
}
#define g_clear_fd(fd_ptr, error) na_compat_clear_fd ((fd_ptr), (error))

static inline void
na_compat_autofd_cleanup (int *fd_ptr)
{
  int errsv = errno;

  na_compat_clear_fd (fd_ptr, NULL);
  errno = errsv;
}
#define g_autofd __attribute__ ((cleanup (na_compat_autofd_cleanup)))
#endif
