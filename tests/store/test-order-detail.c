/* test-order-detail.c: the detail pane's read and the merchant's edits
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>

#include "ps-order-detail.h"
#include "ps-order-writer.h"

#define T0 1763000000

typedef struct
{
  PsDatabase   *db;
  PsOrderStore *store;
  gint64        ids[3];
  gint64        shipment_ids[2];
  guint         n_changed;
  GArray       *changed_ids;
} Fixture;

static gpointer
add_orders_job (PsDatabase    *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Fixture *f = data;
  g_autoptr(PsOrderWriter) writer = NULL;

  if (!ps_database_begin (db, error))
    return NULL;
  writer = ps_order_writer_new (db);
  ps_order_writer_set_now (writer, T0);
  for (guint i = 0; i < 3; i++)
    {
      char number[32];
      PsLineFields lines[2] = {
        { "MUG-01", "Mug", NULL, 2, 1500, 350 },
        { "TEE-M", "T-shirt", "M", 1, 2000, 200 },
      };
      PsOrderFields order = { 0 };

      g_snprintf (number, sizeof number, "#%u", 1000 + i);
      order.channel_name = "Etsy";
      order.channel_kind = PS_CHANNEL_KIND_ETSY;
      order.order_number = number;
      order.customer_name = "Ada Lovelace";
      order.customer_email = "ada@example.com";
      order.customer_phone = "+1 555 0100";
      order.ship_name = "Ada L.";
      order.ship_company = "Engines Ltd";
      order.ship_line1 = "1 Main St";
      order.ship_line2 = "Apt 2";
      order.ship_city = "Portland";
      order.ship_state = "OR";
      order.ship_postcode = "97201";
      order.ship_country = "US";
      order.address_issue = TRUE;
      order.address_message = "No such street";
      order.status = PS_ORDER_STATUS_AWAITING_SHIPMENT;
      order.priority = 1;
      order.currency = "USD";
      order.subtotal_minor = 5000;
      order.shipping_minor = 700;
      order.tax_minor = 300;
      order.total_minor = 6000;
      order.created_at = T0 + i;
      order.paid_at = T0 + 60;
      f->ids[i] = ps_order_writer_add_order (writer, &order, lines, 2, NULL, error);
      if (f->ids[i] == 0)
        goto fail;
    }

  for (guint i = 0; i < 2; i++)
    {
      PsShipmentFields s = { 0 };

      s.order_id = f->ids[0];
      s.carrier = i == 0 ? "usps" : "ups";
      s.service = i == 0 ? "priority" : "ground";
      s.tracking_number = i == 0 ? "9400" : "1Z99";
      s.tracking_status = i == 0 ? PS_TRACKING_STATUS_CANCELLED : PS_TRACKING_STATUS_EXCEPTION;
      s.exception_reason = i == 0 ? PS_EXCEPTION_REASON_NONE : PS_EXCEPTION_REASON_WEATHER;
      s.currency = "USD";
      s.rate_minor = 800 + i;
      s.label_created_at = T0 + 100 + i * 100;
      s.first_scan_at = i == 1 ? T0 + 300 : 0;
      s.estimated_delivery_at = i == 1 ? T0 + 9000 : 0;
      s.voided_at = i == 0 ? T0 + 150 : 0;
      f->shipment_ids[i] = ps_order_writer_add_shipment (writer, &s, error);
      if (f->shipment_ids[i] == 0)
        goto fail;
    }
  /* Out of order on purpose: the detail sorts them. */
  if (!ps_order_writer_add_tracking_event (writer, f->shipment_ids[1], T0 + 400,
                                           PS_TRACKING_STATUS_EXCEPTION,
                                           PS_EXCEPTION_REASON_WEATHER, "Storm", "Denver, CO",
                                           error) ||
      !ps_order_writer_add_tracking_event (writer, f->shipment_ids[1], T0 + 300,
                                           PS_TRACKING_STATUS_IN_TRANSIT,
                                           PS_EXCEPTION_REASON_NONE, "Accepted", NULL, error))
    goto fail;

  if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_ORDER_IMPORTED, T0 + 10, f->ids[0], 0, 0,
                                 "import", NULL, error) == 0 ||
      ps_order_writer_add_event (writer, PS_EVENT_TYPE_LABEL_CREATED, T0 + 200, f->ids[0],
                                 f->shipment_ids[1], 0, "merchant", "{\"x\":1}", error) == 0)
    goto fail;
  if (!ps_order_writer_add_note (writer, f->ids[0], T0 + 20, "merchant", "Gift wrap", error))
    goto fail;
  if (!ps_order_writer_add_tag (writer, f->ids[0], "wholesale", error) ||
      !ps_order_writer_add_tag (writer, f->ids[0], "VIP", error) ||
      !ps_order_writer_add_tag (writer, f->ids[0], "apple", error))
    goto fail;

  if (!ps_database_commit (db, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);

fail:
  ps_database_rollback (db);
  return NULL;
}

static void
orders_changed_cb (PsOrderStore *store,
                   GArray       *ids,
                   Fixture      *f)
{
  f->n_changed++;
  g_clear_pointer (&f->changed_ids, g_array_unref);
  if (ids != NULL)
    f->changed_ids = g_array_ref (ids);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "orders.db", NULL);
  g_autoptr(GError) error = NULL;

  f->db = ps_database_new (path, NULL, &error);
  g_assert_no_error (error);
  f->store = ps_order_store_new (f->db);
  g_signal_connect (f->store, "orders-changed", G_CALLBACK (orders_changed_cb), f);
  g_assert_nonnull (ps_database_run_sync (f->db, add_orders_job, f, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->changed_ids, g_array_unref);
  g_clear_object (&f->store);
  g_clear_object (&f->db);
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static PsOrderDetail *
load_detail (Fixture  *f,
             gint64    id,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_order_store_load_detail_async (f->store, id, NULL, result_cb, &result);
  return ps_order_store_load_detail_finish (f->store, wait_result (&result), error);
}

static gboolean
set_status (Fixture        *f,
            const gint64   *ids,
            guint           n_ids,
            PsOrderStatus   status,
            GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_order_store_set_status_async (f->store, ids, n_ids, status, NULL, result_cb, &result);
  return ps_order_store_set_status_finish (f->store, wait_result (&result), error);
}

static gboolean
add_note (Fixture     *f,
          gint64       id,
          const char  *body,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_order_store_add_note_async (f->store, id, body, NULL, result_cb, &result);
  return ps_order_store_add_note_finish (f->store, wait_result (&result), error);
}

static gboolean
set_tag (Fixture       *f,
         const gint64  *ids,
         guint          n_ids,
         const char    *tag,
         gboolean       add,
         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_order_store_set_tag_async (f->store, ids, n_ids, tag, add, NULL, result_cb, &result);
  return ps_order_store_set_tag_finish (f->store, wait_result (&result), error);
}

static PsDetailEvent *
last_event (PsOrderDetail *detail)
{
  g_assert_cmpuint (detail->events->len, >, 0);
  return g_ptr_array_index (detail->events, detail->events->len - 1);
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (text);
  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_load (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsOrderDetail) detail = load_detail (f, f->ids[0], &error);
  PsDetailLine *line;
  PsDetailShipment *s;
  PsDetailTrackingEvent *te;
  PsDetailEvent *event;
  PsDetailNote *note;

  g_assert_no_error (error);
  g_assert_nonnull (detail);

  g_assert_cmpint (detail->row.id, ==, f->ids[0]);
  g_assert_cmpstr (detail->row.order_number, ==, "#1000");
  g_assert_cmpstr (detail->row.channel_name, ==, "Etsy");
  g_assert_cmpint (detail->row.channel_kind, ==, PS_CHANNEL_KIND_ETSY);
  g_assert_cmpstr (detail->row.customer_name, ==, "Ada Lovelace");
  g_assert_cmpstr (detail->row.customer_email, ==, "ada@example.com");
  g_assert_cmpint (detail->row.status, ==, PS_ORDER_STATUS_AWAITING_SHIPMENT);
  g_assert_cmpint (detail->row.created_at, ==, T0);
  g_assert_cmpint (detail->row.item_count, ==, 3);
  g_assert_cmpint (detail->row.total_minor, ==, 6000);
  g_assert_cmpstr (detail->row.currency, ==, "USD");
  g_assert_cmpstr (detail->row.ship_city, ==, "Portland");
  g_assert_cmpstr (detail->row.ship_state, ==, "OR");
  g_assert_cmpstr (detail->row.ship_country, ==, "US");
  g_assert_cmpstr (detail->row.carrier, ==, "ups");        /* the latest live shipment */
  g_assert_cmpstr (detail->row.service, ==, "ground");
  g_assert_cmpint (detail->row.tracking_status, ==, PS_TRACKING_STATUS_EXCEPTION);
  g_assert_true (detail->row.address_issue);

  g_assert_cmpstr (detail->customer_phone, ==, "+1 555 0100");
  g_assert_cmpstr (detail->ship_name, ==, "Ada L.");
  g_assert_cmpstr (detail->ship_company, ==, "Engines Ltd");
  g_assert_cmpstr (detail->ship_line1, ==, "1 Main St");
  g_assert_cmpstr (detail->ship_line2, ==, "Apt 2");
  g_assert_cmpstr (detail->ship_postcode, ==, "97201");
  g_assert_cmpstr (detail->address_message, ==, "No such street");
  g_assert_cmpint (detail->subtotal_minor, ==, 5000);
  g_assert_cmpint (detail->shipping_minor, ==, 700);
  g_assert_cmpint (detail->tax_minor, ==, 300);
  g_assert_cmpint (detail->paid_at, ==, T0 + 60);
  g_assert_cmpint (detail->priority, ==, 1);

  g_assert_cmpuint (detail->lines->len, ==, 2);
  line = &g_array_index (detail->lines, PsDetailLine, 0);
  g_assert_cmpstr (line->sku, ==, "MUG-01");
  g_assert_cmpstr (line->name, ==, "Mug");
  g_assert_null (line->variant);
  g_assert_cmpint (line->quantity, ==, 2);
  g_assert_cmpint (line->unit_price_minor, ==, 1500);
  line = &g_array_index (detail->lines, PsDetailLine, 1);
  g_assert_cmpstr (line->sku, ==, "TEE-M");
  g_assert_cmpstr (line->name, ==, "T-shirt");
  g_assert_cmpstr (line->variant, ==, "M");
  g_assert_cmpint (line->quantity, ==, 1);
  g_assert_cmpint (line->unit_price_minor, ==, 2000);

  g_assert_cmpuint (detail->shipments->len, ==, 2);
  s = g_ptr_array_index (detail->shipments, 0);
  g_assert_cmpint (s->id, ==, f->shipment_ids[0]);
  g_assert_cmpstr (s->carrier, ==, "usps");
  g_assert_cmpstr (s->service, ==, "priority");
  g_assert_cmpstr (s->tracking_number, ==, "9400");
  g_assert_cmpint (s->tracking_status, ==, PS_TRACKING_STATUS_CANCELLED);
  g_assert_cmpint (s->exception_reason, ==, PS_EXCEPTION_REASON_NONE);
  g_assert_cmpint (s->rate_minor, ==, 800);
  g_assert_cmpstr (s->currency, ==, "USD");
  g_assert_cmpint (s->label_created_at, ==, T0 + 100);
  g_assert_cmpint (s->first_scan_at, ==, 0);
  g_assert_cmpint (s->voided_at, ==, T0 + 150);
  g_assert_cmpuint (s->events->len, ==, 0);
  s = g_ptr_array_index (detail->shipments, 1);
  g_assert_cmpint (s->id, ==, f->shipment_ids[1]);
  g_assert_cmpstr (s->carrier, ==, "ups");
  g_assert_cmpstr (s->service, ==, "ground");
  g_assert_cmpstr (s->tracking_number, ==, "1Z99");
  g_assert_cmpint (s->tracking_status, ==, PS_TRACKING_STATUS_EXCEPTION);
  g_assert_cmpint (s->exception_reason, ==, PS_EXCEPTION_REASON_WEATHER);
  g_assert_cmpint (s->rate_minor, ==, 801);
  g_assert_cmpint (s->label_created_at, ==, T0 + 200);
  g_assert_cmpint (s->first_scan_at, ==, T0 + 300);
  g_assert_cmpint (s->estimated_delivery_at, ==, T0 + 9000);
  g_assert_cmpint (s->delivered_at, ==, 0);
  g_assert_cmpint (s->voided_at, ==, 0);
  g_assert_cmpuint (s->events->len, ==, 2);
  te = &g_array_index (s->events, PsDetailTrackingEvent, 0);
  g_assert_cmpint (te->occurred_at, ==, T0 + 300);
  g_assert_cmpint (te->status, ==, PS_TRACKING_STATUS_IN_TRANSIT);
  g_assert_cmpint (te->reason, ==, PS_EXCEPTION_REASON_NONE);
  g_assert_cmpstr (te->description, ==, "Accepted");
  g_assert_null (te->location);
  te = &g_array_index (s->events, PsDetailTrackingEvent, 1);
  g_assert_cmpint (te->occurred_at, ==, T0 + 400);
  g_assert_cmpint (te->status, ==, PS_TRACKING_STATUS_EXCEPTION);
  g_assert_cmpint (te->reason, ==, PS_EXCEPTION_REASON_WEATHER);
  g_assert_cmpstr (te->description, ==, "Storm");
  g_assert_cmpstr (te->location, ==, "Denver, CO");

  /* The writer may log events of its own (label.created for shipments):
   * check ours are there, oldest first. */
  g_assert_cmpuint (detail->events->len, >=, 2);
  for (guint i = 1; i < detail->events->len; i++)
    {
      PsDetailEvent *a = g_ptr_array_index (detail->events, i - 1);
      PsDetailEvent *b = g_ptr_array_index (detail->events, i);

      g_assert_cmpint (a->occurred_at, <=, b->occurred_at);
    }
  event = g_ptr_array_index (detail->events, 0);
  g_assert_cmpint (event->type, ==, PS_EVENT_TYPE_ORDER_IMPORTED);
  g_assert_cmpint (event->occurred_at, ==, T0 + 10);
  g_assert_cmpstr (event->actor, ==, "import");
  g_assert_null (event->data);
  g_assert_cmpint (event->id, >, 0);
  event = NULL;
  for (guint i = 0; i < detail->events->len; i++)
    {
      PsDetailEvent *e = g_ptr_array_index (detail->events, i);

      if (g_strcmp0 (e->data, "{\"x\":1}") == 0)
        event = e;
    }
  g_assert_nonnull (event);
  g_assert_cmpint (event->type, ==, PS_EVENT_TYPE_LABEL_CREATED);
  g_assert_cmpint (event->occurred_at, ==, T0 + 200);
  g_assert_cmpstr (event->actor, ==, "merchant");

  g_assert_cmpuint (detail->notes->len, ==, 1);
  note = g_ptr_array_index (detail->notes, 0);
  g_assert_cmpint (note->id, >, 0);
  g_assert_cmpint (note->created_at, ==, T0 + 20);
  g_assert_cmpstr (note->author, ==, "merchant");
  g_assert_cmpstr (note->body, ==, "Gift wrap");

  g_assert_nonnull (detail->tags);
  g_assert_cmpuint (g_strv_length (detail->tags), ==, 3);
  g_assert_cmpstr (detail->tags[0], ==, "apple");
  g_assert_cmpstr (detail->tags[1], ==, "VIP");
  g_assert_cmpstr (detail->tags[2], ==, "wholesale");

  /* An order with nothing but lines. */
  g_clear_pointer (&detail, ps_order_detail_free);
  detail = load_detail (f, f->ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->shipments->len, ==, 0);
  g_assert_cmpuint (detail->notes->len, ==, 0);
  g_assert_nonnull (detail->tags);
  g_assert_cmpuint (g_strv_length (detail->tags), ==, 0);
  g_assert_null (detail->row.carrier);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsOrderDetail) detail = load_detail (f, 999999, &error);
  gint64 ids[2];

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (detail);
  g_clear_error (&error);

  /* An unknown id fails the whole edit and writes nothing. */
  ids[0] = f->ids[1];
  ids[1] = 999999;
  g_assert_false (set_status (f, ids, 2, PS_ORDER_STATUS_ON_HOLD, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (add_note (f, 999999, "Hi", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (set_tag (f, ids, 2, "x", TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (f->n_changed, ==, 0);

  detail = load_detail (f, f->ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpint (detail->row.status, ==, PS_ORDER_STATUS_AWAITING_SHIPMENT);
  g_assert_cmpuint (detail->events->len, ==, 0);
  g_assert_cmpuint (g_strv_length (detail->tags), ==, 0);
}

static void
test_set_status (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gint64 ids[2] = { f->ids[1], f->ids[2] };

  g_assert_true (set_status (f, ids, 2, PS_ORDER_STATUS_ON_HOLD, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_changed, ==, 1);
  g_assert_nonnull (f->changed_ids);
  g_assert_cmpuint (f->changed_ids->len, ==, 2);
  g_assert_cmpint (g_array_index (f->changed_ids, gint64, 0), ==, ids[0]);
  g_assert_cmpint (g_array_index (f->changed_ids, gint64, 1), ==, ids[1]);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PsOrderDetail) detail = load_detail (f, ids[i], &error);
      PsDetailEvent *event;
      JsonObject *obj;

      g_assert_no_error (error);
      g_assert_cmpint (detail->row.status, ==, PS_ORDER_STATUS_ON_HOLD);
      g_assert_cmpuint (detail->events->len, ==, 1);
      event = last_event (detail);
      g_assert_cmpint (event->type, ==, PS_EVENT_TYPE_ORDER_STATUS_CHANGED);
      g_assert_cmpstr (event->actor, ==, "merchant");
      g_assert_cmpint (event->occurred_at, >, 0);
      obj = parse_object (parser, event->data);
      g_assert_cmpstr (json_object_get_string_member (obj, "from"), ==, "awaiting_shipment");
      g_assert_cmpstr (json_object_get_string_member (obj, "to"), ==, "on_hold");
    }

  /* The same status again: nothing to do, no event, no signal. */
  g_assert_true (set_status (f, ids, 2, PS_ORDER_STATUS_ON_HOLD, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_changed, ==, 1);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PsOrderDetail) detail = load_detail (f, ids[i], &error);

      g_assert_no_error (error);
      g_assert_cmpuint (detail->events->len, ==, 1);
    }

  /* Only the order that changes is reported. */
  ids[0] = f->ids[0];
  g_assert_true (set_status (f, ids, 2, PS_ORDER_STATUS_ON_HOLD, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_changed, ==, 2);
  g_assert_cmpuint (f->changed_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (f->changed_ids, gint64, 0), ==, f->ids[0]);
}

static void
test_add_note (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsOrderDetail) detail = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  PsDetailNote *note;
  PsDetailEvent *event;
  guint n_events;

  detail = load_detail (f, f->ids[0], &error);
  g_assert_no_error (error);
  n_events = detail->events->len;
  g_clear_pointer (&detail, ps_order_detail_free);

  g_assert_true (add_note (f, f->ids[0], "  Call before delivery\n", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_changed, ==, 1);
  g_assert_cmpuint (f->changed_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (f->changed_ids, gint64, 0), ==, f->ids[0]);

  detail = load_detail (f, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->notes->len, ==, 2);
  note = g_ptr_array_index (detail->notes, 1);
  g_assert_cmpstr (note->body, ==, "Call before delivery");
  g_assert_cmpstr (note->author, ==, "merchant");
  g_assert_cmpint (note->created_at, >, T0);
  g_assert_cmpuint (detail->events->len, ==, n_events + 1);
  event = last_event (detail);
  g_assert_cmpint (event->type, ==, PS_EVENT_TYPE_NOTE_ADDED);
  g_assert_cmpstr (event->actor, ==, "merchant");
  g_assert_nonnull (parse_object (parser, event->data));

  /* Empty or blank notes are refused and write nothing. */
  g_assert_false (add_note (f, f->ids[0], "", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (add_note (f, f->ids[0], " \t\n ", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpuint (f->n_changed, ==, 1);

  g_clear_pointer (&detail, ps_order_detail_free);
  detail = load_detail (f, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (detail->notes->len, ==, 2);
  g_assert_cmpuint (detail->events->len, ==, n_events + 1);
}

static void
test_set_tag (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gint64 ids[2] = { f->ids[0], f->ids[1] };
  guint n_events[2];

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PsOrderDetail) detail = load_detail (f, ids[i], &error);

      g_assert_no_error (error);
      n_events[i] = detail->events->len;
    }

  /* Order 0 already has "VIP": only order 1 changes, and reuses the tag's
   * spelling. */
  g_assert_true (set_tag (f, ids, 2, "vip", TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_changed, ==, 1);
  g_assert_cmpuint (f->changed_ids->len, ==, 1);
  g_assert_cmpint (g_array_index (f->changed_ids, gint64, 0), ==, f->ids[1]);
  {
    g_autoptr(PsOrderDetail) d0 = load_detail (f, ids[0], &error);
    g_autoptr(PsOrderDetail) d1 = load_detail (f, ids[1], &error);
    PsDetailEvent *event;
    JsonArray *added;

    g_assert_no_error (error);
    g_assert_cmpuint (d0->events->len, ==, n_events[0]);
    g_assert_cmpuint (g_strv_length (d0->tags), ==, 3);
    g_assert_cmpuint (g_strv_length (d1->tags), ==, 1);
    g_assert_cmpstr (d1->tags[0], ==, "VIP");
    g_assert_cmpuint (d1->events->len, ==, n_events[1] + 1);
    event = last_event (d1);
    g_assert_cmpint (event->type, ==, PS_EVENT_TYPE_ORDER_UPDATED);
    g_assert_cmpstr (event->actor, ==, "merchant");
    added = json_object_get_array_member (parse_object (parser, event->data), "tags_added");
    g_assert_cmpuint (json_array_get_length (added), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (added, 0), ==, "VIP");
  }

  /* Remove it from both, in another case. */
  g_assert_true (set_tag (f, ids, 2, "Vip", FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_changed, ==, 2);
  g_assert_cmpuint (f->changed_ids->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PsOrderDetail) detail = load_detail (f, ids[i], &error);
      PsDetailEvent *event;
      JsonArray *removed;

      g_assert_no_error (error);
      g_assert_false (g_strv_contains ((const char * const *)detail->tags, "VIP"));
      event = last_event (detail);
      g_assert_cmpint (event->type, ==, PS_EVENT_TYPE_ORDER_UPDATED);
      removed = json_object_get_array_member (parse_object (parser, event->data), "tags_removed");
      g_assert_cmpstr (json_array_get_string_element (removed, 0), ==, "VIP");
    }

  /* Removing it again is a no-op; a new tag is created; a blank one is
   * refused. */
  g_assert_true (set_tag (f, ids, 2, "VIP", FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_changed, ==, 2);
  g_assert_true (set_tag (f, ids + 1, 1, " Fragile ", TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->n_changed, ==, 3);
  {
    g_autoptr(PsOrderDetail) detail = load_detail (f, ids[1], &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_strv_length (detail->tags), ==, 1);
    g_assert_cmpstr (detail->tags[0], ==, "Fragile");
  }
  g_assert_false (set_tag (f, ids, 2, "  ", TRUE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (f->n_changed, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/order-detail/load", test_load);
  ADD ("/store/order-detail/not-found", test_not_found);
  ADD ("/store/order-detail/set-status", test_set_status);
  ADD ("/store/order-detail/add-note", test_add_note);
  ADD ("/store/order-detail/set-tag", test_set_tag);
#undef ADD

  return g_test_run ();
}
