/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <errno.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <gio/gunixinputstream.h>
#include <glib/gi18n.h>

#include <netagent/netagent-names.h>

#include "nactl-flow-options.h"
#include "nactl-flow-session.h"
#include "nactl-frame.h"
#include "nactl-parse.h"
#include "nactl-resolve.h"
#include "nactl.h"

/*
 * After the last frame is queued, how long netagentctl waits for netagentd
 * to take the frames from the channel before it removes the flow (which
 * would drop what is still queued).  A guard against a stuck daemon only:
 * it normally takes them at once.
 */
#define DRAIN_TIMEOUT_US (10 * G_USEC_PER_SEC)
#define DRAIN_POLL_US    1000

static GBytes *
read_payload (const char *hex, const char *file, GError **error)
{
  if (hex)
    return nactl_parse_hex ("--payload", hex, error);
  if (file)
    {
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (g_str_equal (file, "-"))
        {
          g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
          g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();

          if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
                                      error) < 0)
            return NULL;
          return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
        }
      if (!g_file_get_contents (file, &contents, &len, error))
        return NULL;
      return g_bytes_new_take (g_steal_pointer (&contents), len);
    }
  return g_bytes_new (NULL, 0);
}

/* Bytes still queued in the channel, not yet taken by the daemon. */
static gboolean
channel_drained (int fd)
{
  int queued = 0;

  if (ioctl (fd, SIOCOUTQ, &queued) < 0)
    return TRUE;
  return queued == 0;
}

/*
 * The flow's transmit counters: frames sent and refused.  FALSE when they
 * cannot be read.
 */
static gboolean
flow_tx_counters (NactlContext *ctx, const char *flow_path, guint64 *sent, guint64 *rejected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) stats = nactl_get_property (ctx, flow_path, NETAGENT_DBUS_INTERFACE_FLOW,
                                                  "Statistics", &error);

  if (stats == NULL || !g_variant_is_of_type (stats, G_VARIANT_TYPE ("a{st}")))
    return FALSE;
  *sent = *rejected = 0;
  g_variant_lookup (stats, "tx-frames", "t", sent);
  g_variant_lookup (stats, "tx-rejected", "t", rejected);
  return TRUE;
}

/*
 * Wait until netagentd has dealt with every frame: the channel is empty and
 * the flow's counters account for @count frames.  Returns how many it
 * refused (0 when that cannot be told).
 */
static guint64
wait_transmitted (NactlContext *ctx, NactlFlowSession *session, guint64 count)
{
  gint64 deadline = g_get_monotonic_time () + DRAIN_TIMEOUT_US;
  int channel = nactl_flow_session_get_channel (session);
  guint64 sent = 0, rejected = 0;

  while (!channel_drained (channel) && g_get_monotonic_time () < deadline)
    g_usleep (DRAIN_POLL_US);
  while (g_get_monotonic_time () < deadline)
    {
      if (!flow_tx_counters (ctx, nactl_flow_session_get_path (session), &sent, &rejected))
        return 0;
      if (sent + rejected >= count)
        return rejected;
      g_usleep (DRAIN_POLL_US);
    }
  g_printerr (_("%s send: netagentd did not account for every frame; some may be lost\n"),
              g_get_prgname ());
  return rejected;
}

int
nactl_cmd_send (NactlContext *ctx, int argc, char **argv)
{
  g_auto(NactlFlowOptions) flow = { 0 };
  g_autofree char *to_arg = NULL;
  g_autofree char *count_arg = NULL;
  g_autofree char *payload_hex = NULL;
  g_autofree char *payload_file = NULL;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_arg,
      N_("Destination MAC address"), N_("MAC") },
    { "count", 'c', 0, G_OPTION_ARG_STRING, &count_arg,
      N_("Send COUNT frames (default: 1)"), N_("COUNT") },
    { "payload", 'p', 0, G_OPTION_ARG_STRING, &payload_hex,
      N_("Payload in hex, such as 01:02:03 or 010203"), N_("HEX") },
    { "payload-file", 'F', 0, G_OPTION_ARG_FILENAME, &payload_file,
      N_("Payload from FILE (“-” for standard input)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    nactl_option_context_new ("send", NULL,
                              _("Open a custom-ether flow, send frames from the agent’s MAC "
                                "address to MAC (padded to 60 bytes), and remove the flow."),
                              NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *agent = NULL;
  g_autoptr(NactlFlowSession) session = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GBytes) frame = NULL;
  g_autoptr(GVariant) mtu = NULL;
  const char *local_ether = NULL;
  guint8 dst[NACTL_ETH_ALEN], src[NACTL_ETH_ALEN];
  guint64 count = 1;
  guint64 done = 0;
  guint64 rejected;
  int channel;
  int status = NACTL_EXIT_OK;

  nactl_flow_options_add (&flow, context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!nactl_parse_options (context, "send", &argc, &argv))
    return NACTL_EXIT_USAGE;
  if (argc > 1)
    return nactl_usage_error ("send", _("Unexpected argument “%s”"), argv[1]);
  if (!nactl_flow_options_check (&flow, &error))
    return nactl_report_error ("send", error);
  if (to_arg == NULL)
    return nactl_usage_error ("send", _("Say where to send: --to MAC"));
  if (payload_hex && payload_file)
    return nactl_usage_error ("send", _("--payload and --payload-file exclude each other"));
  if (!nactl_parse_mac ("--to", to_arg, dst, &error) ||
      (count_arg && !nactl_parse_uint ("--count", count_arg, 1, G_MAXUINT32, &count, &error)))
    return nactl_report_error ("send", error);
  payload = read_payload (payload_hex, payload_file, &error);
  if (payload == NULL)
    return nactl_report_error ("send", error);

  agent = nactl_pick_agent (ctx, flow.agent, flow.interface, &error);
  if (agent)
    mtu = nactl_get_property (ctx, agent, NETAGENT_DBUS_INTERFACE_AGENT, "Mtu", &error);
  if (mtu == NULL)
    return nactl_report_error ("send", error);
  if (g_variant_is_of_type (mtu, G_VARIANT_TYPE_UINT32) &&
      g_bytes_get_size (payload) > g_variant_get_uint32 (mtu))
    {
      g_printerr (_("%s send: a payload of %zu bytes does not fit the link’s MTU of %u\n"),
                  g_get_prgname (), g_bytes_get_size (payload), g_variant_get_uint32 (mtu));
      return NACTL_EXIT_FAILURE;
    }

  session = nactl_flow_session_open (ctx, agent,
                                     nactl_flow_options_to_parameters (&flow, NULL, NULL),
                                     &error);
  if (session == NULL)
    return nactl_report_error ("send", error);
  channel = nactl_flow_session_get_channel (session);
  if (channel < 0 ||
      !g_variant_lookup (nactl_flow_session_get_assignment (session), "local-ether-address",
                         "&s", &local_ether) ||
      !nactl_parse_mac ("local-ether-address", local_ether, src, NULL))
    {
      g_printerr (_("%s send: netagentd’s assignment lacks a channel or a MAC address\n"),
                  g_get_prgname ());
      nactl_flow_session_remove (session, NULL);
      return NACTL_EXIT_FAILURE;
    }

  frame = nactl_frame_new (dst, src, flow.ethertype, payload);
  while (done < count)
    {
      gsize len;
      const guint8 *data = g_bytes_get_data (frame, &len);
      ssize_t n = send (channel, data, len, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;

          nactl_flow_session_sync (session);
          if (nactl_flow_session_get_end_reason (session))
            g_printerr (ngettext ("%s send: the flow ended after %llu frame: %s\n",
                                  "%s send: the flow ended after %llu frames: %s\n", done),
                        g_get_prgname (), (unsigned long long) done,
                        nactl_flow_end_reason_describe (nactl_flow_session_get_end_reason (session)));
          else
            g_printerr (_("%s send: cannot write to the channel: %s\n"), g_get_prgname (),
                        g_strerror (errsv));
          status = NACTL_EXIT_FAILURE;
          break;
        }
      done++;
    }

  if (status == NACTL_EXIT_OK)
    {
      rejected = wait_transmitted (ctx, session, count);
      if (rejected)
        {
          g_printerr (ngettext ("%s send: netagentd refused %llu of %llu frame (see the "
                                "agent’s tx-rejected-* counters)\n",
                                "%s send: netagentd refused %llu of %llu frames (see the "
                                "agent’s tx-rejected-* counters)\n", count),
                      g_get_prgname (), (unsigned long long) rejected,
                      (unsigned long long) count);
          status = NACTL_EXIT_FAILURE;
        }
    }

  if (!nactl_flow_session_remove (session, &error))
    status = nactl_report_error ("send", error);
  return status;
}
