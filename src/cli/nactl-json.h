/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * A small JSON writer for --json output (RFC 8259, compact, UTF-8): D-Bus
 * values map onto JSON without a schema, so one generic conversion serves
 * every command and stays right when the contract gains keys.
 */

/* @str (valid UTF-8) as a JSON string, quotes included. */
void nactl_json_append_string  (GString    *out,
                                const char *str);

/*
 * @value as JSON: booleans and numbers as such (a double that is not
 * finite as null), strings, object paths and signatures as strings,
 * dictionaries as objects (keys as text), other arrays and tuples as
 * arrays, variants by their content, a maybe as null or its content.
 */
void nactl_json_append_variant (GString    *out,
                                GVariant   *value);

G_END_DECLS
