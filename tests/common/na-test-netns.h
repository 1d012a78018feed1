/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Move the calling process into a fresh network namespace of its own, so
 * a test may create links and send frames without touching the machine's
 * interfaces.  Call before any thread or netlink socket is created.
 *
 * Returns FALSE when that is impossible (not root, no CAP_SYS_ADMIN): the
 * test is then marked skipped with the reason — or failed when the
 * environment has CI=true, where a skip is not acceptable.
 */
gboolean na_test_enter_netns (void);

/* TRUE when CI=true is set in the environment. */
gboolean na_test_in_ci (void);

/*
 * Run a shell command line (iproute2 and friends) inside the test's
 * namespace; aborts the test with the command's output when it fails.
 */
void     na_test_sh (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

G_END_DECLS
