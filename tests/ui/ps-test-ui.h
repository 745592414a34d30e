/* ps-test-ui.h: waiting and finding widgets in the in-process UI tests
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-window.c carries its own copy of these from before this header;
 * new UI tests include this instead.
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-orders-page.h"

static inline gboolean
ps_test_timeout_cb (gpointer data)
{
  g_error ("Timed out: %s", (const char *)data);
  return G_SOURCE_REMOVE;
}

/* Iterates the default main context until @cond holds; fails the test
 * after 20 seconds, naming @what. */
#define PS_TEST_WAIT_UNTIL(cond, what)                                            \
  G_STMT_START {                                                                  \
    guint _t = g_timeout_add_seconds (20, ps_test_timeout_cb, (gpointer)(what));  \
    while (!(cond))                                                               \
      g_main_context_iteration (NULL, TRUE);                                      \
    g_source_remove (_t);                                                         \
  } G_STMT_END

/* Lets the main loop run for @ms milliseconds. */
static inline void
ps_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static inline PsOrdersPage *
ps_test_find_orders_page (GtkWidget *widget)
{
  if (PS_IS_ORDERS_PAGE (widget))
    return PS_ORDERS_PAGE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PsOrdersPage *page = ps_test_find_orders_page (child);
      if (page != NULL)
        return page;
    }
  return NULL;
}

/* The first visible toplevel of @type, or NULL. */
static inline GtkWindow *
ps_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return GTK_WINDOW (w);
    }
  return NULL;
}
