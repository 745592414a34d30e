/* ps-group-rows.h: rows added to an AdwPreferencesGroup at run time
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void       ps_group_add_row      (AdwPreferencesGroup *group,
                                  GtkWidget           *row);
GtkWidget *ps_group_add_text_row (AdwPreferencesGroup *group,
                                  const char          *title,
                                  const char          *subtitle);
void       ps_group_clear_rows   (AdwPreferencesGroup *group);

G_END_DECLS
