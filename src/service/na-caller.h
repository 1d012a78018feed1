/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Who called: the unique bus name and what the bus says about it. */
typedef struct {
  char    *bus_name;
  guint32  uid;
  guint32  pid;
} NaCaller;

void      na_caller_free       (NaCaller *caller);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NaCaller, na_caller_free)

/* Asks the bus (GetConnectionCredentials) about the invocation's sender. */
void      na_caller_get_async  (GDBusMethodInvocation *invocation,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data);
NaCaller *na_caller_get_finish (GAsyncResult  *result,
                                GError       **error);

/*
 * Unique bus names that own flows, each watched while held: when one
 * leaves the bus, @vanished runs once for it (its holds are then void).
 */
typedef struct _NaOwners NaOwners;
typedef void (*NaOwnerVanishedFunc) (const char *bus_name, gpointer user_data);

NaOwners *na_owners_new     (GDBusConnection     *connection,
                             NaOwnerVanishedFunc  vanished,
                             gpointer             user_data);
void      na_owners_free    (NaOwners *owners);
void      na_owners_hold    (NaOwners *owners, const char *bus_name);
void      na_owners_release (NaOwners *owners, const char *bus_name);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NaOwners, na_owners_free)

G_END_DECLS
