# SPDX-License-Identifier: GPL-2.0-or-later
'''polkitd mock template for the netagentd tests (python-dbusmock).

Decides CheckAuthorization from a list of allowed action ids, like the
polkitd template shipped with python-dbusmock, and in addition records the
subject and action of every check and can make checks fail, so that the
tests see whom the daemon asks about and that an error denies.

Mock methods (interface org.freedesktop.DBus.Mock):
  SetAllowed(as actions)   the actions CheckAuthorization allows
  AllowUnknown(b allow)    allow every action
  SetFailing(b failing)    answer every check with an error
  GetChecks() -> a(sa{ss}s)  (subject kind, subject details, action) of
                           every check so far
  ClearChecks()
'''

import dbus

from dbusmock import MOCK_IFACE

BUS_NAME = 'org.freedesktop.PolicyKit1'
MAIN_OBJ = '/org/freedesktop/PolicyKit1/Authority'
MAIN_IFACE = 'org.freedesktop.PolicyKit1.Authority'
SYSTEM_BUS = True


def load(mock, _parameters):
    mock.AddProperties(MAIN_IFACE, dbus.Dictionary({
        'BackendName': 'netagentd-test',
        'BackendVersion': '0.1',
        'BackendFeatures': dbus.UInt32(1, variant_level=1),
    }, signature='sv'))
    mock.allowed = []
    mock.allow_unknown = False
    mock.failing = False
    mock.checks = []


@dbus.service.method(MAIN_IFACE, in_signature='(sa{sv})sa{ss}us',
                     out_signature='(bba{ss})')
def CheckAuthorization(self, subject, action_id, _details, _flags,
                       _cancellation_id):
    kind, details = subject
    self.checks.append((str(kind),
                        {str(k): str(v) for k, v in details.items()},
                        str(action_id)))
    if self.failing:
        raise dbus.exceptions.DBusException(
            'check failed on purpose (test)',
            name='org.freedesktop.PolicyKit1.Error.Failed')
    allowed = self.allow_unknown or action_id in self.allowed
    return (allowed, False, dbus.Dictionary({}, signature='ss'))


@dbus.service.method(MAIN_IFACE, in_signature='(sa{sv})ss')
def RegisterAuthenticationAgent(_self, _subject, _locale, _object_path):
    pass


@dbus.service.method(MAIN_IFACE, in_signature='s')
def CancelCheckAuthorization(_self, _cancellation_id):
    pass


@dbus.service.method(MOCK_IFACE, in_signature='as')
def SetAllowed(self, actions):
    self.allowed = [str(a) for a in actions]


@dbus.service.method(MOCK_IFACE, in_signature='b')
def AllowUnknown(self, allow):
    self.allow_unknown = bool(allow)


@dbus.service.method(MOCK_IFACE, in_signature='b')
def SetFailing(self, failing):
    self.failing = bool(failing)


@dbus.service.method(MOCK_IFACE, out_signature='a(sa{ss}s)')
def GetChecks(self):
    return dbus.Array(self.checks, signature='(sa{ss}s)')


@dbus.service.method(MOCK_IFACE)
def ClearChecks(self):
    self.checks = []
