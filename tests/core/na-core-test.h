/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small helpers shared by the core unit tests: requests are written in
 * GVariant text form, so a test reads like the D-Bus call it stands for.
 */
#pragma once

#include <string.h>

#include <glib.h>

#include "na-error.h"
#include "na-flow-params.h"

G_BEGIN_DECLS

/* An a{sv} from its text form; a typo in a test aborts that test. */
static inline GVariant *
na_test_vardict (const char *text)
{
  g_autoptr(GError) error = NULL;
  GVariant *dict;

  dict = g_variant_parse (G_VARIANT_TYPE_VARDICT, text, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dict);
  return dict;
}

/* FlowInsert parameters that must parse. */
static inline void
na_test_parse_params (const char *text, NaFlowParams *params)
{
  g_autoptr(GVariant) dict = na_test_vardict (text);
  g_autoptr(GError) error = NULL;

  g_assert_true (na_flow_params_parse (dict, params, &error));
  g_assert_no_error (error);
}

/*
 * Every error the core makes ends up as the message of a D-Bus error
 * reply, which must be valid UTF-8 (GDBus refuses to send it otherwise).
 */
#define na_test_assert_error(err, code)                                 \
  G_STMT_START {                                                        \
    g_assert_error ((err), NA_ERROR, (gint) (code));                    \
    g_assert_true (g_utf8_validate ((err)->message, -1, NULL));         \
  } G_STMT_END

/* The error message mentions @word (a key, a feature name, …). */
#define na_test_assert_message_has(err, word)                           \
  G_STMT_START {                                                        \
    if (strstr ((err)->message, (word)) == NULL)                        \
      g_test_message ("message “%s” does not mention “%s”",             \
                      (err)->message, (word));                          \
    g_assert_nonnull (strstr ((err)->message, (word)));                 \
  } G_STMT_END

G_END_DECLS
