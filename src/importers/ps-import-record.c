/* ps-import-record.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ps-import-record"

#include "config.h"

#include <string.h>

#include "ps-import-record.h"

static void
import_line_clear (gpointer data)
{
  PsImportLine *line = data;

  g_clear_pointer (&line->sku, g_free);
  g_clear_pointer (&line->name, g_free);
  g_clear_pointer (&line->variant, g_free);
}

/**
 * ps_import_record_new:
 *
 * Creates an empty record: no strings, status awaiting shipment, currency
 * USD, no lines, no tracking numbers, no warnings.
 *
 * Returns: (transfer full): a new #PsImportRecord
 */
PsImportRecord *
ps_import_record_new (void)
{
  PsImportRecord *record = g_new0 (PsImportRecord, 1);

  record->channel_kind = PS_CHANNEL_KIND_CUSTOM;
  record->status = PS_ORDER_STATUS_AWAITING_SHIPMENT;
  memcpy (record->currency, "USD", 4);
  record->lines = g_array_new (FALSE, TRUE, sizeof (PsImportLine));
  g_array_set_clear_func (record->lines, import_line_clear);
  record->tracking_numbers = g_ptr_array_new_with_free_func (g_free);
  record->warnings = g_ptr_array_new_with_free_func (g_free);

  return record;
}

/**
 * ps_import_record_free:
 * @record: (transfer full) (nullable): a #PsImportRecord
 *
 * Frees @record, its strings and its lines.
 */
void
ps_import_record_free (PsImportRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->channel_name);
  g_free (record->order_number);
  g_free (record->customer_name);
  g_free (record->customer_email);
  g_free (record->customer_phone);
  g_free (record->ship_name);
  g_free (record->ship_company);
  g_free (record->ship_line1);
  g_free (record->ship_line2);
  g_free (record->ship_city);
  g_free (record->ship_state);
  g_free (record->ship_postcode);
  g_free (record->ship_country);
  g_free (record->address_message);
  g_clear_pointer (&record->lines, g_array_unref);
  g_clear_pointer (&record->tracking_numbers, g_ptr_array_unref);
  g_clear_pointer (&record->warnings, g_ptr_array_unref);
  g_free (record);
}

/* Each value is written as its length, a colon and its bytes, so that
 * ("ab", "c") and ("a", "bc") never hash alike; NULL and "" are the same
 * (both mean "not in the file"). */
static void
hash_string (GChecksum  *checksum,
             const char *value)
{
  char prefix[24];
  gsize len = value != NULL ? strlen (value) : 0;

  g_snprintf (prefix, sizeof prefix, "%" G_GSIZE_FORMAT ":", len);
  g_checksum_update (checksum, (const guchar *) prefix, -1);
  if (len > 0)
    g_checksum_update (checksum, (const guchar *) value, len);
}

static void
hash_int (GChecksum *checksum,
          gint64     value)
{
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  hash_string (checksum, text);
}

/**
 * ps_import_record_dup_hash:
 * @record: a #PsImportRecord
 *
 * Hashes every field of @record that comes from the channel, in a fixed
 * order, so that a re-import can tell whether an order changed since the
 * last import. The physical @line, the address check result and the
 * warnings are left out: they say where the order was in the file and what
 * Postsale thinks of it, not what the channel says.
 *
 * Returns: (transfer full): a lowercase hex SHA-256
 */
char *
ps_import_record_dup_hash (const PsImportRecord *record)
{
  g_autoptr(GChecksum) checksum = NULL;
  guint i;

  g_return_val_if_fail (record != NULL, NULL);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);

  /* Bump when the set or order of fields changes. */
  hash_string (checksum, "ps-import-record/1");
  hash_int (checksum, record->channel_kind);
  hash_string (checksum, record->channel_name);
  hash_string (checksum, record->order_number);
  hash_string (checksum, record->customer_name);
  hash_string (checksum, record->customer_email);
  hash_string (checksum, record->customer_phone);
  hash_string (checksum, record->ship_name);
  hash_string (checksum, record->ship_company);
  hash_string (checksum, record->ship_line1);
  hash_string (checksum, record->ship_line2);
  hash_string (checksum, record->ship_city);
  hash_string (checksum, record->ship_state);
  hash_string (checksum, record->ship_postcode);
  hash_string (checksum, record->ship_country);
  hash_int (checksum, record->status);
  hash_string (checksum, record->currency);
  hash_int (checksum, record->subtotal_minor);
  hash_int (checksum, record->shipping_minor);
  hash_int (checksum, record->tax_minor);
  hash_int (checksum, record->total_minor);
  hash_int (checksum, record->created_at);
  hash_int (checksum, record->paid_at);

  hash_int (checksum, record->lines != NULL ? record->lines->len : 0);
  for (i = 0; record->lines != NULL && i < record->lines->len; i++)
    {
      const PsImportLine *line = &g_array_index (record->lines, PsImportLine, i);

      hash_string (checksum, line->sku);
      hash_string (checksum, line->name);
      hash_string (checksum, line->variant);
      hash_int (checksum, line->quantity);
      hash_int (checksum, line->unit_price_minor);
      hash_int (checksum, line->weight_grams);
    }

  hash_int (checksum, record->tracking_numbers != NULL ? record->tracking_numbers->len : 0);
  for (i = 0; record->tracking_numbers != NULL && i < record->tracking_numbers->len; i++)
    hash_string (checksum, g_ptr_array_index (record->tracking_numbers, i));

  return g_strdup (g_checksum_get_string (checksum));
}

/**
 * ps_import_problem_clear:
 * @problem: a #PsImportProblem
 *
 * Frees the message of @problem; suitable as a #GArray clear function.
 */
void
ps_import_problem_clear (PsImportProblem *problem)
{
  if (problem == NULL)
    return;

  g_clear_pointer (&problem->message, g_free);
}
