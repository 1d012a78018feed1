/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * "Statistics" properties are computed when read — from Get, GetAll and
 * the ObjectManager's GetManagedObjects alike — instead of being pushed
 * into the skeleton on every frame.  A skeleton subclass calls this from
 * class_init with the function that computes the a{st}.
 */
typedef GVariant *(*NaStatsFunc) (GDBusInterfaceSkeleton *skeleton);

void na_dbus_stats_override (GDBusInterfaceSkeletonClass *klass,
                             GDBusInterfaceSkeletonClass *parent_class,
                             NaStatsFunc                  stats);

G_END_DECLS
