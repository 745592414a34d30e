/* ps-rate.c: one priced service a carrier offers for a request
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ps-rate"

#include "config.h"

#include "ps-rate.h"

G_DEFINE_BOXED_TYPE (PsRate, ps_rate, ps_rate_copy, ps_rate_free)

PsRate *
ps_rate_new (void)
{
  return g_new0 (PsRate, 1);
}

PsRate *
ps_rate_copy (const PsRate *self)
{
  PsRate *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->backend = g_strdup (self->backend);
  copy->carrier = g_strdup (self->carrier);
  copy->carrier_code = g_strdup (self->carrier_code);
  copy->service_code = g_strdup (self->service_code);
  copy->service_name = g_strdup (self->service_name);
  copy->shipment_ref = g_strdup (self->shipment_ref);
  copy->rate_ref = g_strdup (self->rate_ref);
  return copy;
}

void
ps_rate_free (PsRate *self)
{
  if (self == NULL)
    return;
  g_free (self->backend);
  g_free (self->carrier);
  g_free (self->carrier_code);
  g_free (self->service_code);
  g_free (self->service_name);
  g_free (self->shipment_ref);
  g_free (self->rate_ref);
  g_free (self);
}

/**
 * ps_rate_compare_price:
 * @a: a `PsRate **` (as g_ptr_array_sort() passes)
 * @b: a `PsRate **`
 *
 * Orders by price, then by transit days, then by service code, so a sort
 * is stable across runs.
 */
int
ps_rate_compare_price (gconstpointer a,
                       gconstpointer b)
{
  const PsRate *ra = *(PsRate * const *) a;
  const PsRate *rb = *(PsRate * const *) b;

  if (ra->price.minor != rb->price.minor)
    return ra->price.minor < rb->price.minor ? -1 : 1;
  if (ra->transit_days != rb->transit_days)
    return ra->transit_days < rb->transit_days ? -1 : 1;
  return g_strcmp0 (ra->service_code, rb->service_code);
}

/**
 * ps_rates_find_cheapest:
 * @rates: (element-type PsRate): rates
 *
 * Returns: (transfer none) (nullable): the lowest price (fewer transit days
 *   break a tie), %NULL for no rates
 */
PsRate *
ps_rates_find_cheapest (GPtrArray *rates)
{
  PsRate *best = NULL;

  g_return_val_if_fail (rates != NULL, NULL);

  for (guint i = 0; i < rates->len; i++)
    {
      PsRate *r = g_ptr_array_index (rates, i);

      if (best == NULL || ps_rate_compare_price (&r, &best) < 0)
        best = r;
    }
  return best;
}

/**
 * ps_rates_find_fastest:
 * @rates: (element-type PsRate): rates
 *
 * Returns: (transfer none) (nullable): the fewest known transit days (the
 *   lower price breaks a tie), %NULL for no rates with known transit days
 */
PsRate *
ps_rates_find_fastest (GPtrArray *rates)
{
  PsRate *best = NULL;

  g_return_val_if_fail (rates != NULL, NULL);

  for (guint i = 0; i < rates->len; i++)
    {
      PsRate *r = g_ptr_array_index (rates, i);

      if (r->transit_days <= 0)
        continue;
      if (best == NULL || r->transit_days < best->transit_days
          || (r->transit_days == best->transit_days && r->price.minor < best->price.minor))
        best = r;
    }
  return best;
}
