/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every NaError code crosses D-Bus as the contract's error name and comes
 * back as the same code.
 */
#define G_LOG_DOMAIN "test-error"

#include <gio/gio.h>

#include <netagent/netagent.h>

#include "na-error.h"

/* The contract's names, spelled out here rather than taken from the
 * header, so a typo there is caught. */
static const struct {
  NaError     code;
  const char *name;
} names[] = {
  { NA_ERROR_FAILED,            "io.netagentd.NetAgent1.Error.Failed" },
  { NA_ERROR_INVALID_ARGUMENT,  "io.netagentd.NetAgent1.Error.InvalidArgument" },
  { NA_ERROR_BAD_ETHERTYPE,     "io.netagentd.NetAgent1.Error.BadEthertype" },
  { NA_ERROR_BAD_ADDRESS,       "io.netagentd.NetAgent1.Error.BadAddress" },
  { NA_ERROR_NOT_SUPPORTED,     "io.netagentd.NetAgent1.Error.NotSupported" },
  { NA_ERROR_NOT_FOUND,         "io.netagentd.NetAgent1.Error.NotFound" },
  { NA_ERROR_ALREADY_EXISTS,    "io.netagentd.NetAgent1.Error.AlreadyExists" },
  { NA_ERROR_LIMIT_REACHED,     "io.netagentd.NetAgent1.Error.LimitReached" },
  { NA_ERROR_NO_SUCH_INTERFACE, "io.netagentd.NetAgent1.Error.NoSuchInterface" },
  { NA_ERROR_ACCESS_DENIED,     "io.netagentd.NetAgent1.Error.AccessDenied" },
};

static void
test_all_codes_named (void)
{
  gboolean seen[NA_ERROR_N_CODES] = { FALSE };

  g_assert_cmpuint (G_N_ELEMENTS (names), ==, NA_ERROR_N_CODES);
  g_assert_cmpuint (NA_ERROR_N_CODES, ==, 10);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_cmpint (names[i].code, >=, 0);
      g_assert_cmpint (names[i].code, <, NA_ERROR_N_CODES);
      g_assert_false (seen[names[i].code]);
      seen[names[i].code] = TRUE;
    }
}

static void
test_header_names (void)
{
  g_assert_cmpstr (NETAGENT_DBUS_ERROR_FAILED, ==, names[0].name);
  g_assert_cmpstr (NETAGENT_DBUS_ERROR_INVALID_ARGUMENT, ==, names[1].name);
  g_assert_cmpstr (NETAGENT_DBUS_ERROR_BAD_ETHERTYPE, ==, names[2].name);
  g_assert_cmpstr (NETAGENT_DBUS_ERROR_BAD_ADDRESS, ==, names[3].name);
  g_assert_cmpstr (NETAGENT_DBUS_ERROR_NOT_SUPPORTED, ==, names[4].name);
  g_assert_cmpstr (NETAGENT_DBUS_ERROR_NOT_FOUND, ==, names[5].name);
  g_assert_cmpstr (NETAGENT_DBUS_ERROR_ALREADY_EXISTS, ==, names[6].name);
  g_assert_cmpstr (NETAGENT_DBUS_ERROR_LIMIT_REACHED, ==, names[7].name);
  g_assert_cmpstr (NETAGENT_DBUS_ERROR_NO_SUCH_INTERFACE, ==, names[8].name);
  g_assert_cmpstr (NETAGENT_DBUS_ERROR_ACCESS_DENIED, ==, names[9].name);
}

static void
test_round_trip (void)
{
  g_assert_cmpuint (NA_ERROR, !=, 0);
  g_assert_cmpuint (NA_ERROR, ==, na_error_quark ());

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = g_error_new (NA_ERROR, names[i].code, "what went wrong: %zu", i);
      g_autofree char *encoded = g_dbus_error_encode_gerror (error);
      g_autofree char *remote = NULL;
      g_autofree char *message = g_strdup_printf ("what went wrong: %zu", i);
      g_autoptr(GError) back = NULL;

      /* server side: the name sent on the bus */
      g_assert_cmpstr (encoded, ==, names[i].name);
      g_assert_false (g_dbus_error_is_remote_error (error));

      /* client side: the name received becomes the same code */
      back = g_dbus_error_new_for_dbus_error (names[i].name, message);
      g_assert_error (back, NA_ERROR, (gint) names[i].code);
      g_assert_true (g_dbus_error_is_remote_error (back));
      remote = g_dbus_error_get_remote_error (back);
      g_assert_cmpstr (remote, ==, names[i].name);
      g_assert_true (g_dbus_error_strip_remote_error (back));
      g_assert_cmpstr (back->message, ==, message);
    }
}

/* A name outside the table is not mistaken for one of ours. */
static void
test_unknown_name (void)
{
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;

  (void) NA_ERROR;
  e1 = g_dbus_error_new_for_dbus_error ("io.netagentd.NetAgent1.Error.Bogus", "x");
  g_assert_false (e1->domain == NA_ERROR);
  g_assert_error (e1, G_IO_ERROR, G_IO_ERROR_DBUS_ERROR);
  e2 = g_dbus_error_new_for_dbus_error ("io.netagentd.NetAgent1.Error.failed", "x");
  g_assert_false (e2->domain == NA_ERROR);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/all-codes-named", test_all_codes_named);
  g_test_add_func ("/error/header-names", test_header_names);
  g_test_add_func ("/error/round-trip", test_round_trip);
  g_test_add_func ("/error/unknown-name", test_unknown_name);

  return g_test_run ();
}
