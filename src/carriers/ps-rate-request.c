/* ps-rate-request.c: what a carrier is asked to quote and buy
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ps-rate-request"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ps-carrier.h"
#include "ps-rate-request.h"

G_DEFINE_BOXED_TYPE (PsRateRequest, ps_rate_request, ps_rate_request_copy, ps_rate_request_free)

/* Carriers reject parcels above this (USPS 70 lb, UPS/FedEx 150 lb). */
#define MAX_WEIGHT_GRAMS ((gint64) 68000)

static gboolean
is_blank (const char *s)
{
  if (s == NULL)
    return TRUE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

/* Checks the fields every carrier needs; @role is "ship-from" or "ship-to". */
static gboolean
validate_address (const PsAddress *address,
                  const char      *role,
                  GError         **error)
{
  if (address == NULL)
    {
      g_set_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_ADDRESS,
                   "The %s address is missing", role);
      return FALSE;
    }
  if (is_blank (address->line1))
    {
      g_set_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_ADDRESS,
                   "The %s address has no street (line 1)", role);
      return FALSE;
    }
  if (is_blank (address->city))
    {
      g_set_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_ADDRESS,
                   "The %s address has no city", role);
      return FALSE;
    }
  if (is_blank (address->country) || strlen (address->country) != 2)
    {
      g_set_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_ADDRESS,
                   "The %s address has no two-letter country code", role);
      return FALSE;
    }
  if (g_ascii_strcasecmp (address->country, "US") == 0)
    {
      const char *zip = address->postcode;

      if (is_blank (zip) || strlen (zip) < 5 || !g_ascii_isdigit (zip[0]) || !g_ascii_isdigit (zip[1])
          || !g_ascii_isdigit (zip[2]) || !g_ascii_isdigit (zip[3]) || !g_ascii_isdigit (zip[4]))
        {
          g_set_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_ADDRESS,
                       "The %s address needs a 5-digit ZIP code (postcode)", role);
          return FALSE;
        }
      if (is_blank (address->state))
        {
          g_set_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_ADDRESS,
                       "The %s address needs a state", role);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * ps_rate_request_new:
 * @ship_from: the sender
 * @ship_to: the recipient
 * @parcel: the parcel
 *
 * Returns: (transfer full): a request holding copies of the arguments,
 *   shipping today
 */
PsRateRequest *
ps_rate_request_new (const PsAddress *ship_from,
                     const PsAddress *ship_to,
                     const PsParcel  *parcel)
{
  PsRateRequest *self = g_new0 (PsRateRequest, 1);

  g_return_val_if_fail (parcel != NULL, self);

  self->ship_from = ship_from ? ps_address_copy (ship_from) : NULL;
  self->ship_to = ship_to ? ps_address_copy (ship_to) : NULL;
  self->parcel = *parcel;
  return self;
}

PsRateRequest *
ps_rate_request_copy (const PsRateRequest *self)
{
  PsRateRequest *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ps_rate_request_new (self->ship_from, self->ship_to, &self->parcel);
  copy->ship_date = self->ship_date;
  copy->reference = g_strdup (self->reference);
  return copy;
}

void
ps_rate_request_free (PsRateRequest *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->ship_from, ps_address_free);
  g_clear_pointer (&self->ship_to, ps_address_free);
  g_free (self->reference);
  g_free (self);
}

/**
 * ps_rate_request_validate:
 * @self: a request
 * @error: where to put the first problem
 *
 * The checks every backend makes before it quotes or buys, so a merchant
 * hears about a missing street or a zero weight before any money moves.
 * Each message names the field to fix.
 *
 * Returns: %TRUE if the request can be quoted
 */
gboolean
ps_rate_request_validate (const PsRateRequest *self,
                          GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!validate_address (self->ship_from, "ship-from", error)
      || !validate_address (self->ship_to, "ship-to", error))
    return FALSE;

  if (self->parcel.weight_grams <= 0)
    {
      g_set_error_literal (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_PARCEL,
                           "The parcel weight is zero: weigh the parcel and enter its weight");
      return FALSE;
    }
  if (self->parcel.weight_grams > MAX_WEIGHT_GRAMS)
    {
      g_set_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_PARCEL,
                   "The parcel weighs %" G_GINT64_FORMAT " g; carriers take at most %"
                   G_GINT64_FORMAT " g: split the shipment",
                   self->parcel.weight_grams, MAX_WEIGHT_GRAMS);
      return FALSE;
    }
  if (self->parcel.length_mm < 0 || self->parcel.width_mm < 0 || self->parcel.height_mm < 0)
    {
      g_set_error_literal (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INVALID_PARCEL,
                           "The parcel dimensions cannot be negative");
      return FALSE;
    }
  return TRUE;
}

/**
 * ps_rate_request_is_domestic:
 * @self: a valid request
 *
 * Returns: %TRUE when ship-from and ship-to are in the same country
 */
gboolean
ps_rate_request_is_domestic (const PsRateRequest *self)
{
  g_return_val_if_fail (self != NULL && self->ship_from && self->ship_to, FALSE);
  return g_ascii_strcasecmp (self->ship_from->country, self->ship_to->country) == 0;
}

static int
zip3 (const char *postcode)
{
  char buf[4] = { 0 };

  if (postcode == NULL || strlen (postcode) < 3)
    return 0;
  memcpy (buf, postcode, 3);
  return atoi (buf);
}

/**
 * ps_rate_request_zone:
 * @self: a valid request
 *
 * The domestic US-style zone, 1 (local) to 8 (across the country), from
 * the distance between the first three digits of the two ZIP codes (ZIP3
 * prefixes grow roughly from the north-east to the west coast). Outside
 * the US, or when a postcode has no digits, the zone is 1 for the same
 * postcode prefix and 5 otherwise. Meaningless for international requests.
 *
 * Returns: the zone, 1–8
 */
int
ps_rate_request_zone (const PsRateRequest *self)
{
  static const int limits[] = { 10, 50, 100, 200, 350, 550, 750 };
  int a, b, d;

  g_return_val_if_fail (self != NULL && self->ship_from && self->ship_to, 1);

  a = zip3 (self->ship_from->postcode);
  b = zip3 (self->ship_to->postcode);
  if (g_ascii_strcasecmp (self->ship_from->country, "US") != 0 || a == 0 || b == 0)
    {
      if (self->ship_from->postcode && self->ship_to->postcode
          && g_ascii_strncasecmp (self->ship_from->postcode, self->ship_to->postcode, 2) == 0)
        return 1;
      return 5;
    }

  d = ABS (a - b);
  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    if (d < limits[i])
      return (int) i + 1;
  return 8;
}
