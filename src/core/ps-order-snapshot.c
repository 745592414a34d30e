/* ps-order-snapshot.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every string in a snapshot is its own copy, so a snapshot made on the
 * database worker can be handed to any thread and outlive the rows it
 * came from. Empty strings are kept as given: the condition language
 * treats "" like a missing value, and so must anything that builds a
 * snapshot by hand.
 */

#define G_LOG_DOMAIN "ps-order-snapshot"

#include "config.h"

#include "ps-order-snapshot.h"

G_DEFINE_BOXED_TYPE (PsOrderSnapshot, ps_order_snapshot,
                     ps_order_snapshot_copy, ps_order_snapshot_free)

/* Helpers */

static void
shipment_clear (gpointer data)
{
  PsShipmentSnapshot *shipment = data;

  g_clear_pointer (&shipment->carrier, g_free);
  g_clear_pointer (&shipment->service, g_free);
}

static void
return_clear (gpointer data)
{
  PsReturnSnapshot *ret = data;

  g_clear_pointer (&ret->skus, g_ptr_array_unref);
}

static GPtrArray *
strings_copy (GPtrArray *strings)
{
  GPtrArray *copy = g_ptr_array_new_full (strings->len, g_free);

  for (guint i = 0; i < strings->len; i++)
    g_ptr_array_add (copy, g_strdup (g_ptr_array_index (strings, i)));
  return copy;
}

static gboolean
strings_equal (GPtrArray *a,
               GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_strcmp0 (g_ptr_array_index (a, i), g_ptr_array_index (b, i)) != 0)
      return FALSE;
  return TRUE;
}

static gboolean
shipment_equal (const PsShipmentSnapshot *a,
                const PsShipmentSnapshot *b)
{
  return g_strcmp0 (a->carrier, b->carrier) == 0 &&
         g_strcmp0 (a->service, b->service) == 0 &&
         a->tracking_status == b->tracking_status &&
         a->exception_reason == b->exception_reason &&
         a->label_created_at == b->label_created_at &&
         a->first_scan_at == b->first_scan_at &&
         a->delivered_at == b->delivered_at &&
         a->estimated_delivery_at == b->estimated_delivery_at &&
         !a->had_exception == !b->had_exception;
}

static gboolean
return_equal (const PsReturnSnapshot *a,
              const PsReturnSnapshot *b)
{
  return a->reason == b->reason &&
         a->requested_at == b->requested_at &&
         strings_equal (a->skus, b->skus);
}

/* Public API */

/**
 * ps_order_snapshot_new:
 *
 * Returns: (transfer full): an empty snapshot: no channel, no tags, SKUs
 *   or shipments, status %PS_ORDER_STATUS_AWAITING_PAYMENT, every number 0
 */
PsOrderSnapshot *
ps_order_snapshot_new (void)
{
  PsOrderSnapshot *self = g_new0 (PsOrderSnapshot, 1);

  self->tags = g_ptr_array_new_with_free_func (g_free);
  self->skus = g_ptr_array_new_with_free_func (g_free);
  self->shipments = g_array_new (FALSE, TRUE, sizeof (PsShipmentSnapshot));
  g_array_set_clear_func (self->shipments, shipment_clear);
  self->returns = g_array_new (FALSE, TRUE, sizeof (PsReturnSnapshot));
  g_array_set_clear_func (self->returns, return_clear);
  return self;
}

/**
 * ps_order_snapshot_copy:
 * @self: a #PsOrderSnapshot
 *
 * Returns: (transfer full): a deep copy of @self
 */
PsOrderSnapshot *
ps_order_snapshot_copy (const PsOrderSnapshot *self)
{
  PsOrderSnapshot *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ps_order_snapshot_new ();
  copy->id = self->id;
  copy->channel = g_strdup (self->channel);
  copy->status = self->status;
  g_ptr_array_unref (copy->tags);
  copy->tags = strings_copy (self->tags);
  g_ptr_array_unref (copy->skus);
  copy->skus = strings_copy (self->skus);
  copy->ship_country = g_strdup (self->ship_country);
  copy->ship_state = g_strdup (self->ship_state);
  copy->ship_postcode = g_strdup (self->ship_postcode);
  copy->address_issue = self->address_issue;
  copy->item_count = self->item_count;
  copy->total_minor = self->total_minor;
  copy->weight_grams = self->weight_grams;
  copy->created_at = self->created_at;
  copy->paid_at = self->paid_at;
  for (guint i = 0; i < self->shipments->len; i++)
    ps_order_snapshot_add_shipment (copy, &g_array_index (self->shipments, PsShipmentSnapshot, i));
  for (guint i = 0; i < self->returns->len; i++)
    {
      const PsReturnSnapshot *ret = &g_array_index (self->returns, PsReturnSnapshot, i);
      PsReturnSnapshot *dst = ps_order_snapshot_add_return (copy, ret->reason, ret->requested_at);

      g_ptr_array_unref (dst->skus);
      dst->skus = strings_copy (ret->skus);
    }
  return copy;
}

/**
 * ps_order_snapshot_free:
 * @self: (transfer full): a #PsOrderSnapshot
 *
 * Frees @self and everything in it.
 */
void
ps_order_snapshot_free (PsOrderSnapshot *self)
{
  g_return_if_fail (self != NULL);

  g_free (self->channel);
  g_ptr_array_unref (self->tags);
  g_ptr_array_unref (self->skus);
  g_free (self->ship_country);
  g_free (self->ship_state);
  g_free (self->ship_postcode);
  g_array_unref (self->shipments);
  g_array_unref (self->returns);
  g_free (self);
}

/**
 * ps_order_snapshot_equal:
 * @a: a #PsOrderSnapshot
 * @b: a #PsOrderSnapshot
 *
 * Field by field, with tags, SKUs and shipments in the same order.
 *
 * Returns: %TRUE if @a and @b hold the same values
 */
gboolean
ps_order_snapshot_equal (const PsOrderSnapshot *a,
                         const PsOrderSnapshot *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->id != b->id ||
      g_strcmp0 (a->channel, b->channel) != 0 ||
      a->status != b->status ||
      !strings_equal (a->tags, b->tags) ||
      !strings_equal (a->skus, b->skus) ||
      g_strcmp0 (a->ship_country, b->ship_country) != 0 ||
      g_strcmp0 (a->ship_state, b->ship_state) != 0 ||
      g_strcmp0 (a->ship_postcode, b->ship_postcode) != 0 ||
      !a->address_issue != !b->address_issue ||
      a->item_count != b->item_count ||
      a->total_minor != b->total_minor ||
      a->weight_grams != b->weight_grams ||
      a->created_at != b->created_at ||
      a->paid_at != b->paid_at ||
      a->shipments->len != b->shipments->len ||
      a->returns->len != b->returns->len)
    return FALSE;

  for (guint i = 0; i < a->returns->len; i++)
    if (!return_equal (&g_array_index (a->returns, PsReturnSnapshot, i),
                       &g_array_index (b->returns, PsReturnSnapshot, i)))
      return FALSE;

  for (guint i = 0; i < a->shipments->len; i++)
    if (!shipment_equal (&g_array_index (a->shipments, PsShipmentSnapshot, i),
                         &g_array_index (b->shipments, PsShipmentSnapshot, i)))
      return FALSE;

  return TRUE;
}

/**
 * ps_order_snapshot_set_channel:
 * @self: a #PsOrderSnapshot
 * @channel: (nullable): the channel's name
 */
void
ps_order_snapshot_set_channel (PsOrderSnapshot *self,
                               const char      *channel)
{
  g_return_if_fail (self != NULL);

  g_free (self->channel);
  self->channel = g_strdup (channel);
}

/**
 * ps_order_snapshot_set_address:
 * @self: a #PsOrderSnapshot
 * @country: (nullable): ISO 3166-1 alpha-2 country
 * @state: (nullable): subdivision
 * @postcode: (nullable): postal code
 *
 * Sets the ship-to fields conditions can test.
 */
void
ps_order_snapshot_set_address (PsOrderSnapshot *self,
                               const char      *country,
                               const char      *state,
                               const char      *postcode)
{
  g_return_if_fail (self != NULL);

  g_free (self->ship_country);
  self->ship_country = g_strdup (country);
  g_free (self->ship_state);
  self->ship_state = g_strdup (state);
  g_free (self->ship_postcode);
  self->ship_postcode = g_strdup (postcode);
}

/**
 * ps_order_snapshot_add_tag:
 * @self: a #PsOrderSnapshot
 * @tag: a tag
 */
void
ps_order_snapshot_add_tag (PsOrderSnapshot *self,
                           const char      *tag)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (tag != NULL);

  g_ptr_array_add (self->tags, g_strdup (tag));
}

/**
 * ps_order_snapshot_add_sku:
 * @self: a #PsOrderSnapshot
 * @sku: the SKU of a line item
 */
void
ps_order_snapshot_add_sku (PsOrderSnapshot *self,
                           const char      *sku)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (sku != NULL);

  g_ptr_array_add (self->skus, g_strdup (sku));
}

/**
 * ps_order_snapshot_add_shipment:
 * @self: a #PsOrderSnapshot
 * @shipment: the values to copy; its strings are copied
 *
 * Appends a (not voided) shipment.
 *
 * Returns: (transfer none): the copy inside @self, valid until the next
 *   shipment is added
 */
PsShipmentSnapshot *
ps_order_snapshot_add_shipment (PsOrderSnapshot          *self,
                                const PsShipmentSnapshot *shipment)
{
  PsShipmentSnapshot copy;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (shipment != NULL, NULL);

  copy = *shipment;
  copy.carrier = g_strdup (shipment->carrier);
  copy.service = g_strdup (shipment->service);
  g_array_append_val (self->shipments, copy);
  return &g_array_index (self->shipments, PsShipmentSnapshot, self->shipments->len - 1);
}

/**
 * ps_order_snapshot_add_return:
 * @self: a #PsOrderSnapshot
 * @reason: the return's reason
 * @requested_at: when it was requested (UTC Unix seconds)
 *
 * Appends a return without items; add their SKUs with
 * ps_order_snapshot_add_return_sku().
 *
 * Returns: (transfer none): the return inside @self, valid until the next
 *   return is added
 */
PsReturnSnapshot *
ps_order_snapshot_add_return (PsOrderSnapshot *self,
                              PsReturnReason   reason,
                              gint64           requested_at)
{
  PsReturnSnapshot ret = { reason, requested_at, NULL };

  g_return_val_if_fail (self != NULL, NULL);

  ret.skus = g_ptr_array_new_with_free_func (g_free);
  g_array_append_val (self->returns, ret);
  return &g_array_index (self->returns, PsReturnSnapshot, self->returns->len - 1);
}

/**
 * ps_order_snapshot_add_return_sku:
 * @ret: a return of a #PsOrderSnapshot
 * @sku: the SKU of a line item it returns
 */
void
ps_order_snapshot_add_return_sku (PsReturnSnapshot *ret,
                                  const char       *sku)
{
  g_return_if_fail (ret != NULL);
  g_return_if_fail (sku != NULL);

  g_ptr_array_add (ret->skus, g_strdup (sku));
}

/**
 * ps_order_snapshot_get_n_shipments:
 * @self: a #PsOrderSnapshot
 *
 * Returns: the number of shipments
 */
guint
ps_order_snapshot_get_n_shipments (const PsOrderSnapshot *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->shipments->len;
}

/**
 * ps_order_snapshot_get_shipment:
 * @self: a #PsOrderSnapshot
 * @index: below ps_order_snapshot_get_n_shipments()
 *
 * Returns: (transfer none): the shipment at @index
 */
const PsShipmentSnapshot *
ps_order_snapshot_get_shipment (const PsOrderSnapshot *self,
                                guint                  index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->shipments->len, NULL);

  return &g_array_index (self->shipments, PsShipmentSnapshot, index);
}
