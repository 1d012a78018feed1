/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The data path's pure parts: the demux tables against a reference, and
 * the kernel prefilter run by a small classic-BPF interpreter over every
 * ethertype, tagged and not, for claim sets small and large.
 */
#define G_LOG_DOMAIN "na-test"

#include <arpa/inet.h>
#include <string.h>

#include <glib.h>

#include "na-dp-bpf.h"
#include "na-dp-demux.h"

/* ---- demux tables ---- */

static void
test_ether_table (void)
{
  NaDpEtherTable t = { 0 };
  static int values[65536];

  for (guint i = 0; i < 65536; i += 3)
    g_assert_true (na_dp_ether_table_insert (&t, (guint16) i, &values[i]));
  g_assert_false (na_dp_ether_table_insert (&t, 0, &values[1]));
  g_assert_cmpuint (t.count, ==, 21846);
  for (guint i = 0; i < 65536; i++)
    g_assert_true (na_dp_ether_table_lookup (&t, (guint16) i) == (i % 3 ? NULL : &values[i]));
  for (guint i = 0; i < 65536; i += 6)
    na_dp_ether_table_remove (&t, (guint16) i);
  for (guint i = 0; i < 65536; i++)
    g_assert_true (na_dp_ether_table_lookup (&t, (guint16) i) == (i % 3 || i % 6 == 0 ? NULL : &values[i]));
  na_dp_ether_table_clear (&t);
  g_assert_null (na_dp_ether_table_lookup (&t, 3));
}

static struct in6_addr
pair_addr (guint prefix, guint32 n)
{
  struct in6_addr a = { 0 };

  a.s6_addr[0] = 0xfd;
  a.s6_addr[1] = (guint8) prefix;
  a.s6_addr[12] = n >> 24;
  a.s6_addr[13] = (n >> 16) & 0xff;
  a.s6_addr[14] = (n >> 8) & 0xff;
  a.s6_addr[15] = n & 0xff;
  return a;
}

/* Random inserts and removes, checked against a GHashTable after each step. */
static void
test_pair_table (void)
{
  NaDpPairTable t = { 0 };
  g_autoptr(GHashTable) ref = g_hash_table_new (g_direct_hash, g_direct_equal);
  GRand *rand = g_rand_new_with_seed (7);
  static int values[4096];

  for (guint step = 0; step < 100000; step++)
    {
      guint k = (guint) g_rand_int_range (rand, 0, 4096);
      /* Few locals, many remotes, as on a busy host. */
      struct in6_addr local = pair_addr (1, k % 5), remote = pair_addr (2, k);
      gboolean present = g_hash_table_contains (ref, GUINT_TO_POINTER (k + 1));

      if (g_rand_boolean (rand))
        {
          g_assert_cmpint (na_dp_pair_table_insert (&t, &local, &remote, &values[k]), ==, !present);
          g_hash_table_add (ref, GUINT_TO_POINTER (k + 1));
        }
      else
        {
          na_dp_pair_table_remove (&t, &local, &remote);
          g_hash_table_remove (ref, GUINT_TO_POINTER (k + 1));
        }
      g_assert_cmpuint (t.count, ==, g_hash_table_size (ref));

      if (step % 1000 == 0)
        for (guint j = 0; j < 4096; j++)
          {
            struct in6_addr l = pair_addr (1, j % 5), r = pair_addr (2, j);
            gpointer want = g_hash_table_contains (ref, GUINT_TO_POINTER (j + 1)) ? &values[j] : NULL;

            g_assert_true (na_dp_pair_table_lookup (&t, &l, &r) == want);
            /* The swapped pair is another flow. */
            g_assert_null (na_dp_pair_table_lookup (&t, &r, &l));
          }
    }
  na_dp_pair_table_clear (&t);
  g_rand_free (rand);
}

/* ---- the kernel prefilter ---- */

typedef struct {
  const guint8 *data;
  guint32       len;
  gboolean      vlan_present;     /* the tag is in aux data, not in data */
  guint16       vlan_tci;
  guint16       vlan_tpid;
} Skb;

/* Just the instructions the generator uses; out of bounds drops, as in the kernel. */
static guint32
bpf_run (const struct sock_filter *prog, guint n, const Skb *skb)
{
  guint32 a = 0;

  for (guint pc = 0; pc < n; pc++)
    {
      const struct sock_filter *i = &prog[pc];
      guint32 k = i->k;

      switch (i->code)
        {
        case BPF_LD | BPF_W | BPF_ABS:
          if (k >= (guint32) SKF_AD_OFF)
            {
              switch (k - (guint32) SKF_AD_OFF)
                {
                case SKF_AD_VLAN_TAG_PRESENT: a = skb->vlan_present; break;
                case SKF_AD_VLAN_TAG: a = skb->vlan_tci; break;
                case SKF_AD_VLAN_TPID: a = skb->vlan_tpid; break;
                default: g_assert_not_reached ();
                }
              break;
            }
          if (k + 4 > skb->len)
            return 0;
          a = ((guint32) skb->data[k] << 24) | ((guint32) skb->data[k + 1] << 16) |
              ((guint32) skb->data[k + 2] << 8) | skb->data[k + 3];
          break;
        case BPF_LD | BPF_H | BPF_ABS:
          if (k + 2 > skb->len)
            return 0;
          a = ((guint32) skb->data[k] << 8) | skb->data[k + 1];
          break;
        case BPF_LD | BPF_W | BPF_LEN:
          a = skb->len;
          break;
        case BPF_ALU | BPF_AND | BPF_K:
          a &= k;
          break;
        case BPF_JMP | BPF_JA:
          pc += k;
          break;
        case BPF_JMP | BPF_JEQ | BPF_K:
          pc += a == k ? i->jt : i->jf;
          break;
        case BPF_JMP | BPF_JGT | BPF_K:
          pc += a > k ? i->jt : i->jf;
          break;
        case BPF_JMP | BPF_JGE | BPF_K:
          pc += a >= k ? i->jt : i->jf;
          break;
        case BPF_RET | BPF_K:
          return k;
        default:
          g_assert_not_reached ();
        }
    }
  g_assert_not_reached ();
}

typedef struct {
  struct sock_filter *prog;
  guint               n;
} Prog;

static void
check_program_shape (const Prog *p)
{
  g_assert_cmpuint (p->n, >, 0);
  g_assert_cmpuint (p->n, <=, BPF_MAXINSNS);
  for (guint pc = 0; pc < p->n; pc++)
    {
      const struct sock_filter *i = &p->prog[pc];

      /* Every jump lands inside the program. */
      if (BPF_CLASS (i->code) == BPF_JMP)
        {
          if (BPF_OP (i->code) == BPF_JA)
            g_assert_cmpuint (pc + 1 + i->k, <, p->n);
          else
            g_assert_cmpuint (pc + 1 + MAX (i->jt, i->jf), <, p->n);
        }
    }
  g_assert_cmpuint (BPF_CLASS (p->prog[p->n - 1].code), ==, BPF_RET);
}

static gboolean
passes (const Prog *p, guint8 *frame, guint32 len, gboolean aux, guint16 tpid, guint16 tci)
{
  Skb skb = { frame, len, aux, tci, tpid };

  return bpf_run (p->prog, p->n, &skb) != 0;
}

static void
put16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

/*
 * Every type, untagged, priority-tagged (tag in aux data and in the
 * packet), other VIDs and 802.1ad: passes exactly the claimed (or, past
 * the range limit, at least the claimed).
 */
static void
check_ethertypes (const Prog *p, const gboolean *claimed, gboolean exact)
{
  guint8 frame[64] = { 0 };

  for (guint t = 0; t < 65536; t++)
    {
      gboolean want = claimed[t];

      put16 (frame + 12, (guint16) t);
      if (exact || want)
        {
          if (t != 0x8100 && t != 0x86DD)
            g_assert_cmpint (passes (p, frame, 60, FALSE, 0, 0), ==, want);
          g_assert_cmpint (passes (p, frame, 60, TRUE, 0x8100, 0), ==, want);
          g_assert_cmpint (passes (p, frame, 60, TRUE, 0x8100, 7 << 13), ==, want);
        }
      /* Another VID: never. */
      g_assert_false (passes (p, frame, 60, TRUE, 0x8100, 1));
      g_assert_false (passes (p, frame, 60, TRUE, 0x8100, (3 << 13) | 4095));

      /* A tag the kernel left in the packet. */
      put16 (frame + 12, 0x8100);
      put16 (frame + 14, 5 << 13);
      put16 (frame + 16, (guint16) t);
      if (exact || want)
        g_assert_cmpint (passes (p, frame, 60, FALSE, 0, 0), ==, want);
      put16 (frame + 14, 5);
      g_assert_false (passes (p, frame, 60, FALSE, 0, 0));
      memset (frame + 12, 0, 6);
    }

  /* 802.1ad: the TPID is the type (no flow may claim 0x8100 itself). */
  put16 (frame + 12, 0x88b5);
  if (exact || claimed[0x88a8])
    g_assert_cmpint (passes (p, frame, 60, TRUE, 0x88a8, 0), ==, claimed[0x88a8]);
}

static Prog
build (gboolean pass_all, const guint16 *types, guint n_types,
       const struct in6_addr *locals, guint n_locals)
{
  NaDpBpfClaims claims = { pass_all, types, n_types, locals, n_locals };
  Prog p;

  p.prog = na_dp_bpf_build (&claims, &p.n);
  check_program_shape (&p);
  return p;
}

static void
test_bpf_nothing_everything (void)
{
  guint8 frame[64] = { 0 };
  Prog none = build (FALSE, NULL, 0, NULL, 0);
  Prog all = build (TRUE, (guint16[]) { 0x88b5 }, 1, NULL, 0);

  for (guint t = 0; t < 65536; t += 257)
    {
      put16 (frame + 12, (guint16) t);
      g_assert_false (passes (&none, frame, 60, FALSE, 0, 0));
      g_assert_true (passes (&all, frame, 60, FALSE, 0, 0));
      g_assert_true (passes (&all, frame, 60, TRUE, 0x8100, 42));
    }
  g_free (none.prog);
  g_free (all.prog);
}

static void
test_bpf_ethertypes (void)
{
  GRand *rand = g_rand_new_with_seed (1);
  static gboolean claimed[65536];
  guint sizes[] = { 1, 2, 3, 16, 200, 600, 1000, 5000 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      g_autofree guint16 *types = g_new (guint16, sizes[s] * 2);
      guint n = 0;
      Prog p;

      memset (claimed, 0, sizeof claimed);
      /* Scattered types, some adjacent (ranges), some repeated. */
      while (n < sizes[s])
        {
          guint16 t = (guint16) g_rand_int_range (rand, 1536, 65536);

          if (t == 0x8100 || t == 0x86DD)
            continue;
          types[n++] = t;
          claimed[t] = TRUE;
          if (g_rand_int_range (rand, 0, 4) == 0 && t < 65535 && t + 1 != 0x8100 && t + 1 != 0x86DD)
            {
              types[n++] = t + 1;
              claimed[t + 1] = TRUE;
            }
        }
      types[n++] = types[0];
      p = build (FALSE, types, n, NULL, 0);
      g_test_message ("%u types: %u instructions", n, p.n);
      check_ethertypes (&p, claimed, sizes[s] <= NA_DP_BPF_MAX_RANGES);
      g_free (p.prog);
    }

  /* The benchmark's shape: a thousand consecutive types are one range. */
  {
    g_autofree guint16 *types = g_new (guint16, 1000);
    Prog p;

    memset (claimed, 0, sizeof claimed);
    for (guint i = 0; i < 1000; i++)
      claimed[types[i] = (guint16) (3000 + i)] = TRUE;
    p = build (FALSE, types, 1000, NULL, 0);
    g_assert_cmpuint (p.n, <, 30);
    check_ethertypes (&p, claimed, TRUE);
    g_free (p.prog);
  }
  g_rand_free (rand);
}

static void
ipv6_frame (guint8 *frame, const struct in6_addr *src, const struct in6_addr *dst)
{
  memset (frame, 0, 80);
  put16 (frame + 12, 0x86DD);
  frame[14] = 0x60;
  memcpy (frame + 22, src, 16);
  memcpy (frame + 38, dst, 16);
}

static void
test_bpf_ipv6 (void)
{
  guint counts[] = { 1, 3, NA_DP_BPF_MAX_LOCALS, NA_DP_BPF_MAX_LOCALS + 1 };
  struct in6_addr remote = pair_addr (9, 9);
  guint8 frame[128];

  for (guint c = 0; c < G_N_ELEMENTS (counts); c++)
    {
      g_autofree struct in6_addr *locals = g_new (struct in6_addr, counts[c] * 2);
      gboolean exact = counts[c] <= NA_DP_BPF_MAX_LOCALS;
      guint16 types[] = { 0x88b5 };
      Prog p;

      /* Every local twice (flows to two remotes): counted once. */
      for (guint i = 0; i < counts[c]; i++)
        locals[2 * i] = locals[2 * i + 1] = pair_addr (1, i * 1000 + 1);
      p = build (FALSE, types, 1, locals, counts[c] * 2);
      g_test_message ("%u locals: %u instructions", counts[c], p.n);

      for (guint i = 0; i < counts[c]; i++)
        {
          struct in6_addr other = pair_addr (1, i * 1000 + 2);

          ipv6_frame (frame, &remote, &locals[2 * i]);
          g_assert_true (passes (&p, frame, 54, FALSE, 0, 0));
          g_assert_true (passes (&p, frame, 80, FALSE, 0, 0));
          g_assert_false (passes (&p, frame, 53, FALSE, 0, 0));
          /* IPv6 for a flow is untagged. */
          g_assert_false (passes (&p, frame, 80, TRUE, 0x8100, 0));
          ipv6_frame (frame, &remote, &other);
          if (exact)
            g_assert_false (passes (&p, frame, 80, FALSE, 0, 0));
        }
      /* The custom-ether claim still works beside. */
      put16 (frame + 12, 0x88b5);
      g_assert_true (passes (&p, frame, 60, FALSE, 0, 0));
      put16 (frame + 12, 0x88b6);
      g_assert_false (passes (&p, frame, 60, FALSE, 0, 0));
      g_free (p.prog);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/datapath/tables/ether", test_ether_table);
  g_test_add_func ("/datapath/tables/pair", test_pair_table);
  g_test_add_func ("/datapath/bpf/nothing-everything", test_bpf_nothing_everything);
  g_test_add_func ("/datapath/bpf/ethertypes", test_bpf_ethertypes);
  g_test_add_func ("/datapath/bpf/ipv6", test_bpf_ipv6);

  return g_test_run ();
}
