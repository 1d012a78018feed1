/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The frame rules of the contract ("What the daemon delivers", "What the
 * daemon sends"), each with hand-built frames, boundaries included.
 */
#define G_LOG_DOMAIN "na-test"

#include <arpa/inet.h>
#include <string.h>

#include <glib.h>

#include "na-frame.h"

#define MTU 1500

static const guint8 our_mac[6]   = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const guint8 peer_mac[6]  = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };
static const guint8 other_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x03 };
static const guint8 mcast_mac[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };
static const guint8 bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static guint8 frame[MTU + 64];

static void
put16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

/* An untagged frame of @len bytes (@len ≥ 14) with a patterned payload. */
static gsize
build (const guint8 *dst, const guint8 *src, guint16 type, gsize len)
{
  g_assert_cmpuint (len, <=, sizeof frame);
  for (gsize i = 0; i < len; i++)
    frame[i] = (guint8) i;
  memcpy (frame, dst, 6);
  memcpy (frame + 6, src, 6);
  put16 (frame + 12, type);
  return len;
}

/* A frame with an 802.1Q tag (TPID 0x8100, @tci) and @inner after it. */
static gsize
build_tagged (const guint8 *dst, const guint8 *src, guint16 tci, guint16 inner, gsize len)
{
  build (dst, src, NA_ETH_P_8021Q, len);
  if (len >= 16)
    put16 (frame + 14, tci);
  if (len >= 18)
    put16 (frame + 16, inner);
  return len;
}

static struct in6_addr
addr (const char *text)
{
  struct in6_addr a;

  g_assert_cmpint (inet_pton (AF_INET6, text, &a), ==, 1);
  return a;
}

#define ULA_A "fd00:1:2:3::a"
#define ULA_B "fd00:1:2:3::b"
#define ULA_C "fd00:1:2:3::c"

/* An IPv6 frame from @src_ip to @dst_ip, @len bytes. */
static gsize
build_ipv6 (const guint8 *dst, const guint8 *src, const char *src_ip, const char *dst_ip, gsize len)
{
  struct in6_addr s = addr (src_ip), d = addr (dst_ip);

  build (dst, src, NA_ETH_P_IPV6, len);
  /* Only as much of the header as the frame holds. */
  if (len >= 14 + 24)
    memcpy (frame + 14 + 8, &s, MIN (sizeof s, len - 22));
  if (len > 14 + 24)
    memcpy (frame + 14 + 24, &d, MIN (sizeof d, len - 38));
  frame[14] = 0x60;
  return len;
}

static NaFlowSpec
ether_spec (guint16 type)
{
  NaFlowSpec spec = { .type = NA_FLOW_TYPE_CUSTOM_ETHER, .ethertype = type };
  return spec;
}

static NaFlowSpec
ula_spec (const char *local, const char *remote)
{
  NaFlowSpec spec = { .type = NA_FLOW_TYPE_IPV6_ULA };

  spec.local = addr (local);
  spec.remote = addr (remote);
  return spec;
}

static gboolean
rx (gsize len, const NaFlowSpec *spec)
{
  NaFrameInfo info;

  if (!na_frame_parse (frame, len, &info))
    return FALSE;
  return na_frame_matches_rx (frame, &info, our_mac, spec);
}

static NaFrameTxVerdict
tx (gsize len, const NaFlowSpec *spec)
{
  return na_frame_check_tx (frame, len, our_mac, MTU, spec);
}

/* ---- classification ---- */

static void
test_parse_length (void)
{
  NaFrameInfo info;

  build (our_mac, peer_mac, 0x88b5, 14);
  g_assert_false (na_frame_parse (frame, 0, &info));
  g_assert_false (na_frame_parse (frame, 13, &info));
  g_assert_true (na_frame_parse (frame, 14, &info));
  g_assert_cmpuint (info.len, ==, 14);
  g_assert_cmphex (info.ethertype, ==, 0x88b5);
  g_assert_cmphex (info.demux_type, ==, 0x88b5);
  g_assert_false (info.tagged);
  g_assert_false (info.ipv6);
}

static void
test_parse_dst (void)
{
  NaFrameInfo info;

  build (our_mac, peer_mac, 0x88b5, 60);
  g_assert_true (na_frame_parse (frame, 60, &info));
  g_assert_cmpint (info.dst, ==, NA_FRAME_DST_UNICAST);
  g_assert_true (na_frame_dst_accepted (frame, &info, our_mac));

  build (other_mac, peer_mac, 0x88b5, 60);
  g_assert_true (na_frame_parse (frame, 60, &info));
  g_assert_cmpint (info.dst, ==, NA_FRAME_DST_UNICAST);
  g_assert_false (na_frame_dst_accepted (frame, &info, our_mac));

  build (mcast_mac, peer_mac, 0x88b5, 60);
  g_assert_true (na_frame_parse (frame, 60, &info));
  g_assert_cmpint (info.dst, ==, NA_FRAME_DST_MULTICAST);
  g_assert_true (na_frame_dst_accepted (frame, &info, our_mac));

  build (bcast_mac, peer_mac, 0x88b5, 60);
  g_assert_true (na_frame_parse (frame, 60, &info));
  g_assert_cmpint (info.dst, ==, NA_FRAME_DST_BROADCAST);
  g_assert_true (na_frame_dst_accepted (frame, &info, our_mac));
}

static void
test_parse_vlan (void)
{
  NaFrameInfo info;

  /* Priority tag, PCP 5: transparent, the inner type is the demux type. */
  build_tagged (our_mac, peer_mac, (5 << 13) | 0, 0x88b5, 60);
  g_assert_true (na_frame_parse (frame, 60, &info));
  g_assert_true (info.tagged);
  g_assert_cmphex (info.ethertype, ==, NA_ETH_P_8021Q);
  g_assert_cmpuint (info.vid, ==, 0);
  g_assert_cmpuint (info.pcp, ==, 5);
  g_assert_cmphex (info.demux_type, ==, 0x88b5);

  /* Another VID: no demux type at all. */
  build_tagged (our_mac, peer_mac, (1 << 13) | 42, 0x88b5, 60);
  g_assert_true (na_frame_parse (frame, 60, &info));
  g_assert_true (info.tagged);
  g_assert_cmpuint (info.vid, ==, 42);
  g_assert_cmpuint (info.pcp, ==, 1);
  g_assert_cmphex (info.demux_type, ==, 0);

  /* A tag cut short (14..17 bytes) is classified, but matches nothing. */
  for (gsize len = 14; len < 18; len++)
    {
      build_tagged (our_mac, peer_mac, 0, 0x88b5, len);
      g_assert_true (na_frame_parse (frame, len, &info));
      g_assert_false (info.tagged);
      g_assert_cmphex (info.ethertype, ==, NA_ETH_P_8021Q);
      g_assert_cmphex (info.demux_type, ==, 0);
    }
  build_tagged (our_mac, peer_mac, 0, 0x88b5, 18);
  g_assert_true (na_frame_parse (frame, 18, &info));
  g_assert_true (info.tagged);
  g_assert_cmphex (info.demux_type, ==, 0x88b5);
}

static void
test_parse_ipv6 (void)
{
  NaFrameInfo info;
  struct in6_addr a = addr (ULA_A), b = addr (ULA_B);

  build_ipv6 (our_mac, peer_mac, ULA_B, ULA_A, 53);
  g_assert_true (na_frame_parse (frame, 53, &info));
  g_assert_cmphex (info.ethertype, ==, NA_ETH_P_IPV6);
  g_assert_false (info.ipv6);

  build_ipv6 (our_mac, peer_mac, ULA_B, ULA_A, 54);
  g_assert_true (na_frame_parse (frame, 54, &info));
  g_assert_true (info.ipv6);
  g_assert_cmpmem (&info.ip6_src, 16, &b, 16);
  g_assert_cmpmem (&info.ip6_dst, 16, &a, 16);

  /* Priority-tagged IPv6 is not an IPv6 frame for the ula rules. */
  build_tagged (our_mac, peer_mac, 0, NA_ETH_P_IPV6, 80);
  g_assert_true (na_frame_parse (frame, 80, &info));
  g_assert_false (info.ipv6);
}

/* ---- receive ---- */

static void
test_rx_ether (void)
{
  NaFlowSpec spec = ether_spec (0x88b5);
  NaFlowSpec other = ether_spec (0x88b6);

  build (our_mac, peer_mac, 0x88b5, 60);
  g_assert_true (rx (60, &spec));
  g_assert_false (rx (60, &other));
  /* The smallest frame the wire can carry the type in. */
  build (our_mac, peer_mac, 0x88b5, 14);
  g_assert_true (rx (14, &spec));
  g_assert_false (rx (13, &spec));
}

static void
test_rx_ether_dst (void)
{
  NaFlowSpec spec = ether_spec (0x88b5);

  build (our_mac, peer_mac, 0x88b5, 60);
  g_assert_true (rx (60, &spec));
  build (other_mac, peer_mac, 0x88b5, 60);
  g_assert_false (rx (60, &spec));
  build (mcast_mac, peer_mac, 0x88b5, 60);
  g_assert_true (rx (60, &spec));
  build (bcast_mac, peer_mac, 0x88b5, 60);
  g_assert_true (rx (60, &spec));
  /* The destination rule holds for tagged frames too. */
  build_tagged (other_mac, peer_mac, 0, 0x88b5, 60);
  g_assert_false (rx (60, &spec));
}

static void
test_rx_ether_vlan (void)
{
  NaFlowSpec spec = ether_spec (0x88b5);

  for (guint pcp = 0; pcp < 8; pcp++)
    {
      build_tagged (our_mac, peer_mac, pcp << 13, 0x88b5, 60);
      g_assert_true (rx (60, &spec));
    }
  build_tagged (our_mac, peer_mac, 0, 0x88b6, 60);
  g_assert_false (rx (60, &spec));
  build_tagged (our_mac, peer_mac, 1, 0x88b5, 60);
  g_assert_false (rx (60, &spec));
  build_tagged (our_mac, peer_mac, 0xfff, 0x88b5, 60);
  g_assert_false (rx (60, &spec));
  /* DEI set, VID 0: still a priority tag. */
  build_tagged (our_mac, peer_mac, 0x1000, 0x88b5, 60);
  g_assert_true (rx (60, &spec));
  build_tagged (our_mac, peer_mac, 0, 0x88b5, 18);
  g_assert_true (rx (18, &spec));
  build_tagged (our_mac, peer_mac, 0, 0x88b5, 17);
  g_assert_false (rx (17, &spec));
}

static void
test_rx_ula (void)
{
  NaFlowSpec spec = ula_spec (ULA_A, ULA_B);

  /* Inbound: source = remote, destination = local. */
  build_ipv6 (our_mac, peer_mac, ULA_B, ULA_A, 54);
  g_assert_true (rx (54, &spec));
  g_assert_false (rx (53, &spec));
  build_ipv6 (our_mac, peer_mac, ULA_B, ULA_A, 1514);
  g_assert_true (rx (1514, &spec));
  build_ipv6 (our_mac, peer_mac, ULA_A, ULA_B, 80);
  g_assert_false (rx (80, &spec));
  build_ipv6 (our_mac, peer_mac, ULA_C, ULA_A, 80);
  g_assert_false (rx (80, &spec));
  build_ipv6 (our_mac, peer_mac, ULA_B, ULA_C, 80);
  g_assert_false (rx (80, &spec));
  build_ipv6 (mcast_mac, peer_mac, ULA_B, ULA_A, 80);
  g_assert_true (rx (80, &spec));

  /* The right addresses under another ethertype. */
  build_ipv6 (our_mac, peer_mac, ULA_B, ULA_A, 80);
  put16 (frame + 12, 0x0800);
  g_assert_false (rx (80, &spec));

  /* A listener is not a flow of the data path. */
  spec.listener = TRUE;
  build_ipv6 (our_mac, peer_mac, ULA_B, ULA_A, 80);
  g_assert_false (rx (80, &spec));
}

static void
test_rx_filter (void)
{
  NaFlowSpec spec = { .type = NA_FLOW_TYPE_FILTER };
  NaFlowSpec none = { .type = NA_FLOW_TYPE_NONE };

  build (other_mac, peer_mac, 0x0800, 60);
  g_assert_true (rx (60, &spec));
  g_assert_false (rx (60, &none));
  build_tagged (other_mac, peer_mac, 7, 0x0800, 60);
  g_assert_true (rx (60, &spec));
}

/* ---- transmit ---- */

static void
test_tx_length (void)
{
  NaFlowSpec spec = ether_spec (0x88b5);

  build (peer_mac, our_mac, 0x88b5, MTU + 18);
  g_assert_cmpint (tx (0, &spec), ==, NA_FRAME_TX_BAD_LENGTH);
  g_assert_cmpint (tx (13, &spec), ==, NA_FRAME_TX_BAD_LENGTH);
  g_assert_cmpint (tx (14, &spec), ==, NA_FRAME_TX_OK);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_OK);
  g_assert_cmpint (tx (MTU + 14, &spec), ==, NA_FRAME_TX_OK);
  g_assert_cmpint (tx (MTU + 15, &spec), ==, NA_FRAME_TX_BAD_LENGTH);
  g_assert_cmpint (tx (MTU + 18, &spec), ==, NA_FRAME_TX_BAD_LENGTH);

  /* 802.1Q-tagged: four more bytes. */
  build_tagged (peer_mac, our_mac, 3 << 13, 0x88b5, MTU + 19);
  g_assert_cmpint (tx (MTU + 14, &spec), ==, NA_FRAME_TX_OK);
  g_assert_cmpint (tx (MTU + 15, &spec), ==, NA_FRAME_TX_OK);
  g_assert_cmpint (tx (MTU + 18, &spec), ==, NA_FRAME_TX_OK);
  g_assert_cmpint (tx (MTU + 19, &spec), ==, NA_FRAME_TX_BAD_LENGTH);

  /* Another MTU moves the bound with it. */
  build (peer_mac, our_mac, 0x88b5, 1000);
  g_assert_cmpint (na_frame_check_tx (frame, 590, our_mac, 576, &spec), ==, NA_FRAME_TX_OK);
  g_assert_cmpint (na_frame_check_tx (frame, 591, our_mac, 576, &spec), ==, NA_FRAME_TX_BAD_LENGTH);

  g_assert_false (na_frame_length_ok (frame, 13, MTU));
  g_assert_true (na_frame_length_ok (frame, 14, MTU));
}

static void
test_tx_source (void)
{
  NaFlowSpec spec = ether_spec (0x88b5);
  guint8 mcast_self[6];

  build (peer_mac, other_mac, 0x88b5, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_BAD_SOURCE);
  build (peer_mac, mcast_mac, 0x88b5, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_BAD_SOURCE);
  build (peer_mac, bcast_mac, 0x88b5, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_BAD_SOURCE);

  /* Our address with the group bit set is still refused. */
  memcpy (mcast_self, our_mac, 6);
  mcast_self[0] |= 0x01;
  build (peer_mac, mcast_self, 0x88b5, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_BAD_SOURCE);
  g_assert_cmpint (na_frame_check_tx (frame, 60, mcast_self, MTU, &spec), ==, NA_FRAME_TX_BAD_SOURCE);

  /* Any destination may be sent to. */
  build (bcast_mac, our_mac, 0x88b5, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_OK);
  build (mcast_mac, our_mac, 0x88b5, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_OK);
}

static void
test_tx_order (void)
{
  NaFlowSpec spec = ether_spec (0x88b5);

  /* Length is checked first, then source, then flow. */
  build (peer_mac, other_mac, 0x88b6, MTU + 15);
  g_assert_cmpint (tx (13, &spec), ==, NA_FRAME_TX_BAD_LENGTH);
  g_assert_cmpint (tx (MTU + 15, &spec), ==, NA_FRAME_TX_BAD_LENGTH);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_BAD_SOURCE);
  build (peer_mac, our_mac, 0x88b6, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_BAD_FLOW);
}

static void
test_tx_ether_flow (void)
{
  NaFlowSpec spec = ether_spec (0x88b5);

  build (peer_mac, our_mac, 0x88b6, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_BAD_FLOW);
  build (peer_mac, our_mac, NA_ETH_P_IPV6, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_BAD_FLOW);

  build_tagged (peer_mac, our_mac, 0, 0x88b5, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_OK);
  build_tagged (peer_mac, our_mac, 6 << 13, 0x88b5, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_OK);
  build_tagged (peer_mac, our_mac, 0, 0x88b6, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_BAD_FLOW);
  build_tagged (peer_mac, our_mac, 5, 0x88b5, 60);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_BAD_FLOW);
  /* A tag without its inner type. */
  build_tagged (peer_mac, our_mac, 0, 0x88b5, 17);
  g_assert_cmpint (tx (17, &spec), ==, NA_FRAME_TX_BAD_FLOW);
  build_tagged (peer_mac, our_mac, 0, 0x88b5, 18);
  g_assert_cmpint (tx (18, &spec), ==, NA_FRAME_TX_OK);
}

static void
test_tx_ula_flow (void)
{
  NaFlowSpec spec = ula_spec (ULA_A, ULA_B);

  /* Outbound: source = local, destination = remote. */
  build_ipv6 (peer_mac, our_mac, ULA_A, ULA_B, 54);
  g_assert_cmpint (tx (54, &spec), ==, NA_FRAME_TX_OK);
  g_assert_cmpint (tx (53, &spec), ==, NA_FRAME_TX_BAD_FLOW);
  build_ipv6 (peer_mac, our_mac, ULA_A, ULA_B, MTU + 14);
  g_assert_cmpint (tx (MTU + 14, &spec), ==, NA_FRAME_TX_OK);
  g_assert_cmpint (tx (MTU + 15, &spec), ==, NA_FRAME_TX_BAD_LENGTH);
  build_ipv6 (peer_mac, our_mac, ULA_B, ULA_A, 80);
  g_assert_cmpint (tx (80, &spec), ==, NA_FRAME_TX_BAD_FLOW);
  build_ipv6 (peer_mac, our_mac, ULA_A, ULA_C, 80);
  g_assert_cmpint (tx (80, &spec), ==, NA_FRAME_TX_BAD_FLOW);
  build_ipv6 (peer_mac, our_mac, ULA_C, ULA_B, 80);
  g_assert_cmpint (tx (80, &spec), ==, NA_FRAME_TX_BAD_FLOW);
  build_ipv6 (peer_mac, other_mac, ULA_A, ULA_B, 80);
  g_assert_cmpint (tx (80, &spec), ==, NA_FRAME_TX_BAD_SOURCE);
  build_ipv6 (peer_mac, our_mac, ULA_A, ULA_B, 80);
  put16 (frame + 12, 0x88b5);
  g_assert_cmpint (tx (80, &spec), ==, NA_FRAME_TX_BAD_FLOW);
  build_tagged (peer_mac, our_mac, 0, NA_ETH_P_IPV6, 80);
  g_assert_cmpint (tx (80, &spec), ==, NA_FRAME_TX_BAD_FLOW);
}

static void
test_tx_filter (void)
{
  NaFlowSpec spec = { .type = NA_FLOW_TYPE_FILTER };
  NaFlowSpec none = { .type = NA_FLOW_TYPE_NONE };

  /* A filter's frames are held to the length rule only. */
  build (peer_mac, other_mac, 0x0800, MTU + 15);
  g_assert_cmpint (tx (60, &spec), ==, NA_FRAME_TX_OK);
  g_assert_cmpint (tx (14, &spec), ==, NA_FRAME_TX_OK);
  g_assert_cmpint (tx (13, &spec), ==, NA_FRAME_TX_BAD_LENGTH);
  g_assert_cmpint (tx (MTU + 15, &spec), ==, NA_FRAME_TX_BAD_LENGTH);
  build (peer_mac, our_mac, 0x88b5, 60);
  g_assert_cmpint (tx (60, &none), ==, NA_FRAME_TX_BAD_FLOW);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/frame/parse/length", test_parse_length);
  g_test_add_func ("/frame/parse/destination", test_parse_dst);
  g_test_add_func ("/frame/parse/vlan", test_parse_vlan);
  g_test_add_func ("/frame/parse/ipv6", test_parse_ipv6);
  g_test_add_func ("/frame/rx/ether", test_rx_ether);
  g_test_add_func ("/frame/rx/ether-destination", test_rx_ether_dst);
  g_test_add_func ("/frame/rx/ether-vlan", test_rx_ether_vlan);
  g_test_add_func ("/frame/rx/ipv6-ula", test_rx_ula);
  g_test_add_func ("/frame/rx/filter", test_rx_filter);
  g_test_add_func ("/frame/tx/length", test_tx_length);
  g_test_add_func ("/frame/tx/source", test_tx_source);
  g_test_add_func ("/frame/tx/order", test_tx_order);
  g_test_add_func ("/frame/tx/ether-flow", test_tx_ether_flow);
  g_test_add_func ("/frame/tx/ipv6-ula-flow", test_tx_ula_flow);
  g_test_add_func ("/frame/tx/filter", test_tx_filter);

  return g_test_run ();
}
