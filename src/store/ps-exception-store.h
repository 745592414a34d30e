/* ps-exception-store.h: shipments in trouble, by reason, and their resolution
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-database.h"
#include "ps-enums.h"
#include "ps-order-store.h"

G_BEGIN_DECLS

/**
 * PsExceptionRootCause:
 * @PS_EXCEPTION_ROOT_CAUSE_CARRIER: the carrier lost, damaged or delayed it
 * @PS_EXCEPTION_ROOT_CAUSE_WAREHOUSE: packing or handoff on our side
 * @PS_EXCEPTION_ROOT_CAUSE_ADDRESS_DATA: the address we had was wrong
 * @PS_EXCEPTION_ROOT_CAUSE_WORKFLOW: how we work (a step missed, a wrong
 *   service chosen)
 * @PS_EXCEPTION_ROOT_CAUSE_CUSTOMER: the customer (not home, refused it)
 *
 * Why an exception happened, tagged when the merchant resolves it. The
 * nicks ("carrier", "warehouse", "address_data", "workflow", "customer")
 * are stored in shipments.exception_root_cause.
 */
typedef enum
{
  PS_EXCEPTION_ROOT_CAUSE_CARRIER,
  PS_EXCEPTION_ROOT_CAUSE_WAREHOUSE,
  PS_EXCEPTION_ROOT_CAUSE_ADDRESS_DATA,
  PS_EXCEPTION_ROOT_CAUSE_WORKFLOW,
  PS_EXCEPTION_ROOT_CAUSE_CUSTOMER,
} PsExceptionRootCause;

#define PS_EXCEPTION_ROOT_CAUSE_LAST PS_EXCEPTION_ROOT_CAUSE_CUSTOMER

/**
 * PsExceptionRow:
 * @shipment_id: the shipment in trouble
 * @order_id: its order
 * @order_number: the order number as the shop shows it
 * @customer: (nullable): the customer's name
 * @carrier: the carrier code ("ups")
 * @service: the service code ("ground")
 * @tracking_number: (nullable): the tracking number
 * @reason: why it is in trouble
 * @since: when the trouble began, UTC Unix seconds: the first exception
 *   event of this episode (a carrier event or the late-handoff sweep's),
 *   else the label's time (a late handoff flagged before the sweep kept
 *   events)
 * @last_event: (nullable): the newest tracking event's description
 * @last_event_at: its time, 0 when there is none
 *
 * One open exception.
 */
typedef struct
{
  gint64             shipment_id;
  gint64             order_id;
  char              *order_number;
  char              *customer;
  char              *carrier;
  char              *service;
  char              *tracking_number;
  PsExceptionReason  reason;
  gint64             since;
  char              *last_event;
  gint64             last_event_at;
} PsExceptionRow;

/**
 * PsExceptionGroup:
 * @reason: the reason shared by the group
 * @n_open: how many shipments are open with it (all of them, also those
 *   past the row limit)
 * @oldest_since: the earliest @since of the group
 * @rows: (element-type PsExceptionRow): the oldest first, at most the
 *   limit asked for
 *
 * The open exceptions of one reason.
 */
typedef struct
{
  PsExceptionReason  reason;
  guint              n_open;
  gint64             oldest_since;
  GPtrArray         *rows;
} PsExceptionGroup;

void ps_exception_row_free   (PsExceptionRow   *row);
void ps_exception_group_free (PsExceptionGroup *group);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsExceptionRow, ps_exception_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsExceptionGroup, ps_exception_group_free)

const char *ps_exception_root_cause_to_nick   (PsExceptionRootCause   cause);
gboolean    ps_exception_root_cause_from_nick (const char            *nick,
                                               PsExceptionRootCause  *cause);
char       *ps_exception_email_key            (gint64                 shipment_id,
                                               PsExceptionReason      reason);

/* Worker thread only. */
GPtrArray  *ps_exception_store_list_open_sync (PsDatabase            *database,
                                               guint                  max_rows,
                                               GError               **error);
gboolean    ps_exception_store_resolve_sync   (PsDatabase            *database,
                                               gint64                 shipment_id,
                                               PsExceptionRootCause   cause,
                                               const char            *note,
                                               gint64                 now,
                                               gint64                *order_id,
                                               GError               **error);

/* Main thread. */
void        ps_exception_store_list_open_async  (PsDatabase          *database,
                                                 guint                max_rows,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray  *ps_exception_store_list_open_finish (PsDatabase          *database,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void        ps_exception_store_resolve_async    (PsOrderStore        *store,
                                                 gint64               shipment_id,
                                                 PsExceptionRootCause cause,
                                                 const char          *note,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean    ps_exception_store_resolve_finish   (PsOrderStore        *store,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
