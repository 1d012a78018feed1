/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "na-flow-params.h"

G_BEGIN_DECLS

/*
 * The daemon's configuration file (netagentd.conf(5)):
 *
 *   [daemon]
 *   UserFlowQuota=64
 *
 *   [agent NAME]
 *   Interfaces=eth*;enp*s0
 *   Features=custom-ether;filter
 *   FlowMax=126
 *   Description=…
 *
 * Every [agent …] group is a rule for automatic registration: an agent is
 * registered on each interface whose name matches one of its patterns.
 */
typedef struct {
  char             *name;
  char            **patterns;   /* shell globs on interface names */
  NaRegisterOptions options;
} NaConfigRule;

typedef struct {
  guint      user_flow_quota;   /* 0: no quota */
  GPtrArray *rules;             /* NaConfigRule, in file order */
} NaConfig;

NaConfig *na_config_new   (void);
void      na_config_free  (NaConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NaConfig, na_config_free)

/*
 * Parse @text.  Every problem is reported, one per line of the error
 * message, as "FILENAME:LINE: what is wrong"; any problem refuses the whole
 * file (G_KEY_FILE_ERROR_PARSE).
 */
NaConfig *na_config_parse (const char  *text,
                           gsize        length,
                           const char  *filename,
                           GError     **error);

/* Read and parse @path; a missing file is the default configuration. */
NaConfig *na_config_load  (const char  *path,
                           GError     **error);

/* The first rule whose patterns match @ifname, or NULL. */
const NaConfigRule *na_config_match (const NaConfig *config,
                                     const char     *ifname);

G_END_DECLS
