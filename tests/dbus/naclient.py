# SPDX-License-Identifier: GPL-2.0-or-later
"""Client process for the D-Bus tests, run as an unprivileged user.

The test drives it over stdin/stdout, one JSON object per line each way:
  {"op": "call", "path", "iface", "method", "args": <GVariant text or null>}
      -> {"ok": true, "result": <GVariant text>, "fds": [fd numbers here]}
      or {"ok": false, "error": <D-Bus error name>, "message": ...}
  {"op": "close", "fd": n}         close one of the fds received
  {"op": "so-type", "fd": n}       -> {"family", "type"} of a socket fd
  {"op": "send-fd", "fd": n}       pass a copy of fd n to the test over the
                                   socket given as argv[1] (SCM_RIGHTS)
  {"op": "exit"}
Received fds stay open in this process until closed or until it exits.
The first line written is {"ok": true, "unique-name": ...}.
"""

import json
import os
import socket
import sys

import gi
gi.require_version('Gio', '2.0')
from gi.repository import Gio, GLib  # noqa: E402

BUS_NAME = 'io.netagentd.NetAgent1'
TIMEOUT_MS = 30000


def answer(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def do_call(conn, req):
    args = None
    if req.get('args') is not None:
        args = GLib.Variant.parse(None, req['args'], None, None)
    try:
        reply, fdlist = conn.call_with_unix_fd_list_sync(
            BUS_NAME, req['path'], req['iface'], req['method'], args, None,
            Gio.DBusCallFlags.NONE, TIMEOUT_MS, None, None)
    except GLib.Error as e:
        name = Gio.DBusError.get_remote_error(e)
        message = e.message
        if name:
            prefix = 'GDBus.Error:%s: ' % name
            if message.startswith(prefix):
                message = message[len(prefix):]
        else:
            name = 'local:%s' % message
        return {'ok': False, 'error': name, 'message': message}
    fds = []
    if fdlist is not None:
        stolen = fdlist.steal_fds()
        fds = list(stolen[0] if isinstance(stolen, tuple) else stolen)
    return {'ok': True, 'result': reply.print_(True), 'fds': fds}


def main():
    pass_sock = socket.socket(fileno=int(sys.argv[1]))
    flags = (Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
             | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION)
    conn = Gio.DBusConnection.new_for_address_sync(
        os.environ['DBUS_SYSTEM_BUS_ADDRESS'], flags, None, None)
    answer({'ok': True, 'unique-name': conn.get_unique_name()})
    for line in sys.stdin:
        req = json.loads(line)
        op = req['op']
        if op == 'call':
            answer(do_call(conn, req))
        elif op == 'close':
            os.close(req['fd'])
            answer({'ok': True})
        elif op == 'so-type':
            s = socket.socket(fileno=os.dup(req['fd']))
            answer({'ok': True, 'family': int(s.family),
                    'type': s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)})
            s.close()
        elif op == 'send-fd':
            socket.send_fds(pass_sock, [b'x'], [req['fd']])
            answer({'ok': True})
        elif op == 'exit':
            answer({'ok': True})
            break
        else:
            answer({'ok': False, 'error': 'unknown op %r' % op})


if __name__ == '__main__':
    main()
