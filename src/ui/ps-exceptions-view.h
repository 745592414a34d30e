/* ps-exceptions-view.h: shipments in trouble, grouped by reason, and what to do about each
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-context.h"

G_BEGIN_DECLS

#define PS_TYPE_EXCEPTIONS_VIEW (ps_exceptions_view_get_type ())

G_DECLARE_FINAL_TYPE (PsExceptionsView, ps_exceptions_view, PS, EXCEPTIONS_VIEW, GtkWidget)

/* How many exceptions of one reason the view lists (the oldest). */
/* How many exceptions of one reason the view lists (the oldest): every
 * row is a few dozen widgets, so a long list costs time to show. */
#define PS_EXCEPTIONS_VIEW_MAX_ROWS 50

GtkWidget *ps_exceptions_view_new            (void);
void       ps_exceptions_view_set_context    (PsExceptionsView *self,
                                              PsContext        *context);
PsContext *ps_exceptions_view_get_context    (PsExceptionsView *self);
void       ps_exceptions_view_reload         (PsExceptionsView *self);
gboolean   ps_exceptions_view_get_loading    (PsExceptionsView *self);
GPtrArray *ps_exceptions_view_get_groups     (PsExceptionsView *self);
guint      ps_exceptions_view_get_n_pending  (PsExceptionsView *self);

char      *ps_exceptions_view_format_age     (gint64            seconds);

G_END_DECLS
