/* ps-group-rows.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * AdwPreferencesGroup (libadwaita 1.2) cannot list or clear its rows, and
 * groups often also hold rows from a template (an entry row) that must
 * stay. The rows added through these functions are remembered on the group
 * so a refresh removes exactly them.
 */

#define G_LOG_DOMAIN "ps-group-rows"

#include "config.h"

#include "ps-group-rows.h"

#define ROWS_KEY "ps-group-rows"

/**
 * ps_group_add_row:
 * @group: a group
 * @row: (transfer floating): a row
 *
 * Adds @row so that ps_group_clear_rows() removes it again.
 */
void
ps_group_add_row (AdwPreferencesGroup *group,
                  GtkWidget           *row)
{
  GPtrArray *rows = g_object_get_data (G_OBJECT (group), ROWS_KEY);

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));
  g_return_if_fail (GTK_IS_WIDGET (row));

  if (rows == NULL)
    {
      rows = g_ptr_array_new ();
      g_object_set_data_full (G_OBJECT (group), ROWS_KEY, rows, (GDestroyNotify)g_ptr_array_unref);
    }
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
}

/**
 * ps_group_add_text_row:
 * @group: a group
 * @title: (nullable): the row's title, plain text
 * @subtitle: (nullable): the row's subtitle, plain text
 *
 * Returns: (transfer none): the new #AdwActionRow, for suffixes
 */
GtkWidget *
ps_group_add_text_row (AdwPreferencesGroup *group,
                       const char          *title,
                       const char          *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Shop data (names, notes) may contain '<' and '&'. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  ps_group_add_row (group, row);
  return row;
}

/**
 * ps_group_clear_rows:
 * @group: a group
 *
 * Removes the rows added with ps_group_add_row().
 */
void
ps_group_clear_rows (AdwPreferencesGroup *group)
{
  GPtrArray *rows = g_object_get_data (G_OBJECT (group), ROWS_KEY);

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));

  for (guint i = 0; rows != NULL && i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  if (rows != NULL)
    g_ptr_array_set_size (rows, 0);
}
