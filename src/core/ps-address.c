/* ps-address.c: a postal address and a parcel
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ps-address.h"

G_DEFINE_BOXED_TYPE (PsAddress, ps_address, ps_address_copy, ps_address_free)
G_DEFINE_BOXED_TYPE (PsParcel, ps_parcel, ps_parcel_copy, ps_parcel_free)

PsAddress *
ps_address_new (void)
{
  return g_new0 (PsAddress, 1);
}

PsAddress *
ps_address_copy (const PsAddress *self)
{
  PsAddress *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ps_address_new ();
  copy->name = g_strdup (self->name);
  copy->company = g_strdup (self->company);
  copy->line1 = g_strdup (self->line1);
  copy->line2 = g_strdup (self->line2);
  copy->city = g_strdup (self->city);
  copy->state = g_strdup (self->state);
  copy->postcode = g_strdup (self->postcode);
  copy->country = g_strdup (self->country);
  copy->phone = g_strdup (self->phone);
  copy->email = g_strdup (self->email);

  return copy;
}

void
ps_address_clear (PsAddress *self)
{
  g_return_if_fail (self != NULL);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->company, g_free);
  g_clear_pointer (&self->line1, g_free);
  g_clear_pointer (&self->line2, g_free);
  g_clear_pointer (&self->city, g_free);
  g_clear_pointer (&self->state, g_free);
  g_clear_pointer (&self->postcode, g_free);
  g_clear_pointer (&self->country, g_free);
  g_clear_pointer (&self->phone, g_free);
  g_clear_pointer (&self->email, g_free);
}

void
ps_address_free (PsAddress *self)
{
  if (self == NULL)
    return;

  ps_address_clear (self);
  g_free (self);
}

static gboolean
field_equal (const char *a,
             const char *b)
{
  return g_strcmp0 (a != NULL ? a : "", b != NULL ? b : "") == 0;
}

gboolean
ps_address_equal (const PsAddress *a,
                  const PsAddress *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return field_equal (a->name, b->name) &&
         field_equal (a->company, b->company) &&
         field_equal (a->line1, b->line1) &&
         field_equal (a->line2, b->line2) &&
         field_equal (a->city, b->city) &&
         field_equal (a->state, b->state) &&
         field_equal (a->postcode, b->postcode) &&
         field_equal (a->country, b->country) &&
         field_equal (a->phone, b->phone) &&
         field_equal (a->email, b->email);
}

static void
append_part (GString    *out,
             const char *separator,
             const char *part)
{
  if (part == NULL || *part == '\0')
    return;
  if (out->len > 0)
    g_string_append (out, separator);
  g_string_append (out, part);
}

/**
 * ps_address_format:
 * @self: an address
 * @separator: what goes between lines ("\n" for a label, ", " for a row)
 *
 * Writes the address in the common international order: name, company,
 * address lines, "city state postcode", country code. Lines that are not
 * set are left out.
 *
 * Returns: (transfer full): the text
 */
char *
ps_address_format (const PsAddress *self,
                   const char      *separator)
{
  GString *out;
  GString *locality;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (separator != NULL, NULL);

  out = g_string_new (NULL);
  append_part (out, separator, self->name);
  append_part (out, separator, self->company);
  append_part (out, separator, self->line1);
  append_part (out, separator, self->line2);

  locality = g_string_new (NULL);
  append_part (locality, " ", self->city);
  append_part (locality, " ", self->state);
  append_part (locality, " ", self->postcode);
  append_part (out, separator, locality->str);
  g_string_free (locality, TRUE);

  append_part (out, separator, self->country);

  return g_string_free (out, FALSE);
}

PsParcel *
ps_parcel_copy (const PsParcel *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

void
ps_parcel_free (PsParcel *self)
{
  g_free (self);
}
