/* ps-order-details-pane.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything about one order: customer, ship-to address with its
 * validation warning, items and totals, shipments with their tracking
 * timelines, tags, notes and the order's history from the event log. The
 * merchant changes status, tags and notes here; each change is a store
 * call that appends its event, and the pane reloads when the store says
 * the order changed.
 */

#define G_LOG_DOMAIN "ps-order-details-pane"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "ps-enum-types.h"
#include "ps-format.h"
#include "ps-group-rows.h"
#include "ps-order-detail.h"
#include "ps-order-details-pane.h"

struct _PsOrderDetailsPane
{
  GtkWidget            parent_instance;

  PsOrderStore        *store;
  gint64               order_id;
  PsOrderStatus        status;
  GCancellable        *cancellable;     /* the load in flight; replaced by each load */
  gboolean             updating;

  /* Template widgets */
  GtkLabel            *title_label;
  AdwComboRow         *status_row;
  AdwPreferencesGroup *order_group;
  AdwPreferencesGroup *customer_group;
  AdwPreferencesGroup *address_group;
  AdwPreferencesGroup *items_group;
  AdwPreferencesGroup *shipments_group;
  GtkWidget           *refresh_tracking_button;
  AdwPreferencesGroup *tags_group;
  AdwPreferencesGroup *notes_group;
  AdwPreferencesGroup *history_group;
  AdwEntryRow         *tag_entry;
  AdwEntryRow         *note_entry;
};

G_DEFINE_FINAL_TYPE (PsOrderDetailsPane, ps_order_details_pane, GTK_TYPE_WIDGET)

static void load (PsOrderDetailsPane *self);

static void
add_suffix_text (GtkWidget  *row,
                 const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
}

static char *
describe_event (const PsDetailEvent *event)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *data = NULL;
  const char *from = NULL;
  const char *to = NULL;

  if (event->data != NULL && json_parser_load_from_data (parser, event->data, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      data = json_node_get_object (json_parser_get_root (parser));
      from = json_object_get_string_member_with_default (data, "from", NULL);
      to = json_object_get_string_member_with_default (data, "to", NULL);
    }

  switch (event->type)
    {
    case PS_EVENT_TYPE_ORDER_IMPORTED:
      return g_strdup (_("Imported"));
    case PS_EVENT_TYPE_ORDER_UPDATED:
      return g_strdup (_("Updated"));
    case PS_EVENT_TYPE_ORDER_STATUS_CHANGED:
      {
        int f = 0, t = 0;
        if (ps_enum_from_nick (PS_TYPE_ORDER_STATUS, from, &f) &&
            ps_enum_from_nick (PS_TYPE_ORDER_STATUS, to, &t))
          return g_strdup_printf (_("Status changed from %s to %s"),
                                  ps_format_order_status (f), ps_format_order_status (t));
        return g_strdup (_("Status changed"));
      }
    case PS_EVENT_TYPE_LABEL_CREATED:
      return g_strdup (_("Label created"));
    case PS_EVENT_TYPE_LABEL_VOIDED:
      return g_strdup (_("Label voided"));
    case PS_EVENT_TYPE_TRACKING_STATUS_CHANGED:
      {
        int t = 0;
        if (ps_enum_from_nick (PS_TYPE_TRACKING_STATUS, to, &t))
          return g_strdup_printf (_("Tracking: %s"), ps_format_tracking_status (t));
        return g_strdup (_("Tracking updated"));
      }
    case PS_EVENT_TYPE_SHIPMENT_DELIVERED:
      return g_strdup (_("Delivered"));
    case PS_EVENT_TYPE_RETURN_REQUESTED:
      return g_strdup (_("Return requested"));
    case PS_EVENT_TYPE_RETURN_RECEIVED:
      return g_strdup (_("Return received"));
    case PS_EVENT_TYPE_NOTE_ADDED:
      return g_strdup (_("Note added"));
    case PS_EVENT_TYPE_TIME:
    default:
      return g_strdup (ps_enum_to_nick (PS_TYPE_EVENT_TYPE, event->type));
    }
}

static const char *
describe_actor (const char *actor)
{
  if (actor == NULL)
    return "";
  if (g_str_equal (actor, "import"))
    return _("by import");
  if (g_str_equal (actor, "merchant"))
    return _("by you");
  if (g_str_equal (actor, "carrier"))
    return _("by the carrier");
  if (g_str_has_prefix (actor, "rule:"))
    return _("by an automation");
  return actor;
}

static void
show_detail (PsOrderDetailsPane  *self,
             const PsOrderDetail *d)
{
  g_autofree char *title = NULL;

  self->updating = TRUE;

  title = g_strdup_printf ("%s · %s", d->row.order_number ? d->row.order_number : "",
                           d->row.channel_name ? d->row.channel_name : "");
  gtk_label_set_label (self->title_label, title);
  self->status = d->row.status;
  adw_combo_row_set_selected (self->status_row, d->row.status);
  {
    g_autofree char *date = ps_format_date (d->row.created_at);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->status_row), date);
  }

  ps_group_clear_rows (self->customer_group);
  ps_group_add_text_row (self->customer_group, d->row.customer_name, d->row.customer_email);
  if (d->customer_phone != NULL && *d->customer_phone != '\0')
    ps_group_add_text_row (self->customer_group, _("Phone"), d->customer_phone);

  ps_group_clear_rows (self->address_group);
  {
    g_autoptr(GString) lines = g_string_new (NULL);
    const char *parts[] = { d->ship_company, d->ship_line1, d->ship_line2 };
    g_autofree char *place = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
      if (parts[i] != NULL && *parts[i] != '\0')
        g_string_append_printf (lines, "%s%s", lines->len ? "\n" : "", parts[i]);
    place = g_strdup_printf ("%s %s%s%s, %s", d->ship_postcode ? d->ship_postcode : "",
                             d->row.ship_city ? d->row.ship_city : "",
                             d->row.ship_state ? " " : "", d->row.ship_state ? d->row.ship_state : "",
                             d->row.ship_country ? d->row.ship_country : "");
    g_string_append_printf (lines, "%s%s", lines->len ? "\n" : "", g_strstrip (place));
    ps_group_add_text_row (self->address_group, d->ship_name ? d->ship_name : d->row.customer_name, lines->str);
    if (d->row.address_issue)
      {
        GtkWidget *row = ps_group_add_text_row (self->address_group, _("Address problem"),
                                    d->address_message ? d->address_message
                                                       : _("The address failed the offline check."));
        GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

        gtk_widget_add_css_class (icon, "warning");
        adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      }
  }

  ps_group_clear_rows (self->items_group);
  for (guint i = 0; d->lines != NULL && i < d->lines->len; i++)
    {
      const PsDetailLine *line = &g_array_index (d->lines, PsDetailLine, i);
      g_autofree char *title_line = g_strdup_printf ("%d × %s", line->quantity, line->name ? line->name : "");
      g_autofree char *sub = g_strdup_printf ("%s%s%s", line->sku ? line->sku : "",
                                             line->variant ? " · " : "", line->variant ? line->variant : "");
      g_autofree char *price = ps_format_money (line->unit_price_minor * line->quantity, d->row.currency);
      GtkWidget *row = ps_group_add_text_row (self->items_group, title_line, sub);

      add_suffix_text (row, price);
    }
  {
    struct { const char *label; gint64 value; } totals[] = {
      { N_("Subtotal"), d->subtotal_minor },
      { N_("Shipping"), d->shipping_minor },
      { N_("Tax"), d->tax_minor },
      { N_("Total"), d->row.total_minor },
    };
    for (guint i = 0; i < G_N_ELEMENTS (totals); i++)
      {
        g_autofree char *money = ps_format_money (totals[i].value, d->row.currency);
        add_suffix_text (ps_group_add_text_row (self->items_group, _(totals[i].label), NULL), money);
      }
  }

  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->refresh_tracking_button),
                                          g_variant_new_int64 (d->row.id));
  ps_group_clear_rows (self->shipments_group);
  for (guint i = 0; d->shipments != NULL && i < d->shipments->len; i++)
    {
      const PsDetailShipment *s = g_ptr_array_index (d->shipments, i);
      GtkWidget *row;
      g_autofree char *service = s->service ? g_strdelimit (g_strdup (s->service), "_", ' ') : NULL;
      g_autofree char *st = g_strdup_printf ("%s · %s", ps_format_carrier (s->carrier),
                                            service ? service : "");
      g_autofree char *sub = g_strdup_printf ("%s · %s%s", s->tracking_number ? s->tracking_number : "",
                                             ps_format_tracking_status (s->tracking_status),
                                             s->voided_at ? _(" · voided") : "");
      ps_group_add_text_row (self->shipments_group, st, sub);
      /* Labels bought here can be printed again, and voided until the
       * carrier scans the parcel: a row of their own, so the shipment's
       * long title and tracking number keep their room. */
      if (s->label_created_at != 0 && s->voided_at == 0)
        {
          GtkWidget *print = gtk_button_new_with_mnemonic (_("_Print"));

          row = ps_group_add_text_row (self->shipments_group, _("Label"), NULL);
          gtk_widget_set_valign (print, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (print, _("Print the label again"));
          gtk_actionable_set_action_name (GTK_ACTIONABLE (print), "win.print-shipment-label");
          gtk_actionable_set_action_target_value (GTK_ACTIONABLE (print), g_variant_new_int64 (s->id));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), print);
          if (s->tracking_status == PS_TRACKING_STATUS_PRE_TRANSIT)
            {
              GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Void"));

              gtk_widget_set_valign (cancel, GTK_ALIGN_CENTER);
              gtk_widget_set_tooltip_text (cancel, _("Void the label and get the postage back"));
              gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "win.void-shipment");
              gtk_actionable_set_action_target_value (GTK_ACTIONABLE (cancel), g_variant_new_int64 (s->id));
              adw_action_row_add_suffix (ADW_ACTION_ROW (row), cancel);
            }
        }

      for (guint k = 0; s->events != NULL && k < s->events->len; k++)
        {
          const PsDetailTrackingEvent *e = &g_array_index (s->events, PsDetailTrackingEvent, k);
          g_autofree char *when = ps_format_date (e->occurred_at);
          g_autofree char *what = g_strdup_printf ("   %s%s%s", ps_format_tracking_status (e->status),
                                                  e->description ? " — " : "",
                                                  e->description ? e->description : "");
          g_autofree char *where = g_strdup_printf ("   %s%s%s", when, e->location ? " · " : "",
                                                   e->location ? e->location : "");
          ps_group_add_text_row (self->shipments_group, what, where);
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->shipments_group),
                          d->shipments != NULL && d->shipments->len > 0);

  ps_group_clear_rows (self->tags_group);
  for (guint i = 0; d->tags != NULL && d->tags[i] != NULL; i++)
    {
      GtkWidget *row = ps_group_add_text_row (self->tags_group, d->tags[i], NULL);
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      g_autofree char *a11y = g_strdup_printf (_("Remove tag %s"), d->tags[i]);

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, a11y);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (remove), "details.remove-tag");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (remove), "s", d->tags[i]);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
    }

  ps_group_clear_rows (self->notes_group);
  for (guint i = 0; d->notes != NULL && i < d->notes->len; i++)
    {
      const PsDetailNote *n = g_ptr_array_index (d->notes, i);
      g_autofree char *when = ps_format_date (n->created_at);
      g_autofree char *sub = g_strdup_printf ("%s %s", when, describe_actor (n->author));

      ps_group_add_text_row (self->notes_group, n->body, sub);
    }

  ps_group_clear_rows (self->history_group);
  for (guint i = 0; d->events != NULL && i < d->events->len; i++)
    {
      const PsDetailEvent *e = g_ptr_array_index (d->events, d->events->len - 1 - i);
      g_autofree char *what = describe_event (e);
      g_autofree char *when = ps_format_date (e->occurred_at);
      g_autofree char *sub = g_strdup_printf ("%s %s", when, describe_actor (e->actor));

      ps_group_add_text_row (self->history_group, what, sub);
    }

  self->updating = FALSE;
}

/* Callbacks */

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PsOrderDetailsPane) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsOrderDetail) detail = NULL;

  detail = ps_order_store_load_detail_finish (PS_ORDER_STORE (object), result, &error);
  if (detail == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_label (self->title_label, _("This order no longer exists"));
      return;
    }
  if (detail->row.id != self->order_id)
    return;   /* a newer selection won */
  show_detail (self, detail);
}

static void
load (PsOrderDetailsPane *self)
{
  if (self->store == NULL || self->order_id <= 0)
    return;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  ps_order_store_load_detail_async (self->store, self->order_id, self->cancellable, load_cb,
                                    g_object_ref (self));
}

static void
on_orders_changed_cb (PsOrderDetailsPane *self,
                      GArray             *ids,
                      PsOrderStore       *store)
{
  if (self->order_id <= 0)
    return;
  if (ids != NULL)
    {
      gboolean found = FALSE;
      for (guint i = 0; i < ids->len && !found; i++)
        found = g_array_index (ids, gint64, i) == self->order_id;
      if (!found)
        return;
    }
  load (self);
}

static void
edit_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsOrderDetailsPane) self = user_data;
  g_autoptr(GError) error = NULL;
  GTask *task = G_TASK (result);
  gpointer tag = g_task_get_source_tag (task);
  gboolean ok;

  if (tag == ps_order_store_set_status_async)
    ok = ps_order_store_set_status_finish (PS_ORDER_STORE (object), result, &error);
  else if (tag == ps_order_store_add_note_async)
    ok = ps_order_store_add_note_finish (PS_ORDER_STORE (object), result, &error);
  else
    ok = ps_order_store_set_tag_finish (PS_ORDER_STORE (object), result, &error);

  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_warning ("Could not change the order: %s", error->message);
      load (self);   /* show what is really stored */
    }
}

static void
on_status_selected_cb (PsOrderDetailsPane *self,
                       GParamSpec         *pspec,
                       AdwComboRow        *row)
{
  gint64 id = self->order_id;
  guint status = adw_combo_row_get_selected (row);

  if (self->updating || self->store == NULL || id <= 0 || status == GTK_INVALID_LIST_POSITION ||
      status == (guint)self->status)
    return;
  self->status = status;
  ps_order_store_set_status_async (self->store, &id, 1, status, NULL, edit_done_cb,
                                   g_object_ref (self));
}

static void
on_tag_entry_apply_cb (PsOrderDetailsPane *self,
                       AdwEntryRow        *entry)
{
  g_autofree char *tag = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  gint64 id = self->order_id;

  if (*tag == '\0' || self->store == NULL || id <= 0)
    return;
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  ps_order_store_set_tag_async (self->store, &id, 1, tag, TRUE, NULL, edit_done_cb,
                                g_object_ref (self));
}

static void
on_note_entry_apply_cb (PsOrderDetailsPane *self,
                        AdwEntryRow        *entry)
{
  g_autofree char *body = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*body == '\0' || self->store == NULL || self->order_id <= 0)
    return;
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  ps_order_store_add_note_async (self->store, self->order_id, body, NULL, edit_done_cb,
                                 g_object_ref (self));
}

static void
details_remove_tag_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  PsOrderDetailsPane *self = PS_ORDER_DETAILS_PANE (widget);
  gint64 id = self->order_id;

  if (self->store == NULL || id <= 0)
    return;
  ps_order_store_set_tag_async (self->store, &id, 1, g_variant_get_string (parameter, NULL), FALSE,
                                NULL, edit_done_cb, g_object_ref (self));
}

/* GObject overrides */

static void
ps_order_details_pane_dispose (GObject *object)
{
  PsOrderDetailsPane *self = (PsOrderDetailsPane *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);

  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_ORDER_DETAILS_PANE);
  /* The template's top box is not a bound child: unparent it ourselves. */
  {
    GtkWidget *child;
    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (ps_order_details_pane_parent_class)->dispose (object);
}

static void
ps_order_details_pane_class_init (PsOrderDetailsPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_order_details_pane_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/ps-order-details-pane.ui");
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, title_label);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, status_row);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, order_group);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, customer_group);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, address_group);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, items_group);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, shipments_group);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, refresh_tracking_button);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, tags_group);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, notes_group);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, history_group);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, tag_entry);
  gtk_widget_class_bind_template_child (widget_class, PsOrderDetailsPane, note_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_tag_entry_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_note_entry_apply_cb);
  gtk_widget_class_install_action (widget_class, "details.remove-tag", "s",
                                   details_remove_tag_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_order_details_pane_init (PsOrderDetailsPane *self)
{
  g_autoptr(GtkStringList) statuses = gtk_string_list_new (NULL);
  g_autoptr(GEnumClass) klass = g_type_class_ref (PS_TYPE_ORDER_STATUS);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The combo's positions are the PsOrderStatus values. */
  for (guint i = 0; i < klass->n_values; i++)
    gtk_string_list_append (statuses, ps_format_order_status (klass->values[i].value));
  adw_combo_row_set_model (self->status_row, G_LIST_MODEL (statuses));
  g_signal_connect_object (self->status_row, "notify::selected",
                           G_CALLBACK (on_status_selected_cb), self, G_CONNECT_SWAPPED);
}

/* Public API */

/**
 * ps_order_details_pane_set_store:
 * @self: a #PsOrderDetailsPane
 * @store: the order store
 *
 * Where the pane reads and writes; it follows the store's changes.
 */
void
ps_order_details_pane_set_store (PsOrderDetailsPane *self,
                                 PsOrderStore       *store)
{
  g_return_if_fail (PS_IS_ORDER_DETAILS_PANE (self));
  g_return_if_fail (PS_IS_ORDER_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  g_signal_connect_object (store, "orders-changed", G_CALLBACK (on_orders_changed_cb), self,
                           G_CONNECT_SWAPPED);
  load (self);
}

/**
 * ps_order_details_pane_show:
 * @self: a #PsOrderDetailsPane
 * @order_id: the order to show
 *
 * Loads the order (off the main thread) and shows it.
 */
void
ps_order_details_pane_show (PsOrderDetailsPane *self,
                            gint64              order_id)
{
  g_return_if_fail (PS_IS_ORDER_DETAILS_PANE (self));

  if (self->order_id == order_id)
    return;
  self->order_id = order_id;
  load (self);
}

gint64
ps_order_details_pane_get_id (PsOrderDetailsPane *self)
{
  g_return_val_if_fail (PS_IS_ORDER_DETAILS_PANE (self), 0);
  return self->order_id;
}
