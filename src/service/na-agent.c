/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-agent"

#include <sys/stat.h>

#include <gio/gunixfdlist.h>
#include <glib/gi18n-lib.h>

#include <netagent/netagent-flags.h>
#include <netagent/netagent-names.h>

#include "na-agent.h"
#include "na-glib-compat.h"
#include "na-dbus-stats.h"
#include "na-error.h"
#include "na-flow-table.h"
#include "na-flow.h"
#include "na-stats.h"
#include "na-tap.h"

struct _NaAgent {
  NaDbusNetAgent1AgentSkeleton parent_instance;

  NaContext   *ctx;
  char        *path;
  NaFeatures   features;
  NaLinkInfo   link;
  NaFlowTable *table;
  NaDpAgent   *dp;
  GHashTable  *flows;      /* flow uuid → NaFlow (owned) */
  gboolean     purged;
};

G_DEFINE_FINAL_TYPE (NaAgent, na_agent, NA_DBUS_TYPE_NET_AGENT1_AGENT_SKELETON)

#define IFACE(self) NA_DBUS_NET_AGENT1_AGENT (self)

/* ---- published state ------------------------------------------------- */

static void
publish_flows (NaAgent *self)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GList) entries = na_flow_table_entries (self->table);

  for (GList *l = entries; l; l = l->next)
    {
      NaFlowEntry *entry = l->data;
      NaFlow *flow = g_hash_table_lookup (self->flows, entry->uuid);

      if (flow)
        g_ptr_array_add (paths, (gpointer) na_flow_get_path (flow));
    }
  g_ptr_array_add (paths, NULL);
  na_dbus_net_agent1_agent_set_flows (IFACE (self), (const char *const *) paths->pdata);
  na_dbus_net_agent1_agent_set_flow_count (IFACE (self), g_hash_table_size (self->flows));
}

/* Publish the link's state; TRUE if any of it changed. */
static gboolean
publish_link (NaAgent *self)
{
  NaDbusNetAgent1Agent *iface = IFACE (self);
  g_autofree char *mac = na_link_info_mac_string (&self->link);
  guint32 flags = na_agent_flags (self->features, TRUE, self->link.up);
  gboolean changed = FALSE;

  if (g_strcmp0 (na_dbus_net_agent1_agent_get_interface (iface), self->link.name) != 0)
    {
      na_dbus_net_agent1_agent_set_interface (iface, self->link.name);
      changed = TRUE;
    }
  if (g_strcmp0 (na_dbus_net_agent1_agent_get_hardware_address (iface), mac) != 0)
    {
      na_dbus_net_agent1_agent_set_hardware_address (iface, mac);
      changed = TRUE;
    }
  if (na_dbus_net_agent1_agent_get_mtu (iface) != self->link.mtu)
    {
      na_dbus_net_agent1_agent_set_mtu (iface, self->link.mtu);
      changed = TRUE;
    }
  if (na_dbus_net_agent1_agent_get_flags (iface) != flags)
    {
      na_dbus_net_agent1_agent_set_flags (iface, flags);
      changed = TRUE;
    }
  return changed;
}

static void
new_generation (NaAgent *self)
{
  guint32 gen = na_generation_next (&self->ctx->generation);

  na_dbus_net_agent1_agent_set_generation (IFACE (self), gen);
}

static GVariant *
agent_statistics (GDBusInterfaceSkeleton *skeleton)
{
  NaAgent *self = NA_AGENT (skeleton);
  guint64 values[NA_AGENT_N_STATS] = { 0 };
  const NaAgentCounters *c = na_flow_table_counters (self->table);

  if (self->dp)
    {
      na_dp_agent_get_stats (self->dp, values);
      values[NA_AGENT_STAT_RX_RING_DROPPED] = na_dp_agent_get_ring_drops (self->dp);
    }
  values[NA_AGENT_STAT_BAD_ETHERTYPE] = c->bad_ethertype;
  values[NA_AGENT_STAT_BAD_IPV6_ADDR] = c->bad_ipv6_addr;
  values[NA_AGENT_STAT_DUP_FLOW] = c->dup_flow;
  return na_agent_stats_to_variant (values);
}

/* ---- ending flows ---------------------------------------------------- */

static void
user_flows_add (NaContext *ctx, guint32 uid, int delta)
{
  gpointer key = GUINT_TO_POINTER (uid);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (ctx->user_flows, key));

  count += delta;
  if (count)
    g_hash_table_insert (ctx->user_flows, key, GUINT_TO_POINTER (count));
  else
    g_hash_table_remove (ctx->user_flows, key);
}

/*
 * Tear down what the daemon holds for a flow — its channel (the client
 * reads EOF), its TAP device, its object — and tell the bus why.  The
 * table entry is left to the caller (a purge forgets all at once).
 */
static void
release_flow (NaAgent *self, NaFlow *flow, const char *reason)
{
  /* Kept alive until its FlowRemoved is out: the table lets go first. */
  g_autoptr(NaFlow) hold G_GNUC_UNUSED = g_object_ref (flow);
  g_autofree char *uuid = g_strdup (na_flow_get_uuid_str (flow));
  int tap = na_flow_get_tap_ifindex (flow);

  g_info ("flow %s on %s ends: %s", uuid, self->link.name, reason);

  na_flow_stop_datapath (flow);
  if (tap > 0)
    {
      g_autoptr(GError) error = NULL;

      if (!na_tap_delete (tap, &error))
        g_warning ("cannot delete the TAP device of flow %s: %s", uuid, error->message);
    }
  g_dbus_object_manager_server_unexport (self->ctx->object_manager, na_flow_get_path (flow));
  na_owners_release (self->ctx->owners, na_flow_get_owner (flow));
  user_flows_add (self->ctx, na_flow_get_owner_uid (flow), -1);
  g_hash_table_remove (self->flows, uuid);

  na_dbus_net_agent1_agent_emit_flow_removed (IFACE (self), uuid, na_flow_get_path (flow), reason);
}

static void
end_flow (NaAgent *self, NaFlow *flow, const char *reason)
{
  NaFlowEntry *entry = na_flow_table_lookup (self->table, na_flow_get_uuid_str (flow));

  release_flow (self, flow, reason);
  na_flow_table_remove (self->table, entry);
  publish_flows (self);
}

static void
flow_hangup_cb (NaDpFlow *dp, gpointer user_data)
{
  NaFlow *flow = user_data;
  NaAgent *self = g_object_get_data (G_OBJECT (flow), "na-agent");

  end_flow (self, flow, NETAGENT_REASON_CHANNEL_CLOSED);
}

static void
purge_one (NaFlowEntry *entry, gpointer user_data)
{
  NaAgent *self = user_data;
  NaFlow *flow = g_hash_table_lookup (self->flows, entry->uuid);

  if (flow)
    release_flow (self, flow, NETAGENT_REASON_PURGED);
}

void
na_agent_purge (NaAgent *self)
{
  if (self->purged)
    return;
  self->purged = TRUE;
  na_flow_table_purge (self->table, purge_one, self);
  publish_flows (self);
  g_clear_pointer (&self->dp, na_dp_agent_free);
}

void
na_agent_owner_vanished (NaAgent *self, const char *bus_name)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->flows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_strcmp0 (na_flow_get_owner (value), bus_name) == 0)
      g_ptr_array_add (gone, g_object_ref (value));

  for (guint i = 0; i < gone->len; i++)
    end_flow (self, gone->pdata[i], NETAGENT_REASON_OWNER_VANISHED);
  na_flow_table_forget_listeners_of (self->table, bus_name);
}

/* ---- FlowInsert ------------------------------------------------------ */

typedef struct {
  NaAgent               *agent;
  GDBusMethodInvocation *invocation;
  char                  *flow_uuid;
  NaFlowParams           params;
  NaFlowType             type;
  NaCaller              *caller;
  guint32                owner_uid;
  guint32                owner_pid;
} InsertRequest;

static void
insert_request_free (InsertRequest *req)
{
  g_object_unref (req->agent);
  g_object_unref (req->invocation);
  g_free (req->flow_uuid);
  na_flow_params_clear (&req->params);
  na_caller_free (req->caller);
  g_free (req);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InsertRequest, insert_request_free)

/* Errors of the layers below cross the bus as one of the contract's. */
static void
return_error (GDBusMethodInvocation *invocation, const GError *error)
{
  if (error->domain == NA_ERROR)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    g_dbus_method_invocation_return_error_literal (invocation, NA_ERROR,
                                                   NA_ERROR_ALREADY_EXISTS, error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    g_dbus_method_invocation_return_error_literal (invocation, NA_ERROR,
                                                   NA_ERROR_NOT_SUPPORTED, error->message);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    g_dbus_method_invocation_return_error_literal (invocation, NA_ERROR,
                                                   NA_ERROR_INVALID_ARGUMENT, error->message);
  else
    g_dbus_method_invocation_return_error_literal (invocation, NA_ERROR,
                                                   NA_ERROR_FAILED, error->message);
}

static void
add_endpoints (GVariantDict *dict, const NaFlowSpec *spec, gboolean listener,
               const struct in6_addr *local)
{
  char buf[INET6_ADDRSTRLEN];

  g_variant_dict_insert (dict, "local-endpoint", "s", na_in6_to_string (local, buf));
  if (!listener)
    g_variant_dict_insert (dict, "remote-endpoint", "s", na_in6_to_string (&spec->remote, buf));
}

/* The seed's assign message; a key is present only when it applies. */
static GVariantDict *
build_assignment (NaAgent *self, const char *flow_uuid, const NaFlowEntry *entry)
{
  GVariantDict *dict = g_variant_dict_new (NULL);
  g_autofree char *mac = na_link_info_mac_string (&self->link);

  g_variant_dict_insert (dict, "flow-uuid", "s", flow_uuid);
  g_variant_dict_insert (dict, "nexus-port-flow-index", "u", 0);
  if (entry)
    {
      g_variant_dict_insert (dict, "nexus-instance", "s", na_agent_get_uuid_str (self));
      g_variant_dict_insert (dict, "nexus-port", "u", entry->port);
      g_variant_dict_insert (dict, "nexus-key", "s", entry->key);
      if (entry->spec.type == NA_FLOW_TYPE_IPV6_ULA)
        add_endpoints (dict, &entry->spec, FALSE, &entry->spec.local);
      if (entry->spec.type != NA_FLOW_TYPE_FILTER)
        g_variant_dict_insert (dict, "local-ether-address", "s", mac);
    }
  else
    g_variant_dict_insert (dict, "local-ether-address", "s", mac);
  return dict;
}

static gboolean
check_quota (NaAgent *self, guint32 uid, GError **error)
{
  guint held;

  if (self->ctx->user_flow_quota == 0 || uid == 0)
    return TRUE;
  held = GPOINTER_TO_UINT (g_hash_table_lookup (self->ctx->user_flows, GUINT_TO_POINTER (uid)));
  if (held < self->ctx->user_flow_quota)
    return TRUE;
  g_set_error (error, NA_ERROR, NA_ERROR_LIMIT_REACHED,
               _("User %u already holds %u flows, the most allowed"), uid, held);
  return FALSE;
}

/* Make the flow's channel and start its data path; the client's fd out. */
static NaFlow *
open_flow (NaAgent *self, InsertRequest *req, NaFlowEntry *entry, int *client_fd, GError **error)
{
  g_autofd int tap_fd = -1;
  char tap_name[NA_IFNAMSIZ] = "";
  int tap_ifindex = 0;
  g_autofree char *path = NULL;
  NaDpChannel channel = { .type = req->params.channel_type };
  NaFlowOwnerInfo info;
  NaDpFlow *dp;
  NaFlow *flow;

  if (req->params.channel_type == NA_CHANNEL_TAP)
    {
      tap_fd = na_tap_create (req->params.tap_name, req->owner_uid, self->link.mtu,
                              tap_name, &tap_ifindex, error);
      if (tap_fd < 0)
        return NULL;
      channel.tap_ifindex = tap_ifindex;
    }

  path = g_strdup_printf (NETAGENT_DBUS_FLOW_PATH "/%" G_GUINT64_FORMAT, ++self->ctx->next_flow_id);
  info = (NaFlowOwnerInfo) {
    .agent_path = self->path,
    .owner_bus_name = req->caller->bus_name,
    .owner_uid = req->owner_uid,
    .owner_pid = req->owner_pid,
    .channel_type = req->params.channel_type,
    .tap_name = tap_ifindex ? tap_name : NULL,
    .tap_ifindex = tap_ifindex,
  };
  flow = na_flow_new (path, entry, &info);
  g_object_set_data (G_OBJECT (flow), "na-agent", self);

  dp = na_dp_flow_add (self->dp, &entry->spec, &channel, flow_hangup_cb, flow, client_fd, error);
  if (dp == NULL)
    {
      if (tap_ifindex)
        na_tap_delete (tap_ifindex, NULL);
      g_object_unref (flow);
      return NULL;
    }
  na_flow_set_datapath (flow, dp);
  if (tap_ifindex)
    *client_fd = g_steal_fd (&tap_fd);
  return flow;
}

static void
finish_insert (InsertRequest *req)
{
  NaAgent *self = req->agent;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariantDict) dict = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(NaDbusObjectSkeleton) object = NULL;
  NaFlowInsertResult res;
  NaFlow *flow;
  int client_fd = -1;

  if (self->purged)
    {
      g_dbus_method_invocation_return_error (req->invocation, NA_ERROR, NA_ERROR_NOT_FOUND,
                                             _("The agent was unregistered"));
      return;
    }
  if (!check_quota (self, req->owner_uid, &error) ||
      !na_flow_table_insert (self->table, req->flow_uuid, &req->params, req->owner_pid,
                             req->caller->bus_name, &self->ctx->ula, &res, &error))
    {
      return_error (req->invocation, error);
      return;
    }

  if (res.listener)
    {
      dict = build_assignment (self, res.flow_uuid, NULL);
      add_endpoints (dict, NULL, TRUE, &res.listener_local);
      na_dbus_net_agent1_agent_complete_flow_insert (IFACE (self), req->invocation, NULL, "/",
                                                     g_variant_dict_end (dict));
      return;
    }

  if (res.reused)
    {
      flow = g_hash_table_lookup (self->flows, res.entry->uuid);
      dict = build_assignment (self, res.flow_uuid, res.entry);
      g_variant_dict_insert (dict, "reused", "b", TRUE);
      na_dbus_net_agent1_agent_complete_flow_insert (IFACE (self), req->invocation, NULL,
                                                     na_flow_get_path (flow),
                                                     g_variant_dict_end (dict));
      return;
    }

  flow = open_flow (self, req, res.entry, &client_fd, &error);
  if (flow == NULL)
    {
      na_flow_table_remove (self->table, res.entry);
      return_error (req->invocation, error);
      return;
    }

  /* The list takes the client's fd as it is (no dup that could fail). */
  fds = g_unix_fd_list_new_from_array (&client_fd, 1);

  g_hash_table_insert (self->flows, res.entry->uuid, flow);
  na_owners_hold (self->ctx->owners, req->caller->bus_name);
  user_flows_add (self->ctx, req->owner_uid, 1);

  object = na_dbus_object_skeleton_new (na_flow_get_path (flow));
  na_dbus_object_skeleton_set_net_agent1_flow (object, NA_DBUS_NET_AGENT1_FLOW (flow));
  g_dbus_object_manager_server_export (self->ctx->object_manager, G_DBUS_OBJECT_SKELETON (object));
  publish_flows (self);

  g_info ("flow %s on %s: %s port %u for %s (uid %u, pid %u)", res.entry->uuid,
          self->link.name, na_flow_type_to_string (res.entry->spec.type), res.entry->port,
          req->caller->bus_name, req->owner_uid, req->owner_pid);

  na_dbus_net_agent1_agent_emit_flow_inserted (IFACE (self), res.entry->uuid,
                                               na_flow_get_path (flow), res.entry->port);

  dict = build_assignment (self, res.flow_uuid, res.entry);
  g_variant_dict_insert (dict, "channel", "h", 0);
  g_variant_dict_insert (dict, "channel-type", "s",
                         na_channel_type_to_string (req->params.channel_type));
  if (req->params.channel_type == NA_CHANNEL_TAP)
    g_variant_dict_insert (dict, "tap-name", "s",
                           na_dbus_net_agent1_flow_get_tap_name (NA_DBUS_NET_AGENT1_FLOW (flow)));
  na_dbus_net_agent1_agent_complete_flow_insert (IFACE (self), req->invocation, fds,
                                                 na_flow_get_path (flow),
                                                 g_variant_dict_end (dict));
}

/* The uid a delegated pid runs as; FALSE when there is no such process. */
static gboolean
pid_uid (guint32 pid, guint32 *uid)
{
  g_autofree char *proc = g_strdup_printf ("/proc/%u", pid);
  struct stat st;

  if (stat (proc, &st) < 0)
    return FALSE;
  *uid = st.st_uid;
  return TRUE;
}

static void
delegate_auth_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(InsertRequest) req = data;
  g_autoptr(GError) error = NULL;

  if (!na_auth_check_finish (NA_AUTH (source), res, &error))
    {
      return_error (req->invocation, error);
      return;
    }
  if (!pid_uid (req->params.pid, &req->owner_uid))
    {
      g_dbus_method_invocation_return_error (req->invocation, NA_ERROR,
                                             NA_ERROR_INVALID_ARGUMENT,
                                             _("There is no process %u"), req->params.pid);
      return;
    }
  req->owner_pid = req->params.pid;
  finish_insert (req);
}

static void
insert_auth_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(InsertRequest) req = data;
  g_autoptr(GError) error = NULL;

  if (!na_auth_check_finish (NA_AUTH (source), res, &error))
    {
      return_error (req->invocation, error);
      return;
    }
  if (req->params.has_pid)
    {
      InsertRequest *r = g_steal_pointer (&req);

      na_auth_check_async (r->agent->ctx->auth, r->invocation, r->caller->uid,
                           r->type, TRUE, NULL, delegate_auth_cb, r);
      return;
    }
  finish_insert (req);
}

static void
insert_caller_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(InsertRequest) req = data;
  g_autoptr(GError) error = NULL;
  InsertRequest *r;

  req->caller = na_caller_get_finish (res, &error);
  if (req->caller == NULL)
    {
      return_error (req->invocation, error);
      return;
    }
  req->owner_uid = req->caller->uid;
  req->owner_pid = req->caller->pid;
  r = g_steal_pointer (&req);
  na_auth_check_async (r->agent->ctx->auth, r->invocation, r->caller->uid, r->type, FALSE,
                       NULL, insert_auth_cb, r);
}

static gboolean
handle_flow_insert (NaDbusNetAgent1Agent  *iface,
                    GDBusMethodInvocation *invocation,
                    GUnixFDList           *fd_list,
                    const char            *flow_uuid,
                    GVariant              *parameters)
{
  NaAgent *self = NA_AGENT (iface);
  g_autoptr(InsertRequest) req = g_new0 (InsertRequest, 1);
  g_autoptr(GError) error = NULL;

  req->agent = g_object_ref (self);
  req->invocation = g_object_ref (invocation);
  req->flow_uuid = g_strdup (flow_uuid);

  /* Malformed requests are refused before anyone is asked anything. */
  if (!na_flow_params_parse (parameters, &req->params, &error) ||
      !na_flow_params_infer_type (&req->params, &req->type, &error))
    {
      return_error (invocation, error);
      return TRUE;
    }
  na_caller_get_async (invocation, NULL, insert_caller_cb, g_steal_pointer (&req));
  return TRUE;
}

/* ---- FlowRemove / FlowAbort ------------------------------------------ */

typedef struct {
  NaAgent               *agent;
  GDBusMethodInvocation *invocation;
  char                  *flow_uuid;
  const char            *reason;
} RemoveRequest;

static void
remove_request_free (RemoveRequest *req)
{
  g_object_unref (req->agent);
  g_object_unref (req->invocation);
  g_free (req->flow_uuid);
  g_free (req);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RemoveRequest, remove_request_free)

static void
complete_remove (NaAgent *self, GDBusMethodInvocation *invocation, const char *reason)
{
  if (g_str_equal (reason, NETAGENT_REASON_ABORTED))
    na_dbus_net_agent1_agent_complete_flow_abort (IFACE (self), invocation);
  else
    na_dbus_net_agent1_agent_complete_flow_remove (IFACE (self), invocation);
}

/* Ends the flow if it still exists, and answers the invocation. */
static void
finish_remove (RemoveRequest *req)
{
  NaFlow *flow = g_hash_table_lookup (req->agent->flows, req->flow_uuid);

  if (flow == NULL)
    {
      g_dbus_method_invocation_return_error (req->invocation, NA_ERROR, NA_ERROR_NOT_FOUND,
                                             _("No flow %s on this agent"), req->flow_uuid);
      return;
    }
  end_flow (req->agent, flow, req->reason);
  complete_remove (req->agent, req->invocation, req->reason);
}

static void
remove_auth_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(RemoveRequest) req = data;
  g_autoptr(GError) error = NULL;

  if (!na_auth_check_finish (NA_AUTH (source), res, &error))
    {
      return_error (req->invocation, error);
      return;
    }
  finish_remove (req);
}

static void
remove_caller_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(RemoveRequest) req = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NaCaller) caller = na_caller_get_finish (res, &error);

  if (caller == NULL)
    {
      return_error (req->invocation, error);
      return;
    }
  RemoveRequest *r = g_steal_pointer (&req);

  na_auth_check_async (r->agent->ctx->auth, r->invocation, caller->uid,
                       NA_FLOW_TYPE_NONE, TRUE, NULL, remove_auth_cb, r);
}

static gboolean
handle_remove (NaAgent *self, GDBusMethodInvocation *invocation, const char *flow_uuid,
               const char *reason)
{
  g_autoptr(RemoveRequest) req = NULL;
  NaFlow *flow = g_hash_table_lookup (self->flows, flow_uuid);

  if (flow == NULL)
    {
      if (na_flow_table_forget_listener (self->table, flow_uuid))
        {
          /* A listener binds nothing: removing it is a no-op success. */
          complete_remove (self, invocation, reason);
        }
      else
        {
          g_autofree char *shown = na_text_excerpt (flow_uuid, 64);

          g_dbus_method_invocation_return_error (invocation, NA_ERROR, NA_ERROR_NOT_FOUND,
                                                 _("No flow %s on this agent"), shown);
        }
      return TRUE;
    }

  req = g_new0 (RemoveRequest, 1);
  req->agent = g_object_ref (self);
  req->invocation = g_object_ref (invocation);
  req->flow_uuid = g_strdup (flow_uuid);
  req->reason = reason;

  /* Its owner may end it; anyone else needs flow-delegate. */
  if (g_strcmp0 (g_dbus_method_invocation_get_sender (invocation), na_flow_get_owner (flow)) == 0)
    finish_remove (req);
  else
    na_caller_get_async (invocation, NULL, remove_caller_cb, g_steal_pointer (&req));
  return TRUE;
}

static gboolean
handle_flow_remove (NaDbusNetAgent1Agent *iface, GDBusMethodInvocation *invocation,
                    const char *flow_uuid)
{
  return handle_remove (NA_AGENT (iface), invocation, flow_uuid, NETAGENT_REASON_REMOVED);
}

static gboolean
handle_flow_abort (NaDbusNetAgent1Agent *iface, GDBusMethodInvocation *invocation,
                   const char *flow_uuid)
{
  return handle_remove (NA_AGENT (iface), invocation, flow_uuid, NETAGENT_REASON_ABORTED);
}

/* ---- life ------------------------------------------------------------ */

static void
na_agent_finalize (GObject *object)
{
  NaAgent *self = NA_AGENT (object);

  na_agent_purge (self);
  g_hash_table_unref (self->flows);
  na_flow_table_free (self->table);
  g_free (self->path);
  G_OBJECT_CLASS (na_agent_parent_class)->finalize (object);
}

static void
na_agent_class_init (NaAgentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = na_agent_finalize;
  na_dbus_stats_override (G_DBUS_INTERFACE_SKELETON_CLASS (klass),
                          G_DBUS_INTERFACE_SKELETON_CLASS (na_agent_parent_class),
                          agent_statistics);
}

static void
na_agent_init (NaAgent *self)
{
  self->flows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
  g_signal_connect (self, "handle-flow-insert", G_CALLBACK (handle_flow_insert), NULL);
  g_signal_connect (self, "handle-flow-remove", G_CALLBACK (handle_flow_remove), NULL);
  g_signal_connect (self, "handle-flow-abort", G_CALLBACK (handle_flow_abort), NULL);
}

NaAgent *
na_agent_new (NaContext               *ctx,
              const char              *object_path,
              const NaLinkInfo        *link,
              const NaRegisterOptions *options,
              GError                 **error)
{
  g_autoptr(NaAgent) self = g_object_new (NA_TYPE_AGENT, NULL);
  NaDbusNetAgent1Agent *iface = IFACE (self);
  g_auto(GStrv) features = na_features_to_strv (options->features);
  char uuid[NA_UUID_STRLEN];
  g_autoptr(GError) dp_error = NULL;
  guint64 zero[NA_AGENT_N_STATS] = { 0 };

  self->ctx = ctx;
  self->path = g_strdup (object_path);
  self->features = options->features;
  self->link = *link;
  self->table = na_flow_table_new (options->features, options->flow_max);
  self->dp = na_dp_agent_new (ctx->datapath, link->ifindex, link->mac, link->mtu, &dp_error);
  if (self->dp == NULL)
    {
      g_set_error (error, NA_ERROR, NA_ERROR_FAILED,
                   _("Cannot attach to %s: %s"), link->name, dp_error->message);
      return NULL;
    }

  na_uuid_generate (uuid);
  na_dbus_net_agent1_agent_set_uuid (iface, uuid);
  na_dbus_net_agent1_agent_set_domain (iface, options->domain);
  na_dbus_net_agent1_agent_set_type_ (iface, options->type);
  na_dbus_net_agent1_agent_set_description (iface, options->description);
  na_dbus_net_agent1_agent_set_nexus_flags (iface, na_agent_nexus_flags (options->features));
  na_dbus_net_agent1_agent_set_frame_type (iface, NETAGENT_NEXUS_FRAME_TYPE_LINK);
  na_dbus_net_agent1_agent_set_features (iface, (const char *const *) features);
  na_dbus_net_agent1_agent_set_interface_index (iface, link->ifindex);
  na_dbus_net_agent1_agent_set_flow_max (iface, options->flow_max);
  na_dbus_net_agent1_agent_set_statistics (iface, na_agent_stats_to_variant (zero));
  publish_link (self);
  publish_flows (self);
  new_generation (self);
  return g_steal_pointer (&self);
}

void
na_agent_link_changed (NaAgent *self, const NaLinkInfo *link)
{
  if (self->purged)
    return;
  self->link = *link;
  if (self->dp)
    na_dp_agent_set_link (self->dp, link->mac, link->mtu);
  if (!publish_link (self))
    return;
  new_generation (self);
  g_info ("agent %s on %s updated: mtu %u, %s", na_agent_get_uuid_str (self), link->name,
          link->mtu, link->up ? "up" : "down");
  na_dbus_net_agent1_emit_agent_updated (self->ctx->manager, na_agent_get_uuid_str (self),
                                         self->path,
                                         na_dbus_net_agent1_agent_get_generation (IFACE (self)));
}

const char *
na_agent_get_path (NaAgent *self)
{
  return self->path;
}

const char *
na_agent_get_uuid_str (NaAgent *self)
{
  return na_dbus_net_agent1_agent_get_uuid (IFACE (self));
}

int
na_agent_get_ifindex (NaAgent *self)
{
  return self->link.ifindex;
}

const char *
na_agent_get_ifname (NaAgent *self)
{
  return self->link.name;
}
