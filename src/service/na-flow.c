/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-flow"

#include <arpa/inet.h>

#include "na-dbus-stats.h"
#include "na-flow.h"
#include "na-stats.h"

struct _NaFlow {
  NaDbusNetAgent1FlowSkeleton parent_instance;

  char     *path;
  char     *owner;
  guint32   owner_uid;
  int       tap_ifindex;
  NaDpFlow *dp;
};

G_DEFINE_FINAL_TYPE (NaFlow, na_flow, NA_DBUS_TYPE_NET_AGENT1_FLOW_SKELETON)

static void
na_flow_finalize (GObject *object)
{
  NaFlow *self = NA_FLOW (object);

  na_flow_stop_datapath (self);
  g_free (self->path);
  g_free (self->owner);
  G_OBJECT_CLASS (na_flow_parent_class)->finalize (object);
}

GVariant *
na_flow_build_statistics (NaFlow *self)
{
  guint64 values[NA_FLOW_N_STATS] = { 0 };

  if (self->dp)
    na_dp_flow_get_stats (self->dp, values);
  return na_flow_stats_to_variant (values);
}

static GVariant *
flow_statistics (GDBusInterfaceSkeleton *skeleton)
{
  return na_flow_build_statistics (NA_FLOW (skeleton));
}

static void
na_flow_class_init (NaFlowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = na_flow_finalize;
  na_dbus_stats_override (G_DBUS_INTERFACE_SKELETON_CLASS (klass),
                          G_DBUS_INTERFACE_SKELETON_CLASS (na_flow_parent_class),
                          flow_statistics);
}

static void
na_flow_init (NaFlow *self)
{
}

NaFlow *
na_flow_new (const char            *object_path,
             const NaFlowEntry     *entry,
             const NaFlowOwnerInfo *info)
{
  NaFlow *self = g_object_new (NA_TYPE_FLOW, NULL);
  NaDbusNetAgent1Flow *iface = NA_DBUS_NET_AGENT1_FLOW (self);
  char local[INET6_ADDRSTRLEN] = "";
  char remote[INET6_ADDRSTRLEN] = "";
  guint64 zero[NA_FLOW_N_STATS] = { 0 };

  self->path = g_strdup (object_path);
  self->owner = g_strdup (info->owner_bus_name);
  self->owner_uid = info->owner_uid;
  self->tap_ifindex = info->tap_ifindex;

  if (entry->spec.type == NA_FLOW_TYPE_IPV6_ULA)
    {
      na_in6_to_string (&entry->spec.local, local);
      na_in6_to_string (&entry->spec.remote, remote);
    }

  na_dbus_net_agent1_flow_set_uuid (iface, entry->uuid);
  na_dbus_net_agent1_flow_set_agent (iface, info->agent_path);
  na_dbus_net_agent1_flow_set_type_ (iface, na_flow_type_to_string (entry->spec.type));
  na_dbus_net_agent1_flow_set_ethertype (iface, entry->spec.ethertype);
  na_dbus_net_agent1_flow_set_local_address (iface, local);
  na_dbus_net_agent1_flow_set_remote_address (iface, remote);
  na_dbus_net_agent1_flow_set_port (iface, entry->port);
  na_dbus_net_agent1_flow_set_owner_bus_name (iface, info->owner_bus_name);
  na_dbus_net_agent1_flow_set_owner_uid (iface, info->owner_uid);
  na_dbus_net_agent1_flow_set_owner_pid (iface, info->owner_pid);
  na_dbus_net_agent1_flow_set_channel_type (iface, na_channel_type_to_string (info->channel_type));
  na_dbus_net_agent1_flow_set_tap_name (iface, info->tap_name ? info->tap_name : "");
  /* Never read from here (computed when read), but keep the skeleton's
   * value well-typed. */
  na_dbus_net_agent1_flow_set_statistics (iface, na_flow_stats_to_variant (zero));
  return self;
}

const char *
na_flow_get_path (NaFlow *self)
{
  return self->path;
}

const char *
na_flow_get_uuid_str (NaFlow *self)
{
  return na_dbus_net_agent1_flow_get_uuid (NA_DBUS_NET_AGENT1_FLOW (self));
}

const char *
na_flow_get_owner (NaFlow *self)
{
  return self->owner;
}

guint32
na_flow_get_owner_uid (NaFlow *self)
{
  return self->owner_uid;
}

int
na_flow_get_tap_ifindex (NaFlow *self)
{
  return self->tap_ifindex;
}

void
na_flow_set_datapath (NaFlow *self, NaDpFlow *dp)
{
  g_return_if_fail (self->dp == NULL);
  self->dp = dp;
}

void
na_flow_stop_datapath (NaFlow *self)
{
  g_clear_pointer (&self->dp, na_dp_flow_remove);
}
