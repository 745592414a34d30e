/* ps-address.h: a postal address and a parcel, as carriers and labels see them
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define PS_TYPE_ADDRESS (ps_address_get_type ())

/**
 * PsAddress:
 * @name: the person
 * @company: (nullable): the company
 * @line1: the first address line
 * @line2: (nullable): the second address line
 * @city: the city
 * @state: (nullable): the subdivision ("CA", "NSW")
 * @postcode: (nullable): the postal code as written
 * @country: the ISO 3166-1 alpha-2 code, upper case
 * @phone: (nullable): a phone number (carriers want one for some services)
 * @email: (nullable): an email address
 *
 * Every string is owned by the address; %NULL and "" both mean not set.
 * The ship-to of an order, a ship-from of Preferences and a return
 * address are all #PsAddress.
 */
typedef struct
{
  char *name;
  char *company;
  char *line1;
  char *line2;
  char *city;
  char *state;
  char *postcode;
  char *country;
  char *phone;
  char *email;
} PsAddress;

GType      ps_address_get_type  (void) G_GNUC_CONST;
PsAddress *ps_address_new       (void);
PsAddress *ps_address_copy      (const PsAddress *self);
void       ps_address_free      (PsAddress       *self);
void       ps_address_clear     (PsAddress       *self);
gboolean   ps_address_equal     (const PsAddress *a,
                                 const PsAddress *b);
char      *ps_address_format    (const PsAddress *self,
                                 const char      *separator);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsAddress, ps_address_free)

#define PS_TYPE_PARCEL (ps_parcel_get_type ())

/**
 * PsParcel:
 * @weight_grams: the weight, packaging included; more than 0 to buy
 * @length_mm: the longest side, 0 when unknown
 * @width_mm: the middle side, 0 when unknown
 * @height_mm: the shortest side, 0 when unknown
 *
 * What goes on the scale. Carriers that price by dimensional weight need
 * all three sides.
 */
typedef struct
{
  gint64 weight_grams;
  gint64 length_mm;
  gint64 width_mm;
  gint64 height_mm;
} PsParcel;

GType     ps_parcel_get_type (void) G_GNUC_CONST;
PsParcel *ps_parcel_copy     (const PsParcel *self);
void      ps_parcel_free     (PsParcel       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsParcel, ps_parcel_free)

G_END_DECLS
