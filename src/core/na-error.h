/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The contract's errors.  Registered with GDBus so that a GError in
 * NA_ERROR crosses the bus as io.netagentd.NetAgent1.Error.<Name> and
 * comes back as the same code in a GDBus client.
 */
typedef enum {
  NA_ERROR_FAILED,
  NA_ERROR_INVALID_ARGUMENT,
  NA_ERROR_BAD_ETHERTYPE,
  NA_ERROR_BAD_ADDRESS,
  NA_ERROR_NOT_SUPPORTED,
  NA_ERROR_NOT_FOUND,
  NA_ERROR_ALREADY_EXISTS,
  NA_ERROR_LIMIT_REACHED,
  NA_ERROR_NO_SUCH_INTERFACE,
  NA_ERROR_ACCESS_DENIED,
} NaError;

#define NA_ERROR_N_CODES (NA_ERROR_ACCESS_DENIED + 1)

#define NA_ERROR (na_error_quark ())
GQuark na_error_quark (void);

G_END_DECLS
