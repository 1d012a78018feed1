/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

#include "na-flow-params.h"
#include "na-ula.h"

G_BEGIN_DECLS

/*
 * One agent's flows: the seed's flow_add / flow_del / purge with its
 * duplicate and listener rules, ports and bind keys.  Lookups by flow uuid,
 * ethertype and (local, remote) pair are hash lookups.
 */
typedef struct _NaFlowTable NaFlowTable;

typedef struct {
  char       uuid[NA_UUID_STRLEN];
  char       key[NA_UUID_STRLEN];   /* the random bind key */
  NaFlowSpec spec;
  guint      port;
  guint32    owner_pid;
  char      *owner;                 /* opaque owner tag (the bus name) */
  gpointer   user_data;             /* not owned */
} NaFlowEntry;

typedef struct {
  NaFlowEntry    *entry;            /* new or reused flow; NULL: listener */
  gboolean        reused;
  gboolean        listener;
  char            flow_uuid[NA_UUID_STRLEN]; /* the reply's flow-uuid */
  struct in6_addr listener_local;   /* the generated address */
} NaFlowInsertResult;

NaFlowTable *na_flow_table_new  (NaFeatures offered, guint flow_max);
void         na_flow_table_free (NaFlowTable *table);

/*
 * Validate @params and add the flow they describe.  @request_uuid "" makes
 * a new uuid.  @owner_pid is the flow's process (the caller's or the
 * delegated one); @owner tags the entry for na_flow_table_foreach_owner().
 */
gboolean na_flow_table_insert (NaFlowTable        *table,
                               const char         *request_uuid,
                               const NaFlowParams *params,
                               guint32             owner_pid,
                               const char         *owner,
                               NaUlaGenerator     *ula,
                               NaFlowInsertResult *result,
                               GError            **error);

NaFlowEntry *na_flow_table_lookup           (NaFlowTable *table, const char *uuid);
NaFlowEntry *na_flow_table_lookup_ethertype (NaFlowTable *table, guint16 ethertype);
NaFlowEntry *na_flow_table_lookup_pair      (NaFlowTable           *table,
                                             const struct in6_addr *local,
                                             const struct in6_addr *remote);

/* Forget @entry and free its port; @entry is freed. */
void     na_flow_table_remove (NaFlowTable *table, NaFlowEntry *entry);

/* TRUE (and forgotten) when @uuid was handed out to a listener. */
gboolean na_flow_table_forget_listener (NaFlowTable *table, const char *uuid);
/* Forget the listener uuids of @owner (it left). */
void     na_flow_table_forget_listeners_of (NaFlowTable *table, const char *owner);

typedef void (*NaFlowEntryFunc) (NaFlowEntry *entry, gpointer user_data);

/* Call @func on every flow, then forget them all (the seed's purge). */
void     na_flow_table_purge   (NaFlowTable *table, NaFlowEntryFunc func, gpointer user_data);
/* Entries in insertion order; the list is owned by the caller (g_list_free). */
GList   *na_flow_table_entries (NaFlowTable *table);

guint            na_flow_table_count    (NaFlowTable *table);
guint            na_flow_table_flow_max (NaFlowTable *table);
NaFeatures       na_flow_table_offered  (NaFlowTable *table);
const NaAgentCounters *na_flow_table_counters (NaFlowTable *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NaFlowTable, na_flow_table_free)

G_END_DECLS
