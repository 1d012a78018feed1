/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <gio/gio.h>

#include "na-dbus-generated.h"

G_BEGIN_DECLS

/* netagentctl's exit codes (a command run by `flow open` returns its own). */
typedef enum {
  NACTL_EXIT_OK      = 0,
  NACTL_EXIT_FAILURE = 1,   /* the operation failed, e.g. a D-Bus error */
  NACTL_EXIT_USAGE   = 2,   /* bad command line */
} NactlExit;

/*
 * Every call may need polkit, which may ask for a password on a desktop:
 * calls carry ALLOW_INTERACTIVE_AUTHORIZATION and wait for as long as
 * that takes (Ctrl-C ends the wait).
 */
#define NACTL_CALL_FLAGS   G_DBUS_CALL_FLAGS_ALLOW_INTERACTIVE_AUTHORIZATION
#define NACTL_CALL_TIMEOUT G_MAXINT

typedef struct {
  GBusType         bus_type;
  gboolean         json;
  GDBusConnection *connection;   /* on first use */
} NactlContext;

/* Frees what the context holds (not the struct, which lives in main()). */
void             nactl_context_clear          (NactlContext *ctx);

GDBusConnection *nactl_context_get_connection (NactlContext  *ctx,
                                               GError       **error);

/*
 * A method call to netagentd with NACTL_CALL_FLAGS; @reply_type may be
 * NULL.  Returns the reply, or NULL with @error.
 */
GVariant        *nactl_call                   (NactlContext        *ctx,
                                               const char          *path,
                                               const char          *interface,
                                               const char          *method,
                                               GVariant            *parameters,
                                               const GVariantType  *reply_type,
                                               GError             **error);

/* org.freedesktop.DBus.Properties.GetAll / Get on netagentd's objects. */
GVariant        *nactl_get_all_properties     (NactlContext  *ctx,
                                               const char    *path,
                                               const char    *interface,
                                               GError       **error);
GVariant        *nactl_get_property           (NactlContext  *ctx,
                                               const char    *path,
                                               const char    *interface,
                                               const char    *name,
                                               GError       **error);

/* Typed proxies (no property cache, no signals: calls only). */
NaDbusNetAgent1      *nactl_manager_proxy     (NactlContext  *ctx,
                                               GError       **error);
NaDbusNetAgent1Agent *nactl_agent_proxy       (NactlContext  *ctx,
                                               const char    *agent_path,
                                               GError       **error);

/* ---- reporting ----------------------------------------------------------- */

/*
 * The last component of the D-Bus error name behind @error ("NotFound" for
 * io.netagentd.NetAgent1.Error.NotFound), or NULL for a local error.
 */
char *nactl_error_short_name (const GError *error);

/*
 * "netagentctl: MESSAGE (ShortName)" on stderr; returns NACTL_EXIT_FAILURE.
 * A G_OPTION_ERROR is a usage error instead (NACTL_EXIT_USAGE).
 */
int   nactl_report_error     (const char   *command,
                              const GError *error);

/* A usage error for @command: the message, then where to find help. */
int   nactl_usage_error      (const char   *command,
                              const char   *format,
                              ...) G_GNUC_PRINTF (2, 3);

/* ---- commands ------------------------------------------------------------ */

/*
 * An option context for @command with @entries and the --help every
 * command has; @parameters is the usage after the options ("IFACE").
 */
GOptionContext *nactl_option_context_new (const char         *command,
                                          const char         *parameters,
                                          const char         *summary,
                                          const GOptionEntry *entries);

/*
 * Parse @argv (argv[0] is the command) with @context; on error print a
 * usage error and return FALSE.
 */
gboolean        nactl_parse_options      (GOptionContext  *context,
                                          const char      *command,
                                          int             *argc,
                                          char          ***argv);

typedef int (*NactlCommandFunc) (NactlContext *ctx, int argc, char **argv);

int nactl_cmd_list       (NactlContext *ctx, int argc, char **argv);
int nactl_cmd_show       (NactlContext *ctx, int argc, char **argv);
int nactl_cmd_register   (NactlContext *ctx, int argc, char **argv);
int nactl_cmd_unregister (NactlContext *ctx, int argc, char **argv);
int nactl_cmd_monitor    (NactlContext *ctx, int argc, char **argv);
int nactl_cmd_flow       (NactlContext *ctx, int argc, char **argv);
int nactl_cmd_capture    (NactlContext *ctx, int argc, char **argv);
int nactl_cmd_send       (NactlContext *ctx, int argc, char **argv);

/* Print @json (a complete JSON text) and a newline on stdout. */
void nactl_print_json    (GString *json);

G_END_DECLS
