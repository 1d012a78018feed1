/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <netinet/in.h>

#include "na-types.h"

G_BEGIN_DECLS

/*
 * FlowInsert's parameters dictionary, as parsed: every key the client gave,
 * checked for type only.  This is the first code untrusted input reaches.
 */
typedef struct {
  NaFlowType    type;               /* NONE when "type" was not given */
  gboolean      has_ethertype;
  guint16       ethertype;
  char         *local_address;      /* NULL when absent */
  char         *remote_address;
  gboolean      has_listener;
  gboolean      listener;
  NaChannelType channel_type;
  char          tap_name[NA_IFNAMSIZ]; /* empty: the daemon chooses */
  gboolean      has_pid;
  guint32       pid;
} NaFlowParams;

/* A flow request after validation: what the flow is. */
typedef struct {
  NaFlowType      type;
  guint16         ethertype;        /* custom-ether */
  struct in6_addr local;            /* ipv6-ula */
  struct in6_addr remote;           /* ipv6-ula, not for listeners */
  gboolean        listener;         /* ipv6-ula */
} NaFlowSpec;

/* Counters the seed keeps while validating (agent-bad-*) */
typedef struct {
  guint64 bad_ethertype;
  guint64 bad_ipv6_addr;
  guint64 dup_flow;
} NaAgentCounters;

void     na_flow_params_clear (NaFlowParams *params);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NaFlowParams, na_flow_params_clear)

/*
 * Parse an a{sv}.  An unknown key, a known key with the wrong type or a
 * value out of range gives NA_ERROR_INVALID_ARGUMENT naming the key.  On
 * error @params is left cleared.
 */
gboolean na_flow_params_parse (GVariant      *dict,
                               NaFlowParams  *params,
                               GError       **error);

/*
 * The type a request describes, from "type" or inferred from its keys;
 * keys of two types at once, or none → NA_ERROR_INVALID_ARGUMENT.  Needs
 * no agent: the service uses it to choose the authorization to ask for.
 */
gboolean na_flow_params_infer_type (const NaFlowParams *params,
                                    NaFlowType         *type,
                                    GError            **error);

/*
 * The seed's checks, in the seed's order: the type (given or inferred)
 * and its compatibility with the other keys, that the agent offers it, the
 * addresses a non-listener needs, then the ethertype and endpoint rules,
 * which count their refusals in @counters (may be NULL).
 */
gboolean na_flow_params_validate (const NaFlowParams *params,
                                  NaFeatures          offered,
                                  NaFlowSpec         *spec,
                                  NaAgentCounters    *counters,
                                  GError            **error);

/* The seed's ethertype rule alone: > 1500 and none of the seven reserved. */
gboolean na_ethertype_is_allowed (guint16 ethertype);

/* Register's options dictionary, with its defaults filled in. */
typedef struct {
  NaFeatures features;
  guint32    flow_max;
  char       domain[32];
  char       type[32];
  char       description[128];
} NaRegisterOptions;

gboolean na_register_options_parse (GVariant           *dict,
                                    NaRegisterOptions  *options,
                                    GError            **error);

/*
 * Features from their names.  Unknown name → INVALID_ARGUMENT; custom-ether
 * with ipv6-ula → INVALID_ARGUMENT; none → NOT_SUPPORTED.
 */
gboolean na_features_from_strv (const char *const *names,
                                NaFeatures        *features,
                                GError           **error);

G_END_DECLS
