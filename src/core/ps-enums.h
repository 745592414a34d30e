/* ps-enums.h: the domain vocabularies of DESIGN.md
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The nicks are what the database stores and the CLI prints, so they are
 * part of the file format: never rename one, only add new values. Values
 * are not stored, so reordering is harmless.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum /*< prefix=PS_ORDER_STATUS >*/
{
  PS_ORDER_STATUS_AWAITING_PAYMENT,   /*< nick=awaiting_payment >*/
  PS_ORDER_STATUS_AWAITING_SHIPMENT,  /*< nick=awaiting_shipment >*/
  PS_ORDER_STATUS_ON_HOLD,            /*< nick=on_hold >*/
  PS_ORDER_STATUS_READY_TO_SHIP,      /*< nick=ready_to_ship >*/
  PS_ORDER_STATUS_SHIPPED,            /*< nick=shipped >*/
  PS_ORDER_STATUS_DELIVERED,          /*< nick=delivered >*/
  PS_ORDER_STATUS_EXCEPTION,          /*< nick=exception >*/
  PS_ORDER_STATUS_CANCELLED,          /*< nick=cancelled >*/
  PS_ORDER_STATUS_RETURNED,           /*< nick=returned >*/
} PsOrderStatus;

typedef enum /*< prefix=PS_TRACKING_STATUS >*/
{
  PS_TRACKING_STATUS_UNKNOWN,               /*< nick=unknown >*/
  PS_TRACKING_STATUS_PRE_TRANSIT,           /*< nick=pre_transit >*/
  PS_TRACKING_STATUS_IN_TRANSIT,            /*< nick=in_transit >*/
  PS_TRACKING_STATUS_OUT_FOR_DELIVERY,      /*< nick=out_for_delivery >*/
  PS_TRACKING_STATUS_AVAILABLE_FOR_PICKUP,  /*< nick=available_for_pickup >*/
  PS_TRACKING_STATUS_DELIVERED,             /*< nick=delivered >*/
  PS_TRACKING_STATUS_EXCEPTION,             /*< nick=exception >*/
  PS_TRACKING_STATUS_RETURN_TO_SENDER,      /*< nick=return_to_sender >*/
  PS_TRACKING_STATUS_CANCELLED,             /*< nick=cancelled >*/
} PsTrackingStatus;

typedef enum /*< prefix=PS_EXCEPTION_REASON >*/
{
  PS_EXCEPTION_REASON_NONE,            /*< nick=none >*/
  PS_EXCEPTION_REASON_ADDRESS_ISSUE,   /*< nick=address_issue >*/
  PS_EXCEPTION_REASON_DELAY,           /*< nick=delay >*/
  PS_EXCEPTION_REASON_FAILED_ATTEMPT,  /*< nick=failed_attempt >*/
  PS_EXCEPTION_REASON_DAMAGED,         /*< nick=damaged >*/
  PS_EXCEPTION_REASON_LOST,            /*< nick=lost >*/
  PS_EXCEPTION_REASON_CUSTOMS_HOLD,    /*< nick=customs_hold >*/
  PS_EXCEPTION_REASON_WEATHER,         /*< nick=weather >*/
  PS_EXCEPTION_REASON_REFUSED,         /*< nick=refused >*/
  PS_EXCEPTION_REASON_LATE_HANDOFF,    /*< nick=late_handoff >*/
  PS_EXCEPTION_REASON_OTHER,           /*< nick=other >*/
} PsExceptionReason;

typedef enum /*< prefix=PS_CHANNEL_KIND >*/
{
  PS_CHANNEL_KIND_SHOPIFY,      /*< nick=shopify >*/
  PS_CHANNEL_KIND_WOOCOMMERCE,  /*< nick=woocommerce >*/
  PS_CHANNEL_KIND_ETSY,         /*< nick=etsy >*/
  PS_CHANNEL_KIND_AMAZON,       /*< nick=amazon >*/
  PS_CHANNEL_KIND_EBAY,         /*< nick=ebay >*/
  PS_CHANNEL_KIND_MANUAL,       /*< nick=manual >*/
  PS_CHANNEL_KIND_CUSTOM,       /*< nick=custom >*/
} PsChannelKind;

typedef enum /*< prefix=PS_EVENT_TYPE >*/
{
  PS_EVENT_TYPE_ORDER_IMPORTED,           /*< nick=order.imported >*/
  PS_EVENT_TYPE_ORDER_UPDATED,            /*< nick=order.updated >*/
  PS_EVENT_TYPE_ORDER_STATUS_CHANGED,     /*< nick=order.status_changed >*/
  PS_EVENT_TYPE_LABEL_CREATED,            /*< nick=label.created >*/
  PS_EVENT_TYPE_LABEL_VOIDED,             /*< nick=label.voided >*/
  PS_EVENT_TYPE_TRACKING_STATUS_CHANGED,  /*< nick=tracking.status_changed >*/
  PS_EVENT_TYPE_SHIPMENT_DELIVERED,       /*< nick=shipment.delivered >*/
  PS_EVENT_TYPE_RETURN_REQUESTED,         /*< nick=return.requested >*/
  PS_EVENT_TYPE_RETURN_RECEIVED,          /*< nick=return.received >*/
  PS_EVENT_TYPE_NOTE_ADDED,               /*< nick=note.added >*/
  PS_EVENT_TYPE_TIME,                     /*< nick=time >*/
} PsEventType;

typedef enum /*< prefix=PS_RETURN_STATUS >*/
{
  PS_RETURN_STATUS_REQUESTED,   /*< nick=requested >*/
  PS_RETURN_STATUS_LABEL_SENT,  /*< nick=label_sent >*/
  PS_RETURN_STATUS_IN_TRANSIT,  /*< nick=in_transit >*/
  PS_RETURN_STATUS_RECEIVED,    /*< nick=received >*/
  PS_RETURN_STATUS_REFUNDED,    /*< nick=refunded >*/
  PS_RETURN_STATUS_REJECTED,    /*< nick=rejected >*/
} PsReturnStatus;

typedef enum /*< prefix=PS_RETURN_REASON >*/
{
  PS_RETURN_REASON_WRONG_SIZE,        /*< nick=wrong_size >*/
  PS_RETURN_REASON_DAMAGED,           /*< nick=damaged >*/
  PS_RETURN_REASON_NOT_AS_DESCRIBED,  /*< nick=not_as_described >*/
  PS_RETURN_REASON_WRONG_ITEM,        /*< nick=wrong_item >*/
  PS_RETURN_REASON_CHANGED_MIND,      /*< nick=changed_mind >*/
  PS_RETURN_REASON_ARRIVED_LATE,      /*< nick=arrived_late >*/
  PS_RETURN_REASON_OTHER,             /*< nick=other >*/
} PsReturnReason;

typedef enum /*< prefix=PS_LABEL_FORMAT >*/
{
  PS_LABEL_FORMAT_PDF,  /*< nick=pdf >*/
  PS_LABEL_FORMAT_PNG,  /*< nick=png >*/
  PS_LABEL_FORMAT_ZPL,  /*< nick=zpl >*/
} PsLabelFormat;

typedef enum /*< prefix=PS_MESSAGE_STATUS >*/
{
  PS_MESSAGE_STATUS_QUEUED,     /*< nick=queued >*/
  PS_MESSAGE_STATUS_SENDING,    /*< nick=sending >*/
  PS_MESSAGE_STATUS_SENT,       /*< nick=sent >*/
  PS_MESSAGE_STATUS_FAILED,     /*< nick=failed >*/
  PS_MESSAGE_STATUS_CANCELLED,  /*< nick=cancelled >*/
} PsMessageStatus;

typedef enum /*< prefix=PS_ORDER_SORT >*/
{
  PS_ORDER_SORT_CREATED,       /*< nick=created >*/
  PS_ORDER_SORT_NUMBER,        /*< nick=number >*/
  PS_ORDER_SORT_CUSTOMER,      /*< nick=customer >*/
  PS_ORDER_SORT_CHANNEL,       /*< nick=channel >*/
  PS_ORDER_SORT_ITEMS,         /*< nick=items >*/
  PS_ORDER_SORT_TOTAL,         /*< nick=total >*/
  PS_ORDER_SORT_DESTINATION,   /*< nick=destination >*/
  PS_ORDER_SORT_STATUS,        /*< nick=status >*/
} PsOrderSort;

const char *ps_enum_to_nick   (GType       enum_type,
                               int         value);
gboolean    ps_enum_from_nick (GType       enum_type,
                               const char *nick,
                               int        *value);

G_END_DECLS
