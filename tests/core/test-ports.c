/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Nexus ports 2 .. flow_max + 1, always the lowest free one.
 */
#define G_LOG_DOMAIN "test-ports"

#include <netagent/netagent.h>

#include "na-ports.h"

static void
test_sequential (void)
{
  g_autoptr(NaPorts) ports = na_ports_new (NETAGENT_DEFAULT_FLOW_MAX);

  /* 0 is the device, 1 the host: never handed out */
  g_assert_false (na_ports_is_used (ports, 0));
  g_assert_false (na_ports_is_used (ports, 1));
  for (guint p = 2; p <= 127; p++)
    {
      g_assert_false (na_ports_is_used (ports, p));
      g_assert_cmpuint (na_ports_alloc (ports), ==, p);
      g_assert_true (na_ports_is_used (ports, p));
      g_assert_cmpuint (na_ports_count (ports), ==, p - 1);
    }
  g_assert_cmpuint (na_ports_alloc (ports), ==, 0);
  g_assert_cmpuint (na_ports_count (ports), ==, 126);
  g_assert_false (na_ports_is_used (ports, 0));
  g_assert_false (na_ports_is_used (ports, 1));
  g_assert_false (na_ports_is_used (ports, 128));
}

static void
test_lowest_free (void)
{
  g_autoptr(NaPorts) ports = na_ports_new (126);

  g_assert_cmpuint (na_ports_alloc (ports), ==, 2);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 3);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 4);
  na_ports_release (ports, 3);
  g_assert_false (na_ports_is_used (ports, 3));
  g_assert_cmpuint (na_ports_count (ports), ==, 2);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 3);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 5);

  na_ports_release (ports, 4);
  na_ports_release (ports, 2);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 2);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 4);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 6);
}

/* Small and odd sizes: the last word is partly beyond flow_max. */
static void
test_sizes (void)
{
  static const guint sizes[] = { 1, 2, 63, 64, 65, 127, 128, 129, 200 };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(NaPorts) ports = na_ports_new (sizes[i]);

      for (guint p = 2; p < sizes[i] + 2; p++)
        g_assert_cmpuint (na_ports_alloc (ports), ==, p);
      g_assert_cmpuint (na_ports_alloc (ports), ==, 0);
      g_assert_cmpuint (na_ports_count (ports), ==, sizes[i]);
      g_assert_false (na_ports_is_used (ports, sizes[i] + 2));

      /* the last one is reusable */
      na_ports_release (ports, sizes[i] + 1);
      g_assert_cmpuint (na_ports_alloc (ports), ==, sizes[i] + 1);
      g_assert_cmpuint (na_ports_alloc (ports), ==, 0);
    }
}

/* The largest agent: ports 2..65534, then none; frees across words are
 * found again lowest first. */
static void
test_max (void)
{
  g_autoptr(NaPorts) ports = na_ports_new (NETAGENT_FLOW_MAX_LIMIT);
  static const guint holes[] = { 65534, 40000, 66, 65, 2 };

  for (guint p = 2; p <= 65534; p++)
    g_assert_cmpuint (na_ports_alloc (ports), ==, p);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 0);
  g_assert_cmpuint (na_ports_count (ports), ==, 65533);

  for (gsize i = 0; i < G_N_ELEMENTS (holes); i++)
    na_ports_release (ports, holes[i]);
  g_assert_cmpuint (na_ports_count (ports), ==, 65533 - G_N_ELEMENTS (holes));
  g_assert_cmpuint (na_ports_alloc (ports), ==, 2);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 65);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 66);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 40000);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 65534);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 0);
}

/* Misuse is refused with a critical and changes nothing. */
static void
test_bad_release (void)
{
  g_autoptr(NaPorts) ports = na_ports_new (4);
  static const guint bad[] = { 0, 1, 3 /* free */, 6 /* beyond */, G_MAXUINT };

  g_assert_cmpuint (na_ports_alloc (ports), ==, 2);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_expect_message ("na-core", G_LOG_LEVEL_CRITICAL, "*");
      na_ports_release (ports, bad[i]);
      g_test_assert_expected_messages ();
      g_assert_cmpuint (na_ports_count (ports), ==, 1);
    }
  na_ports_release (ports, 2);
  g_test_expect_message ("na-core", G_LOG_LEVEL_CRITICAL, "*");
  na_ports_release (ports, 2);   /* twice */
  g_test_assert_expected_messages ();
  g_assert_cmpuint (na_ports_count (ports), ==, 0);
  g_assert_cmpuint (na_ports_alloc (ports), ==, 2);
}

/* Random allocs and releases against a plain array model. */
static void
test_model (void)
{
  const guint flow_max = 300;
  g_autoptr(NaPorts) ports = na_ports_new (flow_max);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  g_autofree gboolean *used = g_new0 (gboolean, flow_max + 2);
  guint n_used = 0;

  for (guint step = 0; step < 200000; step++)
    {
      if (g_rand_int_range (rand, 0, 100) < 55)
        {
          guint expected = 0;

          for (guint p = 2; p < flow_max + 2; p++)
            if (!used[p])
              {
                expected = p;
                break;
              }
          g_assert_cmpuint (na_ports_alloc (ports), ==, expected);
          if (expected)
            {
              used[expected] = TRUE;
              n_used++;
            }
        }
      else if (n_used > 0)
        {
          guint p;

          do
            p = (guint) g_rand_int_range (rand, 2, (gint32) flow_max + 2);
          while (!used[p]);
          na_ports_release (ports, p);
          used[p] = FALSE;
          n_used--;
        }
      g_assert_cmpuint (na_ports_count (ports), ==, n_used);
    }
  for (guint p = 0; p < flow_max + 2; p++)
    g_assert_true (na_ports_is_used (ports, p) == used[p]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ports/sequential", test_sequential);
  g_test_add_func ("/ports/lowest-free", test_lowest_free);
  g_test_add_func ("/ports/sizes", test_sizes);
  g_test_add_func ("/ports/max", test_max);
  g_test_add_func ("/ports/bad-release", test_bad_release);
  g_test_add_func ("/ports/model", test_model);

  return g_test_run ();
}
