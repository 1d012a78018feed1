/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-manager"

#include <glib/gi18n-lib.h>

#include <netagent/netagent-names.h>

#include "na-agent.h"
#include "na-error.h"
#include "na-link-monitor.h"
#include "na-manager.h"

struct _NaManager {
  GObject        parent_instance;

  NaContext      ctx;
  NaLinkMonitor *links;
  GHashTable    *agents;         /* object path → NaAgent (owned) */
  NaConfig      *config;
  guint64        next_agent_id;  /* Agent/<n>: never reused */
};

G_DEFINE_FINAL_TYPE (NaManager, na_manager, G_TYPE_OBJECT)

static NaAgent *
find_by_ifindex (NaManager *self, int ifindex)
{
  GHashTableIter iter;
  gpointer agent;

  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &agent))
    if (na_agent_get_ifindex (agent) == ifindex)
      return agent;
  return NULL;
}

static void
publish_agents (NaManager *self)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GList) keys = g_hash_table_get_keys (self->agents);

  keys = g_list_sort (keys, (GCompareFunc) g_strcmp0);
  for (GList *l = keys; l; l = l->next)
    g_ptr_array_add (paths, l->data);
  g_ptr_array_add (paths, NULL);
  na_dbus_net_agent1_set_agents (self->ctx.manager, (const char *const *) paths->pdata);
}

static void
emit_interfaces_updated (NaManager *self, const char *ifname, int ifindex)
{
  NaAgent *agent = find_by_ifindex (self, ifindex);
  const char *uuids[2] = { agent ? na_agent_get_uuid_str (agent) : NULL, NULL };

  na_dbus_net_agent1_emit_interfaces_updated (self->ctx.manager, ifname, uuids);
}

static NaAgent *
register_agent (NaManager *self, const char *ifname, const NaRegisterOptions *opts,
                GError **error)
{
  NaLinkInfo link;
  g_autofree char *path = NULL;
  g_autoptr(NaDbusObjectSkeleton) object = NULL;
  NaAgent *agent;

  if (!na_link_monitor_lookup_name (self->links, ifname, &link))
    {
      g_autofree char *shown = na_text_excerpt (ifname, 64);

      g_set_error (error, NA_ERROR, NA_ERROR_NO_SUCH_INTERFACE,
                   _("There is no network interface “%s”"), shown);
      return NULL;
    }
  /* Every flow type is addressed by the link's Ethernet MAC (the seed's
   * get_mac_addr()); a link without one can carry none of them. */
  if (!link.has_ether_mac)
    {
      g_set_error (error, NA_ERROR, NA_ERROR_NOT_SUPPORTED,
                   _("Interface %s has no Ethernet address: it cannot carry flows"),
                   link.name);
      return NULL;
    }
  if (find_by_ifindex (self, link.ifindex))
    {
      g_set_error (error, NA_ERROR, NA_ERROR_ALREADY_EXISTS,
                   _("Interface %s already has an agent"), link.name);
      return NULL;
    }

  path = g_strdup_printf (NETAGENT_DBUS_AGENT_PATH "/%" G_GUINT64_FORMAT, ++self->next_agent_id);
  agent = na_agent_new (&self->ctx, path, &link, opts, error);
  if (agent == NULL)
    return NULL;
  g_hash_table_insert (self->agents, g_strdup (path), agent);

  object = na_dbus_object_skeleton_new (path);
  na_dbus_object_skeleton_set_net_agent1_agent (object, NA_DBUS_NET_AGENT1_AGENT (agent));
  g_dbus_object_manager_server_export (self->ctx.object_manager, G_DBUS_OBJECT_SKELETON (object));
  publish_agents (self);

  g_message ("agent %s registered on %s (%s)", na_agent_get_uuid_str (agent), link.name, path);
  na_dbus_net_agent1_emit_agent_registered (self->ctx.manager, na_agent_get_uuid_str (agent), path);
  emit_interfaces_updated (self, link.name, link.ifindex);
  return agent;
}

static void
unregister_agent (NaManager *self, NaAgent *agent)
{
  g_autoptr(NaAgent) hold G_GNUC_UNUSED = g_object_ref (agent);
  g_autofree char *path = g_strdup (na_agent_get_path (agent));
  g_autofree char *uuid = g_strdup (na_agent_get_uuid_str (agent));
  g_autofree char *ifname = g_strdup (na_agent_get_ifname (agent));

  na_agent_purge (agent);
  g_dbus_object_manager_server_unexport (self->ctx.object_manager, path);
  g_hash_table_remove (self->agents, path);
  publish_agents (self);

  g_message ("agent %s unregistered from %s", uuid, ifname);
  na_dbus_net_agent1_emit_agent_unregistered (self->ctx.manager, uuid, path);
  na_dbus_net_agent1_emit_interfaces_updated (self->ctx.manager, ifname,
                                              (const char *const[]) { NULL });
}

/* The configuration's automatic registration, for one link. */
static void
auto_register (NaManager *self, const NaLinkInfo *link)
{
  const NaConfigRule *rule;
  g_autoptr(GError) error = NULL;

  if (self->config == NULL || find_by_ifindex (self, link->ifindex))
    return;
  rule = na_config_match (self->config, link->name);
  if (rule == NULL)
    return;
  if (!register_agent (self, link->name, &rule->options, &error))
    g_warning ("cannot register an agent on %s for [agent %s]: %s",
               link->name, rule->name, error->message);
}

void
na_manager_set_config (NaManager *self, NaConfig *config)
{
  g_autoptr(GArray) links = NULL;

  g_clear_pointer (&self->config, na_config_free);
  self->config = config;
  self->ctx.user_flow_quota = config->user_flow_quota;

  links = na_link_monitor_list (self->links);
  for (guint i = 0; i < links->len; i++)
    auto_register (self, &g_array_index (links, NaLinkInfo, i));
}

/* ---- methods --------------------------------------------------------- */

typedef struct _Call Call;
typedef void (*CallFunc) (Call *call);

struct _Call {
  NaManager             *manager;
  GDBusMethodInvocation *invocation;
  char                  *arg;
  GVariant              *options;
  CallFunc               func;      /* what to do once authorized */
};

static void
call_free (Call *call)
{
  g_object_unref (call->manager);
  g_object_unref (call->invocation);
  g_free (call->arg);
  g_clear_pointer (&call->options, g_variant_unref);
  g_free (call);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

static Call *
call_new (NaManager *self, GDBusMethodInvocation *invocation, const char *arg, GVariant *options)
{
  Call *call = g_new0 (Call, 1);

  call->manager = g_object_ref (self);
  call->invocation = g_object_ref (invocation);
  call->arg = g_strdup (arg);
  call->options = options ? g_variant_ref (options) : NULL;
  return call;
}

static void
authorized_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(Call) call = data;
  g_autoptr(GError) error = NULL;

  if (!na_auth_check_finish (NA_AUTH (source), res, &error))
    g_dbus_method_invocation_return_gerror (call->invocation, error);
  else
    call->func (call);
}

static void
caller_cb (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr(Call) call = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(NaCaller) caller = na_caller_get_finish (res, &error);

  if (caller == NULL)
    {
      g_dbus_method_invocation_return_gerror (call->invocation, error);
      return;
    }
  Call *c = g_steal_pointer (&call);

  na_auth_check_async (c->manager->ctx.auth, c->invocation, caller->uid,
                       NA_FLOW_TYPE_NONE, FALSE, NULL, authorized_cb, c);
}

/* Run @func once the caller is allowed the register action. */
static void
authorize_then (Call *call, CallFunc func)
{
  call->func = func;
  na_caller_get_async (call->invocation, NULL, caller_cb, call);
}

static void
do_register (Call *call)
{
  g_autoptr(GError) error = NULL;
  NaRegisterOptions opts;
  NaAgent *agent = NULL;

  if (na_register_options_parse (call->options, &opts, &error))
    agent = register_agent (call->manager, call->arg, &opts, &error);

  if (agent == NULL)
    g_dbus_method_invocation_return_gerror (call->invocation, error);
  else
    na_dbus_net_agent1_complete_register (call->manager->ctx.manager, call->invocation,
                                          na_agent_get_path (agent));
}

static void
do_unregister (Call *call)
{
  NaAgent *agent = g_hash_table_lookup (call->manager->agents, call->arg);

  if (agent == NULL)
    {
      g_dbus_method_invocation_return_error (call->invocation, NA_ERROR, NA_ERROR_NOT_FOUND,
                                             _("No agent %s"), call->arg);
      return;
    }
  unregister_agent (call->manager, agent);
  na_dbus_net_agent1_complete_unregister (call->manager->ctx.manager, call->invocation);
}

static gboolean
handle_register (NaDbusNetAgent1 *iface, GDBusMethodInvocation *invocation,
                 const char *interface, GVariant *options, gpointer data)
{
  authorize_then (call_new (data, invocation, interface, options), do_register);
  return TRUE;
}

static gboolean
handle_unregister (NaDbusNetAgent1 *iface, GDBusMethodInvocation *invocation,
                   const char *agent, gpointer data)
{
  NaManager *self = data;

  /* An unknown agent is NotFound even before authorization: the
   * agent list is public anyway. */
  if (!g_hash_table_contains (self->agents, agent))
    {
      g_dbus_method_invocation_return_error (invocation, NA_ERROR, NA_ERROR_NOT_FOUND,
                                             _("No agent %s"), agent);
      return TRUE;
    }
  authorize_then (call_new (self, invocation, agent, NULL), do_unregister);
  return TRUE;
}

static gboolean
handle_find_agent (NaDbusNetAgent1 *iface, GDBusMethodInvocation *invocation,
                   const char *interface, gpointer data)
{
  NaManager *self = data;
  g_autofree char *shown = NULL;
  GHashTableIter iter;
  gpointer agent;

  g_hash_table_iter_init (&iter, self->agents);
  while (g_hash_table_iter_next (&iter, NULL, &agent))
    if (g_strcmp0 (na_agent_get_ifname (agent), interface) == 0)
      {
        na_dbus_net_agent1_complete_find_agent (iface, invocation, na_agent_get_path (agent));
        return TRUE;
      }
  shown = na_text_excerpt (interface, 64);
  g_dbus_method_invocation_return_error (invocation, NA_ERROR, NA_ERROR_NOT_FOUND,
                                         _("No agent on interface “%s”"), shown);
  return TRUE;
}

/* ---- links and owners ------------------------------------------------ */

static void
link_changed_cb (NaLinkMonitor *links, gpointer info, gpointer data)
{
  NaManager *self = data;
  const NaLinkInfo *link = info;
  NaAgent *agent = find_by_ifindex (self, link->ifindex);
  g_autofree char *old_name = NULL;

  if (agent == NULL)
    {
      auto_register (self, link);   /* renamed into a pattern? */
      return;
    }
  old_name = g_strdup (na_agent_get_ifname (agent));
  na_agent_link_changed (agent, link);
  if (!g_str_equal (old_name, link->name))
    {
      /* Renamed: the old name has no agent any more, the new one has. */
      na_dbus_net_agent1_emit_interfaces_updated (self->ctx.manager, old_name,
                                                  (const char *const[]) { NULL });
      emit_interfaces_updated (self, link->name, link->ifindex);
    }
}

static void
link_added_cb (NaLinkMonitor *links, gpointer info, gpointer data)
{
  auto_register (data, info);
}

static void
link_removed_cb (NaLinkMonitor *links, int ifindex, const char *name, gpointer data)
{
  NaManager *self = data;
  NaAgent *agent = find_by_ifindex (self, ifindex);

  if (agent)
    {
      g_message ("interface %s went away", name);
      unregister_agent (self, agent);
    }
}

static void
owner_vanished_cb (const char *bus_name, gpointer data)
{
  NaManager *self = data;
  g_autoptr(GList) agents = g_hash_table_get_values (self->agents);

  for (GList *l = agents; l; l = l->next)
    na_agent_owner_vanished (l->data, bus_name);
}

/* ---- life ------------------------------------------------------------ */

void
na_manager_shutdown (NaManager *self)
{
  g_autoptr(GList) agents = g_hash_table_get_values (self->agents);

  for (GList *l = agents; l; l = l->next)
    unregister_agent (self, l->data);
}

static void
na_manager_dispose (GObject *object)
{
  NaManager *self = NA_MANAGER (object);

  if (self->agents)
    na_manager_shutdown (self);
  g_clear_pointer (&self->agents, g_hash_table_unref);
  if (self->links)
    g_signal_handlers_disconnect_by_data (self->links, self);
  g_clear_object (&self->links);
  g_clear_pointer (&self->ctx.owners, na_owners_free);
  if (self->ctx.manager)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->ctx.manager));
  g_clear_object (&self->ctx.manager);
  g_clear_object (&self->ctx.object_manager);
  g_clear_pointer (&self->ctx.datapath, na_datapath_free);
  g_clear_object (&self->ctx.auth);
  g_clear_pointer (&self->ctx.user_flows, g_hash_table_unref);
  g_clear_pointer (&self->config, na_config_free);
  g_clear_object (&self->ctx.connection);
  G_OBJECT_CLASS (na_manager_parent_class)->dispose (object);
}

static void
na_manager_class_init (NaManagerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = na_manager_dispose;
}

static void
na_manager_init (NaManager *self)
{
  self->agents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

NaManager *
na_manager_new (GDBusConnection *connection, GError **error)
{
  g_autoptr(NaManager) self = g_object_new (NA_TYPE_MANAGER, NULL);
  NaContext *ctx = &self->ctx;
  g_autoptr(GError) local = NULL;

  ctx->connection = g_object_ref (connection);
  na_ula_generator_init (&ctx->ula, NULL, NULL);
  ctx->user_flows = g_hash_table_new (NULL, NULL);
  ctx->auth = na_auth_new ();
  ctx->owners = na_owners_new (connection, owner_vanished_cb, self);

  self->links = na_link_monitor_new (&local);
  if (self->links == NULL)
    {
      g_set_error (error, NA_ERROR, NA_ERROR_FAILED,
                   _("Cannot watch network interfaces: %s"), local->message);
      return NULL;
    }
  g_signal_connect (self->links, "link-added", G_CALLBACK (link_added_cb), self);
  g_signal_connect (self->links, "link-changed", G_CALLBACK (link_changed_cb), self);
  g_signal_connect (self->links, "link-removed", G_CALLBACK (link_removed_cb), self);

  ctx->datapath = na_datapath_new (NULL, &local);
  if (ctx->datapath == NULL)
    {
      g_set_error (error, NA_ERROR, NA_ERROR_FAILED,
                   _("Cannot start the data path: %s"), local->message);
      return NULL;
    }

  ctx->manager = na_dbus_net_agent1_skeleton_new ();
  na_dbus_net_agent1_set_version (ctx->manager, PACKAGE_VERSION);
  na_dbus_net_agent1_set_agents (ctx->manager, (const char *const[]) { NULL });
  g_signal_connect (ctx->manager, "handle-register", G_CALLBACK (handle_register), self);
  g_signal_connect (ctx->manager, "handle-unregister", G_CALLBACK (handle_unregister), self);
  g_signal_connect (ctx->manager, "handle-find-agent", G_CALLBACK (handle_find_agent), self);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (ctx->manager),
                                         connection, NETAGENT_DBUS_PATH, error))
    return NULL;

  /* Agents and flows live below the manager's path; the ObjectManager at
   * that path lists them (the manager interface itself is beside it). */
  ctx->object_manager = g_dbus_object_manager_server_new (NETAGENT_DBUS_PATH);
  g_dbus_object_manager_server_set_connection (ctx->object_manager, connection);
  return g_steal_pointer (&self);
}
