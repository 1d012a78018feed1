/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "na-service"

#include "na-dbus-stats.h"

#define STATISTICS "Statistics"

/* One entry per overriding class; there are two (agent and flow). */
typedef struct {
  GType                        type;
  GDBusInterfaceSkeletonClass *parent_class;
  NaStatsFunc                  stats;
  GDBusInterfaceVTable         vtable;
  GDBusInterfaceGetPropertyFunc parent_get_property;
} Override;

static Override overrides[4];
static guint n_overrides;

static Override *
find_override (gpointer instance)
{
  for (guint i = 0; i < n_overrides; i++)
    if (G_TYPE_CHECK_INSTANCE_TYPE (instance, overrides[i].type))
      return &overrides[i];
  g_assert_not_reached ();
}

static GVariant *
get_property (GDBusConnection *connection,
              const char      *sender,
              const char      *object_path,
              const char      *interface_name,
              const char      *property_name,
              GError         **error,
              gpointer         user_data)
{
  Override *o = find_override (user_data);

  if (g_str_equal (property_name, STATISTICS))
    return o->stats (user_data);
  return o->parent_get_property (connection, sender, object_path, interface_name,
                                 property_name, error, user_data);
}

static GDBusInterfaceVTable *
get_vtable (GDBusInterfaceSkeleton *skeleton)
{
  Override *o = find_override (skeleton);
  GDBusInterfaceVTable *parent = o->parent_class->get_vtable (skeleton);

  o->parent_get_property = parent->get_property;
  o->vtable = *parent;
  o->vtable.get_property = get_property;
  return &o->vtable;
}

static GVariant *
get_properties (GDBusInterfaceSkeleton *skeleton)
{
  Override *o = find_override (skeleton);
  g_autoptr(GVariant) parent = g_variant_ref_sink (o->parent_class->get_properties (skeleton));
  GVariantBuilder builder;
  GVariantIter iter;
  const char *name;
  GVariant *value;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_iter_init (&iter, parent);
  while (g_variant_iter_loop (&iter, "{&sv}", &name, &value))
    {
      if (g_str_equal (name, STATISTICS))
        g_variant_builder_add (&builder, "{sv}", name, o->stats (skeleton));
      else
        g_variant_builder_add (&builder, "{sv}", name, value);
    }
  return g_variant_builder_end (&builder);
}

void
na_dbus_stats_override (GDBusInterfaceSkeletonClass *klass,
                        GDBusInterfaceSkeletonClass *parent_class,
                        NaStatsFunc                  stats)
{
  Override *o;

  g_assert (n_overrides < G_N_ELEMENTS (overrides));
  o = &overrides[n_overrides++];
  o->type = G_TYPE_FROM_CLASS (klass);
  o->parent_class = parent_class;
  o->stats = stats;
  klass->get_vtable = get_vtable;
  klass->get_properties = get_properties;
}
