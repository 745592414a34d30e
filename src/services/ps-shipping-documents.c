/* ps-shipping-documents.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Packing slips and the end-of-day handoff sheet, drawn on a thread.
 * Part of PsShippingService.
 */

#define G_LOG_DOMAIN "ps-shipping-service"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ps-handoff-sheet.h"
#include "ps-order-lookup.h"
#include "ps-packing-slip.h"
#include "ps-shipping-service-private.h"

/* Packing slips */

typedef struct
{
  GArray    *ids;
  GPtrArray *slips;     /* PsPackingSlip */
  PsPaper    paper;
} SlipData;

static void
slip_data_free (SlipData *data)
{
  g_clear_pointer (&data->ids, g_array_unref);
  g_clear_pointer (&data->slips, g_ptr_array_unref);
  g_free (data);
}

static gpointer
slips_job (PsDatabase    *db,
           gpointer       user_data,
           GCancellable  *cancellable,
           GError       **error)
{
  SlipData *data = user_data;
  g_autoptr(PsAddress) from = ps_shipping_store_get_ship_from_sync (db, NULL);
  const char *store = from != NULL ? (from->company != NULL ? from->company : from->name) : NULL;

  for (guint i = 0; i < data->ids->len; i++)
    {
      g_autoptr(PsShippingOrder) order = ps_shipping_store_load_order_sync (db, g_array_index (data->ids, gint64, i), error);
      PsPackingSlip *slip;

      if (order == NULL)
        return NULL;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      slip = ps_packing_slip_new ();
      slip->store_name = g_strdup (store != NULL ? store : "");
      slip->order_number = g_strdup (order->order_number);
      slip->order_date = order->created_at;
      slip->ship_to = ps_address_copy (order->ship_to);
      slip->total = ps_money_new (order->total_minor, order->currency);
      for (guint k = 0; k < order->items->len; k++)
        {
          const PsShippingItem *item = g_ptr_array_index (order->items, k);

          ps_packing_slip_add_item (slip, item->sku, item->name, item->variant, item->quantity);
        }
      g_ptr_array_add (data->slips, slip);
    }
  return GINT_TO_POINTER (TRUE);
}

static void
slips_render_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SlipData *data = task_data;
  GError *error = NULL;
  GBytes *pdf = ps_packing_slip_render_pdf ((const PsPackingSlip * const *)data->slips->pdata, data->slips->len,
                                            data->paper, &error);

  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify)g_bytes_unref);
}

static void
slips_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (ps_database_run_finish (PS_DATABASE (object), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, slips_render_thread);
}

/**
 * ps_shipping_service_packing_slips_async:
 * @self: a #PsShippingService
 * @order_ids: (array length=n_orders): the orders
 * @n_orders: how many
 * @paper: letter, A4 or a 4x6 label
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * One PDF with a packing slip per order (items, quantities, SKUs, the
 * order number and its barcode, the shop's name from the ship-from
 * address), drawn on a thread.
 */
void
ps_shipping_service_packing_slips_async (PsShippingService   *self,
                                         const gint64        *order_ids,
                                         guint                n_orders,
                                         PsPaper              paper,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;
  SlipData *data;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_packing_slips_async);
  data = g_new0 (SlipData, 1);
  data->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_orders);
  g_array_append_vals (data->ids, order_ids, n_orders);
  data->slips = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_packing_slip_free);
  data->paper = paper;
  g_task_set_task_data (task, data, (GDestroyNotify)slip_data_free);
  ps_database_run_async (_ps_shipping_database (self), slips_job, data, NULL, NULL, cancellable, slips_loaded_cb,
                         g_object_ref (task));
  g_object_unref (task);
}

/**
 * ps_shipping_service_packing_slips_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the PDF
 */
GBytes *
ps_shipping_service_packing_slips_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* End-of-day handoff sheet */

typedef struct
{
  gint64     from;
  gint64     to;
  char      *store;
  GPtrArray *rows;      /* PsHandoffRow */
} HandoffData;

static void
handoff_data_free (HandoffData *data)
{
  g_free (data->store);
  g_clear_pointer (&data->rows, g_ptr_array_unref);
  g_free (data);
}

static gpointer
handoff_job (PsDatabase    *db,
             gpointer       user_data,
             GCancellable  *cancellable,
             GError       **error)
{
  HandoffData *data = user_data;
  g_autoptr(PsAddress) from = ps_shipping_store_get_ship_from_sync (db, NULL);

  if (from != NULL)
    data->store = g_strdup (from->company != NULL ? from->company : from->name);
  data->rows = ps_order_lookup_handoff_sync (db, data->from, data->to, error);
  return data->rows != NULL ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
handoff_render_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  HandoffData *data = task_data;
  g_autoptr(PsHandoffSheet) sheet = ps_handoff_sheet_new ();
  GError *error = NULL;
  GBytes *pdf;

  sheet->date = data->from;
  sheet->store_name = g_strdup (data->store != NULL ? data->store : "");
  for (guint i = 0; i < data->rows->len; i++)
    {
      const PsHandoffRow *row = g_ptr_array_index (data->rows, i);

      ps_handoff_sheet_add (sheet, row->carrier, row->tracking_number, row->service, row->weight_grams,
                            row->order_number);
    }
  pdf = ps_handoff_sheet_render_pdf (sheet, PS_PAPER_LETTER, &error);
  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify)g_bytes_unref);
}

static void
handoff_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HandoffData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (ps_database_run_finish (PS_DATABASE (object), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->rows->len == 0)
    {
      g_task_return_new_error (task, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                               "No labels were bought that day");
      return;
    }
  g_task_run_in_thread (task, handoff_render_thread);
}

/**
 * ps_shipping_service_handoff_sheet_async:
 * @self: a #PsShippingService
 * @from: the day's start, UTC Unix seconds
 * @to: its end (exclusive)
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * The end-of-day handoff sheet: every live label bought in [@from, @to),
 * by carrier, with counts and barcodes, for the driver to sign.
 */
void
ps_shipping_service_handoff_sheet_async (PsShippingService   *self,
                                         gint64               from,
                                         gint64               to,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;
  HandoffData *data;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_handoff_sheet_async);
  data = g_new0 (HandoffData, 1);
  data->from = from;
  data->to = to;
  g_task_set_task_data (task, data, (GDestroyNotify)handoff_data_free);
  ps_database_run_async (_ps_shipping_database (self), handoff_job, data, NULL, NULL, cancellable, handoff_loaded_cb, task);
}

/**
 * ps_shipping_service_handoff_sheet_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the PDF; %PS_SHIPPING_ERROR_NOT_FOUND
 *   when no label was bought that day
 */
GBytes *
ps_shipping_service_handoff_sheet_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

