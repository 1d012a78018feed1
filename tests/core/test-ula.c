/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The listener address generator (RFC 4193): fd, 40 random bits, subnet 0,
 * a 64-bit interface id counter that starts at 1 and never yields 0.
 */
#define G_LOG_DOMAIN "test-ula"

#include <string.h>

#include "na-ula.h"

typedef struct {
  guint  calls;
  gsize  last_len;
  guint8 next;
} FakeRandom;

/* Writes next, next+1, … and records how it was asked. */
static void
fake_random (guint8 *buf, gsize len, gpointer user_data)
{
  FakeRandom *r = user_data;

  r->calls++;
  r->last_len = len;
  for (gsize i = 0; i < len; i++)
    buf[i] = r->next++;
}

/* Writes 0xff: bytes it must not touch stay distinguishable. */
static void
ones_random (guint8 *buf, gsize len, gpointer user_data)
{
  memset (buf, 0xff, len);
}

static guint64
iid_of (const struct in6_addr *a)
{
  guint64 iid = 0;

  for (int i = 8; i < 16; i++)
    iid = (iid << 8) | a->s6_addr[i];
  return iid;
}

static void
test_init (void)
{
  NaUlaGenerator gen;
  FakeRandom r = { 0 };

  memset (&gen, 0xa5, sizeof gen);
  na_ula_generator_init (&gen, fake_random, &r);
  g_assert_cmpuint (gen.next_iid, ==, 1);
  g_assert_true (gen.random == fake_random);
  g_assert_true (gen.random_data == &r);

  na_ula_generator_init (&gen, NULL, NULL);
  g_assert_true (gen.random == na_random_bytes);
}

static void
test_layout (void)
{
  NaUlaGenerator gen;
  FakeRandom r = { .next = 0xa1 };
  struct in6_addr a;
  const guint8 *b = a.s6_addr;

  na_ula_generator_init (&gen, fake_random, &r);
  memset (&a, 0x77, sizeof a);
  na_ula_generator_next (&gen, &a);

  g_assert_cmphex (b[0], ==, 0xfd);
  /* the injected randomness, exactly 5 bytes, at 1..5 */
  g_assert_cmpuint (r.calls, ==, 1);
  g_assert_cmpuint (r.last_len, ==, 5);
  for (int i = 1; i <= 5; i++)
    g_assert_cmphex (b[i], ==, 0xa1 + i - 1);
  g_assert_cmphex (b[6], ==, 0);
  g_assert_cmphex (b[7], ==, 0);
  g_assert_cmpuint (iid_of (&a), ==, 1);
  /* a unique local address (fc00::/7) */
  g_assert_cmphex (b[0] & 0xfe, ==, 0xfc);

  /* the subnet stays 0 whatever the random source writes */
  na_ula_generator_init (&gen, ones_random, NULL);
  na_ula_generator_next (&gen, &a);
  g_assert_cmphex (b[0], ==, 0xfd);
  for (int i = 1; i <= 5; i++)
    g_assert_cmphex (b[i], ==, 0xff);
  g_assert_cmphex (b[6], ==, 0);
  g_assert_cmphex (b[7], ==, 0);
  g_assert_cmpuint (iid_of (&a), ==, 1);
}

static void
test_counter (void)
{
  NaUlaGenerator gen;
  FakeRandom r = { 0 };

  na_ula_generator_init (&gen, fake_random, &r);
  for (guint64 i = 1; i <= 1000; i++)
    {
      struct in6_addr a;

      na_ula_generator_next (&gen, &a);
      g_assert_cmpuint (iid_of (&a), ==, i);
      g_assert_cmpuint (gen.next_iid, ==, i + 1);
    }
  /* fresh random bits every time */
  g_assert_cmpuint (r.calls, ==, 1000);
}

/* The interface id is big-endian in bytes 8..15. */
static void
test_byte_order (void)
{
  static const guint8 expected[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };
  NaUlaGenerator gen;
  struct in6_addr a;

  na_ula_generator_init (&gen, ones_random, NULL);
  gen.next_iid = G_GUINT64_CONSTANT (0x0102030405060708);
  na_ula_generator_next (&gen, &a);
  g_assert_cmpmem (&a.s6_addr[8], 8, expected, 8);
}

static void
test_wrap (void)
{
  NaUlaGenerator gen;
  struct in6_addr a;

  na_ula_generator_init (&gen, ones_random, NULL);
  gen.next_iid = G_MAXUINT64 - 1;
  na_ula_generator_next (&gen, &a);
  g_assert_cmpuint (iid_of (&a), ==, G_MAXUINT64 - 1);
  na_ula_generator_next (&gen, &a);
  g_assert_cmpuint (iid_of (&a), ==, G_MAXUINT64);
  /* 0 is skipped */
  g_assert_cmpuint (gen.next_iid, ==, 1);
  na_ula_generator_next (&gen, &a);
  g_assert_cmpuint (iid_of (&a), ==, 1);
  na_ula_generator_next (&gen, &a);
  g_assert_cmpuint (iid_of (&a), ==, 2);
}

/* The default source really is random: two 40-bit ids (or 64 bytes) drawn
 * one after the other are equal with probability 2^-512. */
static void
test_random_bytes (void)
{
  guint8 x[64] = { 0 }, y[64] = { 0 };
  NaUlaGenerator gen;
  struct in6_addr a;

  na_random_bytes (x, sizeof x, NULL);
  na_random_bytes (y, sizeof y, NULL);
  g_assert_true (memcmp (x, y, sizeof x) != 0);

  na_ula_generator_init (&gen, NULL, NULL);
  na_ula_generator_next (&gen, &a);
  g_assert_cmphex (a.s6_addr[0], ==, 0xfd);
  g_assert_cmphex (a.s6_addr[6] | a.s6_addr[7], ==, 0);
  g_assert_cmpuint (iid_of (&a), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ula/init", test_init);
  g_test_add_func ("/ula/layout", test_layout);
  g_test_add_func ("/ula/counter", test_counter);
  g_test_add_func ("/ula/byte-order", test_byte_order);
  g_test_add_func ("/ula/wrap", test_wrap);
  g_test_add_func ("/ula/random-bytes", test_random_bytes);

  return g_test_run ();
}
