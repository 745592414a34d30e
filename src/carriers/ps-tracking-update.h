/* ps-tracking-update.h: where a parcel is, normalized from any carrier
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ps-enums.h"

G_BEGIN_DECLS

#define PS_TYPE_TRACKING_EVENT (ps_tracking_event_get_type ())
#define PS_TYPE_TRACKING_UPDATE (ps_tracking_update_get_type ())

/**
 * PsTrackingEvent:
 * @time: UTC Unix seconds
 * @status: the normalized status after this event
 * @reason: why, when @status is an exception
 * @description: the carrier's words
 * @city: (nullable): where
 * @state: (nullable): where
 * @country: (nullable): ISO 3166-1 alpha-2
 */
typedef struct
{
  gint64             time;
  PsTrackingStatus   status;
  PsExceptionReason  reason;
  char              *description;
  char              *city;
  char              *state;
  char              *country;
} PsTrackingEvent;

/**
 * PsTrackingUpdate:
 * @tracking_number: the number tracked
 * @status: the current status
 * @reason: why, when @status is %PS_TRACKING_STATUS_EXCEPTION
 * @estimated_delivery: UTC Unix seconds, 0 when unknown
 * @events: (element-type PsTrackingEvent): oldest first
 */
typedef struct
{
  char              *tracking_number;
  PsTrackingStatus   status;
  PsExceptionReason  reason;
  gint64             estimated_delivery;
  GPtrArray         *events;
} PsTrackingUpdate;

GType             ps_tracking_event_get_type   (void) G_GNUC_CONST;
PsTrackingEvent  *ps_tracking_event_new        (gint64                  time,
                                                PsTrackingStatus        status,
                                                PsExceptionReason       reason,
                                                const char             *description);
PsTrackingEvent  *ps_tracking_event_copy       (const PsTrackingEvent  *self);
void              ps_tracking_event_free       (PsTrackingEvent        *self);

GType             ps_tracking_update_get_type  (void) G_GNUC_CONST;
PsTrackingUpdate *ps_tracking_update_new       (const char             *tracking_number);
PsTrackingUpdate *ps_tracking_update_copy      (const PsTrackingUpdate *self);
void              ps_tracking_update_free      (PsTrackingUpdate       *self);
void              ps_tracking_update_sort      (PsTrackingUpdate       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsTrackingEvent, ps_tracking_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsTrackingUpdate, ps_tracking_update_free)

G_END_DECLS
