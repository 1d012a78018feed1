/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "na-core"

#include <gio/gio.h>

#include <netagent/netagent-names.h>

#include "na-error.h"

static const GDBusErrorEntry na_error_entries[] = {
  { NA_ERROR_FAILED,            NETAGENT_DBUS_ERROR_FAILED },
  { NA_ERROR_INVALID_ARGUMENT,  NETAGENT_DBUS_ERROR_INVALID_ARGUMENT },
  { NA_ERROR_BAD_ETHERTYPE,     NETAGENT_DBUS_ERROR_BAD_ETHERTYPE },
  { NA_ERROR_BAD_ADDRESS,       NETAGENT_DBUS_ERROR_BAD_ADDRESS },
  { NA_ERROR_NOT_SUPPORTED,     NETAGENT_DBUS_ERROR_NOT_SUPPORTED },
  { NA_ERROR_NOT_FOUND,         NETAGENT_DBUS_ERROR_NOT_FOUND },
  { NA_ERROR_ALREADY_EXISTS,    NETAGENT_DBUS_ERROR_ALREADY_EXISTS },
  { NA_ERROR_LIMIT_REACHED,     NETAGENT_DBUS_ERROR_LIMIT_REACHED },
  { NA_ERROR_NO_SUCH_INTERFACE, NETAGENT_DBUS_ERROR_NO_SUCH_INTERFACE },
  { NA_ERROR_ACCESS_DENIED,     NETAGENT_DBUS_ERROR_ACCESS_DENIED },
};

G_STATIC_ASSERT (G_N_ELEMENTS (na_error_entries) == NA_ERROR_N_CODES);

GQuark
na_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("netagentd-error-quark", &quark,
                                      na_error_entries,
                                      G_N_ELEMENTS (na_error_entries));
  return (GQuark) quark;
}
