/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include <netagent/netagent-names.h>

#include "nactl-flow-options.h"
#include "nactl-flow-session.h"
#include "nactl-parse.h"
#include "nactl-pcap.h"
#include "nactl-resolve.h"
#include "nactl.h"

/* Room for the largest frame a link can carry (MTU 65535, a VLAN tag). */
#define FRAME_BUFFER_LEN (65536 + 64)

typedef struct {
  GMainLoop        *loop;
  NactlPcapWriter  *writer;
  guint64           max_count;     /* 0: no limit */
  guint8           *buffer;
  int               status;
  gboolean          eof;
  GError           *error;
} Capture;

/* The time the frame was queued to us, or now when the kernel gave none. */
static gint64
frame_time (struct msghdr *msg)
{
  for (struct cmsghdr *c = CMSG_FIRSTHDR (msg); c; c = CMSG_NXTHDR (msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMP &&
        c->cmsg_len >= CMSG_LEN (sizeof (struct timeval)))
      {
        struct timeval tv;

        memcpy (&tv, CMSG_DATA (c), sizeof tv);
        return (gint64) tv.tv_sec * G_USEC_PER_SEC + tv.tv_usec;
      }
  return g_get_real_time ();
}

static gboolean
channel_cb (int fd, GIOCondition condition, gpointer user_data)
{
  Capture *cap = user_data;

  /* Drain what is queued, then wait again. */
  for (;;)
    {
      struct iovec iov = { .iov_base = cap->buffer, .iov_len = FRAME_BUFFER_LEN };
      union {
        char           buf[CMSG_SPACE (sizeof (struct timeval))];
        struct cmsghdr align;
      } control;
      struct msghdr msg = {
        .msg_iov = &iov,
        .msg_iovlen = 1,
        .msg_control = control.buf,
        .msg_controllen = sizeof control.buf,
      };
      ssize_t n = recvmsg (fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

      if (n < 0)
        {
          int errsv = errno;

          if (errsv == EINTR)
            continue;
          if (errsv == EAGAIN || errsv == EWOULDBLOCK)
            return G_SOURCE_CONTINUE;
          if (errsv == ECONNRESET)
            n = 0;
          else
            {
              g_set_error (&cap->error, G_IO_ERROR, g_io_error_from_errno (errsv),
                           _("Cannot read the channel: %s"), g_strerror (errsv));
              g_main_loop_quit (cap->loop);
              return G_SOURCE_REMOVE;
            }
        }
      if (n == 0)
        {
          /* The daemon closed its end: the flow is over. */
          cap->eof = TRUE;
          g_main_loop_quit (cap->loop);
          return G_SOURCE_REMOVE;
        }
      if (!nactl_pcap_writer_write (cap->writer, frame_time (&msg), cap->buffer, (gsize) n,
                                    &cap->error))
        {
          g_main_loop_quit (cap->loop);
          return G_SOURCE_REMOVE;
        }
      if (cap->max_count && nactl_pcap_writer_get_count (cap->writer) >= cap->max_count)
        {
          g_main_loop_quit (cap->loop);
          return G_SOURCE_REMOVE;
        }
    }
}

static gboolean
stop_cb (gpointer user_data)
{
  Capture *cap = user_data;

  g_main_loop_quit (cap->loop);
  return G_SOURCE_CONTINUE;
}

static GOutputStream *
open_output (const char *file, GError **error)
{
  int fd;

  if (g_str_equal (file, "-"))
    {
      if (isatty (STDOUT_FILENO))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                               _("Not writing a pcap file to a terminal: redirect it or "
                                 "pipe it, e.g. into “tcpdump -r -”"));
          return NULL;
        }
      return g_unix_output_stream_new (STDOUT_FILENO, FALSE);
    }
  fd = open (file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                   _("Cannot open “%s”: %s"), file, g_strerror (errsv));
      return NULL;
    }
  return g_unix_output_stream_new (fd, TRUE);
}

int
nactl_cmd_capture (NactlContext *ctx, int argc, char **argv)
{
  g_auto(NactlFlowOptions) flow = { 0 };
  g_autofree char *file = NULL;
  g_autofree char *count_arg = NULL;
  const GOptionEntry entries[] = {
    { "write", 'w', 0, G_OPTION_ARG_FILENAME, &file,
      N_("Write the frames to FILE, or to standard output for “-”"), N_("FILE") },
    { "count", 'c', 0, G_OPTION_ARG_STRING, &count_arg,
      N_("Stop after COUNT frames"), N_("COUNT") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    nactl_option_context_new ("capture", NULL,
                              _("Open a flow and write every frame it receives to a pcap file "
                                "(Ethernet, microsecond timestamps, snaplen 65535), until "
                                "interrupted or COUNT frames were written.\n\n"
                                "Example: netagentctl capture --ethertype 0x88cc -w - | "
                                "tcpdump -r -"),
                              NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *agent = NULL;
  g_autofree char *what = NULL;
  g_autoptr(NactlFlowSession) session = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autoptr(GVariant) interface = NULL;
  g_autofree guint8 *buffer = NULL;
  Capture cap = { .status = NACTL_EXIT_OK };
  guint sources[3];
  int channel;
  int on = 1;

  nactl_flow_options_add (&flow, context, TRUE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!nactl_parse_options (context, "capture", &argc, &argv))
    return NACTL_EXIT_USAGE;
  if (argc > 1)
    return nactl_usage_error ("capture", _("Unexpected argument “%s”"), argv[1]);
  if (!nactl_flow_options_check (&flow, &error))
    return nactl_report_error ("capture", error);
  if (file == NULL)
    return nactl_usage_error ("capture", _("Say where to write: -w FILE, or -w - for standard "
                                           "output"));
  if (count_arg && !nactl_parse_uint ("--count", count_arg, 1, G_MAXUINT64, &cap.max_count,
                                      &error))
    return nactl_report_error ("capture", error);

  output = open_output (file, &error);
  if (output == NULL)
    return nactl_report_error ("capture", error);
  cap.writer = nactl_pcap_writer_new (output, NACTL_PCAP_SNAPLEN, &error);
  if (cap.writer == NULL)
    return nactl_report_error ("capture", error);

  agent = nactl_pick_agent (ctx, flow.agent, flow.interface, &error);
  if (agent)
    interface = nactl_get_property (ctx, agent, NETAGENT_DBUS_INTERFACE_AGENT, "Interface",
                                    &error);
  if (interface)
    session = nactl_flow_session_open (ctx, agent,
                                       nactl_flow_options_to_parameters (&flow, NULL, NULL),
                                       &error);
  if (session == NULL)
    {
      nactl_pcap_writer_free (cap.writer);
      return nactl_report_error ("capture", error);
    }
  channel = nactl_flow_session_get_channel (session);
  if (channel < 0)
    {
      g_printerr (_("%s capture: netagentd handed over no channel\n"), g_get_prgname ());
      nactl_flow_session_remove (session, NULL);
      nactl_pcap_writer_free (cap.writer);
      return NACTL_EXIT_FAILURE;
    }
  /* Kernel timestamps: the time a frame was queued, not when we got to it. */
  if (setsockopt (channel, SOL_SOCKET, SO_TIMESTAMP, &on, sizeof on) < 0)
    g_debug ("SO_TIMESTAMP: %s", g_strerror (errno));
  /* A reader that went away (tcpdump -c) is an end, not a crash. */
  signal (SIGPIPE, SIG_IGN);

  what = nactl_flow_options_describe (&flow);
  g_printerr (_("Capturing %s on %s (flow %s); Ctrl-C to stop.\n"), what,
              g_variant_get_string (interface, NULL), nactl_flow_session_get_uuid (session));

  buffer = g_malloc (FRAME_BUFFER_LEN);
  cap.buffer = buffer;
  cap.loop = g_main_loop_new (NULL, FALSE);
  sources[0] = g_unix_fd_add (channel, G_IO_IN | G_IO_HUP | G_IO_ERR, channel_cb, &cap);
  sources[1] = g_unix_signal_add (SIGINT, stop_cb, &cap);
  sources[2] = g_unix_signal_add (SIGTERM, stop_cb, &cap);
  g_main_loop_run (cap.loop);
  /* No more frames, whatever removing the flow dispatches. */
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      GSource *source = g_main_context_find_source_by_id (NULL, sources[i]);

      if (source)
        g_source_destroy (source);
    }

  if (cap.eof)
    {
      nactl_flow_session_sync (session);
      g_printerr (_("%s capture: the flow ended: %s\n"), g_get_prgname (),
                  nactl_flow_end_reason_describe (nactl_flow_session_get_end_reason (session)));
      cap.status = NACTL_EXIT_FAILURE;
    }
  else if (cap.error)
    {
      /* The reader left: a normal end for a pipe. */
      if (!g_error_matches (cap.error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
        cap.status = nactl_report_error ("capture", cap.error);
      g_clear_error (&cap.error);
    }

  if (!nactl_flow_session_remove (session, &error))
    cap.status = nactl_report_error ("capture", error);

  /* Plain C formats in messages: xgettext cannot see through G_*_FORMAT. */
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%llu frame captured\n", "%llu frames captured\n",
                           (gulong) nactl_pcap_writer_get_count (cap.writer)),
              (unsigned long long) nactl_pcap_writer_get_count (cap.writer));
  nactl_pcap_writer_free (cap.writer);
  g_main_loop_unref (cap.loop);
  return cap.status;
}
