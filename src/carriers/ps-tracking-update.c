/* ps-tracking-update.c: where a parcel is, normalized from any carrier
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ps-tracking-update"

#include "config.h"

#include "ps-tracking-update.h"

G_DEFINE_BOXED_TYPE (PsTrackingEvent, ps_tracking_event, ps_tracking_event_copy, ps_tracking_event_free)
G_DEFINE_BOXED_TYPE (PsTrackingUpdate, ps_tracking_update, ps_tracking_update_copy, ps_tracking_update_free)

PsTrackingEvent *
ps_tracking_event_new (gint64             time,
                       PsTrackingStatus   status,
                       PsExceptionReason  reason,
                       const char        *description)
{
  PsTrackingEvent *self = g_new0 (PsTrackingEvent, 1);

  self->time = time;
  self->status = status;
  self->reason = reason;
  self->description = g_strdup (description);
  return self;
}

PsTrackingEvent *
ps_tracking_event_copy (const PsTrackingEvent *self)
{
  PsTrackingEvent *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ps_tracking_event_new (self->time, self->status, self->reason, self->description);
  copy->city = g_strdup (self->city);
  copy->state = g_strdup (self->state);
  copy->country = g_strdup (self->country);
  return copy;
}

void
ps_tracking_event_free (PsTrackingEvent *self)
{
  if (self == NULL)
    return;
  g_free (self->description);
  g_free (self->city);
  g_free (self->state);
  g_free (self->country);
  g_free (self);
}

/**
 * ps_tracking_update_new:
 * @tracking_number: the number tracked
 *
 * Returns: (transfer full): an update with status unknown and no events
 */
PsTrackingUpdate *
ps_tracking_update_new (const char *tracking_number)
{
  PsTrackingUpdate *self = g_new0 (PsTrackingUpdate, 1);

  self->tracking_number = g_strdup (tracking_number);
  self->events = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_tracking_event_free);
  return self;
}

PsTrackingUpdate *
ps_tracking_update_copy (const PsTrackingUpdate *self)
{
  PsTrackingUpdate *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ps_tracking_update_new (self->tracking_number);
  copy->status = self->status;
  copy->reason = self->reason;
  copy->estimated_delivery = self->estimated_delivery;
  for (guint i = 0; i < self->events->len; i++)
    g_ptr_array_add (copy->events, ps_tracking_event_copy (g_ptr_array_index (self->events, i)));
  return copy;
}

void
ps_tracking_update_free (PsTrackingUpdate *self)
{
  if (self == NULL)
    return;
  g_free (self->tracking_number);
  g_clear_pointer (&self->events, g_ptr_array_unref);
  g_free (self);
}

static int
compare_event_time (gconstpointer a,
                    gconstpointer b)
{
  const PsTrackingEvent *ea = *(PsTrackingEvent * const *) a;
  const PsTrackingEvent *eb = *(PsTrackingEvent * const *) b;

  return (ea->time > eb->time) - (ea->time < eb->time);
}

/**
 * ps_tracking_update_sort:
 * @self: an update
 *
 * Puts the events oldest first (carriers list them newest first); events
 * at the same second keep their order.
 */
void
ps_tracking_update_sort (PsTrackingUpdate *self)
{
  g_return_if_fail (self != NULL);
  /* g_ptr_array_sort is a merge sort for arrays: stable. */
  g_ptr_array_sort (self->events, compare_event_time);
}
