/* ps-orders-page.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The orders list: a GtkColumnView over a PsOrderList, which holds only
 * ids and fills rows lazily (STYLE.md 3.7). Cells are bound with <lookup>
 * expressions in ps-orders-page.ui, so a stub order shows empty cells and
 * fills in place when its row arrives. Columns get fixed widths because
 * automatic widths would be measured from whatever ~200 rows happen to be
 * realized and would jump while scrolling.
 */

#define G_LOG_DOMAIN "ps-orders-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-application.h"
#include "ps-format.h"
#include "ps-orders-page.h"

struct _PsOrdersPage
{
  GtkWidget           parent_instance;

  PsContext          *context;
  PsOrderList        *list;
  GtkSingleSelection *selection;
  PsOrder            *first_order;      /* watched until the first rows are drawn */
  guint               first_rows_tick;
  gboolean            first_rows_seen;
  gboolean            first_rows_reported;

  /* Template widgets */
  GtkStack           *stack;
  GtkSpinner         *spinner;
  GtkColumnView      *column_view;
};

G_DEFINE_FINAL_TYPE (PsOrdersPage, ps_orders_page, GTK_TYPE_WIDGET)

/* Formatting closures for the cells (see ps-orders-page.ui) */

static char *
format_date (gpointer this,
             gint64   created_at)
{
  return ps_format_date (created_at);
}

static char *
format_items (gpointer this,
              int      item_count)
{
  return item_count > 0 ? g_strdup_printf ("%d", item_count) : g_strdup ("");
}

static char *
format_total (gpointer    this,
              gint64      total_minor,
              const char *currency)
{
  return currency ? ps_format_money (total_minor, currency) : g_strdup ("");
}

static char *
format_destination (gpointer    this,
                    const char *city,
                    const char *state,
                    const char *country)
{
  return ps_format_destination (city, state, country);
}

static char *
format_status (gpointer this,
               int      status)
{
  return g_strdup (ps_format_order_status (status));
}

static char *
format_carrier (gpointer    this,
                const char *carrier,
                const char *service)
{
  if (carrier == NULL)
    return g_strdup ("");
  /* Service codes are identifiers such as "2nd_day_air"; show them as
   * words until carriers provide display names. */
  if (service != NULL)
    {
      g_autofree char *words = g_strdelimit (g_strdup (service), "_", ' ');
      return g_strdup_printf ("%s · %s", ps_format_carrier (carrier), words);
    }
  return g_strdup (ps_format_carrier (carrier));
}

static char *
format_tracking (gpointer this,
                 int      tracking_status)
{
  return g_strdup (ps_format_tracking_status (tracking_status));
}

/* Helpers */

static void
report_first_rows (PsOrdersPage *self)
{
  GApplication *app = g_application_get_default ();

  if (self->first_rows_reported)
    return;
  self->first_rows_reported = TRUE;
  if (PS_IS_APPLICATION (app))
    ps_application_startup_timing (PS_APPLICATION (app), "first-rows");
}

/* Runs every frame until the first order has its row and one more frame
 * has been drawn with it: that is "first rows on screen". */
static gboolean
first_rows_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  PsOrdersPage *self = PS_ORDERS_PAGE (widget);

  if (self->first_order == NULL)
    return G_SOURCE_CONTINUE;
  if (!ps_order_get_loaded (self->first_order))
    return G_SOURCE_CONTINUE;
  if (!self->first_rows_seen)
    {
      self->first_rows_seen = TRUE;
      return G_SOURCE_CONTINUE;
    }

  self->first_rows_tick = 0;
  g_clear_object (&self->first_order);
  report_first_rows (self);
  return G_SOURCE_REMOVE;
}

static void
update_view (PsOrdersPage *self)
{
  guint n;

  if (self->list == NULL || ps_order_list_get_loading (self->list))
    {
      if (self->list == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0)
        {
          gtk_stack_set_visible_child_name (self->stack, "loading");
          gtk_spinner_start (self->spinner);
        }
      return;
    }

  gtk_spinner_stop (self->spinner);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  if (n == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      report_first_rows (self);
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "list");
  if (!self->first_rows_reported && self->first_order == NULL)
    {
      self->first_order = g_list_model_get_item (G_LIST_MODEL (self->list), 0);
      if (self->first_rows_tick == 0)
        self->first_rows_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self),
                                                              first_rows_tick_cb, NULL, NULL);
    }
}

/* Callbacks */

static void
on_list_loading_cb (PsOrdersPage *self,
                    GParamSpec   *pspec,
                    PsOrderList  *list)
{
  update_view (self);
}

/* GObject overrides */

static void
ps_orders_page_dispose (GObject *object)
{
  PsOrdersPage *self = (PsOrdersPage *)object;

  if (self->first_rows_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->first_rows_tick);
      self->first_rows_tick = 0;
    }
  g_clear_object (&self->first_order);

  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_ORDERS_PAGE);

  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (ps_orders_page_parent_class)->dispose (object);
}

static void
ps_orders_page_class_init (PsOrdersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_orders_page_dispose;

  g_type_ensure (PS_TYPE_ORDER);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/ps-orders-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, column_view);
  gtk_widget_class_bind_template_callback (widget_class, format_date);
  gtk_widget_class_bind_template_callback (widget_class, format_items);
  gtk_widget_class_bind_template_callback (widget_class, format_total);
  gtk_widget_class_bind_template_callback (widget_class, format_destination);
  gtk_widget_class_bind_template_callback (widget_class, format_status);
  gtk_widget_class_bind_template_callback (widget_class, format_carrier);
  gtk_widget_class_bind_template_callback (widget_class, format_tracking);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_orders_page_init (PsOrdersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_view (self);
}

/* Public API */

/**
 * ps_orders_page_set_context:
 * @self: a #PsOrdersPage
 * @context: the open context
 *
 * Starts listing the context's orders.
 */
void
ps_orders_page_set_context (PsOrdersPage *self,
                            PsContext    *context)
{
  g_return_if_fail (PS_IS_ORDERS_PAGE (self));
  g_return_if_fail (PS_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;

  g_clear_object (&self->list);
  g_clear_object (&self->selection);

  self->list = ps_order_list_new (ps_context_get_order_store (context));
  g_signal_connect_object (self->list, "notify::loading", G_CALLBACK (on_list_loading_cb),
                           self, G_CONNECT_SWAPPED);

  /* GtkSingleSelection never walks the model; a million-row multi
   * selection needs its own bitset model (orders workspace issue). */
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  update_view (self);
}

/**
 * ps_orders_page_get_list:
 * @self: a #PsOrdersPage
 *
 * Returns: (transfer none) (nullable): the order list shown
 */
PsOrderList *
ps_orders_page_get_list (PsOrdersPage *self)
{
  g_return_val_if_fail (PS_IS_ORDERS_PAGE (self), NULL);
  return self->list;
}

/**
 * ps_orders_page_get_view:
 * @self: a #PsOrdersPage
 *
 * Returns: (transfer none): the column view
 */
GtkWidget *
ps_orders_page_get_view (PsOrdersPage *self)
{
  g_return_val_if_fail (PS_IS_ORDERS_PAGE (self), NULL);
  return GTK_WIDGET (self->column_view);
}
