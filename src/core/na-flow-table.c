/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "na-core"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "na-error.h"
#include "na-flow-table.h"
#include "na-ports.h"

/*
 * Listener uuids are not flows, but FlowRemove of one must succeed, so
 * they are remembered — up to this many per agent, the oldest forgotten
 * first, so a client looping on listener requests cannot grow the daemon.
 */
#define MAX_LISTENERS 4096

typedef struct {
  NaFlowEntry pub;
  GList       link;     /* in NaFlowTable.order */
} Entry;

typedef struct {
  char  uuid[NA_UUID_STRLEN];
  char *owner;
  GList link;           /* in NaFlowTable.listener_order */
} Listener;

struct _NaFlowTable {
  NaFeatures      offered;
  guint           flow_max;
  NaPorts        *ports;
  GHashTable     *by_uuid;       /* uuid → Entry */
  GHashTable     *by_ethertype;  /* ethertype → Entry */
  GHashTable     *by_pair;       /* &spec.local (local+remote, 32 bytes) → Entry */
  GQueue          order;
  GHashTable     *listeners;     /* uuid → Listener */
  GQueue          listener_order;
  NaAgentCounters counters;
};

G_STATIC_ASSERT (G_STRUCT_OFFSET (NaFlowSpec, remote) ==
                 G_STRUCT_OFFSET (NaFlowSpec, local) + sizeof (struct in6_addr));

static guint
pair_hash (gconstpointer key)
{
  const guint32 *w = key;
  guint32 h = 2166136261u;

  for (int i = 0; i < 8; i++)
    h = (h ^ w[i]) * 16777619u;
  return h;
}

static gboolean
pair_equal (gconstpointer a, gconstpointer b)
{
  return memcmp (a, b, 2 * sizeof (struct in6_addr)) == 0;
}

static void
listener_free (gpointer data)
{
  Listener *l = data;

  g_free (l->owner);
  g_free (l);
}

NaFlowTable *
na_flow_table_new (NaFeatures offered, guint flow_max)
{
  NaFlowTable *t = g_new0 (NaFlowTable, 1);

  t->offered = offered;
  t->flow_max = flow_max;
  t->ports = na_ports_new (flow_max);
  t->by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  t->by_ethertype = g_hash_table_new (NULL, NULL);
  t->by_pair = g_hash_table_new (pair_hash, pair_equal);
  t->listeners = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, listener_free);
  g_queue_init (&t->order);
  g_queue_init (&t->listener_order);
  return t;
}

static void
entry_free (Entry *e)
{
  g_free (e->pub.owner);
  g_free (e);
}

static void
forget (NaFlowTable *t, Entry *e)
{
  g_hash_table_remove (t->by_uuid, e->pub.uuid);
  if (e->pub.spec.type == NA_FLOW_TYPE_CUSTOM_ETHER)
    g_hash_table_remove (t->by_ethertype, GUINT_TO_POINTER (e->pub.spec.ethertype));
  else if (e->pub.spec.type == NA_FLOW_TYPE_IPV6_ULA)
    g_hash_table_remove (t->by_pair, &e->pub.spec.local);
  g_queue_unlink (&t->order, &e->link);
  na_ports_release (t->ports, e->pub.port);
}

void
na_flow_table_free (NaFlowTable *t)
{
  if (t == NULL)
    return;
  na_flow_table_purge (t, NULL, NULL);
  g_hash_table_unref (t->by_uuid);
  g_hash_table_unref (t->by_ethertype);
  g_hash_table_unref (t->by_pair);
  g_hash_table_unref (t->listeners);
  na_ports_free (t->ports);
  g_free (t);
}

static void
remember_listener (NaFlowTable *t, const char *uuid, const char *owner)
{
  Listener *l;

  if (g_hash_table_contains (t->listeners, uuid))
    return;
  if (g_hash_table_size (t->listeners) >= MAX_LISTENERS)
    {
      Listener *oldest = g_queue_peek_head_link (&t->listener_order)->data;

      g_queue_unlink (&t->listener_order, &oldest->link);
      g_hash_table_remove (t->listeners, oldest->uuid);
    }
  l = g_new0 (Listener, 1);
  g_strlcpy (l->uuid, uuid, sizeof l->uuid);
  l->owner = g_strdup (owner);
  l->link.data = l;
  g_queue_push_tail_link (&t->listener_order, &l->link);
  g_hash_table_insert (t->listeners, l->uuid, l);
}

gboolean
na_flow_table_insert (NaFlowTable        *t,
                      const char         *request_uuid,
                      const NaFlowParams *params,
                      guint32             owner_pid,
                      const char         *owner,
                      NaUlaGenerator     *ula,
                      NaFlowInsertResult *result,
                      GError            **error)
{
  NaFlowSpec spec;
  Entry *e;
  guint port;

  memset (result, 0, sizeof *result);

  if (request_uuid == NULL || request_uuid[0] == '\0')
    na_uuid_generate (result->flow_uuid);
  else if (na_uuid_is_valid (request_uuid))
    g_strlcpy (result->flow_uuid, request_uuid, sizeof result->flow_uuid);
  else
    {
      g_autofree char *shown = na_text_excerpt (request_uuid, 64);

      g_set_error (error, NA_ERROR, NA_ERROR_INVALID_ARGUMENT,
                   _("Flow id “%s” is not a canonical lower-case UUID, or is the nil UUID"),
                   shown);
      return FALSE;
    }

  if (!na_flow_params_validate (params, t->offered, &spec, &t->counters, error))
    return FALSE;

  if (spec.type == NA_FLOW_TYPE_IPV6_ULA && !spec.listener)
    {
      Entry *dup = g_hash_table_lookup (t->by_pair, &spec.local);

      if (dup && dup->pub.owner_pid == owner_pid)
        {
          /* The seed lets a process re-add its own flow and reuse the
           * channel it has: answer with the existing port and key; the
           * new uuid is not recorded. */
          t->counters.dup_flow++;
          result->entry = &dup->pub;
          result->reused = TRUE;
          return TRUE;
        }
      if (dup)
        {
          g_set_error (error, NA_ERROR, NA_ERROR_ALREADY_EXISTS,
                       _("Another process holds a flow for this local and remote address"));
          return FALSE;
        }
    }

  if (g_hash_table_contains (t->by_uuid, result->flow_uuid))
    {
      g_set_error (error, NA_ERROR, NA_ERROR_ALREADY_EXISTS,
                   _("Flow id %s is already in use on this agent"), result->flow_uuid);
      return FALSE;
    }

  if (spec.type == NA_FLOW_TYPE_IPV6_ULA && spec.listener)
    {
      na_ula_generator_next (ula, &spec.local);
      result->listener = TRUE;
      result->listener_local = spec.local;
      remember_listener (t, result->flow_uuid, owner);
      return TRUE;
    }

  if (spec.type == NA_FLOW_TYPE_CUSTOM_ETHER &&
      g_hash_table_contains (t->by_ethertype, GUINT_TO_POINTER (spec.ethertype)))
    {
      g_set_error (error, NA_ERROR, NA_ERROR_ALREADY_EXISTS,
                   _("Ethertype 0x%04x is already held by another flow on this agent"),
                   spec.ethertype);
      return FALSE;
    }

  port = na_ports_alloc (t->ports);
  if (port == 0)
    {
      g_set_error (error, NA_ERROR, NA_ERROR_LIMIT_REACHED,
                   _("This agent has no free port: it already has %u flows"),
                   na_ports_count (t->ports));
      return FALSE;
    }

  e = g_new0 (Entry, 1);
  g_strlcpy (e->pub.uuid, result->flow_uuid, sizeof e->pub.uuid);
  na_uuid_generate (e->pub.key);
  e->pub.spec = spec;
  e->pub.port = port;
  e->pub.owner_pid = owner_pid;
  e->pub.owner = g_strdup (owner);
  e->link.data = e;

  g_hash_table_insert (t->by_uuid, e->pub.uuid, e);
  if (spec.type == NA_FLOW_TYPE_CUSTOM_ETHER)
    g_hash_table_insert (t->by_ethertype, GUINT_TO_POINTER (spec.ethertype), e);
  else if (spec.type == NA_FLOW_TYPE_IPV6_ULA)
    g_hash_table_insert (t->by_pair, &e->pub.spec.local, e);
  g_queue_push_tail_link (&t->order, &e->link);

  result->entry = &e->pub;
  return TRUE;
}

NaFlowEntry *
na_flow_table_lookup (NaFlowTable *t, const char *uuid)
{
  Entry *e = g_hash_table_lookup (t->by_uuid, uuid);

  return e ? &e->pub : NULL;
}

NaFlowEntry *
na_flow_table_lookup_ethertype (NaFlowTable *t, guint16 ethertype)
{
  Entry *e = g_hash_table_lookup (t->by_ethertype, GUINT_TO_POINTER (ethertype));

  return e ? &e->pub : NULL;
}

NaFlowEntry *
na_flow_table_lookup_pair (NaFlowTable           *t,
                           const struct in6_addr *local,
                           const struct in6_addr *remote)
{
  struct in6_addr key[2] = { *local, *remote };
  Entry *e = g_hash_table_lookup (t->by_pair, key);

  return e ? &e->pub : NULL;
}

void
na_flow_table_remove (NaFlowTable *t, NaFlowEntry *entry)
{
  Entry *e = (Entry *) entry;

  g_return_if_fail (g_hash_table_lookup (t->by_uuid, entry->uuid) == e);
  forget (t, e);
  entry_free (e);
}

gboolean
na_flow_table_forget_listener (NaFlowTable *t, const char *uuid)
{
  Listener *l = g_hash_table_lookup (t->listeners, uuid);

  if (l == NULL)
    return FALSE;
  g_queue_unlink (&t->listener_order, &l->link);
  g_hash_table_remove (t->listeners, uuid);
  return TRUE;
}

void
na_flow_table_forget_listeners_of (NaFlowTable *t, const char *owner)
{
  GList *l = t->listener_order.head;

  while (l)
    {
      Listener *listener = l->data;

      l = l->next;
      if (g_strcmp0 (listener->owner, owner) == 0)
        na_flow_table_forget_listener (t, listener->uuid);
    }
}

void
na_flow_table_purge (NaFlowTable *t, NaFlowEntryFunc func, gpointer user_data)
{
  GList *l;

  while ((l = g_queue_peek_head_link (&t->order)) != NULL)
    {
      Entry *e = l->data;

      /* Forget first: the callback may look at the table. */
      forget (t, e);
      if (func)
        func (&e->pub, user_data);
      entry_free (e);
    }
  while ((l = g_queue_peek_head_link (&t->listener_order)) != NULL)
    na_flow_table_forget_listener (t, ((Listener *) l->data)->uuid);
}

GList *
na_flow_table_entries (NaFlowTable *t)
{
  GList *list = NULL;

  for (GList *l = t->order.tail; l; l = l->prev)
    list = g_list_prepend (list, &((Entry *) l->data)->pub);
  return list;
}

guint
na_flow_table_count (NaFlowTable *t)
{
  return g_queue_get_length (&t->order);
}

guint
na_flow_table_flow_max (NaFlowTable *t)
{
  return t->flow_max;
}

NaFeatures
na_flow_table_offered (NaFlowTable *t)
{
  return t->offered;
}

const NaAgentCounters *
na_flow_table_counters (NaFlowTable *t)
{
  return &t->counters;
}
