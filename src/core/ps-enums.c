/* ps-enums.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ps-enums"

#include "config.h"

#include "ps-enums.h"

/**
 * ps_enum_to_nick:
 * @enum_type: a #GType of an enum registered by mkenums
 * @value: a value of that enum
 *
 * Returns: (transfer none) (nullable): the stable nick stored in the
 *   database, or %NULL if @value is not a member of @enum_type.
 */
const char *
ps_enum_to_nick (GType enum_type,
                 int   value)
{
  GEnumClass *klass;
  GEnumValue *v;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), NULL);

  /* Enum classes are static once referenced; peek avoids a ref per call on
   * hot paths such as bulk writes. */
  klass = g_type_class_peek (enum_type);
  if (klass == NULL)
    klass = g_type_class_ref (enum_type);
  v = g_enum_get_value (klass, value);

  return v ? v->value_nick : NULL;
}

/**
 * ps_enum_from_nick:
 * @enum_type: a #GType of an enum registered by mkenums
 * @nick: (nullable): a stored nick
 * @value: (out): where to store the value
 *
 * Returns: %TRUE if @nick names a member of @enum_type.
 */
gboolean
ps_enum_from_nick (GType       enum_type,
                   const char *nick,
                   int        *value)
{
  GEnumClass *klass;
  GEnumValue *v;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), FALSE);
  g_return_val_if_fail (value != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  klass = g_type_class_peek (enum_type);
  if (klass == NULL)
    klass = g_type_class_ref (enum_type);
  v = g_enum_get_value_by_nick (klass, nick);
  if (v == NULL)
    return FALSE;

  *value = v->value;
  return TRUE;
}
