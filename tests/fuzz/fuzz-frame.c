/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target over the frame rules (na-frame): what a client writes
 * into its channel and what arrives from the wire are untrusted bytes.
 *
 * Input: 40 bytes that choose the flow and the link (byte 0: flow type
 * and whether the MTU is small, 1–2: the flow's ethertype, 3–18 and
 * 19–34: its IPv6 local and remote addresses, 35–40: the interface MAC),
 * then the frame itself, copied to a buffer of exactly its size so that
 * any read past its end is caught by ASan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "na-frame.h"

#define HEADER 41

static void
check_tx_invariants (const guint8 *frame, gsize len, const guint8 *mac, guint mtu,
                     const NaFlowSpec *spec, NaFrameTxVerdict verdict)
{
  NaFrameInfo info;

  if (verdict != NA_FRAME_TX_OK)
    return;
  /* Whatever passes is a whole frame of the flow, from the interface. */
  g_assert_true (na_frame_parse (frame, len, &info));
  g_assert_cmpuint (len, >=, NA_ETH_HLEN);
  g_assert_cmpuint (len, <=, mtu + NA_ETH_HLEN + (info.tagged ? NA_VLAN_HLEN : 0));
  /* A filter passes frames on with their length checked only: it sees
   * every frame of the link anyway (and needs flow-filter). */
  if (spec->type == NA_FLOW_TYPE_FILTER)
    return;
  g_assert_cmpmem (frame + NA_ETH_ALEN, NA_ETH_ALEN, mac, NA_ETH_ALEN);
  g_assert_false (frame[NA_ETH_ALEN] & 1);
  switch (spec->type)
    {
    case NA_FLOW_TYPE_CUSTOM_ETHER:
      g_assert_cmpuint (info.demux_type, ==, spec->ethertype);
      break;
    case NA_FLOW_TYPE_IPV6_ULA:
      g_assert_true (info.ipv6);
      g_assert_cmpmem (&info.ip6_src, 16, &spec->local, 16);
      g_assert_cmpmem (&info.ip6_dst, 16, &spec->remote, 16);
      break;
    default:
      break;
    }
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const NaFlowType types[] = {
    NA_FLOW_TYPE_CUSTOM_ETHER, NA_FLOW_TYPE_IPV6_ULA, NA_FLOW_TYPE_FILTER,
  };
  NaFlowSpec spec = { 0 };
  NaFrameInfo info;
  guint8 mac[NA_ETH_ALEN];
  guint8 *frame;
  gsize len;
  guint mtu;

  if (size < HEADER)
    return 0;
  spec.type = types[(data[0] & 0x7f) % G_N_ELEMENTS (types)];
  mtu = (data[0] & 0x80) ? 68 : 1500;
  spec.ethertype = (guint16) (data[1] << 8 | data[2]);
  memcpy (&spec.local, data + 3, 16);
  memcpy (&spec.remote, data + 19, 16);
  memcpy (mac, data + 35, NA_ETH_ALEN);

  len = size - HEADER;
  frame = malloc (len ? len : 1);
  memcpy (frame, data + HEADER, len);

  if (na_frame_parse (frame, len, &info))
    {
      gboolean accepted = na_frame_dst_accepted (frame, &info, mac);
      gboolean matched = na_frame_matches_rx (frame, &info, mac, &spec);

      /* A custom-ether flow only ever receives frames for it. */
      if (matched && spec.type == NA_FLOW_TYPE_CUSTOM_ETHER)
        {
          g_assert_true (accepted);
          g_assert_cmpuint (info.demux_type, ==, spec.ethertype);
        }
    }
  (void) na_frame_length_ok (frame, len, mtu);
  check_tx_invariants (frame, len, mac, mtu, &spec,
                       na_frame_check_tx (frame, len, mac, mtu, &spec));
  free (frame);
  return 0;
}
