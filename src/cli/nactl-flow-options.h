/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include "nactl.h"

G_BEGIN_DECLS

/*
 * The options that say which flow `flow open`, `capture` and `send` ask
 * for: the agent (--agent or --interface) and what the flow carries
 * (--ethertype, or --local and --remote for an IPv6 ULA pair).
 */
typedef struct {
  char    *agent;
  char    *interface;
  char    *ethertype_arg;
  char    *local;
  char    *remote;
  /* Filled in by nactl_flow_options_check(). */
  guint16  ethertype;
} NactlFlowOptions;

void     nactl_flow_options_clear (NactlFlowOptions *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NactlFlowOptions, nactl_flow_options_clear)

/* Add the options to @context; @with_ula offers --local and --remote. */
void     nactl_flow_options_add   (NactlFlowOptions *options,
                                   GOptionContext   *context,
                                   gboolean          with_ula);

/*
 * After parsing: exactly one kind of flow described, values well-formed.
 * Errors are G_OPTION_ERROR (usage errors).
 */
gboolean nactl_flow_options_check (NactlFlowOptions *options,
                                   GError          **error);

/* FlowInsert's parameters for the described flow (floating a{sv}). */
GVariant *nactl_flow_options_to_parameters (NactlFlowOptions *options,
                                            const char       *channel_type,
                                            const char       *tap_name);

/* "ethertype 0x88b5" or "fd00::1 ↔ fd00::2" for messages. */
char    *nactl_flow_options_describe (NactlFlowOptions *options);

G_END_DECLS
