/* test-shipping.c: rates, labels and the purchase journal over a real
 * database, with the built-in sandbox carrier
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-shipping"

#include "config.h"

#include <glib/gstdio.h>

#include "ps-carrier-sandbox.h"
#include "ps-database-private.h"
#include "ps-demo.h"
#include "ps-shipping-service.h"
#include "ps-tracking-number.h"

#define NOW 1795000000   /* 2026-11-18, a Wednesday */

typedef struct
{
  PsContext         *context;
  PsShippingService *service;
} Fixture;

static gint64
fixed_now (gpointer data)
{
  return NOW;
}

static gpointer
demo_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  PsDemoOptions options = PS_DEMO_OPTIONS_INIT;

  options.n_orders = 400;
  options.now = NOW;
  return ps_demo_generate (db, &options, NULL, NULL, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static gint64 query (Fixture *f, const char *sql, gint64 arg);

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "shipping.db", NULL);
  g_autoptr(GError) error = NULL;

  g_unlink (path);
  f->context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (f->context), demo_job, NULL, NULL, &error));
  g_assert_no_error (error);
  f->service = ps_shipping_service_new (f->context);
  /* More orders waiting for a label than 90 days of demo history leave. */
  query (f, "UPDATE orders SET status = 'awaiting_shipment' WHERE status = 'cancelled'"
            " AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = orders.id) AND ? > 0 RETURNING 0", 1);
  ps_shipping_service_set_now_func (f->service, fixed_now, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->service);
  g_clear_object (&f->context);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* SQL on the worker, for checks. */
typedef struct
{
  const char *sql;
  gint64      arg;
} Query;

static gpointer
query_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Query *q = data;
  gint64 *value = g_new0 (gint64, 1);
  sqlite3_stmt *stmt = _ps_database_prepare (db, q->sql, error);

  if (stmt == NULL)
    return NULL;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_int64 (stmt, 1, q->arg);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static gint64
query (Fixture    *f,
       const char *sql,
       gint64      arg)
{
  g_autoptr(GError) error = NULL;
  Query q = { sql, arg };
  g_autofree gint64 *value = ps_database_run_sync (ps_context_get_database (f->context), query_job, &q, NULL, &error);

  g_assert_no_error (error);
  return *value;
}

/* An order still waiting for a label. */
static gint64
awaiting_order (Fixture *f,
                guint    nth)
{
  return query (f, "SELECT id FROM orders WHERE status IN ('awaiting_shipment', 'awaiting_payment', 'on_hold')"
                   " AND ship_country = 'US' AND address_issue = 0 AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = orders.id)"
                   " ORDER BY id LIMIT 1 OFFSET ?", nth);
}

static PsShipmentDraft *
prepare (Fixture *f,
         gint64   order_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PsShipmentDraft *draft;

  ps_shipping_service_prepare_async (f->service, order_id, NULL, store_result_cb, &result);
  draft = ps_shipping_service_prepare_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  return draft;
}

static PsRateQuotes *
rates (Fixture         *f,
       PsShipmentDraft *draft,
       GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_shipping_service_rates_async (f->service, draft, NULL, store_result_cb, &result);
  return ps_shipping_service_rates_finish (f->service, wait_for (&result), error);
}

static PsLabelResult *
buy (Fixture            *f,
     PsShipmentDraft    *draft,
     const PsRateQuote  *quote,
     const char         *key,
     GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_shipping_service_buy_async (f->service, draft, quote, key, NULL, store_result_cb, &result);
  return ps_shipping_service_buy_finish (f->service, wait_for (&result), error);
}

static void
test_rates_and_buy (Fixture       *f,
                    gconstpointer  data)
{
  gint64 order_id = awaiting_order (f, 0);
  g_autoptr(PsShipmentDraft) draft = prepare (f, order_id);
  g_autoptr(PsRateQuotes) quotes = NULL;
  g_autoptr(PsLabelResult) label = NULL;
  g_autoptr(PsLabelResult) again = NULL;
  g_autoptr(GError) error = NULL;
  const PsRateQuote *cheapest, *fastest, *within;
  PsCarrier *carrier;
  gint64 balance;
  gsize size;
  const char *bytes;

  g_assert_cmpstr (draft->ship_from->city, ==, "Austin");
  g_assert_cmpint (draft->parcel.weight_grams, >, 0);

  quotes = rates (f, draft, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quotes->quotes->len, >=, 5);
  g_assert_cmpuint (quotes->problems->len, ==, 0);
  /* Cheapest first, and the choice rules agree with it. */
  for (guint i = 1; i < quotes->quotes->len; i++)
    g_assert_cmpint (((PsRateQuote *)quotes->quotes->pdata[i - 1])->rate->price.minor, <=,
                     ((PsRateQuote *)quotes->quotes->pdata[i])->rate->price.minor);
  cheapest = ps_rate_quotes_choose (quotes->quotes, PS_RATE_CHOICE_CHEAPEST, 0);
  fastest = ps_rate_quotes_choose (quotes->quotes, PS_RATE_CHOICE_FASTEST, 0);
  within = ps_rate_quotes_choose (quotes->quotes, PS_RATE_CHOICE_CHEAPEST_WITHIN, 2);
  g_assert_true (cheapest == quotes->quotes->pdata[0]);
  g_assert_cmpint (fastest->rate->transit_days, <=, cheapest->rate->transit_days);
  g_assert_cmpint (within->rate->transit_days, <=, 2);
  g_assert_cmpint (within->rate->price.minor, >=, cheapest->rate->price.minor);

  carrier = ps_shipping_service_lookup_carrier (f->service, cheapest->account_id);
  g_assert_true (PS_IS_CARRIER_SANDBOX (carrier));
  /* A funded account, so each purchase shows as a charge. */
  ps_carrier_sandbox_set_balance (PS_CARRIER_SANDBOX (carrier), 1000000);
  balance = ps_carrier_sandbox_get_balance (PS_CARRIER_SANDBOX (carrier));

  label = buy (f, draft, cheapest, "test:buy:1", &error);
  g_assert_no_error (error);
  g_assert_false (label->already_bought);
  g_assert_cmpint (label->order_id, ==, order_id);
  g_assert_cmpint (ps_tracking_number_detect (label->tracking_number), !=, PS_TRACKING_FORMAT_UNKNOWN);
  g_assert_cmpint (label->label_format, ==, PS_LABEL_FORMAT_PDF);
  bytes = g_bytes_get_data (label->label, &size);
  g_assert_true (size > 1000 && memcmp (bytes, "%PDF-", 5) == 0);

  /* Stored: shipment, label, journal, status and events, all at once. */
  g_assert_cmpint (query (f, "SELECT count(*) FROM shipments WHERE order_id = ?", order_id), ==, 1);
  g_assert_cmpint (query (f, "SELECT count(*) FROM labels WHERE shipment_id = ?", label->shipment_id), ==, 1);
  g_assert_cmpint (query (f, "SELECT count(*) FROM orders WHERE id = ? AND status = 'ready_to_ship'", order_id), ==, 1);
  g_assert_cmpint (query (f, "SELECT count(*) FROM events WHERE order_id = ? AND type = 'label.created'", order_id), ==, 1);
  g_assert_cmpint (query (f, "SELECT count(*) FROM label_purchases WHERE shipment_id = ? AND state = 'bought'",
                          label->shipment_id), ==, 1);
  g_assert_cmpint (query (f, "SELECT rate_minor FROM shipments WHERE id = ?", label->shipment_id), ==,
                   cheapest->rate->price.minor);
  g_assert_cmpint (ps_carrier_sandbox_get_balance (PS_CARRIER_SANDBOX (carrier)), !=, balance);
  balance = ps_carrier_sandbox_get_balance (PS_CARRIER_SANDBOX (carrier));

  /* The same key again: the stored label, nothing bought. */
  again = buy (f, draft, cheapest, "test:buy:1", &error);
  g_assert_no_error (error);
  g_assert_true (again->already_bought);
  g_assert_cmpint (again->shipment_id, ==, label->shipment_id);
  g_assert_cmpstr (again->tracking_number, ==, label->tracking_number);
  g_assert_true (g_bytes_equal (again->label, label->label));
  g_assert_cmpint (query (f, "SELECT count(*) FROM shipments WHERE order_id = ?", order_id), ==, 1);
  g_assert_cmpint (ps_carrier_sandbox_get_balance (PS_CARRIER_SANDBOX (carrier)), ==, balance);
}

/* A purchase whose answer was lost (journaled "unknown" after the carrier
 * bought it) is looked up and stored, never bought again. */
static void
test_unknown_is_looked_up (Fixture       *f,
                           gconstpointer  data)
{
  gint64 order_id = awaiting_order (f, 1);
  g_autoptr(PsShipmentDraft) draft = prepare (f, order_id);
  g_autoptr(PsRateQuotes) quotes = NULL;
  g_autoptr(PsLabelResult) label = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PsPurchase) direct = NULL;
  g_autoptr(PsRateRequest) request = NULL;
  g_autofree char *carrier_key = NULL;
  const PsRateQuote *quote;
  PsCarrier *carrier;
  gint64 balance, journal_id;

  quotes = rates (f, draft, &error);
  g_assert_no_error (error);
  quote = quotes->quotes->pdata[0];
  carrier = ps_shipping_service_lookup_carrier (f->service, quote->account_id);
  ps_carrier_sandbox_set_balance (PS_CARRIER_SANDBOX (carrier), 1000000);

  /* The purchase was journaled, the carrier bought it (under the key it
   * is given for that journal row) ... */
  journal_id = query (f, "INSERT INTO label_purchases (order_id, account_id, carrier, service, idempotency_key,"
                         " state, created_at, updated_at) SELECT ?, id, 'x', 'y', 'test:lost:1', 'unknown', 0, 0"
                         " FROM carrier_accounts LIMIT 1 RETURNING id", order_id);
  carrier_key = g_strdup_printf ("test:lost:1#%" G_GINT64_FORMAT, journal_id);
  request = ps_rate_request_new (draft->ship_from, draft->order->ship_to, &draft->parcel);
  ps_carrier_buy_label_async (carrier, request, quote->rate, PS_LABEL_FORMAT_PDF, carrier_key,
                              NULL, store_result_cb, &result);
  direct = ps_carrier_buy_label_finish (carrier, wait_for (&result), &error);
  g_assert_no_error (error);
  balance = ps_carrier_sandbox_get_balance (PS_CARRIER_SANDBOX (carrier));

  /* ... but the answer never reached us: the journal still says unknown. */

  label = buy (f, draft, quote, "test:lost:1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (label->tracking_number, ==, direct->tracking_number);
  g_assert_cmpint (ps_carrier_sandbox_get_balance (PS_CARRIER_SANDBOX (carrier)), ==, balance);
  g_assert_cmpint (query (f, "SELECT count(*) FROM shipments WHERE order_id = ?", order_id), ==, 1);
  g_assert_cmpint (query (f, "SELECT count(*) FROM label_purchases WHERE idempotency_key = 'test:lost:1'"
                             " AND state = 'bought' AND ? > 0", 1), ==, 1);
}

/* Refusals are reported before any purchase and leave nothing behind. */
static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  gint64 order_id = awaiting_order (f, 2);
  g_autoptr(PsShipmentDraft) draft = prepare (f, order_id);
  g_autoptr(PsRateQuotes) quotes = NULL;
  g_autoptr(PsRateQuotes) none = NULL;
  g_autoptr(PsLabelResult) label = NULL;
  g_autoptr(GError) error = NULL;
  const PsRateQuote *quote;

  quotes = rates (f, draft, &error);
  g_assert_no_error (error);
  quote = quotes->quotes->pdata[0];

  draft->parcel.weight_grams = 0;
  none = rates (f, draft, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "eigh"));   /* "weight" / "weigh the parcel" */
  g_clear_error (&error);

  label = buy (f, draft, quote, "test:bad:1", &error);
  g_assert_null (label);
  g_assert_nonnull (error);
  g_clear_error (&error);

  draft->parcel.weight_grams = 500;
  g_clear_pointer (&draft->order->ship_to->line1, g_free);
  label = buy (f, draft, quote, "test:bad:2", &error);
  g_assert_null (label);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "street"));

  g_assert_cmpint (query (f, "SELECT count(*) FROM shipments WHERE order_id = ?", order_id), ==, 0);
  g_assert_cmpint (query (f, "SELECT count(*) FROM label_purchases WHERE order_id = ?", order_id), ==, 0);
}

typedef struct
{
  guint calls;
  guint last_done;
  guint total;
} Progress;

static void
progress_cb (guint              done,
             guint              total,
             const PsBatchItem *item,
             gpointer           user_data)
{
  Progress *p = user_data;

  g_assert_cmpuint (done, ==, p->last_done + 1);
  p->calls++;
  p->last_done = done;
  p->total = total;
}

static GPtrArray *
batch (Fixture      *f,
       GArray       *ids,
       const char   *key,
       Progress     *progress,
       GCancellable *cancellable)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  ps_shipping_service_buy_batch_async (f->service, (gint64 *)ids->data, ids->len, key,
                                       PS_RATE_CHOICE_CHEAPEST, 0, progress_cb, progress,
                                       cancellable, store_result_cb, &result);
  items = ps_shipping_service_buy_batch_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  return items;
}

/* The fixture leaves at least 10 US orders awaiting a label. */
#define BATCH 6

static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) other = NULL;
  Progress progress = { 0 };
  gint64 shipments_before, bought = 0;

  for (guint i = 0; i < BATCH; i++)
    {
      gint64 id = awaiting_order (f, i);
      g_array_append_val (ids, id);
    }
  /* One order that already has a label. */
  {
    gint64 shipped = query (f, "SELECT order_id FROM shipments LIMIT 1", 0);
    g_array_append_val (ids, shipped);
  }
  shipments_before = query (f, "SELECT count(*) FROM shipments WHERE ? > 0", 1);

  first = batch (f, ids, "test:batch:1", &progress, NULL);
  g_assert_cmpuint (first->len, ==, ids->len);
  g_assert_cmpuint (progress.calls, ==, ids->len);
  g_assert_cmpuint (progress.total, ==, ids->len);
  for (guint i = 0; i < first->len; i++)
    {
      PsBatchItem *item = first->pdata[i];

      g_assert_cmpint (item->order_id, ==, g_array_index (ids, gint64, i));
      if (i < BATCH)
        {
          if (item->error != NULL)
            g_error ("order %" G_GINT64_FORMAT ": %s", item->order_id, item->error);
          g_assert_nonnull (item->result);
          bought++;
        }
      else
        {
          g_assert_null (item->result);
          g_assert_nonnull (strstr (item->error, "Already has a label"));
        }
    }
  g_assert_cmpint (query (f, "SELECT count(*) FROM shipments WHERE ? > 0", 1), ==, shipments_before + bought);

  /* Running it again with the same key buys nothing and reports each. */
  progress = (Progress) { 0 };
  second = batch (f, ids, "test:batch:1", &progress, NULL);
  for (guint i = 0; i < BATCH; i++)
    {
      PsBatchItem *item = second->pdata[i];

      g_assert_nonnull (item->result);
      g_assert_true (item->result->already_bought);
      g_assert_cmpstr (item->result->tracking_number, ==,
                       ((PsBatchItem *)first->pdata[i])->result->tracking_number);
    }
  g_assert_cmpint (query (f, "SELECT count(*) FROM shipments WHERE ? > 0", 1), ==, shipments_before + bought);

  /* A new batch over the same orders refuses them: they have labels. */
  progress = (Progress) { 0 };
  other = batch (f, ids, "test:batch:2", &progress, NULL);
  for (guint i = 0; i < other->len; i++)
    g_assert_nonnull (strstr (((PsBatchItem *)other->pdata[i])->error, "Already has a label"));
  g_assert_cmpint (query (f, "SELECT count(*) FROM shipments WHERE ? > 0", 1), ==, shipments_before + bought);
}

/* Cancel stops before the next order; nothing half-bought. */
static void
cancel_after_two_cb (guint              done,
                     guint              total,
                     const PsBatchItem *item,
                     gpointer           user_data)
{
  if (done == 2)
    g_cancellable_cancel (user_data);
}

static void
test_batch_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint bought = 0;

  for (guint i = 0; i < 6; i++)
    {
      gint64 id = awaiting_order (f, i);
      g_array_append_val (ids, id);
    }
  ps_shipping_service_buy_batch_async (f->service, (gint64 *)ids->data, ids->len, "test:cancel",
                                       PS_RATE_CHOICE_CHEAPEST, 0, cancel_after_two_cb, cancellable,
                                       cancellable, store_result_cb, &result);
  items = ps_shipping_service_buy_batch_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 6);
  for (guint i = 0; i < items->len; i++)
    if (((PsBatchItem *)items->pdata[i])->result != NULL)
      bought++;
    else
      g_assert_cmpstr (((PsBatchItem *)items->pdata[i])->error, ==, "Cancelled before buying");
  g_assert_cmpuint (bought, ==, 2);
  g_assert_cmpint (query (f, "SELECT count(*) FROM label_purchases WHERE idempotency_key LIKE 'test:cancel%' AND ? > 0", 1),
                   ==, 2);
}

/* Reconcile settles a journal entry left open by a crash. */
static void
test_reconcile (Fixture       *f,
                gconstpointer  data)
{
  gint64 order_id = awaiting_order (f, 3);
  g_autoptr(PsShipmentDraft) draft = prepare (f, order_id);
  g_autoptr(PsRateQuotes) quotes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint resolved;

  quotes = rates (f, draft, &error);
  g_assert_no_error (error);

  /* Never sent (a crash right after journaling): reconcile finds nothing
   * at the carrier and marks it failed, so a retry may buy. */
  query (f, "INSERT INTO label_purchases (order_id, account_id, carrier, service, idempotency_key, state,"
            " created_at, updated_at) SELECT ?, id, 'usps', 'ground_advantage', 'test:crash:1', 'pending', 0, 0"
            " FROM carrier_accounts LIMIT 1 RETURNING 0", order_id);
  ps_shipping_service_reconcile_async (f->service, NULL, store_result_cb, &result);
  resolved = ps_shipping_service_reconcile_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resolved, ==, 0);
  g_assert_cmpint (query (f, "SELECT count(*) FROM label_purchases WHERE idempotency_key = 'test:crash:1'"
                             " AND state = 'failed' AND ? > 0", 1), ==, 1);
  g_assert_cmpint (query (f, "SELECT count(*) FROM shipments WHERE order_id = ?", order_id), ==, 0);
}

static gboolean
void_label (Fixture  *f,
            gint64    shipment_id,
            GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_shipping_service_void_async (f->service, shipment_id, NULL, store_result_cb, &result);
  return ps_shipping_service_void_finish (f->service, wait_for (&result), error);
}

/* Void: the carrier refunds, the order waits for a label again; a parcel
 * already scanned cannot be voided. */
static void
test_void (Fixture       *f,
           gconstpointer  data)
{
  gint64 order_id = awaiting_order (f, 0);
  g_autoptr(PsShipmentDraft) draft = prepare (f, order_id);
  g_autoptr(PsRateQuotes) quotes = NULL;
  g_autoptr(PsLabelResult) label = NULL;
  g_autoptr(GError) error = NULL;
  gint64 scanned;

  quotes = rates (f, draft, &error);
  g_assert_no_error (error);
  label = buy (f, draft, quotes->quotes->pdata[0], "test:void:1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (query (f, "SELECT count(*) FROM orders WHERE id = ? AND status = 'ready_to_ship'", order_id), ==, 1);

  g_assert_true (void_label (f, label->shipment_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query (f, "SELECT count(*) FROM shipments WHERE id = ? AND voided_at IS NOT NULL", label->shipment_id), ==, 1);
  g_assert_cmpint (query (f, "SELECT count(*) FROM orders WHERE id = ? AND status = 'awaiting_shipment'"
                             " AND last_shipment_id IS NULL", order_id), ==, 1);
  g_assert_cmpint (query (f, "SELECT count(*) FROM events WHERE order_id = ? AND type = 'label.voided'", order_id), ==, 1);
  /* Twice is harmless. */
  g_assert_true (void_label (f, label->shipment_id, &error));
  g_assert_cmpint (query (f, "SELECT count(*) FROM events WHERE order_id = ? AND type = 'label.voided'", order_id), ==, 1);

  /* Buying again with the same key buys a new label, not the dead one. */
  {
    g_autoptr(PsLabelResult) again = buy (f, draft, quotes->quotes->pdata[0], "test:void:1", &error);

    g_assert_no_error (error);
    g_assert_false (again->already_bought);
    g_assert_cmpint (again->shipment_id, !=, label->shipment_id);
    g_assert_cmpint (query (f, "SELECT count(*) FROM orders WHERE id = ? AND status = 'ready_to_ship'", order_id), ==, 1);
  }

  /* A demo shipment the carrier has scanned. */
  scanned = query (f, "SELECT id FROM shipments WHERE tracking_status = 'in_transit' AND ? > 0 LIMIT 1", 1);
  g_assert_cmpint (scanned, >, 0);
  g_assert_false (void_label (f, scanned, &error));
  g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_VOID_REFUSED);
  g_assert_cmpint (query (f, "SELECT count(*) FROM shipments WHERE id = ? AND voided_at IS NULL", scanned), ==, 1);
}

/* Packing slips: one PDF, a page (at least) per order, with its number. */
static void
test_packing_slips (Fixture       *f,
                    gconstpointer  data)
{
  gint64 ids[3] = { awaiting_order (f, 0), awaiting_order (f, 1), awaiting_order (f, 2) };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "slips.pdf", NULL);
  g_autofree char *text = NULL;

  ps_shipping_service_packing_slips_async (f->service, ids, 3, PS_PAPER_LETTER, NULL, store_result_cb, &result);
  pdf = ps_shipping_service_packing_slips_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_get_size (pdf) > 1000);
  g_assert_true (memcmp (g_bytes_get_data (pdf, NULL), "%PDF-", 5) == 0);

  if (pdftotext == NULL)
    {
      g_test_message ("pdftotext is not installed: the slips' text is not checked");
      return;
    }
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), NULL));
  {
    const char *argv[] = { pdftotext, path, "-", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &text, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(PsShipmentDraft) draft = prepare (f, ids[i]);

      g_assert_nonnull (strstr (text, draft->order->order_number));
      g_assert_nonnull (strstr (text, ((PsShippingItem *)draft->order->items->pdata[0])->name));
    }
}

static void
added_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

/* A rate card from a CSV: its rates come with the others, its labels use
 * our layout and tracking numbers from its range, which survives a
 * restart; a bad line is reported with its line number. */
static void
test_ratecard (Fixture       *f,
               gconstpointer  data)
{
  static const char csv[] =
    "service,destination,max_weight,price,transit_days\n"
    "Courier,*,5kg,4.50,1\n";
  static const char bad[] =
    "service,destination,max_weight,price\n"
    "Courier,*,five kilos,4.50\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (csv, strlen (csv));
  g_autoptr(GBytes) bad_bytes = g_bytes_new_static (bad, strlen (bad));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) bad_result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 order_id = awaiting_order (f, 0);
  g_autoptr(PsShipmentDraft) draft = prepare (f, order_id);
  g_autoptr(PsRateQuotes) quotes = NULL;
  g_autoptr(PsLabelResult) label = NULL;
  const PsRateQuote *courier = NULL;
  gint64 account;

  ps_shipping_service_add_ratecard_async (f->service, "City Courier", bad_bytes, "USD", "CC", NULL,
                                          added_cb, &bad_result);
  g_assert_cmpint (ps_shipping_service_add_account_finish (f->service, wait_for (&bad_result), &error), ==, 0);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "2"));   /* the line */
  g_clear_error (&error);

  ps_shipping_service_add_ratecard_async (f->service, "City Courier", bytes, "USD", "CC", NULL, added_cb, &result);
  account = ps_shipping_service_add_account_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (account, >, 0);

  quotes = rates (f, draft, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < quotes->quotes->len; i++)
    if (((PsRateQuote *)quotes->quotes->pdata[i])->account_id == account)
      courier = quotes->quotes->pdata[i];
  g_assert_nonnull (courier);
  g_assert_cmpint (courier->rate->price.minor, ==, 450);

  label = buy (f, draft, courier, "test:ratecard:1", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (label->tracking_number, "CC"));
  /* The next number is kept in the account. */
  g_assert_cmpint (query (f, "SELECT count(*) FROM carrier_accounts WHERE id = ? AND settings LIKE '%\"next\":2%'",
                          account), ==, 1);
}

/* The parcel starts from per-SKU weights and the package the SKUs ask
 * for: its sides, and its own weight on top of the items'. */
static void
test_presets (Fixture       *f,
              gconstpointer  data)
{
  gint64 order_id = awaiting_order (f, 0);
  g_autoptr(PsShipmentDraft) before = prepare (f, order_id);
  g_autoptr(PsShipmentDraft) after = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PsPackagePreset box = { 0, (char *)"Test box", 300, 200, 100, 150 };
  const PsShippingItem *first = before->order->items->pdata[0];
  gint64 expected = 150;
  gint64 preset_id;

  ps_shipping_service_change_preset_async (f->service, &box, 0, NULL, store_result_cb, &result);
  g_assert_true (ps_shipping_service_change_preset_finish (f->service, wait_for (&result), &error));
  g_assert_no_error (error);
  preset_id = query (f, "SELECT id FROM package_presets WHERE name = 'Test box' AND ? > 0", 1);
  g_assert_cmpint (preset_id, >, 0);
  g_assert_nonnull (first->sku);

  /* This SKU weighs 1 kg and ships in the test box. */
  {
    g_autoptr(GAsyncResult) saved = NULL;

    ps_shipping_service_set_sku_default_async (f->service, first->sku, 1000, preset_id, NULL,
                                               store_result_cb, &saved);
    g_assert_true (ps_shipping_service_set_sku_default_finish (f->service, wait_for (&saved), &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < before->order->items->len; i++)
    {
      const PsShippingItem *item = before->order->items->pdata[i];

      expected += (g_strcmp0 (item->sku, first->sku) == 0 ? 1000 : item->weight_grams) * item->quantity;
    }

  after = prepare (f, order_id);
  g_assert_cmpint (after->order->preset_id, ==, preset_id);
  g_assert_cmpint (after->parcel.length_mm, ==, 300);
  g_assert_cmpint (after->parcel.height_mm, ==, 100);
  g_assert_cmpint (after->parcel.weight_grams, ==, expected);
  g_assert_cmpint (after->parcel.weight_grams, !=, before->parcel.weight_grams);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/services/shipping/rates-and-buy", Fixture, NULL, fixture_setup, test_rates_and_buy, fixture_teardown);
  g_test_add ("/services/shipping/unknown-is-looked-up", Fixture, NULL, fixture_setup, test_unknown_is_looked_up, fixture_teardown);
  g_test_add ("/services/shipping/bad-input", Fixture, NULL, fixture_setup, test_bad_input, fixture_teardown);
  g_test_add ("/services/shipping/batch", Fixture, NULL, fixture_setup, test_batch, fixture_teardown);
  g_test_add ("/services/shipping/batch-cancel", Fixture, NULL, fixture_setup, test_batch_cancel, fixture_teardown);
  g_test_add ("/services/shipping/void", Fixture, NULL, fixture_setup, test_void, fixture_teardown);
  g_test_add ("/services/shipping/packing-slips", Fixture, NULL, fixture_setup, test_packing_slips, fixture_teardown);
  g_test_add ("/services/shipping/ratecard", Fixture, NULL, fixture_setup, test_ratecard, fixture_teardown);
  g_test_add ("/services/shipping/presets", Fixture, NULL, fixture_setup, test_presets, fixture_teardown);
  g_test_add ("/services/shipping/reconcile", Fixture, NULL, fixture_setup, test_reconcile, fixture_teardown);

  return g_test_run ();
}
