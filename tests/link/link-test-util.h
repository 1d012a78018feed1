/* SPDX-License-Identifier: GPL-2.0-or-later */
#pragma once

#include <glib.h>

#include "na-link-monitor.h"

G_BEGIN_DECLS

/*
 * Iterate the thread-default main context until @cond returns TRUE; fail
 * the test (naming @what) when that has not happened after a generous
 * bound, which only a broken monitor ever reaches.
 */
typedef gboolean (*LinkTestCond) (gpointer data);
void link_test_wait (LinkTestCond cond,
                     gpointer     data,
                     const char  *what);

typedef enum {
  LINK_EV_ADDED,
  LINK_EV_CHANGED,
  LINK_EV_REMOVED,
} LinkEvKind;

/* One signal as received; for link-removed only ifindex and name are set. */
typedef struct {
  LinkEvKind kind;
  NaLinkInfo info;
} LinkEv;

/* Records every signal a monitor emits, in order. */
typedef struct {
  NaLinkMonitor *monitor;
  GArray        *events;   /* of LinkEv */
} LinkRecorder;

LinkRecorder *link_recorder_new   (NaLinkMonitor *monitor);
void          link_recorder_free  (LinkRecorder  *rec);
void          link_recorder_clear (LinkRecorder  *rec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LinkRecorder, link_recorder_free)

/* Extra condition on an event; NULL matches any. */
typedef gboolean (*LinkEvMatch) (const LinkEv *ev,
                                 gpointer      data);

/*
 * Wait until an event of @kind for @ifindex that @match accepts has been
 * recorded (since the last clear), and copy it to @out.
 */
void  link_recorder_wait  (LinkRecorder *rec,
                           LinkEvKind    kind,
                           int           ifindex,
                           LinkEvMatch   match,
                           gpointer      data,
                           LinkEv       *out);

/* How many events of @kind for @ifindex (any ifindex when 0) were recorded. */
guint link_recorder_count (LinkRecorder *rec,
                           LinkEvKind    kind,
                           int           ifindex);

/* Standard output of a command line run through /bin/sh (must succeed). */
char *link_test_output (const char *fmt,
                        ...) G_GNUC_PRINTF (1, 2);

/* TRUE when /proc/net/if_inet6 lists an address on the link @name. */
gboolean link_test_has_ipv6_address (const char *name);

G_END_DECLS
