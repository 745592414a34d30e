/* ps-orders-page.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The orders list: a GtkColumnView over a PsOrderList, which holds only
 * ids and fills rows lazily (STYLE.md 3.7). A stub order shows empty cells
 * that fill in place when its row arrives. Columns get fixed widths because
 * automatic widths would be measured from whatever ~200 rows happen to be
 * realized and would jump while scrolling.
 */

#define G_LOG_DOMAIN "ps-orders-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ps-application.h"
#include "ps-bitset-selection.h"
#include "ps-order-detail.h"
#include "ps-enum-types.h"
#include "ps-format.h"
#include "ps-order-details-pane.h"
#include "ps-order-export.h"
#include "ps-order-search.h"
#include "ps-orders-page.h"

struct _PsOrdersPage
{
  GtkWidget           parent_instance;

  PsContext          *context;
  GSettings          *settings;           /* column layout; may be NULL */
  GSimpleActionGroup *column_actions;     /* show-<id>: each column's visibility */
  guint               save_layout_source;
  gboolean            applying_layout;
  PsCondition        *condition;        /* the sidebar filter shown, or NULL for all */
  PsOrderList        *list;
  PsBitsetSelection  *selection;
  PsOrder            *first_order;      /* watched until the first rows are drawn */
  guint               first_rows_tick;
  gboolean            first_rows_seen;
  gboolean            first_rows_reported;
  gboolean            ids_reported;

  /* Template widgets */
  GtkWidget          *page_box;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkLabel           *search_status;
  AdwStatusPage      *no_match_page;
  GtkStack           *stack;
  GtkSpinner         *spinner;
  GtkColumnView      *column_view;
  AdwFlap            *flap;
  PsOrderDetailsPane *details_pane;
  GtkRevealer        *action_revealer;
  GtkLabel           *selection_label;
  GtkMenuButton      *status_button;
  GtkEntry           *tag_entry;
  GtkEntry           *compact_tag_entry;
  GtkMenuButton      *compact_status_button;
  AdwSqueezer        *bulk_squeezer;
  GtkWidget          *export_box;
  GtkProgressBar     *export_progress;

  /* Export of the selection */
  GtkFileChooserNative *export_chooser;
  GCancellable       *export_cancellable;   /* set while an export runs */
  GFile              *export_file;
};

G_DEFINE_FINAL_TYPE (PsOrdersPage, ps_orders_page, GTK_TYPE_WIDGET)

/* Columns
 *
 * Cells use a signal factory rather than GtkBuilderListItemFactory
 * templates: a builder template is parsed again for every cell created, and
 * with ten columns that alone took ~140 ms before the first rows could
 * appear (measured with tests/bench/open.sh). Each cell is one GtkLabel
 * that re-formats itself when the order properties it shows change.
 */

typedef char *(*CellFormat) (PsOrder *order);

typedef struct
{
  const char *id;
  const char *title;
  int         width;
  gboolean    expand;
  float       xalign;
  gboolean    numeric;
  CellFormat  format;
  const char *props[4];    /* what the cell shows; NULL-terminated */
  int         sort;        /* a PsOrderSort, or -1 when the column does not sort */
} ColumnSpec;

static char *
cell_number (PsOrder *order)
{
  return g_strdup (ps_order_get_order_number (order));
}

static char *
cell_date (PsOrder *order)
{
  return ps_format_date (ps_order_get_created_at (order));
}

static char *
cell_customer (PsOrder *order)
{
  return g_strdup (ps_order_get_customer_name (order));
}

static char *
cell_channel (PsOrder *order)
{
  return g_strdup (ps_order_get_channel_name (order));
}

static char *
cell_items (PsOrder *order)
{
  int n = ps_order_get_item_count (order);

  return n > 0 ? g_strdup_printf ("%d", n) : NULL;
}

static char *
cell_total (PsOrder *order)
{
  const char *currency = ps_order_get_currency (order);

  return currency ? ps_format_money (ps_order_get_total_minor (order), currency) : NULL;
}

static char *
cell_destination (PsOrder *order)
{
  return ps_format_destination (ps_order_get_ship_city (order), ps_order_get_ship_state (order),
                                ps_order_get_ship_country (order));
}

static char *
cell_status (PsOrder *order)
{
  return g_strdup (ps_format_order_status (ps_order_get_status (order)));
}

static char *
cell_carrier (PsOrder *order)
{
  const char *carrier = ps_order_get_carrier (order);
  const char *service = ps_order_get_service (order);

  if (carrier == NULL)
    return NULL;
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
cell_tracking (PsOrder *order)
{
  return g_strdup (ps_format_tracking_status (ps_order_get_tracking_status (order)));
}

static const ColumnSpec columns[] = {
  { "number",      N_("Order"),       150, FALSE, 0, FALSE, cell_number,      { "order-number" },
    PS_ORDER_SORT_NUMBER },
  { "date",        N_("Date"),        112, FALSE, 0, FALSE, cell_date,        { "created-at" },
    PS_ORDER_SORT_CREATED },
  { "customer",    N_("Customer"),    150, TRUE,  0, FALSE, cell_customer,    { "customer-name" },
    PS_ORDER_SORT_CUSTOMER },
  { "channel",     N_("Channel"),     104, FALSE, 0, FALSE, cell_channel,     { "channel-name" },
    PS_ORDER_SORT_CHANNEL },
  { "items",       N_("Items"),        60, FALSE, 1, TRUE,  cell_items,       { "item-count" },
    PS_ORDER_SORT_ITEMS },
  { "total",       N_("Total"),        96, FALSE, 1, TRUE,  cell_total,       { "total-minor", "currency" },
    PS_ORDER_SORT_TOTAL },
  { "destination", N_("Destination"), 150, FALSE, 0, FALSE, cell_destination,
    { "ship-city", "ship-state", "ship-country" }, PS_ORDER_SORT_DESTINATION },
  { "status",      N_("Status"),      150, FALSE, 0, FALSE, cell_status,      { "status" },
    PS_ORDER_SORT_STATUS },
  { "carrier",     N_("Carrier"),     150, FALSE, 0, FALSE, cell_carrier,     { "carrier", "service" },
    -1 },
  { "tracking",    N_("Tracking"),    130, FALSE, 0, FALSE, cell_tracking,    { "tracking-status" },
    -1 },
};

static void
update_cell (GtkListItem *item)
{
  const ColumnSpec *spec = g_object_get_data (G_OBJECT (item), "ps-column");
  PsOrder *order = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;

  if (order != NULL && ps_order_get_loaded (order))
    text = spec->format (order);
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text ? text : "");
}

static void
on_order_notify_cb (GtkListItem *item,
                    GParamSpec  *pspec,
                    PsOrder     *order)
{
  update_cell (item);
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               const ColumnSpec         *spec)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), spec->xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  if (spec->numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
  g_object_set_data (G_OBJECT (item), "ps-column", (gpointer)spec);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              const ColumnSpec         *spec)
{
  PsOrder *order = gtk_list_item_get_item (item);

  for (guint i = 0; spec->props[i] != NULL; i++)
    {
      g_autofree char *signal = g_strconcat ("notify::", spec->props[i], NULL);
      g_signal_connect_object (order, signal, G_CALLBACK (on_order_notify_cb), item,
                               G_CONNECT_SWAPPED);
    }
  /* A stub fills all at once; "loaded" covers cells whose value did not
   * change from the stub's default. */
  g_signal_connect_object (order, "notify::loaded", G_CALLBACK (on_order_notify_cb), item,
                           G_CONNECT_SWAPPED);
  update_cell (item);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                const ColumnSpec         *spec)
{
  PsOrder *order = gtk_list_item_get_item (item);

  if (order != NULL)
    g_signal_handlers_disconnect_by_func (order, on_order_notify_cb, item);
}

/* Sorting happens in SQL (STYLE.md 3.7); the column sorters exist only to
 * make headers clickable. GTK 4.8 has no API to ask the view which column
 * and direction the merchant chose, so the view's sorter is probed: each
 * column's sorter records that it was asked and answers "less", and the
 * view inverts that answer for a descending sort. */
static const ColumnSpec *probe_hit;

static int
probe_compare (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  probe_hit = user_data;
  return GTK_ORDERING_SMALLER;
}

static void
on_view_sorter_changed_cb (PsOrdersPage    *self,
                           GtkSorterChange  change,
                           GtkSorter       *sorter)
{
  g_autoptr(PsOrder) a = ps_order_new_stub (1);
  g_autoptr(PsOrder) b = ps_order_new_stub (2);
  GtkOrdering order;

  probe_hit = NULL;
  order = gtk_sorter_compare (sorter, a, b);
  if (self->list == NULL)
    return;
  if (probe_hit == NULL || probe_hit->sort < 0)
    ps_order_list_set_sort (self->list, PS_ORDER_SORT_CREATED, TRUE);
  else
    ps_order_list_set_sort (self->list, probe_hit->sort, order == GTK_ORDERING_LARGER);
}

/* Column layout: order, visibility and width, kept in GSettings. */

static const ColumnSpec *
column_spec (GtkColumnViewColumn *column)
{
  return g_object_get_data (G_OBJECT (column), "ps-column");
}

static gboolean
save_layout_cb (gpointer data)
{
  PsOrdersPage *self = data;
  GListModel *cols = gtk_column_view_get_columns (self->column_view);
  GVariantBuilder builder;

  self->save_layout_source = 0;
  if (self->settings == NULL)
    return G_SOURCE_REMOVE;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sbi)"));
  for (guint i = 0; i < g_list_model_get_n_items (cols); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (cols, i);
      const ColumnSpec *spec = column_spec (column);

      if (spec != NULL)
        g_variant_builder_add (&builder, "(sbi)", spec->id,
                               gtk_column_view_column_get_visible (column),
                               gtk_column_view_column_get_fixed_width (column));
    }
  g_settings_set_value (self->settings, "orders-columns", g_variant_builder_end (&builder));
  return G_SOURCE_REMOVE;
}

static void
queue_save_layout (PsOrdersPage *self)
{
  /* Resizing notifies for every pixel: save once it settles. */
  if (self->applying_layout || self->settings == NULL)
    return;
  g_clear_handle_id (&self->save_layout_source, g_source_remove);
  self->save_layout_source = g_timeout_add (400, save_layout_cb, self);
}

static void
on_column_changed_cb (PsOrdersPage *self)
{
  queue_save_layout (self);
}

static void
apply_layout (PsOrdersPage *self)
{
  g_autoptr(GVariant) layout = NULL;
  GVariantIter iter;
  const char *id;
  gboolean visible;
  int width;
  guint position = 0;

  if (self->settings == NULL)
    return;
  layout = g_settings_get_value (self->settings, "orders-columns");

  self->applying_layout = TRUE;
  g_variant_iter_init (&iter, layout);
  while (g_variant_iter_next (&iter, "(&sbi)", &id, &visible, &width))
    {
      GListModel *cols = gtk_column_view_get_columns (self->column_view);

      for (guint i = 0; i < g_list_model_get_n_items (cols); i++)
        {
          g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (cols, i);
          const ColumnSpec *spec = column_spec (column);

          if (spec == NULL || !g_str_equal (spec->id, id))
            continue;
          gtk_column_view_column_set_visible (column, visible);
          if (width > 20 && width < 2000)
            gtk_column_view_column_set_fixed_width (column, width);
          if (i != position)
            gtk_column_view_insert_column (self->column_view, position, column);
          position++;
          break;
        }
    }
  self->applying_layout = FALSE;
}

static void
on_columns_items_changed_cb (PsOrdersPage *self,
                             guint         position,
                             guint         removed,
                             guint         added,
                             GListModel   *model)
{
  /* Dragging a header moves the column: remember the new order. */
  queue_save_layout (self);
}

static void
add_columns (PsOrdersPage *self)
{
  GtkColumnViewColumn *date_column = NULL;

  self->column_actions = g_simple_action_group_new ();

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const ColumnSpec *spec = &columns[i];
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), (gpointer)spec);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), (gpointer)spec);
      g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), (gpointer)spec);

      column = gtk_column_view_column_new (_(spec->title), g_steal_pointer (&factory));
      gtk_column_view_column_set_fixed_width (column, spec->width);
      gtk_column_view_column_set_expand (column, spec->expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      if (spec->sort >= 0)
        {
          g_autoptr(GtkSorter) sorter =
            GTK_SORTER (gtk_custom_sorter_new (probe_compare, (gpointer)spec, NULL));
          gtk_column_view_column_set_sorter (column, sorter);
        }
      if (spec->sort == PS_ORDER_SORT_CREATED)
        date_column = column;
      g_object_set_data (G_OBJECT (column), "ps-column", (gpointer)spec);
      {
        g_autofree char *name = g_strdup_printf ("show-%s", spec->id);
        g_autoptr(GPropertyAction) action = g_property_action_new (name, column, "visible");

        g_action_map_add_action (G_ACTION_MAP (self->column_actions), G_ACTION (action));
      }
      g_signal_connect_object (column, "notify::visible", G_CALLBACK (on_column_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (column, "notify::fixed-width", G_CALLBACK (on_column_changed_cb),
                               self, G_CONNECT_SWAPPED);
      gtk_column_view_append_column (self->column_view, column);
    }
  g_signal_connect_object (gtk_column_view_get_columns (self->column_view), "items-changed",
                           G_CALLBACK (on_columns_items_changed_cb), self, G_CONNECT_SWAPPED);

  /* Newest first, as the list starts; the header shows it. */
  gtk_column_view_sort_by_column (self->column_view, date_column, GTK_SORT_DESCENDING);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_view_sorter_changed_cb), self, G_CONNECT_SWAPPED);
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

static void update_search_status (PsOrdersPage *self);

static void
update_view (PsOrdersPage *self)
{
  guint n = self->list ? g_list_model_get_n_items (G_LIST_MODEL (self->list)) : 0;

  update_search_status (self);
  /* A long list arrives in two steps (the first screenful, then the rest),
   * so show it as soon as there is anything to show. */
  if (self->list == NULL || (n == 0 && ps_order_list_get_loading (self->list)))
    {
      gtk_stack_set_visible_child_name (self->stack, "loading");
      gtk_spinner_start (self->spinner);
      return;
    }

  gtk_spinner_stop (self->spinner);
  if (!self->ids_reported && PS_IS_APPLICATION (g_application_get_default ()))
    {
      self->ids_reported = TRUE;
      ps_application_startup_timing (PS_APPLICATION (g_application_get_default ()), "ids-loaded");
    }
  if (n == 0)
    {
      const char *search = ps_order_list_get_search (self->list);
      gboolean searching = search != NULL && *search != '\0';

      adw_status_page_set_description (self->no_match_page,
                                       searching ? _("No order matches this search. Search looks at the start of "
                                                     "words: order numbers, names, emails, SKUs, products and "
                                                     "tracking numbers.")
                                                 : _("No order matches this filter right now."));
      gtk_stack_set_visible_child_name (self->stack, self->condition || searching ? "no-match" : "empty");
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

static GArray *
selected_ids (PsOrdersPage *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkBitset *set;
  GtkBitsetIter iter;
  guint position;

  if (self->selection == NULL || self->list == NULL)
    return ids;
  set = ps_bitset_selection_get_selected (self->selection);
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      gint64 id = ps_order_list_get_id (self->list, position);
      if (id > 0)
        g_array_append_val (ids, id);
    }
  return ids;
}

/* One order selected: its details slide in beside the list. Several: the
 * action bar offers what can be done to all of them at once. */
static void
on_selection_changed_cb (PsOrdersPage      *self,
                         guint              position,
                         guint              n_items,
                         GtkSelectionModel *model)
{
  guint64 n = ps_bitset_selection_get_n_selected (self->selection);
  g_autofree char *count = ps_format_count ((gint64)n);
  g_autofree char *text = g_strdup_printf (ngettext ("%s order selected", "%s orders selected", n),
                                           count);

  gtk_label_set_label (self->selection_label, text);
  gtk_revealer_set_reveal_child (self->action_revealer, n > 0);

  if (n == 1)
    {
      g_autoptr(GArray) ids = selected_ids (self);

      if (ids->len == 1)
        {
          ps_order_details_pane_show (self->details_pane, g_array_index (ids, gint64, 0));
          adw_flap_set_reveal_flap (self->flap, TRUE);
          return;
        }
    }
  adw_flap_set_reveal_flap (self->flap, FALSE);
}

static void
bulk_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsOrdersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == ps_order_store_set_status_async)
    ok = ps_order_store_set_status_finish (PS_ORDER_STORE (object), result, &error);
  else
    ok = ps_order_store_set_tag_finish (PS_ORDER_STORE (object), result, &error);
  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not change the selected orders: %s", error->message);
}

static void
orders_set_status_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PsOrdersPage *self = PS_ORDERS_PAGE (widget);
  g_autoptr(GArray) ids = selected_ids (self);
  int status;

  if (ids->len == 0 || self->context == NULL ||
      !ps_enum_from_nick (PS_TYPE_ORDER_STATUS, g_variant_get_string (parameter, NULL), &status))
    return;
  ps_order_store_set_status_async (ps_context_get_order_store (self->context),
                                   (const gint64 *)ids->data, ids->len, status, NULL,
                                   bulk_done_cb, g_object_ref (self));
}

static void
orders_tag_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PsOrdersPage *self = PS_ORDERS_PAGE (widget);
  g_autoptr(GArray) ids = selected_ids (self);
  g_autofree char *tag = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->tag_entry))));

  if (ids->len == 0 || self->context == NULL || *tag == '\0')
    {
      gtk_widget_grab_focus (gtk_widget_get_mapped (GTK_WIDGET (self->tag_entry))
                             ? GTK_WIDGET (self->tag_entry)
                             : GTK_WIDGET (self->compact_tag_entry));
      return;
    }
  ps_order_store_set_tag_async (ps_context_get_order_store (self->context),
                                (const gint64 *)ids->data, ids->len, tag,
                                g_str_equal (action_name, "orders.add-tag"), NULL,
                                bulk_done_cb, g_object_ref (self));
}

/* Export */

static void
launch_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_message ("Could not open the exported file: %s", error->message);
}

static void
on_open_export_cb (AdwToast *toast,
                   gpointer  user_data)
{
  const char *uri = g_object_get_data (G_OBJECT (toast), "ps-uri");

  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, launch_done_cb, NULL);
}

static void
show_toast (PsOrdersPage *self,
            AdwToast     *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    {
      g_message ("%s", adw_toast_get_title (toast));
      g_object_unref (g_object_ref_sink (toast));
    }
}

static void
set_exporting (PsOrdersPage *self,
               gboolean      exporting)
{
  if (self->export_box != NULL)
    gtk_widget_set_visible (self->export_box, exporting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "orders.export-selection", !exporting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "orders.export-to", !exporting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "orders.cancel-export", exporting);
}

static void
export_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  PsOrdersPage *self = user_data;
  g_autofree char *done_text = ps_format_count ((gint64)done);
  g_autofree char *total_text = ps_format_count ((gint64)total);
  g_autofree char *text = NULL;

  if (self->export_progress == NULL)
    return;
  /* Translators: export progress, "1,200 of 5,000" */
  text = g_strdup_printf (_("%s of %s"), done_text, total_text);
  gtk_progress_bar_set_fraction (self->export_progress, total > 0 ? (double)done / total : 1.0);
  gtk_progress_bar_set_text (self->export_progress, text);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PsOrdersPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_steal_pointer (&self->export_file);
  gint64 n = ps_order_export_finish (PS_CONTEXT (object), result, &error);

  g_clear_object (&self->export_cancellable);
  if (self->export_box == NULL || gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;   /* the page went away meanwhile (and cancelled the export) */
  set_exporting (self, FALSE);

  if (n >= 0)
    {
      g_autofree char *count = ps_format_count (n);
      g_autofree char *title = g_strdup_printf (ngettext ("Exported %s order",
                                                          "Exported %s orders", n), count);
      AdwToast *toast = adw_toast_new (title);

      if (file != NULL && g_file_is_native (file))
        {
          adw_toast_set_button_label (toast, _("_Open"));
          g_object_set_data_full (G_OBJECT (toast), "ps-uri", g_file_get_uri (file), g_free);
          g_signal_connect (toast, "button-clicked", G_CALLBACK (on_open_export_cb), NULL);
        }
      show_toast (self, toast);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_toast (self, adw_toast_new (_("Export stopped; no file was written")));
  else
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                  _("Could Not Export Orders"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
start_export (PsOrdersPage *self,
              GFile        *file)
{
  g_autoptr(GArray) ids = selected_ids (self);

  if (self->context == NULL || self->export_cancellable != NULL || ids->len == 0)
    return;

  self->export_cancellable = g_cancellable_new ();
  g_set_object (&self->export_file, file);
  set_exporting (self, TRUE);
  export_progress_cb (0, ids->len, self);
  ps_order_export_async (self->context, (const gint64 *)(gpointer)ids->data, ids->len, file,
                         PS_ORDER_EXPORT_FLAGS_NONE, export_progress_cb, self, NULL,
                         self->export_cancellable, export_done_cb, g_object_ref (self));
}

static void
export_chooser_response_cb (PsOrdersPage         *self,
                            int                   response,
                            GtkFileChooserNative *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        start_export (self, file);
    }
  gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (chooser));
  g_clear_object (&self->export_chooser);
}

static void
orders_export_selection_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  PsOrdersPage *self = PS_ORDERS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWindow *parent = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autofree char *name = ps_order_export_suggest_name (NULL);

  if (self->export_chooser != NULL || self->export_cancellable != NULL ||
      self->selection == NULL || ps_bitset_selection_get_n_selected (self->selection) == 0)
    return;

  self->export_chooser = gtk_file_chooser_native_new (_("Export Orders"), parent,
                                                      GTK_FILE_CHOOSER_ACTION_SAVE,
                                                      _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->export_chooser), TRUE);
  gtk_file_filter_set_name (csv, _("CSV files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->export_chooser), csv);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_chooser), name);
  g_signal_connect_object (self->export_chooser, "response",
                           G_CALLBACK (export_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_chooser));
}

/* The same export without the file chooser: for scripts and tests, which
 * cannot drive a native (portal) dialog. The parameter is a path or URI. */
static void
orders_export_to_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (g_variant_get_string (parameter, NULL));

  start_export (PS_ORDERS_PAGE (widget), file);
}

static void
orders_cancel_export_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  PsOrdersPage *self = PS_ORDERS_PAGE (widget);

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

static void
details_close_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PsOrdersPage *self = PS_ORDERS_PAGE (widget);

  if (self->selection != NULL)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  adw_flap_set_reveal_flap (self->flap, FALSE);
}

/* Shipping: the window owns the shipping service and its dialogs. */

static void
orders_ship_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  PsOrdersPage *self = PS_ORDERS_PAGE (widget);
  g_autoptr(GArray) ids = selected_ids (self);

  if (ids->len == 0)
    return;
  gtk_widget_activate_action_variant (widget, "win.ship-orders",
                                      g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids->data, ids->len,
                                                                 sizeof (gint64)));
}

static void
orders_packing_slips_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *param)
{
  PsOrdersPage *self = PS_ORDERS_PAGE (widget);
  g_autoptr(GArray) ids = selected_ids (self);

  if (ids->len == 0)
    return;
  gtk_widget_activate_action_variant (widget, "win.packing-slips",
                                      g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids->data, ids->len,
                                                                 sizeof (gint64)));
}

/* Search */

static void
update_search_status (PsOrdersPage *self)
{
  PsOrderSearch *search = self->context != NULL
    ? ps_order_store_get_search (ps_context_get_order_store (self->context)) : NULL;
  gboolean pending = search != NULL && ps_order_search_get_pending (search);

  const char *text = self->list != NULL ? ps_order_list_get_search (self->list) : NULL;

  /* Searching waits for new orders to be indexed first: say so. */
  if (pending)
    gtk_label_set_label (self->search_status, _("Indexing new orders for search…"));
  else if (text != NULL && *text != '\0' && self->list != NULL && !ps_order_list_get_loading (self->list))
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
      g_autofree char *number = ps_format_count (n);
      g_autofree char *found = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order", "%s orders", n), number);

      gtk_label_set_label (self->search_status, found);
    }
  else
    gtk_label_set_label (self->search_status, "");
  gtk_widget_set_visible (GTK_WIDGET (self->search_status),
                          *gtk_label_get_label (self->search_status) != '\0');
}

static void
on_search_changed_cb (PsOrdersPage *self)
{
  if (self->list != NULL)
    ps_order_list_set_search (self->list, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_stop_search_cb (PsOrdersPage *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
on_search_mode_cb (PsOrdersPage *self)
{
  /* Closing the bar shows every order again. */
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      if (self->list != NULL)
        ps_order_list_set_search (self->list, NULL);
    }
}

/**
 * ps_orders_page_start_search:
 * @self: a #PsOrdersPage
 *
 * Opens the search bar (Ctrl+F) and puts the cursor in it.
 */
void
ps_orders_page_start_search (PsOrdersPage *self)
{
  g_return_if_fail (PS_IS_ORDERS_PAGE (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * ps_orders_page_get_search_bar:
 * @self: a #PsOrdersPage
 *
 * Returns: (transfer none): the search bar, for a header toggle to bind to
 */
GtkSearchBar *
ps_orders_page_get_search_bar (PsOrdersPage *self)
{
  g_return_val_if_fail (PS_IS_ORDERS_PAGE (self), NULL);
  return self->search_bar;
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

  /* Drop the list first: disposing the column view changes its sorter,
   * which must not reload a list into half-disposed widgets. */
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->list);
  if (self->save_layout_source != 0)
    {
      g_clear_handle_id (&self->save_layout_source, g_source_remove);
      save_layout_cb (self);
    }
  g_clear_object (&self->settings);
  g_clear_object (&self->column_actions);

  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_ORDERS_PAGE);

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  if (self->export_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
  g_clear_object (&self->export_chooser);

  g_clear_object (&self->selection);
  g_clear_object (&self->context);
  g_clear_pointer (&self->condition, ps_condition_unref);

  G_OBJECT_CLASS (ps_orders_page_parent_class)->dispose (object);
}

static void
ps_orders_page_class_init (PsOrdersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_orders_page_dispose;

  g_type_ensure (PS_TYPE_ORDER);
  g_type_ensure (PS_TYPE_ORDER_DETAILS_PANE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/ps-orders-page.ui");
  gtk_widget_class_install_action (widget_class, "orders.ship", NULL, orders_ship_action);
  gtk_widget_class_install_action (widget_class, "orders.packing-slips", NULL, orders_packing_slips_action);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, page_box);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, search_bar);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, search_status);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, no_match_page);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_search_mode_cb);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, flap);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, details_pane);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, action_revealer);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, selection_label);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, status_button);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, compact_tag_entry);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, compact_status_button);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, bulk_squeezer);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, export_box);
  gtk_widget_class_bind_template_child (widget_class, PsOrdersPage, export_progress);
  gtk_widget_class_install_action (widget_class, "orders.set-status", "s", orders_set_status_action);
  gtk_widget_class_install_action (widget_class, "orders.add-tag", NULL, orders_tag_action);
  gtk_widget_class_install_action (widget_class, "orders.remove-tag", NULL, orders_tag_action);
  gtk_widget_class_install_action (widget_class, "orders.export-selection", NULL,
                                   orders_export_selection_action);
  gtk_widget_class_install_action (widget_class, "orders.export-to", "s", orders_export_to_action);
  gtk_widget_class_install_action (widget_class, "orders.cancel-export", NULL,
                                   orders_cancel_export_action);
  gtk_widget_class_install_action (widget_class, "details.close", NULL, details_close_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_orders_page_init (PsOrdersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_columns (self);
  {
    g_autoptr(GMenu) menu = g_menu_new ();
    g_autoptr(GEnumClass) klass = g_type_class_ref (PS_TYPE_ORDER_STATUS);

    for (guint i = 0; i < klass->n_values; i++)
      {
        g_autofree char *detailed = g_strdup_printf ("orders.set-status::%s",
                                                     klass->values[i].value_nick);
        g_menu_append (menu, ps_format_order_status (klass->values[i].value), detailed);
      }
    gtk_menu_button_set_menu_model (self->status_button, G_MENU_MODEL (menu));
    gtk_menu_button_set_menu_model (self->compact_status_button, G_MENU_MODEL (menu));
  }
  /* One tag, typed in whichever entry the width shows. */
  g_object_bind_property (self->tag_entry, "text", self->compact_tag_entry, "text",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  set_exporting (self, FALSE);
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
  if (self->condition != NULL)
    ps_order_list_set_condition (self->list, self->condition);
  g_signal_connect_object (self->list, "notify::loading", G_CALLBACK (on_list_loading_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::n-items", G_CALLBACK (on_list_loading_cb),
                           self, G_CONNECT_SWAPPED);

  /* Shift/Ctrl multi-selection over a million rows: a bitset, never the
   * items (STYLE.md 3.7a). */
  self->selection = ps_bitset_selection_new (G_LIST_MODEL (self->list));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_set_enable_rubberband (self->column_view, TRUE);
  g_signal_connect_object (self->selection, "selection-changed",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
  ps_order_details_pane_set_store (self->details_pane, ps_context_get_order_store (context));

  /* Index what is not indexed yet in the background, so the first search
   * does not wait for it; the bar says when it would. */
  {
    PsOrderSearch *search = ps_order_store_get_search (ps_context_get_order_store (context));

    g_signal_connect_object (search, "notify::pending", G_CALLBACK (update_search_status),
                             self, G_CONNECT_SWAPPED);
    ps_order_search_catch_up_async (search, NULL, NULL, NULL);
    update_search_status (self);
  }
  if (gtk_search_bar_get_search_mode (self->search_bar))
    on_search_changed_cb (self);

  update_view (self);
}

/**
 * ps_orders_page_set_settings:
 * @self: a #PsOrdersPage
 * @settings: (nullable): the app's settings
 *
 * Restores the column layout the merchant left (order, shown columns,
 * widths) and keeps it up to date from now on.
 */
void
ps_orders_page_set_settings (PsOrdersPage *self,
                             GSettings    *settings)
{
  g_return_if_fail (PS_IS_ORDERS_PAGE (self));

  if (!g_set_object (&self->settings, settings))
    return;
  apply_layout (self);
}

/**
 * ps_orders_page_get_columns_menu:
 * @self: a #PsOrdersPage
 *
 * Returns: (transfer full): a menu with a check item per column, bound to
 *   the `columns.show` actions of the page
 */
GMenuModel *
ps_orders_page_get_columns_menu (PsOrdersPage *self)
{
  GMenu *menu = g_menu_new ();

  g_return_val_if_fail (PS_IS_ORDERS_PAGE (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autofree char *action = g_strdup_printf ("columns.show-%s", columns[i].id);
      g_menu_append (menu, _(columns[i].title), action);
    }
  return G_MENU_MODEL (menu);
}

/**
 * ps_orders_page_get_column_actions:
 * @self: a #PsOrdersPage
 *
 * Returns: (transfer none): the `show-<column>` actions, to be inserted as
 *   "columns" where the columns menu lives
 */
GActionGroup *
ps_orders_page_get_column_actions (PsOrdersPage *self)
{
  g_return_val_if_fail (PS_IS_ORDERS_PAGE (self), NULL);
  return G_ACTION_GROUP (self->column_actions);
}

/**
 * ps_orders_page_set_condition:
 * @self: a #PsOrdersPage
 * @condition: (nullable): the filter to show, %NULL for every order
 *
 * Lists only the orders matching @condition (counted and filtered in SQL).
 */
void
ps_orders_page_set_condition (PsOrdersPage *self,
                              PsCondition  *condition)
{
  g_return_if_fail (PS_IS_ORDERS_PAGE (self));

  if (self->condition == condition)
    return;
  g_clear_pointer (&self->condition, ps_condition_unref);
  if (condition != NULL)
    self->condition = ps_condition_ref (condition);
  if (self->list != NULL)
    ps_order_list_set_condition (self->list, condition);
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
