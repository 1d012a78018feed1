/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <netinet/in.h>

G_BEGIN_DECLS

/* What an agent offers (Register "features"). */
typedef enum {
  NA_FEATURE_NONE         = 0,
  NA_FEATURE_CUSTOM_ETHER = 1 << 0,
  NA_FEATURE_IPV6_ULA     = 1 << 1,
  NA_FEATURE_FILTER       = 1 << 2,
} NaFeatures;

/* What a flow is (FlowInsert "type"). */
typedef enum {
  NA_FLOW_TYPE_NONE = 0,
  NA_FLOW_TYPE_CUSTOM_ETHER,
  NA_FLOW_TYPE_IPV6_ULA,
  NA_FLOW_TYPE_FILTER,
} NaFlowType;

typedef enum {
  NA_CHANNEL_SOCKETPAIR = 0,
  NA_CHANNEL_TAP,
} NaChannelType;

/* A canonical UUID string with its terminator. */
#define NA_UUID_STRLEN 37
/* Linux IFNAMSIZ, without pulling in <net/if.h>. */
#define NA_IFNAMSIZ 16

const char *na_flow_type_to_string    (NaFlowType type);
NaFlowType  na_flow_type_from_string  (const char *str);
NaFeatures  na_feature_from_string    (const char *str);
/* The feature a flow type needs. */
NaFeatures  na_flow_type_feature      (NaFlowType type);
const char *na_channel_type_to_string (NaChannelType type);
/* Returns FALSE for an unknown name. */
gboolean    na_channel_type_from_string (const char *str, NaChannelType *out);

/* Features as the contract's names, in a fixed order; free with g_strfreev(). */
char      **na_features_to_strv (NaFeatures features);

/* Canonical lower-case UUID that is not the nil UUID. */
gboolean    na_uuid_is_valid    (const char *str);
/* A new random UUID, canonical lower-case. */
void        na_uuid_generate    (char out[NA_UUID_STRLEN]);

/* A name the kernel accepts for a network interface (dev_valid_name()). */
gboolean    na_ifname_is_valid  (const char *name);

/*
 * At most @max_bytes of @text, cut after a whole UTF-8 character, to quote
 * a caller's string in an error message (which must be valid UTF-8 to
 * cross D-Bus).  Free with g_free().
 */
char       *na_text_excerpt     (const char *text, gsize max_bytes);

/* RFC 5952 text of an IPv6 address into a buffer of INET6_ADDRSTRLEN. */
const char *na_in6_to_string    (const struct in6_addr *addr, char *buf);

G_END_DECLS
