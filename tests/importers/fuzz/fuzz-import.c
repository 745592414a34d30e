/* fuzz-import.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds one input, as the bytes of an export file, through everything a
 * user's file goes through: detection and every record with format AUTO;
 * for a header no dialect knows, the sample rows, a guessed mapping (and
 * its JSON and source key) and the records read through it; and the
 * records read through a fixed generic mapping. Built by run-fuzz.sh with
 * libFuzzer, and by meson with fuzz-replay.c to replay the corpus.
 */

#define G_LOG_DOMAIN "fuzz-import"

#include "config.h"

#include <gio/gio.h>

#include "fuzz-import.h"
#include "ps-import-reader.h"
#include "ps-import-reader-private.h"

static GInputStream *
stream_for (const uint8_t *data,
            size_t         size)
{
  /* The stream does not own the bytes: the fuzzer keeps them. */
  return g_memory_input_stream_new_from_data (data, size, NULL);
}

static void
read_records (PsImportReader *reader)
{
  g_autoptr(GError) error = NULL;
  PsImportRecord *record;
  GArray *problems;
  guint i;

  while ((record = ps_import_reader_next (reader, NULL, &error)) != NULL)
    {
      g_autofree char *hash = ps_import_record_dup_hash (record);

      g_assert (record->order_number != NULL && *record->order_number != '\0');
      g_assert (g_utf8_validate (record->order_number, -1, NULL));
      for (i = 0; i < record->lines->len; i++)
        g_assert (g_array_index (record->lines, PsImportLine, i).quantity > 0);
      ps_import_record_free (record);
    }

  /* Problems are in line order, each with a message. */
  problems = ps_import_reader_get_problems (reader);
  for (i = 0; i < problems->len; i++)
    {
      const PsImportProblem *problem = &g_array_index (problems, PsImportProblem, i);

      g_assert (problem->message != NULL && g_utf8_validate (problem->message, -1, NULL));
      g_assert (i == 0 || problem->line >= g_array_index (problems, PsImportProblem, i - 1).line);
    }

  (void) ps_import_reader_get_rows_read (reader);
  g_assert (ps_import_reader_get_bytes_read (reader) <= ps_import_reader_get_size (reader));
}

static void
read_with (const uint8_t         *data,
           size_t                 size,
           PsImportFormat         format,
           const PsImportMapping *mapping)
{
  g_autoptr(GInputStream) stream = stream_for (data, size);
  g_autoptr(PsImportReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  reader = _ps_import_reader_new_for_stream (stream, size, format, mapping, NULL, &error);
  if (reader == NULL)
    {
      g_assert (error != NULL);
      return;
    }

  read_records (reader);
}

static void
guess_and_read (const uint8_t  *data,
                size_t          size,
                PsImportReader *reader)
{
  g_autoptr(GPtrArray) sample = NULL;
  g_autoptr(PsImportMapping) guess = NULL;
  g_autoptr(PsImportMapping) back = NULL;
  g_autofree char *json = NULL;
  g_autofree char *key = NULL;
  const char * const *header;
  guint n_columns = 0;

  header = ps_import_reader_get_header (reader, &n_columns);
  key = ps_import_mapping_source_key (header, n_columns);

  sample = ps_import_reader_read_sample (reader, 5, NULL, NULL);
  if (sample == NULL)
    return;

  guess = ps_import_mapping_guess (header, n_columns,
                                   (const char * const * const *) sample->pdata, sample->len);
  json = ps_import_mapping_to_json (guess);
  back = ps_import_mapping_from_json (json, NULL);
  g_assert (back != NULL);

  if (ps_import_mapping_is_complete (guess, NULL))
    read_with (data, size, PS_IMPORT_FORMAT_GENERIC, guess);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static PsImportMapping *fixed;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(PsImportReader) reader = NULL;

  if (fixed == NULL)
    {
      fixed = ps_import_mapping_new ();
      ps_import_mapping_set (fixed, "Order", PS_IMPORT_FIELD_ORDER_NUMBER);
      ps_import_mapping_set (fixed, "SKU", PS_IMPORT_FIELD_SKU);
      ps_import_mapping_set (fixed, "Qty", PS_IMPORT_FIELD_QUANTITY);
      ps_import_mapping_set (fixed, "Total", PS_IMPORT_FIELD_LINE_TOTAL);
    }

  stream = stream_for (data, size);
  reader = _ps_import_reader_new_for_stream (stream, size, PS_IMPORT_FORMAT_AUTO, NULL, NULL, NULL);
  if (reader != NULL)
    {
      if (ps_import_reader_get_format (reader) == PS_IMPORT_FORMAT_GENERIC)
        guess_and_read (data, size, reader);
      else
        read_records (reader);
    }

  read_with (data, size, PS_IMPORT_FORMAT_GENERIC, fixed);

  /* Saved mappings come from the database, but a damaged one must not
   * crash either. */
  if (size > 0 && data[0] == '{')
    {
      g_autofree char *text = g_strndup ((const char *) data, size);
      g_autoptr(PsImportMapping) mapping = ps_import_mapping_from_json (text, NULL);
    }

  return 0;
}
