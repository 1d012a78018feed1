/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Strict parsers for command-line values.  Every failure is a
 * G_OPTION_ERROR_BAD_VALUE naming @what (the option), which netagentctl
 * reports as a usage error: a value is either exactly right or refused,
 * never silently truncated or wrapped.
 */

/* Decimal digits only, within [@min, @max]. */
gboolean nactl_parse_uint      (const char  *what,
                                const char  *text,
                                guint64      min,
                                guint64      max,
                                guint64     *out,
                                GError     **error);

/* An ethertype: "0x" followed by 1-4 hex digits, or decimal, up to 0xffff. */
gboolean nactl_parse_ethertype (const char  *what,
                                const char  *text,
                                guint16     *out,
                                GError     **error);

/* A MAC address: exactly six pairs of hex digits separated by ':'. */
gboolean nactl_parse_mac       (const char  *what,
                                const char  *text,
                                guint8       out[6],
                                GError     **error);

/*
 * Bytes written as hex: an optional "0x", then pairs of hex digits; ':',
 * '-', '.' or whitespace may stand between pairs (not inside one).  The
 * empty string is zero bytes.
 */
GBytes  *nactl_parse_hex       (const char  *what,
                                const char  *text,
                                GError     **error);

/*
 * Values of a repeatable option that also takes comma-separated lists
 * ("--features a,b --features c"), as one list without empty items.
 */
char   **nactl_split_list      (const char *const *values);

G_END_DECLS
