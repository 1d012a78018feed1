/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

/* One veth link with the data path and an agent on it, per test. */

#include <glib.h>

#include "dp-test-util.h"

G_BEGIN_DECLS

/* The flows' ethertype and addresses, and other stations' MACs. */
#define ETYPE 0x88b5
#define ULA_L "fd12:3456:789a::1"
#define ULA_R "fd12:3456:789a::2"
#define ULA_X "fd12:3456:789a::3"

static const guint8 mcast[6] G_GNUC_UNUSED = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };
static const guint8 bcast[6] G_GNUC_UNUSED = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const guint8 stranger[6] G_GNUC_UNUSED = { 0x02, 0x99, 0x99, 0x99, 0x99, 0x99 };

typedef struct {
  gboolean    ok;           /* FALSE: the test is skipped (no netns) */
  DpTestLink  link;
  NaDatapath *dp;
  NaDpAgent  *agent;
} DpFixture;

static inline void
dp_fixture_setup (DpFixture *f, gconstpointer data)
{
  static guint8 next_id = 1;
  g_autoptr(GError) error = NULL;
  char name[16];

  f->ok = dp_test_enter_netns ();
  if (!f->ok)
    return;
  g_snprintf (name, sizeof name, "dpt%u", next_id);
  dp_test_link_init (&f->link, name, next_id++);
  f->dp = na_datapath_new (NULL, &error);
  g_assert_no_error (error);
  f->agent = na_dp_agent_new (f->dp, f->link.ifindex, f->link.mac, DP_TEST_MTU, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->agent);
}

static inline void
dp_fixture_teardown (DpFixture *f, gconstpointer data)
{
  if (!f->ok)
    return;
  na_dp_agent_free (f->agent);
  na_datapath_free (f->dp);
  dp_test_link_clear (&f->link);
}

#define dp_test_add(path, func) \
  g_test_add (path, DpFixture, NULL, dp_fixture_setup, func, dp_fixture_teardown)

G_END_DECLS
