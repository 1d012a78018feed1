/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-datapath"

#include <string.h>

#include "na-dp-bpf.h"

#define ACCEPT 0xffffffffu

/*
 * A tiny assembler.  Conditional jumps only ever skip a few instructions
 * (their offsets are 8 bits); anything farther goes through a `ja` to a
 * label, whose 32-bit offset is patched once the label is placed.
 */
typedef enum {
  L_UNTAGGED,
  L_ETHER,
  L_IPV6,
  N_LABELS
} Label;

typedef struct {
  GArray *insns;
  int     label_pos[N_LABELS];
  GArray *fixups;             /* (insn index, label) pairs */
} Asm;

typedef struct {
  guint at;
  Label label;
} Fixup;

static void
emit (Asm *a, guint16 code, guint8 jt, guint8 jf, guint32 k)
{
  struct sock_filter insn = { code, jt, jf, k };
  g_array_append_val (a->insns, insn);
}

static void
emit_ja (Asm *a, Label label)
{
  Fixup f = { a->insns->len, label };

  g_array_append_val (a->fixups, f);
  emit (a, BPF_JMP | BPF_JA, 0, 0, 0);
}

static void
place (Asm *a, Label label)
{
  a->label_pos[label] = (int) a->insns->len;
}

static void
ld_anc (Asm *a, guint32 what)
{
  emit (a, BPF_LD | BPF_W | BPF_ABS, 0, 0, (guint32) (SKF_AD_OFF + what));
}

typedef struct {
  guint32 lo, hi;
} Range;

static int
cmp_u16 (gconstpointer a, gconstpointer b)
{
  return (int) *(const guint16 *) a - (int) *(const guint16 *) b;
}

static int
cmp_u32 (gconstpointer a, gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return x < y ? -1 : x > y;
}

/*
 * Sorted, merged ranges of the claimed types; when there are too many,
 * the smallest gaps are closed (the filter then passes a few unclaimed
 * types, which the demux counts as unmatched).
 */
static GArray *
ethertype_ranges (const guint16 *types, guint n)
{
  g_autofree guint16 *sorted = g_memdup2 (types, n * sizeof *types);
  GArray *ranges = g_array_new (FALSE, FALSE, sizeof (Range));

  qsort (sorted, n, sizeof *sorted, cmp_u16);
  for (guint i = 0; i < n; i++)
    {
      Range *last = ranges->len ? &g_array_index (ranges, Range, ranges->len - 1) : NULL;

      if (last && sorted[i] <= last->hi + 1)
        last->hi = MAX (last->hi, sorted[i]);
      else
        g_array_append_val (ranges, ((Range) { sorted[i], sorted[i] }));
    }

  if (ranges->len > NA_DP_BPF_MAX_RANGES)
    {
      guint n_gaps = ranges->len - 1;
      g_autofree guint32 *gaps = g_new (guint32, n_gaps);
      guint32 limit;
      GArray *merged = g_array_new (FALSE, FALSE, sizeof (Range));

      for (guint i = 0; i < n_gaps; i++)
        gaps[i] = g_array_index (ranges, Range, i + 1).lo - g_array_index (ranges, Range, i).hi;
      qsort (gaps, n_gaps, sizeof *gaps, cmp_u32);
      /* Close every gap up to the one that leaves at most MAX ranges. */
      limit = gaps[ranges->len - NA_DP_BPF_MAX_RANGES - 1];
      for (guint i = 0; i < ranges->len; i++)
        {
          Range r = g_array_index (ranges, Range, i);
          Range *last = merged->len ? &g_array_index (merged, Range, merged->len - 1) : NULL;

          if (last && r.lo - last->hi <= limit)
            last->hi = r.hi;
          else
            g_array_append_val (merged, r);
        }
      g_array_unref (ranges);
      ranges = merged;
    }
  return ranges;
}

/*
 * A binary search over the ranges, with A holding the type.  Inner node:
 * "A > split? ja right : fall into left"; leaf: "lo ≤ A ≤ hi?".  Every
 * conditional jump stays within a handful of instructions.
 */
static void
emit_tree (Asm *a, const Range *r, guint lo, guint hi)
{
  if (lo == hi)
    {
      emit (a, BPF_JMP | BPF_JGE | BPF_K, 0, 2, r[lo].lo);
      emit (a, BPF_JMP | BPF_JGT | BPF_K, 1, 0, r[lo].hi);
      emit (a, BPF_RET | BPF_K, 0, 0, ACCEPT);
      emit (a, BPF_RET | BPF_K, 0, 0, 0);
      return;
    }

  guint mid = lo + (hi - lo) / 2;
  guint right_at;

  emit (a, BPF_JMP | BPF_JGT | BPF_K, 0, 1, r[mid].hi);
  right_at = a->insns->len;
  emit (a, BPF_JMP | BPF_JA, 0, 0, 0);
  emit_tree (a, r, lo, mid);
  g_array_index (a->insns, struct sock_filter, right_at).k = a->insns->len - right_at - 1;
  emit_tree (a, r, mid + 1, hi);
}

static guint32
be32_at (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
emit_ipv6 (Asm *a, const struct in6_addr *locals, guint n)
{
  g_autoptr(GArray) uniq = g_array_new (FALSE, FALSE, sizeof (struct in6_addr));

  /* len ≥ 54 (the tag, if any, is not in the packet: it was checked before). */
  emit (a, BPF_LD | BPF_W | BPF_LEN, 0, 0, 0);
  emit (a, BPF_JMP | BPF_JGE | BPF_K, 1, 0, 54);
  emit (a, BPF_RET | BPF_K, 0, 0, 0);

  for (guint i = 0; i < n; i++)
    {
      gboolean seen = FALSE;

      for (guint j = 0; j < uniq->len && !seen; j++)
        seen = memcmp (&g_array_index (uniq, struct in6_addr, j), &locals[i], sizeof locals[i]) == 0;
      if (!seen)
        g_array_append_val (uniq, locals[i]);
    }

  if (uniq->len > NA_DP_BPF_MAX_LOCALS)
    {
      emit (a, BPF_RET | BPF_K, 0, 0, ACCEPT);
      return;
    }

  /* Per local address: four word compares of the IPv6 destination (offset 38). */
  for (guint i = 0; i < uniq->len; i++)
    {
      const guint8 *b = (const guint8 *) &g_array_index (uniq, struct in6_addr, i);

      for (guint w = 0; w < 4; w++)
        {
          emit (a, BPF_LD | BPF_W | BPF_ABS, 0, 0, 38 + 4 * w);
          emit (a, BPF_JMP | BPF_JEQ | BPF_K, 0, (guint8) (7 - 2 * w), be32_at (b + 4 * w));
        }
      emit (a, BPF_RET | BPF_K, 0, 0, ACCEPT);
    }
  emit (a, BPF_RET | BPF_K, 0, 0, 0);
}

struct sock_filter *
na_dp_bpf_build (const NaDpBpfClaims *claims,
                 guint               *n_insns)
{
  Asm a = { 0 };
  gboolean ipv6 = claims->n_locals > 0;

  a.insns = g_array_new (FALSE, FALSE, sizeof (struct sock_filter));
  a.fixups = g_array_new (FALSE, FALSE, sizeof (Fixup));
  for (guint i = 0; i < N_LABELS; i++)
    a.label_pos[i] = -1;

  if (claims->pass_all)
    {
      emit (&a, BPF_RET | BPF_K, 0, 0, ACCEPT);
      goto done;
    }
  if (claims->n_ethertypes == 0 && !ipv6)
    {
      emit (&a, BPF_RET | BPF_K, 0, 0, 0);
      goto done;
    }

  /* Tag moved to aux data by the kernel? */
  ld_anc (&a, SKF_AD_VLAN_TAG_PRESENT);
  emit (&a, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
  emit_ja (&a, L_UNTAGGED);
  ld_anc (&a, SKF_AD_VLAN_TPID);
  emit (&a, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0x8100);
  emit_ja (&a, L_ETHER);                       /* 802.1ad: the TPID is the type */
  ld_anc (&a, SKF_AD_VLAN_TAG);
  emit (&a, BPF_ALU | BPF_AND | BPF_K, 0, 0, 0x0fff);
  emit (&a, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0);
  emit (&a, BPF_RET | BPF_K, 0, 0, 0);         /* VID ≠ 0: never ours */
  emit (&a, BPF_LD | BPF_H | BPF_ABS, 0, 0, 12);
  emit_ja (&a, L_ETHER);

  /* Untagged, or a tag the kernel left in the packet. */
  place (&a, L_UNTAGGED);
  emit (&a, BPF_LD | BPF_H | BPF_ABS, 0, 0, 12);
  emit (&a, BPF_JMP | BPF_JEQ | BPF_K, 0, 6, 0x8100);
  emit (&a, BPF_LD | BPF_H | BPF_ABS, 0, 0, 14);
  emit (&a, BPF_ALU | BPF_AND | BPF_K, 0, 0, 0x0fff);
  emit (&a, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0);
  emit (&a, BPF_RET | BPF_K, 0, 0, 0);
  emit (&a, BPF_LD | BPF_H | BPF_ABS, 0, 0, 16);
  emit_ja (&a, L_ETHER);
  /* Untagged, A = type: only an untagged frame can be IPv6 for a flow. */
  if (ipv6)
    {
      emit (&a, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0x86DD);
      emit_ja (&a, L_IPV6);
    }

  place (&a, L_ETHER);
  if (claims->n_ethertypes > 0)
    {
      g_autoptr(GArray) ranges = ethertype_ranges (claims->ethertypes, claims->n_ethertypes);

      emit_tree (&a, (const Range *) (gpointer) ranges->data, 0, ranges->len - 1);
    }
  else
    {
      emit (&a, BPF_RET | BPF_K, 0, 0, 0);
    }

  if (ipv6)
    {
      place (&a, L_IPV6);
      emit_ipv6 (&a, claims->locals, claims->n_locals);
    }

  for (guint i = 0; i < a.fixups->len; i++)
    {
      Fixup *f = &g_array_index (a.fixups, Fixup, i);

      g_assert (a.label_pos[f->label] > (int) f->at);
      g_array_index (a.insns, struct sock_filter, f->at).k = (guint32) a.label_pos[f->label] - f->at - 1;
    }

done:
  g_array_unref (a.fixups);
  *n_insns = a.insns->len;
  return (struct sock_filter *) (gpointer) g_array_free (a.insns, FALSE);
}
