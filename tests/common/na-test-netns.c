/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-test"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "na-test-netns.h"

gboolean
na_test_in_ci (void)
{
  return g_strcmp0 (g_getenv ("CI"), "true") == 0;
}

static void
refuse (const char *reason)
{
  if (na_test_in_ci ())
    {
      g_test_message ("cannot run under CI=true: %s", reason);
      g_test_fail ();
    }
  else
    {
      g_test_skip (reason);
    }
}

gboolean
na_test_enter_netns (void)
{
  static int entered = -1;

  if (entered >= 0)
    {
      if (!entered)
        refuse ("needs root to create a network namespace");
      return entered;
    }

  if (geteuid () != 0)
    {
      entered = 0;
      refuse ("needs root to create a network namespace");
      return FALSE;
    }
  if (unshare (CLONE_NEWNET) < 0)
    {
      g_autofree char *reason = g_strdup_printf ("unshare(CLONE_NEWNET): %s",
                                                 g_strerror (errno));
      entered = 0;
      refuse (reason);
      return FALSE;
    }
  entered = 1;
  na_test_sh ("ip link set lo up");
  return TRUE;
}

void
na_test_sh (const char *fmt, ...)
{
  g_autofree char *cmd = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  va_list ap;

  va_start (ap, fmt);
  cmd = g_strdup_vprintf (fmt, ap);
  va_end (ap);

  const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &out, &err, &status, &error))
    g_error ("%s: %s", cmd, error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s\n%s%s", cmd, error->message, out, err);
}
