/* ps-shipping-service-private.h: what the shipping service's files share
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ps-shipping-service.c    rates, buying (the journal), void, loading labels
 * ps-shipping-batch.c      batches and reconciling open purchases
 * ps-shipping-settings.c   accounts, ship-from, rate cards, package presets
 * ps-shipping-documents.c  packing slips and the handoff sheet
 */

#pragma once

#include "ps-shipping-service.h"

G_BEGIN_DECLS

struct _PsShippingService
{
  GObject        parent_instance;

  PsContext     *context;
  GHashTable    *carriers;       /* account id (gint64 *) → PsCarrier */
  PsLabelFormat  label_format;
  int            label_dpi;
  gint64       (*now_func) (gpointer);
  gpointer       now_data;
};

/* One purchase on its way: the draft, the rate, the journal entry, the
 * carrier's answer and the label. */
typedef struct
{
  PsShipmentDraft *draft;
  PsRateQuote     *quote;
  PsRateRequest   *request;
  char            *key;
  PsCarrier       *carrier;
  PsJournalEntry  *entry;
  PsPurchase      *purchase;
  PsBoughtLabel    bought;
  GBytes          *label;
  PsLabelFormat    label_format;
  PsPurchaseState  mark_state;
  char            *mark_message;
  GError          *failure;
  char            *account_settings;  /* a rate card's settings after the buy */
  gboolean         created;
} BuyData;

typedef struct
{
  gint64 shipment_id;
  gint64 order_id;
} StoredArgs;

PsDatabase *_ps_shipping_database              (PsShippingService       *self);
gint64      _ps_shipping_now                   (PsShippingService       *self);
PsCarrier  *_ps_shipping_carrier_for_account   (PsShippingService       *self,
                                                const PsCarrierAccount  *account,
                                                GError                 **error);
PsRateRequest *_ps_shipping_draft_request      (const PsShipmentDraft   *draft);
void        _ps_shipping_store_purchase        (GTask                   *task);
gpointer    _ps_shipping_stored_label_job      (PsDatabase              *db,
                                                gpointer                 user_data,
                                                GCancellable            *cancellable,
                                                GError                 **error);
void        _ps_shipping_buy_data_free         (BuyData                 *data);
char       *_ps_shipping_carrier_key           (const char              *key,
                                                gint64                   journal_id);

G_END_DECLS
