/* ps-choice-button.h: a button that picks one or several values from a list
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PS_TYPE_CHOICE_BUTTON (ps_choice_button_get_type ())

G_DECLARE_FINAL_TYPE (PsChoiceButton, ps_choice_button, PS, CHOICE_BUTTON, GtkWidget)

GtkWidget   *ps_choice_button_new              (const char          *accessible_label);
void         ps_choice_button_set_multiple     (PsChoiceButton      *self,
                                                gboolean             multiple);
void         ps_choice_button_set_placeholder  (PsChoiceButton      *self,
                                                const char          *placeholder);
void         ps_choice_button_append           (PsChoiceButton      *self,
                                                const char          *id,
                                                const char          *label);
const char  *ps_choice_button_get_selected     (PsChoiceButton      *self);
gboolean     ps_choice_button_set_selected     (PsChoiceButton      *self,
                                                const char          *id);
GStrv        ps_choice_button_get_selected_ids (PsChoiceButton      *self);
void         ps_choice_button_set_selected_ids (PsChoiceButton      *self,
                                                const char * const  *ids);

G_END_DECLS
