/* ps-order.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PsOrder starts as a stub that knows only its id (loaded = FALSE) so a
 * list model can hand one out without touching SQL; the store fills it
 * later with ps_order_apply_row(), on the main thread, and the changed
 * properties notify so bound list rows update in place.
 */

#define G_LOG_DOMAIN "ps-order"

#include "config.h"

#include <string.h>

#include "ps-enum-types.h"
#include "ps-order.h"

struct _PsOrder
{
  GObject    parent_instance;

  gboolean   loaded;
  PsOrderRow row;
};

G_DEFINE_FINAL_TYPE (PsOrder, ps_order, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LOADED,
  PROP_ORDER_NUMBER,
  PROP_CHANNEL_NAME,
  PROP_CHANNEL_KIND,
  PROP_CUSTOMER_NAME,
  PROP_CUSTOMER_EMAIL,
  PROP_STATUS,
  PROP_CREATED_AT,
  PROP_ITEM_COUNT,
  PROP_TOTAL_MINOR,
  PROP_CURRENCY,
  PROP_SHIP_CITY,
  PROP_SHIP_STATE,
  PROP_SHIP_COUNTRY,
  PROP_CARRIER,
  PROP_SERVICE,
  PROP_TRACKING_STATUS,
  PROP_ADDRESS_ISSUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
ps_order_row_clear (PsOrderRow *row)
{
  g_clear_pointer (&row->order_number, g_free);
  g_clear_pointer (&row->channel_name, g_free);
  g_clear_pointer (&row->customer_name, g_free);
  g_clear_pointer (&row->customer_email, g_free);
  g_clear_pointer (&row->ship_city, g_free);
  g_clear_pointer (&row->ship_state, g_free);
  g_clear_pointer (&row->ship_country, g_free);
  g_clear_pointer (&row->carrier, g_free);
  g_clear_pointer (&row->service, g_free);
}

void
ps_order_row_free (PsOrderRow *row)
{
  if (row == NULL)
    return;
  ps_order_row_clear (row);
  g_free (row);
}

static void
ps_order_finalize (GObject *object)
{
  PsOrder *self = (PsOrder *)object;

  ps_order_row_clear (&self->row);

  G_OBJECT_CLASS (ps_order_parent_class)->finalize (object);
}

static void
ps_order_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  PsOrder *self = PS_ORDER (object);

  switch (prop_id)
    {
    case PROP_ID:              g_value_set_int64 (value, self->row.id); break;
    case PROP_LOADED:          g_value_set_boolean (value, self->loaded); break;
    case PROP_ORDER_NUMBER:    g_value_set_string (value, self->row.order_number); break;
    case PROP_CHANNEL_NAME:    g_value_set_string (value, self->row.channel_name); break;
    case PROP_CHANNEL_KIND:    g_value_set_enum (value, self->row.channel_kind); break;
    case PROP_CUSTOMER_NAME:   g_value_set_string (value, self->row.customer_name); break;
    case PROP_CUSTOMER_EMAIL:  g_value_set_string (value, self->row.customer_email); break;
    case PROP_STATUS:          g_value_set_enum (value, self->row.status); break;
    case PROP_CREATED_AT:      g_value_set_int64 (value, self->row.created_at); break;
    case PROP_ITEM_COUNT:      g_value_set_int (value, self->row.item_count); break;
    case PROP_TOTAL_MINOR:     g_value_set_int64 (value, self->row.total_minor); break;
    case PROP_CURRENCY:        g_value_set_string (value, ps_order_get_currency (self)); break;
    case PROP_SHIP_CITY:       g_value_set_string (value, self->row.ship_city); break;
    case PROP_SHIP_STATE:      g_value_set_string (value, self->row.ship_state); break;
    case PROP_SHIP_COUNTRY:    g_value_set_string (value, self->row.ship_country); break;
    case PROP_CARRIER:         g_value_set_string (value, self->row.carrier); break;
    case PROP_SERVICE:         g_value_set_string (value, self->row.service); break;
    case PROP_TRACKING_STATUS: g_value_set_enum (value, self->row.tracking_status); break;
    case PROP_ADDRESS_ISSUE:   g_value_set_boolean (value, self->row.address_issue); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_order_class_init (PsOrderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = ps_order_finalize;
  object_class->get_property = ps_order_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  properties[PROP_ORDER_NUMBER] = g_param_spec_string ("order-number", NULL, NULL, NULL, flags);
  properties[PROP_CHANNEL_NAME] = g_param_spec_string ("channel-name", NULL, NULL, NULL, flags);
  properties[PROP_CHANNEL_KIND] =
    g_param_spec_enum ("channel-kind", NULL, NULL, PS_TYPE_CHANNEL_KIND,
                       PS_CHANNEL_KIND_MANUAL, flags);
  properties[PROP_CUSTOMER_NAME] = g_param_spec_string ("customer-name", NULL, NULL, NULL, flags);
  properties[PROP_CUSTOMER_EMAIL] = g_param_spec_string ("customer-email", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, PS_TYPE_ORDER_STATUS,
                       PS_ORDER_STATUS_AWAITING_SHIPMENT, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ITEM_COUNT] = g_param_spec_int ("item-count", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_TOTAL_MINOR] =
    g_param_spec_int64 ("total-minor", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_CURRENCY] = g_param_spec_string ("currency", NULL, NULL, NULL, flags);
  properties[PROP_SHIP_CITY] = g_param_spec_string ("ship-city", NULL, NULL, NULL, flags);
  properties[PROP_SHIP_STATE] = g_param_spec_string ("ship-state", NULL, NULL, NULL, flags);
  properties[PROP_SHIP_COUNTRY] = g_param_spec_string ("ship-country", NULL, NULL, NULL, flags);
  properties[PROP_CARRIER] = g_param_spec_string ("carrier", NULL, NULL, NULL, flags);
  properties[PROP_SERVICE] = g_param_spec_string ("service", NULL, NULL, NULL, flags);
  properties[PROP_TRACKING_STATUS] =
    g_param_spec_enum ("tracking-status", NULL, NULL, PS_TYPE_TRACKING_STATUS,
                       PS_TRACKING_STATUS_UNKNOWN, flags);
  properties[PROP_ADDRESS_ISSUE] = g_param_spec_boolean ("address-issue", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ps_order_init (PsOrder *self)
{
  self->row.status = PS_ORDER_STATUS_AWAITING_SHIPMENT;
  self->row.channel_kind = PS_CHANNEL_KIND_MANUAL;
}

/**
 * ps_order_new_stub:
 * @id: the order's database id
 *
 * Returns: (transfer full): an order that knows only its id; #PsOrder:loaded
 *   is %FALSE until the store applies its row.
 */
PsOrder *
ps_order_new_stub (gint64 id)
{
  PsOrder *self = g_object_new (PS_TYPE_ORDER, NULL);

  self->row.id = id;
  return self;
}

static gboolean
str_changed (char       **field,
             const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

/**
 * ps_order_apply_row:
 * @self: a #PsOrder
 * @row: a row read for the same id
 *
 * Copies @row into @self and notifies each property whose value changed.
 * Must be called on the main thread.
 */
void
ps_order_apply_row (PsOrder          *self,
                    const PsOrderRow *row)
{
  GObject *object = G_OBJECT (self);

  g_return_if_fail (PS_IS_ORDER (self));
  g_return_if_fail (row != NULL);
  g_return_if_fail (row->id == self->row.id);

  g_object_freeze_notify (object);

#define NOTIFY(p) g_object_notify_by_pspec (object, properties[p])
#define SET_STR(field, p) if (str_changed (&self->row.field, row->field)) NOTIFY (p)
#define SET_VAL(field, p) if (self->row.field != row->field) { self->row.field = row->field; NOTIFY (p); }

  SET_STR (order_number, PROP_ORDER_NUMBER);
  SET_STR (channel_name, PROP_CHANNEL_NAME);
  SET_VAL (channel_kind, PROP_CHANNEL_KIND);
  SET_STR (customer_name, PROP_CUSTOMER_NAME);
  SET_STR (customer_email, PROP_CUSTOMER_EMAIL);
  SET_VAL (status, PROP_STATUS);
  SET_VAL (created_at, PROP_CREATED_AT);
  SET_VAL (item_count, PROP_ITEM_COUNT);
  SET_VAL (total_minor, PROP_TOTAL_MINOR);
  if (strncmp (self->row.currency, row->currency, sizeof row->currency) != 0)
    {
      memcpy (self->row.currency, row->currency, sizeof row->currency);
      self->row.currency[3] = '\0';
      NOTIFY (PROP_CURRENCY);
    }
  SET_STR (ship_city, PROP_SHIP_CITY);
  SET_STR (ship_state, PROP_SHIP_STATE);
  SET_STR (ship_country, PROP_SHIP_COUNTRY);
  SET_STR (carrier, PROP_CARRIER);
  SET_STR (service, PROP_SERVICE);
  SET_VAL (tracking_status, PROP_TRACKING_STATUS);
  SET_VAL (address_issue, PROP_ADDRESS_ISSUE);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      NOTIFY (PROP_LOADED);
    }

#undef SET_VAL
#undef SET_STR
#undef NOTIFY

  g_object_thaw_notify (object);
}

gint64 ps_order_get_id (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), 0); return self->row.id; }
gboolean ps_order_get_loaded (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), FALSE); return self->loaded; }
const char *ps_order_get_order_number (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), NULL); return self->row.order_number; }
const char *ps_order_get_channel_name (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), NULL); return self->row.channel_name; }
PsChannelKind ps_order_get_channel_kind (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), 0); return self->row.channel_kind; }
const char *ps_order_get_customer_name (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), NULL); return self->row.customer_name; }
const char *ps_order_get_customer_email (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), NULL); return self->row.customer_email; }
PsOrderStatus ps_order_get_status (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), 0); return self->row.status; }
gint64 ps_order_get_created_at (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), 0); return self->row.created_at; }
int ps_order_get_item_count (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), 0); return self->row.item_count; }
gint64 ps_order_get_total_minor (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), 0); return self->row.total_minor; }
const char *ps_order_get_currency (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), NULL); return self->row.currency[0] ? self->row.currency : NULL; }
const char *ps_order_get_ship_city (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), NULL); return self->row.ship_city; }
const char *ps_order_get_ship_state (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), NULL); return self->row.ship_state; }
const char *ps_order_get_ship_country (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), NULL); return self->row.ship_country; }
const char *ps_order_get_carrier (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), NULL); return self->row.carrier; }
const char *ps_order_get_service (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), NULL); return self->row.service; }
PsTrackingStatus ps_order_get_tracking_status (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), 0); return self->row.tracking_status; }
gboolean ps_order_get_address_issue (PsOrder *self) { g_return_val_if_fail (PS_IS_ORDER (self), FALSE); return self->row.address_issue; }
