/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * netagentd — D-Bus names of the version 1 contract.
 *
 * One header for the daemon, netagentctl and the tests, so a name is
 * spelled in exactly one place.
 */
#pragma once

#define NETAGENT_DBUS_NAME            "io.netagentd.NetAgent1"
#define NETAGENT_DBUS_PATH            "/io/netagentd/NetAgent1"
#define NETAGENT_DBUS_AGENT_PATH      NETAGENT_DBUS_PATH "/Agent"
#define NETAGENT_DBUS_FLOW_PATH       NETAGENT_DBUS_PATH "/Flow"

#define NETAGENT_DBUS_INTERFACE       "io.netagentd.NetAgent1"
#define NETAGENT_DBUS_INTERFACE_AGENT NETAGENT_DBUS_INTERFACE ".Agent"
#define NETAGENT_DBUS_INTERFACE_FLOW  NETAGENT_DBUS_INTERFACE ".Flow"

#define NETAGENT_DBUS_ERROR_PREFIX    NETAGENT_DBUS_INTERFACE ".Error."

#define NETAGENT_DBUS_ERROR_INVALID_ARGUMENT  NETAGENT_DBUS_ERROR_PREFIX "InvalidArgument"
#define NETAGENT_DBUS_ERROR_BAD_ETHERTYPE     NETAGENT_DBUS_ERROR_PREFIX "BadEthertype"
#define NETAGENT_DBUS_ERROR_BAD_ADDRESS       NETAGENT_DBUS_ERROR_PREFIX "BadAddress"
#define NETAGENT_DBUS_ERROR_NOT_SUPPORTED     NETAGENT_DBUS_ERROR_PREFIX "NotSupported"
#define NETAGENT_DBUS_ERROR_NOT_FOUND         NETAGENT_DBUS_ERROR_PREFIX "NotFound"
#define NETAGENT_DBUS_ERROR_ALREADY_EXISTS    NETAGENT_DBUS_ERROR_PREFIX "AlreadyExists"
#define NETAGENT_DBUS_ERROR_LIMIT_REACHED     NETAGENT_DBUS_ERROR_PREFIX "LimitReached"
#define NETAGENT_DBUS_ERROR_NO_SUCH_INTERFACE NETAGENT_DBUS_ERROR_PREFIX "NoSuchInterface"
#define NETAGENT_DBUS_ERROR_ACCESS_DENIED     NETAGENT_DBUS_ERROR_PREFIX "AccessDenied"
#define NETAGENT_DBUS_ERROR_FAILED            NETAGENT_DBUS_ERROR_PREFIX "Failed"

/* polkit actions */
#define NETAGENT_ACTION_REGISTER      NETAGENT_DBUS_NAME ".register"
#define NETAGENT_ACTION_FLOW_INSERT   NETAGENT_DBUS_NAME ".flow-insert"
#define NETAGENT_ACTION_FLOW_FILTER   NETAGENT_DBUS_NAME ".flow-filter"
#define NETAGENT_ACTION_FLOW_DELEGATE NETAGENT_DBUS_NAME ".flow-delegate"

/* FlowRemoved reasons */
#define NETAGENT_REASON_REMOVED        "removed"
#define NETAGENT_REASON_ABORTED        "aborted"
#define NETAGENT_REASON_OWNER_VANISHED "owner-vanished"
#define NETAGENT_REASON_CHANNEL_CLOSED "channel-closed"
#define NETAGENT_REASON_PURGED         "purged"

/* Feature and flow type names (Register "features", FlowInsert "type") */
#define NETAGENT_FEATURE_CUSTOM_ETHER "custom-ether"
#define NETAGENT_FEATURE_IPV6_ULA     "ipv6-ula"
#define NETAGENT_FEATURE_FILTER       "filter"

/* Channel types */
#define NETAGENT_CHANNEL_SOCKETPAIR   "socketpair"
#define NETAGENT_CHANNEL_TAP          "tap"

/* Register defaults and limits (seed: ports 2..127; sizes with terminator) */
#define NETAGENT_DEFAULT_DOMAIN       "Skywalk"
#define NETAGENT_DEFAULT_TYPE         "NetIf"
#define NETAGENT_DEFAULT_DESCRIPTION  "Userspace Networking"
#define NETAGENT_DOMAIN_SIZE          32
#define NETAGENT_TYPE_SIZE            32
#define NETAGENT_DESCRIPTION_SIZE     128
#define NETAGENT_DEFAULT_FLOW_MAX     126
#define NETAGENT_FLOW_MAX_LIMIT       65533
#define NETAGENT_FIRST_PORT           2
