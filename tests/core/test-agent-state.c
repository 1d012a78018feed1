/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An agent's published flags, nexus flags and the generation counter,
 * with the seed's numbers written out (not taken from the headers).
 */
#define G_LOG_DOMAIN "test-agent-state"

#include <netagent/netagent.h>

#include "na-agent-state.h"

#define CE     NA_FEATURE_CUSTOM_ETHER
#define ULA    NA_FEATURE_IPV6_ULA
#define FILTER NA_FEATURE_FILTER

/* The header carries the seed's values. */
static void
test_constants (void)
{
  g_assert_cmphex (NETAGENT_FLAG_REGISTERED, ==, 0x1);
  g_assert_cmphex (NETAGENT_FLAG_ACTIVE, ==, 0x2);
  g_assert_cmphex (NETAGENT_FLAG_NETWORK_PROVIDER, ==, 0x40);
  g_assert_cmphex (NETAGENT_FLAG_NEXUS_PROVIDER, ==, 0x80);
  g_assert_cmphex (NETAGENT_FLAG_NEXUS_LISTENER, ==, 0x400);
  g_assert_cmphex (NETAGENT_FLAG_CUSTOM_ETHER_NEXUS, ==, 0x2000);
  g_assert_cmphex (NETAGENT_FLAG_INTERPOSE_NEXUS, ==, 0x8000);
  g_assert_cmphex (NETAGENT_NEXUS_FLAG_SUPPORTS_USER_PACKET_POOL, ==, 0x1);
  g_assert_cmphex (NETAGENT_NEXUS_FLAG_ASSERT_UNSUPPORTED, ==, 0x2);
  g_assert_cmphex (NETAGENT_NEXUS_FLAG_SHOULD_USE_EVENT_RING, ==, 0x4);
  g_assert_cmpuint (NETAGENT_NEXUS_FRAME_TYPE_LINK, ==, 1);
}

static void
test_flags (void)
{
  static const struct {
    NaFeatures features;
    guint32    flags;    /* registered, link up */
  } cases[] = {
    { CE,           0x2443 },
    { FILTER,       0x8443 },
    { CE | FILTER,  0xA443 },
    { ULA,          0x04C3 },
    { ULA | FILTER, 0x84C3 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      NaFeatures f = cases[i].features;
      guint32 all = cases[i].flags;

      g_assert_cmphex (na_agent_flags (f, TRUE, TRUE), ==, all);
      g_assert_cmphex (na_agent_flags (f, TRUE, FALSE), ==, all & ~0x2u);
      g_assert_cmphex (na_agent_flags (f, FALSE, TRUE), ==, all & ~0x1u);
      g_assert_cmphex (na_agent_flags (f, FALSE, FALSE), ==, all & ~0x3u);
    }
}

static void
test_nexus_flags (void)
{
  g_assert_cmphex (na_agent_nexus_flags (CE), ==, 0x3);
  g_assert_cmphex (na_agent_nexus_flags (FILTER), ==, 0x3);
  g_assert_cmphex (na_agent_nexus_flags (CE | FILTER), ==, 0x3);
  g_assert_cmphex (na_agent_nexus_flags (ULA), ==, 0x7);
  g_assert_cmphex (na_agent_nexus_flags (ULA | FILTER), ==, 0x7);
}

static void
test_generation (void)
{
  NaGeneration gen = { 0 };

  for (guint32 i = 1; i <= 100; i++)
    g_assert_cmpuint (na_generation_next (&gen), ==, i);
}

static void
test_generation_wrap (void)
{
  NaGeneration gen = { .last = G_MAXUINT32 - 1 };

  g_assert_cmpuint (na_generation_next (&gen), ==, G_MAXUINT32);
  /* 0 is never handed out */
  g_assert_cmpuint (na_generation_next (&gen), ==, 1);
  g_assert_cmpuint (na_generation_next (&gen), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/agent-state/constants", test_constants);
  g_test_add_func ("/agent-state/flags", test_flags);
  g_test_add_func ("/agent-state/nexus-flags", test_nexus_flags);
  g_test_add_func ("/agent-state/generation", test_generation);
  g_test_add_func ("/agent-state/generation-wrap", test_generation_wrap);

  return g_test_run ();
}
