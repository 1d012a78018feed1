/* SPDX-License-Identifier: GPL-2.0-or-later */
#define G_LOG_DOMAIN "netagentctl"

#include <string.h>

#include <glib/gi18n.h>

#include <netagent/netagent-names.h>

#include "na-error.h"
#include "nactl-resolve.h"

GVariant *
nactl_get_managed_objects (NactlContext *ctx, GError **error)
{
  g_autoptr(GVariant) reply = nactl_call (ctx, NETAGENT_DBUS_PATH,
                                          "org.freedesktop.DBus.ObjectManager",
                                          "GetManagedObjects", NULL,
                                          G_VARIANT_TYPE ("(a{oa{sa{sv}}})"), error);
  GVariant *objects = NULL;

  if (reply)
    g_variant_get (reply, "(@a{oa{sa{sv}}})", &objects);
  return objects;
}

static const char *
kind_interface (NactlObjectKind kind)
{
  return kind == NACTL_OBJECT_AGENT ? NETAGENT_DBUS_INTERFACE_AGENT : NETAGENT_DBUS_INTERFACE_FLOW;
}

/*
 * Find in @objects the object that has one of @kinds' interfaces and
 * either the path @path or a Uuid property equal to @uuid.
 */
static char *
find_object (GVariant         *objects,
             const char       *path,
             const char       *uuid,
             NactlObjectKind   kinds,
             NactlObjectKind  *kind)
{
  GVariantIter iter;
  const char *object_path;
  GVariant *interfaces;

  g_variant_iter_init (&iter, objects);
  while (g_variant_iter_loop (&iter, "{&o@a{sa{sv}}}", &object_path, &interfaces))
    {
      for (NactlObjectKind k = NACTL_OBJECT_AGENT; k <= NACTL_OBJECT_FLOW; k <<= 1)
        {
          g_autoptr(GVariant) props = NULL;
          const char *object_uuid = NULL;

          if (!(kinds & k))
            continue;
          props = g_variant_lookup_value (interfaces, kind_interface (k), G_VARIANT_TYPE_VARDICT);
          if (props == NULL)
            continue;
          if ((path && g_str_equal (path, object_path)) ||
              (uuid && g_variant_lookup (props, "Uuid", "&s", &object_uuid) &&
               g_str_equal (uuid, object_uuid)))
            {
              char *found = g_strdup (object_path);

              if (kind)
                *kind = k;
              g_variant_unref (interfaces);
              return found;
            }
        }
    }
  return NULL;
}

static const char *
kinds_noun (NactlObjectKind kinds)
{
  if (kinds == NACTL_OBJECT_AGENT)
    return _("agent");
  if (kinds == NACTL_OBJECT_FLOW)
    return _("flow");
  return _("agent or flow");
}

/* A uuid in any case; the contract's are lower-case. */
static char *
as_uuid (const char *spec)
{
  static const int dashes[] = { 8, 13, 18, 23 };
  g_autofree char *lower = NULL;

  if (strlen (spec) != 36)
    return NULL;
  for (int i = 0; i < 36; i++)
    {
      gboolean dash = i == dashes[0] || i == dashes[1] || i == dashes[2] || i == dashes[3];

      if (dash ? spec[i] != '-' : !g_ascii_isxdigit (spec[i]))
        return NULL;
    }
  lower = g_ascii_strdown (spec, -1);
  return g_steal_pointer (&lower);
}

char *
nactl_resolve (NactlContext     *ctx,
               const char       *spec,
               NactlObjectKind   kinds,
               NactlObjectKind  *kind,
               GError          **error)
{
  g_autoptr(GVariant) objects = NULL;
  g_autofree char *uuid = NULL;
  char *path;

  if (spec[0] == '/')
    {
      if (!g_variant_is_object_path (spec))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is not a D-Bus object path"), spec);
          return NULL;
        }
    }
  else if ((uuid = as_uuid (spec)) == NULL)
    {
      g_autoptr(NaDbusNetAgent1) manager = NULL;
      g_autofree char *agent = NULL;

      /* Neither a path nor a uuid: the name of an agent's interface. */
      if (!(kinds & NACTL_OBJECT_AGENT))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("“%s” is neither a flow's object path nor its uuid"), spec);
          return NULL;
        }
      manager = nactl_manager_proxy (ctx, error);
      if (manager == NULL ||
          !na_dbus_net_agent1_call_find_agent_sync (manager, spec, NACTL_CALL_FLAGS,
                                                    NACTL_CALL_TIMEOUT, &agent, NULL, error))
        return NULL;
      if (kind)
        *kind = NACTL_OBJECT_AGENT;
      return g_steal_pointer (&agent);
    }

  objects = nactl_get_managed_objects (ctx, error);
  if (objects == NULL)
    return NULL;
  path = find_object (objects, uuid ? NULL : spec, uuid, kinds, kind);
  if (path == NULL)
    g_set_error (error, NA_ERROR, NA_ERROR_NOT_FOUND, _("No %s “%s”"), kinds_noun (kinds), spec);
  return path;
}

char *
nactl_pick_agent (NactlContext  *ctx,
                  const char    *agent,
                  const char    *interface,
                  GError       **error)
{
  g_autoptr(GVariant) agents = NULL;
  gsize n;

  if (agent && interface)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--agent and --interface exclude each other"));
      return NULL;
    }
  if (agent)
    return nactl_resolve (ctx, agent, NACTL_OBJECT_AGENT, NULL, error);
  if (interface)
    {
      g_autoptr(NaDbusNetAgent1) manager = nactl_manager_proxy (ctx, error);
      char *path = NULL;

      if (manager == NULL ||
          !na_dbus_net_agent1_call_find_agent_sync (manager, interface, NACTL_CALL_FLAGS,
                                                    NACTL_CALL_TIMEOUT, &path, NULL, error))
        return NULL;
      return path;
    }

  agents = nactl_get_property (ctx, NETAGENT_DBUS_PATH, NETAGENT_DBUS_INTERFACE, "Agents", error);
  if (agents == NULL)
    return NULL;
  if (!g_variant_is_of_type (agents, G_VARIANT_TYPE_OBJECT_PATH_ARRAY))
    {
      g_set_error (error, NA_ERROR, NA_ERROR_FAILED, _("netagentd sent Agents of type %s"),
                   g_variant_get_type_string (agents));
      return NULL;
    }
  n = g_variant_n_children (agents);
  if (n == 1)
    {
      char *path = NULL;

      g_variant_get_child (agents, 0, "o", &path);
      return path;
    }
  if (n == 0)
    g_set_error_literal (error, NA_ERROR, NA_ERROR_NOT_FOUND, _("No agent is registered"));
  else
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                 _("%zu agents are registered: choose one with --agent or --interface"), n);
  return NULL;
}
