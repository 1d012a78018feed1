# SPDX-License-Identifier: GPL-2.0-or-later
"""Run a Python test module in a network namespace of its own.

Meson runs the modules through run-in-netns; run by hand as root, a module
re-executes itself under `unshare --net` (main()), so that the links it
makes and the frames it sends never reach the machine's interfaces.
"""

import json
import os
import shutil
import subprocess
import sys
import unittest

# The namespace the module was started in, handed to its re-execution:
# pid 1's namespace cannot always be read, even by root.
PARENT_NETNS = 'NETAGENTD_TEST_PARENT_NETNS'


def netns_inode(pid='self'):
    try:
        return os.stat('/proc/%s/ns/net' % pid).st_ino
    except OSError:
        return None


def in_private_netns():
    """True when this process is in a network namespace of its own: not the
    one it was started in (or, where readable, pid 1's or its parent's),
    and holding no link but lo and the tests' own (na*)."""
    own = netns_inode()
    if own is None:
        return False
    parent = os.environ.get(PARENT_NETNS)
    others = [parent] if parent else [netns_inode(1), netns_inode(os.getppid())]
    if str(own) in [str(o) for o in others if o is not None]:
        return False
    r = subprocess.run(['ip', '-j', 'link', 'show'], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True)
    if r.returncode != 0:
        return False
    return all(link['ifname'] == 'lo' or link['ifname'].startswith('na')
               for link in json.loads(r.stdout))


def main():
    """Entry point of a test module.  As root, make sure it runs in a
    network namespace of its own before anything creates a link.  Exit
    status: 0 passed, 1 failed, 77 (skip, for meson) when every test was
    skipped."""
    if os.geteuid() == 0 and not in_private_netns() and PARENT_NETNS not in os.environ:
        unshare = shutil.which('unshare')
        if unshare and netns_inode() is not None:
            os.environ[PARENT_NETNS] = str(netns_inode())
            os.execv(unshare, ['unshare', '--net', '--', sys.executable,
                               os.path.abspath(sys.argv[0])] + sys.argv[1:])
    if os.geteuid() == 0 and in_private_netns():
        subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=False)
    result = unittest.main(module='__main__', verbosity=2, exit=False).result
    if not result.wasSuccessful():
        sys.exit(1)
    if result.skipped and result.testsRun <= len(result.skipped):
        sys.exit(77)
    sys.exit(0)
