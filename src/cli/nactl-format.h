/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ---- aligned tables ---------------------------------------------------- */

typedef struct _NactlTable NactlTable;

/* A table with the given column headers (NULL-terminated). */
NactlTable *nactl_table_new        (const char *const *headers);
/* One row: exactly as many cells as headers; NULL is shown as "-". */
void        nactl_table_add_row    (NactlTable        *self,
                                    const char *const *cells);
/*
 * Every row, columns left-aligned to their widest cell (counted in
 * characters) and separated by two spaces, no trailing blanks; each line
 * ends with a newline.
 */
char       *nactl_table_render     (NactlTable        *self);
void        nactl_table_free       (NactlTable        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NactlTable, nactl_table_free)

/* ---- values ------------------------------------------------------------ */

typedef struct {
  guint32     value;
  const char *name;
} NactlFlagName;

/* The agent's Flags and NexusFlags bits, with netagent-flags.h's names. */
extern const NactlFlagName nactl_agent_flag_names[];
extern const NactlFlagName nactl_nexus_flag_names[];

/*
 * "0xa443 (REGISTERED, ACTIVE, …)": the value in hex, then the names of
 * its known bits (table terminated by a NULL name), then any unknown bits
 * in hex; "0x0" alone for zero.
 */
char *nactl_flags_to_string (guint32              flags,
                             const NactlFlagName *names);

/*
 * One D-Bus property value for people: strings as they are (an empty one
 * as "-"), numbers in decimal, booleans as yes/no, arrays joined by ", "
 * ("-" when empty); anything else in GVariant text form.
 */
char *nactl_format_value    (GVariant            *value);

/*
 * A property of an agent or a flow as `show` prints it: @name selects the
 * special forms (flags with their names, the ethertype in hex, the frame
 * type); the rest as nactl_format_value().
 */
char *nactl_format_property (const char          *name,
                             GVariant            *value);

G_END_DECLS
