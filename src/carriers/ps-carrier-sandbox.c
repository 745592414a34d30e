/* ps-carrier-sandbox.c: the built-in, deterministic, offline carrier
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything the sandbox answers is a pure function of its seed, the
 * request and the clock: the same input gives the same rates, tracking
 * numbers and tracking histories on every machine, which is what the demo
 * database and the tests need. What a tracking history needs (service,
 * zone, purchase time, tracking number) is encoded in the carrier shipment
 * id, so tracking works for labels bought in an earlier run too.
 */

#define G_LOG_DOMAIN "ps-carrier-sandbox"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ps-carrier-sandbox.h"
#include "ps-carrier-private.h"
#include "ps-time.h"
#include "ps-tracking-number.h"

#define HOUR ((gint64) 3600)
#define GRAMS_PER_LB 453.59237

typedef struct
{
  const char *carrier;
  const char *carrier_code;
  const char *code;
  const char *name;
  gboolean    international;
  /* Price in cents for 1 lb in zone 1, plus what each further pound, each
   * further zone, and each further pound per further zone adds. */
  gint64      base;
  gint64      per_lb;
  gint64      per_zone;
  gint64      per_lb_zone;
  /* Dimensional weight: cm³ per kg, applied to parcels above dim_min_cm3
   * (USPS prices by size only above one cubic foot). */
  int         dim_divisor;
  int         dim_min_cm3;
  /* Business days in transit per zone 1–8 (international: region 1–4). */
  int         days[8];
} Service;

static const Service services[] = {
  { "USPS", "usps", "usps_ground_advantage", "Ground Advantage", FALSE,
    545, 95, 38, 22, 6000, 28317, { 2, 2, 3, 3, 4, 4, 5, 5 } },
  { "USPS", "usps", "usps_priority", "Priority Mail", FALSE,
    925, 140, 55, 35, 6000, 28317, { 1, 1, 2, 2, 2, 3, 3, 3 } },
  { "USPS", "usps", "usps_priority_express", "Priority Mail Express", FALSE,
    2895, 310, 160, 60, 6000, 28317, { 1, 1, 1, 1, 2, 2, 2, 2 } },
  { "UPS", "ups", "ups_ground", "UPS Ground", FALSE,
    1050, 120, 48, 30, 5000, 0, { 1, 2, 2, 3, 3, 4, 5, 5 } },
  { "UPS", "ups", "ups_2nd_day_air", "UPS 2nd Day Air", FALSE,
    2190, 320, 190, 70, 5000, 0, { 2, 2, 2, 2, 2, 2, 2, 2 } },
  { "UPS", "ups", "ups_next_day_air_saver", "UPS Next Day Air Saver", FALSE,
    4350, 520, 380, 110, 5000, 0, { 1, 1, 1, 1, 1, 1, 1, 1 } },
  { "FedEx", "fedex", "fedex_ground", "FedEx Ground", FALSE,
    1020, 118, 50, 31, 5000, 0, { 1, 2, 2, 3, 3, 4, 5, 5 } },
  { "FedEx", "fedex", "fedex_home_delivery", "FedEx Home Delivery", FALSE,
    1095, 118, 50, 31, 5000, 0, { 1, 2, 2, 3, 3, 4, 5, 5 } },
  { "FedEx", "fedex", "fedex_2day", "FedEx 2Day", FALSE,
    2240, 330, 185, 68, 5000, 0, { 2, 2, 2, 2, 2, 2, 2, 2 } },
  { "DHL", "dhl", "dhl_express_worldwide", "DHL Express Worldwide", TRUE,
    4450, 850, 1200, 200, 5000, 0, { 2, 3, 4, 5, 5, 5, 5, 5 } },
  { "USPS", "usps", "usps_priority_international", "Priority Mail International", TRUE,
    4195, 380, 900, 150, 6000, 28317, { 6, 8, 9, 10, 10, 10, 10, 10 } },
};

/* Sorting hubs named in tracking events. */
static const char * const hubs[][2] = {
  { "Memphis", "TN" }, { "Louisville", "KY" }, { "Indianapolis", "IN" },
  { "Chicago", "IL" }, { "Dallas", "TX" }, { "Atlanta", "GA" },
  { "Denver", "CO" }, { "Oakland", "CA" }, { "Newark", "NJ" },
  { "Kansas City", "MO" },
};

struct _PsCarrierSandbox
{
  GObject         parent_instance;

  guint64         seed;
  gint64          balance;        /* cents; < 0: unlimited */
  guint64         n_bought;

  PsNowFunc       now_func;
  gpointer        now_data;
  GDestroyNotify  now_destroy;

  GHashTable     *by_key;         /* idempotency key -> PsPurchase */
  GHashTable     *by_shipment;    /* carrier shipment id -> PsPurchase */
  GHashTable     *voided;         /* carrier shipment ids */
};

static void ps_carrier_sandbox_iface_init (PsCarrierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsCarrierSandbox, ps_carrier_sandbox, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PS_TYPE_CARRIER,
                                                      ps_carrier_sandbox_iface_init))

enum {
  PROP_0,
  PROP_SEED,
  PROP_BALANCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers */

static guint64
mix (guint64 h)
{
  /* splitmix64's finaliser: every input bit reaches every output bit. */
  h ^= h >> 30;
  h *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  h ^= h >> 27;
  h *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
  h ^= h >> 31;
  return h;
}

static guint64
hash_string (guint64     h,
             const char *s)
{
  for (; s != NULL && *s != '\0'; s++)
    h = (h ^ (guchar) *s) * G_GUINT64_CONSTANT (0x100000001b3);
  return mix (h);
}

static gint64
now (PsCarrierSandbox *self)
{
  return self->now_func ? self->now_func (self->now_data) : ps_time_now ();
}

static const Service *
find_service (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    if (g_strcmp0 (services[i].code, code) == 0)
      return &services[i];
  return NULL;
}

/* International regions, 1–4: neighbours, Europe, Asia-Pacific, the rest. */
static int
international_region (const char *country)
{
  static const char europe[] = "AT BE BG CH CY CZ DE DK EE ES FI FR GB GR HR HU IE IS IT LT "
                               "LU LV MT NL NO PL PT RO SE SI SK";
  static const char asia_pacific[] = "AU CN HK ID IN JP KR MY NZ PH SG TH TW VN";
  char code[3] = { 0 };

  if (country == NULL || strlen (country) != 2)
    return 4;
  code[0] = g_ascii_toupper (country[0]);
  code[1] = g_ascii_toupper (country[1]);
  if (g_str_equal (code, "CA") || g_str_equal (code, "MX"))
    return 1;
  if (strstr (europe, code) != NULL)
    return 2;
  if (strstr (asia_pacific, code) != NULL)
    return 3;
  return 4;
}

static int
request_zone (const PsRateRequest *request)
{
  if (ps_rate_request_is_domestic (request))
    return ps_rate_request_zone (request);
  return international_region (request->ship_to->country);
}

/* The weight the price is computed from, in grams. */
static gint64
billable_grams (const Service  *service,
                const PsParcel *parcel)
{
  gint64 volume_cm3 = parcel->length_mm * parcel->width_mm * parcel->height_mm / 1000;
  gint64 dim_grams;

  if (volume_cm3 <= service->dim_min_cm3)
    return parcel->weight_grams;
  dim_grams = volume_cm3 * 1000 / service->dim_divisor;
  return MAX (parcel->weight_grams, dim_grams);
}

static gint64
service_price (PsCarrierSandbox *self,
               const Service    *service,
               const PsParcel   *parcel,
               int               zone)
{
  gint64 lbs = (gint64) ((billable_grams (service, parcel) + GRAMS_PER_LB - 1) / GRAMS_PER_LB);
  gint64 cents;
  /* The seed moves each service's prices by −3 … +3 %, the same for every
   * weight and zone, so prices still rise with both. */
  gint64 percent = 97 + (gint64) (hash_string (self->seed, service->code) % 7);

  lbs = MAX (lbs, 1);
  cents = service->base + service->per_lb * (lbs - 1) + service->per_zone * (zone - 1)
          + service->per_lb_zone * (lbs - 1) * (zone - 1);
  return (cents * percent + 50) / 100;
}

static gboolean
validate (const PsRateRequest *request,
          GError             **error)
{
  if (!ps_rate_request_validate (request, error))
    return FALSE;
  /* The documented fault for tests and demos: a ZIP code that exists
   * nowhere. */
  if (g_strcmp0 (request->ship_to->postcode, "00000") == 0)
    {
      g_set_error_literal (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_ADDRESS,
                           "The ship-to ZIP code 00000 does not exist: correct the postcode");
      return FALSE;
    }
  if (g_strcmp0 (request->ship_from->postcode, "00000") == 0)
    {
      g_set_error_literal (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_ADDRESS,
                           "The ship-from ZIP code 00000 does not exist: correct it in Preferences");
      return FALSE;
    }
  return TRUE;
}

static PsRate *
make_rate (PsCarrierSandbox    *self,
           const Service       *service,
           const PsRateRequest *request,
           int                  zone)
{
  PsRate *rate = ps_rate_new ();
  gint64 ship_date = request->ship_date > 0 ? request->ship_date : now (self);
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  rate->backend = g_strdup ("sandbox");
  rate->carrier = g_strdup (service->carrier);
  rate->carrier_code = g_strdup (service->carrier_code);
  rate->service_code = g_strdup (service->code);
  rate->service_name = g_strdup (service->name);
  rate->price.minor = service_price (self, service, &request->parcel, zone);
  strcpy (rate->price.currency, "USD");
  rate->transit_days = service->days[zone - 1];
  rate->estimated_delivery = ps_time_add_business_days (ship_date, rate->transit_days, utc);
  rate->rate_ref = g_strdup (service->code);
  return rate;
}

/* The shipment id: "sbx.<service>.<zone>.<purchased_at>.<tracking>". */
static gboolean
parse_shipment_id (const char     *id,
                   const Service **service,
                   int            *zone,
                   gint64         *purchased_at,
                   char          **tracking_number)
{
  g_auto(GStrv) parts = NULL;

  if (id == NULL || !g_str_has_prefix (id, "sbx."))
    return FALSE;
  parts = g_strsplit (id, ".", -1);
  if (g_strv_length (parts) != 5)
    return FALSE;
  *service = find_service (parts[1]);
  *zone = atoi (parts[2]);
  *purchased_at = g_ascii_strtoll (parts[3], NULL, 10);
  if (*service == NULL || *zone < 1 || *zone > 8 || *purchased_at <= 0)
    return FALSE;
  *tracking_number = g_strdup (parts[4]);
  return TRUE;
}

static PsTrackingEvent *
add_event (GPtrArray         *events,
           gint64             time,
           PsTrackingStatus   status,
           PsExceptionReason  reason,
           const char        *description,
           guint64            hub)
{
  PsTrackingEvent *event = ps_tracking_event_new (time, status, reason, description);

  if (hub != G_MAXUINT64)
    {
      event->city = g_strdup (hubs[hub % G_N_ELEMENTS (hubs)][0]);
      event->state = g_strdup (hubs[hub % G_N_ELEMENTS (hubs)][1]);
      event->country = g_strdup ("US");
    }
  g_ptr_array_add (events, event);
  return event;
}

/* The whole planned history of a label, including events in the future;
 * the caller cuts it at "now". Returns the first scan time. */
static gint64
plan_history (const Service    *service,
              int               zone,
              gint64            purchased_at,
              const char       *tracking_number,
              PsTrackingUpdate *plan)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  guint64 h = hash_string (0, tracking_number);
  guint exception = (guint) ((h >> 8) % 100);
  PsExceptionReason reason = PS_EXCEPTION_REASON_NONE;
  gint64 first_scan = purchased_at + HOUR * (gint64) (4 + h % 20);
  gint64 first_day = ps_time_day_start (first_scan, utc);
  int days = service->days[zone - 1];
  int shift = 0;
  gint64 delivery_day, trouble_at = first_scan + 26 * HOUR;
  GPtrArray *events = plan->events;

  /* About one label in eight runs into trouble; customs only abroad. */
  if (service->international && exception >= 88)
    reason = PS_EXCEPTION_REASON_CUSTOMS_HOLD;
  else if (exception < 4)
    reason = PS_EXCEPTION_REASON_DELAY;
  else if (exception < 6)
    reason = PS_EXCEPTION_REASON_WEATHER;
  else if (exception < 8)
    reason = PS_EXCEPTION_REASON_ADDRESS_ISSUE;
  else if (exception < 10)
    reason = PS_EXCEPTION_REASON_FAILED_ATTEMPT;
  else if (exception < 11)
    reason = PS_EXCEPTION_REASON_DAMAGED;
  else if (exception < 12)
    reason = PS_EXCEPTION_REASON_LOST;

  add_event (events, purchased_at, PS_TRACKING_STATUS_PRE_TRANSIT, PS_EXCEPTION_REASON_NONE,
             "Shipping label created, carrier awaiting item", G_MAXUINT64);
  add_event (events, first_scan, PS_TRACKING_STATUS_IN_TRANSIT, PS_EXCEPTION_REASON_NONE,
             "Accepted at origin facility", h >> 3);

  switch (reason)
    {
    case PS_EXCEPTION_REASON_DELAY:
      add_event (events, trouble_at, PS_TRACKING_STATUS_EXCEPTION, reason,
                 "Delayed in transit: the parcel missed its connection", h >> 5);
      shift = 2;
      break;
    case PS_EXCEPTION_REASON_WEATHER:
      add_event (events, trouble_at, PS_TRACKING_STATUS_EXCEPTION, reason,
                 "Delayed by severe weather", h >> 5);
      shift = 1;
      break;
    case PS_EXCEPTION_REASON_DAMAGED:
      add_event (events, trouble_at, PS_TRACKING_STATUS_EXCEPTION, reason,
                 "Damaged in transit; repackaged at the facility", h >> 5);
      shift = 1;
      break;
    case PS_EXCEPTION_REASON_CUSTOMS_HOLD:
      add_event (events, trouble_at, PS_TRACKING_STATUS_EXCEPTION, reason,
                 "Held by customs: documents under review", G_MAXUINT64);
      shift = 2;
      break;
    case PS_EXCEPTION_REASON_NONE:
    case PS_EXCEPTION_REASON_ADDRESS_ISSUE:
    case PS_EXCEPTION_REASON_FAILED_ATTEMPT:
    case PS_EXCEPTION_REASON_LOST:
    case PS_EXCEPTION_REASON_REFUSED:
    case PS_EXCEPTION_REASON_LATE_HANDOFF:
    case PS_EXCEPTION_REASON_OTHER:
    default:
      break;
    }

  delivery_day = ps_time_day_start (ps_time_add_business_days (first_day + 12 * HOUR,
                                                               days + shift, utc), utc);
  plan->estimated_delivery = delivery_day + 20 * HOUR;

  /* A scan on each business day between the first scan and delivery; the
   * first of them also ends a mid-transit exception. */
  for (int i = 1; i < days + shift; i++)
    {
      gint64 day = ps_time_day_start (ps_time_add_business_days (first_day + 12 * HOUR, i, utc),
                                      utc);
      gint64 t = day + HOUR * (gint64) (2 + (h >> i) % 5);

      if (reason == PS_EXCEPTION_REASON_LOST && i > 1)
        break;
      /* After a mid-transit exception the next scans come after it. */
      if (shift > 0)
        t = MAX (t, trouble_at + (20 + i) * HOUR);
      if (t >= delivery_day)
        break;
      add_event (events, t, PS_TRACKING_STATUS_IN_TRANSIT, PS_EXCEPTION_REASON_NONE,
                 reason == PS_EXCEPTION_REASON_CUSTOMS_HOLD && i == 1
                 ? "Released by customs" : (i % 2 ? "Departed sorting facility"
                                                  : "Arrived at sorting facility"),
                 reason == PS_EXCEPTION_REASON_CUSTOMS_HOLD ? G_MAXUINT64 : h >> (i + 7));
    }

  if (reason == PS_EXCEPTION_REASON_LOST)
    {
      add_event (events, delivery_day + 5 * 24 * HOUR, PS_TRACKING_STATUS_EXCEPTION, reason,
                 "The parcel cannot be located; a trace has been opened", G_MAXUINT64);
      return first_scan;
    }

  add_event (events, delivery_day + 8 * HOUR + (gint64) (h % 60) * 60,
             PS_TRACKING_STATUS_OUT_FOR_DELIVERY, PS_EXCEPTION_REASON_NONE,
             "Out for delivery", G_MAXUINT64);

  if (reason == PS_EXCEPTION_REASON_ADDRESS_ISSUE)
    {
      add_event (events, delivery_day + 13 * HOUR, PS_TRACKING_STATUS_EXCEPTION, reason,
                 "Undeliverable as addressed: the address is incomplete; contact the carrier",
                 G_MAXUINT64);
      return first_scan;
    }
  if (reason == PS_EXCEPTION_REASON_FAILED_ATTEMPT)
    {
      gint64 retry_day = ps_time_day_start (ps_time_add_business_days (delivery_day + 12 * HOUR,
                                                                       1, utc), utc);

      add_event (events, delivery_day + 15 * HOUR, PS_TRACKING_STATUS_EXCEPTION, reason,
                 "Delivery attempted: no one available to sign", G_MAXUINT64);
      add_event (events, retry_day + 8 * HOUR, PS_TRACKING_STATUS_OUT_FOR_DELIVERY,
                 PS_EXCEPTION_REASON_NONE, "Out for delivery", G_MAXUINT64);
      delivery_day = retry_day;
      plan->estimated_delivery = retry_day + 20 * HOUR;
    }

  add_event (events, delivery_day + HOUR * (gint64) (11 + (h >> 16) % 6),
             PS_TRACKING_STATUS_DELIVERED, PS_EXCEPTION_REASON_NONE, "Delivered", G_MAXUINT64);
  return first_scan;
}

static const char *
shipment_for_tracking (PsCarrierSandbox *self,
                       const char       *tracking_number)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->by_shipment);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (((PsPurchase *) value)->tracking_number, tracking_number) == 0)
      return key;
  return NULL;
}

/* Resolves what a void or a track names to a planned history. */
static gboolean
resolve (PsCarrierSandbox  *self,
         const char        *tracking_number,
         const char        *carrier_shipment_id,
         const char       **shipment_out,
         PsTrackingUpdate **plan_out,
         gint64            *first_scan_out,
         GError           **error)
{
  const Service *service;
  int zone;
  gint64 purchased_at;
  g_autofree char *number = NULL;
  g_autoptr(PsTrackingUpdate) plan = NULL;

  if (carrier_shipment_id == NULL && tracking_number != NULL)
    carrier_shipment_id = shipment_for_tracking (self, tracking_number);

  if (!parse_shipment_id (carrier_shipment_id, &service, &zone, &purchased_at, &number)
      || (tracking_number != NULL && g_strcmp0 (tracking_number, number) != 0))
    {
      g_set_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_FOUND,
                   "The sandbox has no label %s: check the tracking number",
                   tracking_number ? tracking_number : carrier_shipment_id);
      return FALSE;
    }

  plan = ps_tracking_update_new (number);
  *first_scan_out = plan_history (service, zone, purchased_at, number, plan);
  *shipment_out = carrier_shipment_id;
  *plan_out = g_steal_pointer (&plan);
  return TRUE;
}

/* PsCarrier */

static const char *
ps_carrier_sandbox_get_id (PsCarrier *carrier)
{
  return "sandbox";
}

static const char *
ps_carrier_sandbox_get_display_name (PsCarrier *carrier)
{
  return "Sandbox";
}

static PsCarrierCapabilities
ps_carrier_sandbox_get_capabilities (PsCarrier *carrier)
{
  return PS_CARRIER_CAN_RATE | PS_CARRIER_CAN_BUY | PS_CARRIER_CAN_VOID
         | PS_CARRIER_CAN_TRACK | PS_CARRIER_WORKS_OFFLINE;
}

static void
ps_carrier_sandbox_quote_rates_async (PsCarrier           *carrier,
                                      const PsRateRequest *request,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  PsCarrierSandbox *self = PS_CARRIER_SANDBOX (carrier);
  g_autoptr(GTask) task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                    ps_carrier_quote_rates_async);
  g_autoptr(GPtrArray) rates = NULL;
  GError *error = NULL;
  gboolean domestic;
  int zone;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!validate (request, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  domestic = ps_rate_request_is_domestic (request);
  zone = request_zone (request);
  rates = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_rate_free);
  for (guint i = 0; i < G_N_ELEMENTS (services); i++)
    if (services[i].international == !domestic)
      g_ptr_array_add (rates, make_rate (self, &services[i], request, zone));
  g_ptr_array_sort (rates, ps_rate_compare_price);

  g_task_return_pointer (task, g_steal_pointer (&rates), (GDestroyNotify) g_ptr_array_unref);
}

static char *
format_cents (gint64 cents)
{
  return g_strdup_printf ("$%" G_GINT64_FORMAT ".%02d", cents / 100, (int) ABS (cents % 100));
}

static void
ps_carrier_sandbox_buy_label_async (PsCarrier           *carrier,
                                    const PsRateRequest *request,
                                    const PsRate        *rate,
                                    PsLabelFormat        format,
                                    const char          *idempotency_key,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  PsCarrierSandbox *self = PS_CARRIER_SANDBOX (carrier);
  g_autoptr(GTask) task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                    ps_carrier_buy_label_async);
  g_autoptr(PsRate) quoted = NULL;
  g_autoptr(PsPurchase) purchase = NULL;
  const Service *service;
  PsPurchase *known;
  GError *error = NULL;
  guint64 serial;
  int zone;

  if (g_task_return_error_if_cancelled (task))
    return;

  /* A repeated buy with the same key is the first one, not a second label. */
  known = idempotency_key ? g_hash_table_lookup (self->by_key, idempotency_key) : NULL;
  if (known != NULL)
    {
      g_task_return_pointer (task, ps_purchase_copy (known), (GDestroyNotify) ps_purchase_free);
      return;
    }

  if (!validate (request, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  service = find_service (rate->service_code);
  if (service == NULL || service->international == ps_rate_request_is_domestic (request))
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_UNSUPPORTED_SERVICE,
                               "The sandbox service \"%s\" does not serve %s: pick another rate",
                               rate->service_code,
                               ps_rate_request_is_domestic (request) ? "domestic shipments"
                                                                     : "this destination");
      return;
    }

  zone = request_zone (request);
  quoted = make_rate (self, service, request, zone);
  if (self->balance >= 0 && quoted->price.minor > self->balance)
    {
      g_autofree char *balance = format_cents (self->balance);
      g_autofree char *price = format_cents (quoted->price.minor);

      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INSUFFICIENT_FUNDS,
                               "The sandbox account balance is %s and the label costs %s: "
                               "add funds to the account", balance, price);
      return;
    }

  serial = idempotency_key ? hash_string (self->seed, idempotency_key)
                           : mix (self->seed ^ mix (++self->n_bought));
  purchase = ps_purchase_new ();
  purchase->tracking_number =
    ps_tracking_number_make (ps_tracking_format_for_carrier (service->carrier_code), serial);
  purchase->purchased_at = now (self);
  purchase->carrier_shipment_id = g_strdup_printf ("sbx.%s.%d.%" G_GINT64_FORMAT ".%s",
                                                   service->code, zone, purchase->purchased_at,
                                                   purchase->tracking_number);
  purchase->carrier = g_strdup (service->carrier);
  purchase->service_code = g_strdup (service->code);
  purchase->price = quoted->price;
  purchase->label = NULL;
  purchase->label_format = format;
  purchase->tracking_carrier = g_strdup (service->carrier_code);

  if (self->balance >= 0)
    self->balance -= purchase->price.minor;
  if (idempotency_key != NULL)
    g_hash_table_insert (self->by_key, g_strdup (idempotency_key), ps_purchase_copy (purchase));
  g_hash_table_insert (self->by_shipment, g_strdup (purchase->carrier_shipment_id),
                       ps_purchase_copy (purchase));

  g_task_return_pointer (task, g_steal_pointer (&purchase), (GDestroyNotify) ps_purchase_free);
}

static void
ps_carrier_sandbox_lookup_purchase_async (PsCarrier           *carrier,
                                          const char          *carrier_shipment_id,
                                          const char          *idempotency_key,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  PsCarrierSandbox *self = PS_CARRIER_SANDBOX (carrier);
  g_autoptr(GTask) task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                    ps_carrier_lookup_purchase_async);
  PsPurchase *known = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (idempotency_key != NULL)
    known = g_hash_table_lookup (self->by_key, idempotency_key);
  if (known == NULL && carrier_shipment_id != NULL)
    known = g_hash_table_lookup (self->by_shipment, carrier_shipment_id);

  g_task_return_pointer (task, known ? ps_purchase_copy (known) : NULL,
                         (GDestroyNotify) ps_purchase_free);
}

static void
ps_carrier_sandbox_void_label_async (PsCarrier           *carrier,
                                     const char          *carrier_shipment_id,
                                     const char          *tracking_number,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  PsCarrierSandbox *self = PS_CARRIER_SANDBOX (carrier);
  g_autoptr(GTask) task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                    ps_carrier_void_label_async);
  g_autoptr(PsTrackingUpdate) plan = NULL;
  const char *shipment;
  gint64 first_scan;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!resolve (self, tracking_number, carrier_shipment_id, &shipment, &plan, &first_scan,
                &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (now (self) >= first_scan && !g_hash_table_contains (self->voided, shipment))
    {
      g_autoptr(GDateTime) scanned = g_date_time_new_from_unix_utc (first_scan);
      g_autofree char *when = g_date_time_format_iso8601 (scanned);

      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_VOID_REFUSED,
                               "Label %s was scanned by the carrier at %s and is in transit: "
                               "it can no longer be voided", plan->tracking_number, when);
      return;
    }

  g_hash_table_add (self->voided, g_strdup (shipment));
  g_task_return_boolean (task, TRUE);
}

static void
ps_carrier_sandbox_track_async (PsCarrier           *carrier,
                                const char          *tracking_number,
                                const char          *carrier_shipment_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  PsCarrierSandbox *self = PS_CARRIER_SANDBOX (carrier);
  g_autoptr(GTask) task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                    ps_carrier_track_async);
  PsTrackingUpdate *update;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  update = ps_carrier_sandbox_track_at (self, tracking_number, carrier_shipment_id, now (self),
                                        &error);
  if (update == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, update, (GDestroyNotify) ps_tracking_update_free);
}

static void
ps_carrier_sandbox_iface_init (PsCarrierInterface *iface)
{
  iface->get_id = ps_carrier_sandbox_get_id;
  iface->get_display_name = ps_carrier_sandbox_get_display_name;
  iface->get_capabilities = ps_carrier_sandbox_get_capabilities;
  iface->quote_rates_async = ps_carrier_sandbox_quote_rates_async;
  iface->buy_label_async = ps_carrier_sandbox_buy_label_async;
  iface->lookup_purchase_async = ps_carrier_sandbox_lookup_purchase_async;
  iface->void_label_async = ps_carrier_sandbox_void_label_async;
  iface->track_async = ps_carrier_sandbox_track_async;
}

/* GObject */

static void
ps_carrier_sandbox_finalize (GObject *object)
{
  PsCarrierSandbox *self = PS_CARRIER_SANDBOX (object);

  if (self->now_destroy != NULL)
    self->now_destroy (self->now_data);
  g_clear_pointer (&self->by_key, g_hash_table_unref);
  g_clear_pointer (&self->by_shipment, g_hash_table_unref);
  g_clear_pointer (&self->voided, g_hash_table_unref);

  G_OBJECT_CLASS (ps_carrier_sandbox_parent_class)->finalize (object);
}

static void
ps_carrier_sandbox_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PsCarrierSandbox *self = PS_CARRIER_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_SEED:
      g_value_set_uint64 (value, self->seed);
      break;
    case PROP_BALANCE:
      g_value_set_int64 (value, self->balance);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_carrier_sandbox_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PsCarrierSandbox *self = PS_CARRIER_SANDBOX (object);

  switch (prop_id)
    {
    case PROP_SEED:
      self->seed = g_value_get_uint64 (value);
      break;
    case PROP_BALANCE:
      ps_carrier_sandbox_set_balance (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_carrier_sandbox_class_init (PsCarrierSandboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ps_carrier_sandbox_finalize;
  object_class->get_property = ps_carrier_sandbox_get_property;
  object_class->set_property = ps_carrier_sandbox_set_property;

  /**
   * PsCarrierSandbox:seed:
   *
   * Varies prices (±3 % per service) and tracking numbers; the same seed
   * always gives the same answers.
   */
  properties[PROP_SEED] =
    g_param_spec_uint64 ("seed", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PsCarrierSandbox:balance:
   *
   * The account balance in cents that purchases draw from; -1 (the
   * default) for unlimited. A label above it fails with
   * %PS_CARRIER_ERROR_INSUFFICIENT_FUNDS.
   */
  properties[PROP_BALANCE] =
    g_param_spec_int64 ("balance", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ps_carrier_sandbox_init (PsCarrierSandbox *self)
{
  self->balance = -1;
  self->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) ps_purchase_free);
  self->by_shipment = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) ps_purchase_free);
  self->voided = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Public API */

/**
 * ps_carrier_sandbox_new:
 * @seed: varies prices and tracking numbers deterministically
 *
 * Returns: (transfer full): a sandbox carrier with unlimited balance and
 *   the real clock
 */
PsCarrierSandbox *
ps_carrier_sandbox_new (guint64 seed)
{
  return g_object_new (PS_TYPE_CARRIER_SANDBOX, "seed", seed, NULL);
}

/**
 * ps_carrier_sandbox_new_from_settings:
 * @settings: (nullable): `{"seed": N, "balance_minor": N}`, both optional
 *
 * Returns: (transfer full): a sandbox carrier
 */
PsCarrierSandbox *
ps_carrier_sandbox_new_from_settings (JsonObject *settings)
{
  guint64 seed = 0;
  gint64 balance = -1;

  if (settings != NULL)
    {
      seed = (guint64) json_object_get_int_member_with_default (settings, "seed", 0);
      balance = json_object_get_int_member_with_default (settings, "balance_minor", -1);
    }
  return g_object_new (PS_TYPE_CARRIER_SANDBOX, "seed", seed, "balance", MAX (balance, -1),
                       NULL);
}

/**
 * ps_carrier_sandbox_set_now_func:
 * @self: a sandbox
 * @func: (nullable): the clock; %NULL for the real one
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data
 *
 * Sets the clock that purchase times, voids and tracking progress use.
 */
void
ps_carrier_sandbox_set_now_func (PsCarrierSandbox *self,
                                 PsNowFunc         func,
                                 gpointer          user_data,
                                 GDestroyNotify    destroy)
{
  g_return_if_fail (PS_IS_CARRIER_SANDBOX (self));

  if (self->now_destroy != NULL)
    self->now_destroy (self->now_data);
  self->now_func = func;
  self->now_data = user_data;
  self->now_destroy = destroy;
}

/**
 * ps_carrier_sandbox_set_balance:
 * @self: a sandbox
 * @balance_minor: cents, or -1 for unlimited
 */
void
ps_carrier_sandbox_set_balance (PsCarrierSandbox *self,
                                gint64            balance_minor)
{
  g_return_if_fail (PS_IS_CARRIER_SANDBOX (self));
  g_return_if_fail (balance_minor >= -1);

  if (self->balance == balance_minor)
    return;
  self->balance = balance_minor;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BALANCE]);
}

/**
 * ps_carrier_sandbox_get_balance:
 * @self: a sandbox
 *
 * Returns: the balance in cents, -1 for unlimited
 */
gint64
ps_carrier_sandbox_get_balance (PsCarrierSandbox *self)
{
  g_return_val_if_fail (PS_IS_CARRIER_SANDBOX (self), -1);
  return self->balance;
}

/**
 * ps_carrier_sandbox_track_at:
 * @self: a sandbox
 * @tracking_number: (nullable): the tracking number
 * @carrier_shipment_id: (nullable): the shipment id of the purchase; enough
 *   on its own, needed for labels bought by another sandbox instance
 * @at: the time to report the state at, UTC Unix seconds
 * @error: %PS_CARRIER_ERROR_NOT_FOUND for a label the sandbox never sold
 *
 * The synchronous core of tracking, for the demo generator and tests:
 * the events up to @now of the label's planned history. Histories move
 * pre_transit → in_transit (first scan 4–23 hours after purchase) →
 * out_for_delivery → delivered, with about one label in eight meeting a
 * delay, weather, an address issue, a failed attempt, damage, loss or
 * (abroad) a customs hold, chosen by a hash of the tracking number.
 *
 * Returns: (transfer full) (nullable): the state at @now
 */
PsTrackingUpdate *
ps_carrier_sandbox_track_at (PsCarrierSandbox  *self,
                             const char        *tracking_number,
                             const char        *carrier_shipment_id,
                             gint64             at,
                             GError           **error)
{
  g_autoptr(PsTrackingUpdate) plan = NULL;
  PsTrackingUpdate *update;
  const char *shipment;
  gint64 first_scan;

  g_return_val_if_fail (PS_IS_CARRIER_SANDBOX (self), NULL);
  g_return_val_if_fail (tracking_number != NULL || carrier_shipment_id != NULL, NULL);

  if (!resolve (self, tracking_number, carrier_shipment_id, &shipment, &plan, &first_scan,
                error))
    return NULL;

  update = ps_tracking_update_new (plan->tracking_number);
  update->estimated_delivery = plan->estimated_delivery;
  ps_tracking_update_sort (plan);
  for (guint i = 0; i < plan->events->len; i++)
    {
      PsTrackingEvent *event = g_ptr_array_index (plan->events, i);

      if (event->time > at)
        break;
      g_ptr_array_add (update->events, ps_tracking_event_copy (event));
    }

  if (g_hash_table_contains (self->voided, shipment) && update->events->len > 0)
    {
      PsTrackingEvent *first = g_ptr_array_index (update->events, 0);

      g_ptr_array_set_size (update->events, 1);
      g_ptr_array_add (update->events,
                       ps_tracking_event_new (first->time, PS_TRACKING_STATUS_CANCELLED,
                                              PS_EXCEPTION_REASON_NONE, "Label voided"));
      update->estimated_delivery = 0;
    }

  if (update->events->len > 0)
    {
      PsTrackingEvent *last = g_ptr_array_index (update->events, update->events->len - 1);

      update->status = last->status;
      update->reason = last->status == PS_TRACKING_STATUS_EXCEPTION ? last->reason
                                                                     : PS_EXCEPTION_REASON_NONE;
    }
  else
    update->status = PS_TRACKING_STATUS_UNKNOWN;

  return update;
}
