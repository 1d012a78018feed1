/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "na-core"

#include <string.h>

#include "na-frame.h"

/* Offsets into an untagged IPv6 frame. */
#define IP6_SRC_OFF (NA_ETH_HLEN + 8)
#define IP6_DST_OFF (NA_ETH_HLEN + 24)

static inline guint16
get_be16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

gboolean
na_frame_parse (const guint8 *frame,
                gsize         len,
                NaFrameInfo  *info)
{
  if (len < NA_ETH_HLEN)
    return FALSE;

  info->len = len;
  if (frame[0] & 0x01)
    {
      static const guint8 bcast[NA_ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

      info->dst = memcmp (frame, bcast, NA_ETH_ALEN) == 0
                  ? NA_FRAME_DST_BROADCAST : NA_FRAME_DST_MULTICAST;
    }
  else
    {
      info->dst = NA_FRAME_DST_UNICAST;
    }

  info->ethertype = get_be16 (frame + 12);
  info->tagged = FALSE;
  info->vid = 0;
  info->pcp = 0;
  info->ipv6 = FALSE;

  if (info->ethertype == NA_ETH_P_8021Q)
    {
      guint16 tci;

      /* A tag cut short matches no flow; its length rule still applies. */
      info->demux_type = 0;
      if (len < NA_ETH_HLEN + NA_VLAN_HLEN)
        return TRUE;
      tci = get_be16 (frame + 14);
      info->tagged = TRUE;
      info->vid = tci & 0x0fff;
      info->pcp = tci >> 13;
      /* Only a priority tag (VID 0) is transparent to the demux. */
      if (info->vid == 0)
        info->demux_type = get_be16 (frame + 16);
      return TRUE;
    }

  info->demux_type = info->ethertype;
  if (info->ethertype == NA_ETH_P_IPV6 && len >= NA_IPV6_MIN_FRAME)
    {
      info->ipv6 = TRUE;
      memcpy (&info->ip6_src, frame + IP6_SRC_OFF, sizeof info->ip6_src);
      memcpy (&info->ip6_dst, frame + IP6_DST_OFF, sizeof info->ip6_dst);
    }
  return TRUE;
}

gboolean
na_frame_dst_accepted (const guint8      *frame,
                       const NaFrameInfo *info,
                       const guint8       mac[NA_ETH_ALEN])
{
  return info->dst != NA_FRAME_DST_UNICAST || memcmp (frame, mac, NA_ETH_ALEN) == 0;
}

gboolean
na_frame_matches_rx (const guint8      *frame,
                     const NaFrameInfo *info,
                     const guint8       mac[NA_ETH_ALEN],
                     const NaFlowSpec  *spec)
{
  switch (spec->type)
    {
    case NA_FLOW_TYPE_CUSTOM_ETHER:
      return info->demux_type != 0 &&
             info->demux_type == spec->ethertype &&
             na_frame_dst_accepted (frame, info, mac);
    case NA_FLOW_TYPE_IPV6_ULA:
      /* Inbound, the flow's local address is the destination. */
      return !spec->listener &&
             info->ipv6 &&
             memcmp (&info->ip6_dst, &spec->local, sizeof spec->local) == 0 &&
             memcmp (&info->ip6_src, &spec->remote, sizeof spec->remote) == 0;
    case NA_FLOW_TYPE_FILTER:
      return TRUE;
    case NA_FLOW_TYPE_NONE:
    default:
      return FALSE;
    }
}

gboolean
na_frame_length_ok (const guint8 *frame,
                    gsize         len,
                    guint         mtu)
{
  gsize max = (gsize) mtu + NA_ETH_HLEN;

  if (len < NA_ETH_HLEN)
    return FALSE;
  if (get_be16 (frame + 12) == NA_ETH_P_8021Q)
    max += NA_VLAN_HLEN;
  return len <= max;
}

NaFrameTxVerdict
na_frame_check_tx (const guint8     *frame,
                   gsize             len,
                   const guint8      mac[NA_ETH_ALEN],
                   guint             mtu,
                   const NaFlowSpec *spec)
{
  NaFrameInfo info;

  if (!na_frame_length_ok (frame, len, mtu))
    return NA_FRAME_TX_BAD_LENGTH;
  if (spec->type == NA_FLOW_TYPE_FILTER)
    return NA_FRAME_TX_OK;

  /* The source is the interface's own address, never a group address. */
  if ((frame[NA_ETH_ALEN] & 0x01) || memcmp (frame + NA_ETH_ALEN, mac, NA_ETH_ALEN) != 0)
    return NA_FRAME_TX_BAD_SOURCE;

  if (!na_frame_parse (frame, len, &info))
    return NA_FRAME_TX_BAD_LENGTH;

  switch (spec->type)
    {
    case NA_FLOW_TYPE_CUSTOM_ETHER:
      if (info.demux_type != 0 && info.demux_type == spec->ethertype)
        return NA_FRAME_TX_OK;
      return NA_FRAME_TX_BAD_FLOW;
    case NA_FLOW_TYPE_IPV6_ULA:
      /* Outbound, the flow's local address is the source. */
      if (!spec->listener &&
          info.ipv6 &&
          memcmp (&info.ip6_src, &spec->local, sizeof spec->local) == 0 &&
          memcmp (&info.ip6_dst, &spec->remote, sizeof spec->remote) == 0)
        return NA_FRAME_TX_OK;
      return NA_FRAME_TX_BAD_FLOW;
    case NA_FLOW_TYPE_FILTER:
    case NA_FLOW_TYPE_NONE:
    default:
      return NA_FRAME_TX_BAD_FLOW;
    }
}
