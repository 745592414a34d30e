/* ps-rate-request.h: what a carrier is asked to quote and buy
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ps-address.h"

G_BEGIN_DECLS

#define PS_TYPE_RATE_REQUEST (ps_rate_request_get_type ())

/**
 * PsRateRequest:
 * @ship_from: the sender's address (Preferences' ship-from)
 * @ship_to: the recipient's address
 * @parcel: what goes on the scale
 * @ship_date: UTC Unix seconds of the handoff day, 0 for today
 * @reference: (nullable): the merchant's reference (order number), sent
 *   to carriers that print or store one
 *
 * Every field is owned by the request.
 */
typedef struct
{
  PsAddress *ship_from;
  PsAddress *ship_to;
  PsParcel   parcel;
  gint64     ship_date;
  char      *reference;
} PsRateRequest;

GType          ps_rate_request_get_type (void) G_GNUC_CONST;
PsRateRequest *ps_rate_request_new      (const PsAddress     *ship_from,
                                         const PsAddress     *ship_to,
                                         const PsParcel      *parcel);
PsRateRequest *ps_rate_request_copy     (const PsRateRequest *self);
void           ps_rate_request_free     (PsRateRequest       *self);
gboolean       ps_rate_request_validate (const PsRateRequest *self,
                                         GError             **error);
gboolean       ps_rate_request_is_domestic (const PsRateRequest *self);
int            ps_rate_request_zone     (const PsRateRequest *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRateRequest, ps_rate_request_free)

G_END_DECLS
