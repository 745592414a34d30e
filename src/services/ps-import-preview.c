/* ps-import-preview.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The import dialog's helpers that write nothing to the database: the dry
 * run that reads whole files for the preview (and describes a layout no
 * dialect knows, with a guessed mapping), and saving the rejected rows of
 * an import as a file the merchant can fix and import again.
 */

#define G_LOG_DOMAIN "ps-import-preview"

#include "config.h"

#include <string.h>

#include "ps-import-service-private.h"

/* Sample rows kept for a mapping guess. */
#define N_GUESS_ROWS 5

/**
 * ps_import_preview_free:
 * @preview: (nullable) (transfer full): a #PsImportPreview
 *
 * Frees @preview, its sample records and problems.
 */
void
ps_import_preview_free (PsImportPreview *preview)
{
  if (preview == NULL)
    return;
  g_clear_pointer (&preview->sample, g_ptr_array_unref);
  g_clear_pointer (&preview->problems, g_array_unref);
  g_free (preview->encoding);
  g_strfreev (preview->header);
  g_clear_pointer (&preview->guess, ps_import_mapping_free);
  g_clear_pointer (&preview->sample_rows, g_ptr_array_unref);
  g_free (preview);
}

/* Preview */

typedef struct
{
  GPtrArray       *files;
  PsImportFormat   format;
  PsImportMapping *mapping;
  guint            n_sample;
} PreviewData;

static void
preview_data_free (PreviewData *p)
{
  g_ptr_array_unref (p->files);
  g_clear_pointer (&p->mapping, ps_import_mapping_free);
  g_free (p);
}

static GStrv
dup_header (PsImportReader *reader)
{
  guint n_columns = 0;
  const char * const *columns = ps_import_reader_get_header (reader, &n_columns);
  GStrv header = g_new0 (char *, n_columns + 1);

  for (guint i = 0; columns != NULL && i < n_columns; i++)
    header[i] = g_strdup (columns[i]);
  return header;
}

/* Fills @preview for a layout no dialect knows: the header, the first
 * rows and a guess from both, for the caller to ask for a mapping. */
static gboolean
describe_unknown_layout (PsImportPreview  *preview,
                         PsImportReader   *reader,
                         GCancellable     *cancellable,
                         GError          **error)
{
  const char * const * const *rows;

  preview->sample_rows = ps_import_reader_read_sample (reader, N_GUESS_ROWS, cancellable, error);
  if (preview->sample_rows == NULL)
    return FALSE;

  preview->needs_mapping = TRUE;
  preview->format = PS_IMPORT_FORMAT_GENERIC;
  preview->encoding = g_strdup (ps_import_reader_get_encoding (reader));
  preview->header = dup_header (reader);
  rows = (const char * const * const *)preview->sample_rows->pdata;
  preview->guess = ps_import_mapping_guess ((const char * const *)preview->header,
                                            g_strv_length (preview->header),
                                            rows, preview->sample_rows->len);
  return TRUE;
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PreviewData *p = task_data;
  g_autoptr(PsImportPreview) preview = g_new0 (PsImportPreview, 1);
  g_autoptr(GArray) units = NULL;

  preview->sample = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_import_record_free);
  preview->problems = _ps_import_problems_new ();
  preview->format = PS_IMPORT_FORMAT_AUTO;

  units = _ps_import_plan_units ((GFile **)p->files->pdata, p->files->len, p->format, cancellable);
  for (guint u = 0; u < units->len; u++)
    {
      const PsImportUnit *unit = &g_array_index (units, PsImportUnit, u);
      g_autoptr(PsImportReader) reader = NULL;
      PsImportRecord *record;
      GError *error = NULL;

      reader = _ps_import_open_unit (unit, p->format, p->mapping, NULL, cancellable, &error);
      if (reader == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      if (unit->items == NULL && _ps_import_reader_needs_mapping (reader, p->mapping))
        {
          if (!describe_unknown_layout (preview, reader, cancellable, &error))
            g_task_return_error (task, error);
          else
            g_task_return_pointer (task, g_steal_pointer (&preview),
                                   (GDestroyNotify)ps_import_preview_free);
          return;
        }

      if (u == 0)
        {
          preview->format = ps_import_reader_get_format (reader);
          preview->encoding = g_strdup (ps_import_reader_get_encoding (reader));
          preview->header = dup_header (reader);
        }

      while ((record = ps_import_reader_next (reader, cancellable, &error)) != NULL)
        {
          preview->orders++;
          preview->line_items += record->lines != NULL ? record->lines->len : 0;
          preview->warnings += record->warnings != NULL ? record->warnings->len : 0;
          if (preview->sample->len < p->n_sample)
            g_ptr_array_add (preview->sample, record);
          else
            ps_import_record_free (record);
        }
      if (error != NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      _ps_import_problems_append (preview->problems, ps_import_reader_get_problems (reader));
    }

  preview->rows_rejected = preview->problems->len;
  g_task_return_pointer (task, g_steal_pointer (&preview), (GDestroyNotify)ps_import_preview_free);
}

/**
 * ps_import_service_preview_async:
 * @files: (array length=n_files): the export files
 * @n_files: number of @files, at least 1
 * @format: as for ps_import_service_import_async()
 * @mapping: (nullable): the column mapping for an unknown layout
 * @n_sample: how many records to keep in #PsImportPreview.sample
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * A dry run for the preview dialog: reads the whole of every file on a
 * thread (not the database worker) and writes nothing. A layout no dialect
 * knows, without @mapping, is not an error: the preview comes back with
 * @needs_mapping, the header and a guess (saved mappings are not consulted
 * here: see ps_import_service_lookup_mapping_async()).
 */
void
ps_import_service_preview_async (GFile                 **files,
                                 guint                   n_files,
                                 PsImportFormat          format,
                                 const PsImportMapping  *mapping,
                                 guint                   n_sample,
                                 GCancellable           *cancellable,
                                 GAsyncReadyCallback     callback,
                                 gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  PreviewData *p;

  g_return_if_fail (files != NULL && n_files > 0);
  g_return_if_fail (format <= PS_IMPORT_FORMAT_LAST);

  p = g_new0 (PreviewData, 1);
  p->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (p->files, g_object_ref (files[i]));
  p->format = format;
  p->mapping = mapping != NULL ? ps_import_mapping_copy (mapping) : NULL;
  p->n_sample = n_sample;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_import_service_preview_async);
  g_task_set_task_data (task, p, (GDestroyNotify)preview_data_free);
  g_task_run_in_thread (task, preview_thread);
}

/**
 * ps_import_service_preview_finish:
 * @result: the #GAsyncResult
 * @error: return location for a %PS_IMPORT_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full) (nullable): the preview
 */
PsImportPreview *
ps_import_service_preview_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_import_service_preview_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Rejected rows */

typedef struct
{
  GFile  *file;
  GArray *lines;    /* guint: first physical lines of the rejected rows, sorted */
} RejectedSource;

static void
rejected_source_clear (gpointer data)
{
  RejectedSource *r = data;

  g_clear_object (&r->file);
  g_clear_pointer (&r->lines, g_array_unref);
}

typedef struct
{
  GArray *sources;  /* RejectedSource */
  GFile  *destination;
} SaveRejected;

static void
save_rejected_free (SaveRejected *s)
{
  g_array_unref (s->sources);
  g_object_unref (s->destination);
  g_free (s);
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *)a, y = *(const guint *)b;

  return x < y ? -1 : x > y;
}

/* Copies the header and the rejected records of @source to @out, byte
 * for byte (same encoding, same line ends), reading the file as a stream.
 * A record ends at a line break outside quotes: an even number of quote
 * characters so far, which is how RFC 4180 escapes them. */
static gboolean
copy_rejected (const RejectedSource  *source,
               GOutputStream         *out,
               GCancellable          *cancellable,
               GError               **error)
{
  g_autoptr(GFileInputStream) in = NULL;
  g_autofree char *buf = g_malloc (64 * 1024);
  GString *record = g_string_new (NULL);
  guint line = 1, record_line = 1, next = 0;
  gboolean in_quotes = FALSE, header_done = FALSE;
  gboolean ok = TRUE;

  in = g_file_read (source->file, cancellable, error);
  if (in == NULL)
    {
      g_string_free (record, TRUE);
      return FALSE;
    }

  while (ok && next < source->lines->len)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buf, 64 * 1024, cancellable, error);

      if (n < 0)
        {
          ok = FALSE;
          break;
        }

      for (gssize i = 0; ok && i <= n; i++)
        {
          gboolean at_end = i == n;
          char c = at_end ? '\0' : buf[i];

          if (at_end && n > 0)
            break;
          if (!at_end)
            {
              g_string_append_c (record, c);
              if (c == '"')
                in_quotes = !in_quotes;
              if (c != '\n' || in_quotes)
                continue;
            }

          /* A whole record (or the file's end): keep the first non-blank
           * record, the header, and the rejected ones. */
          if (!header_done && record->len > 0 && strspn (record->str, "\r\n") < record->len)
            {
              header_done = TRUE;
              ok = g_output_stream_write_all (out, record->str, record->len, NULL,
                                              cancellable, error);
            }
          else
            {
              while (next < source->lines->len &&
                     g_array_index (source->lines, guint, next) < record_line)
                next++;
              if (next < source->lines->len &&
                  g_array_index (source->lines, guint, next) == record_line)
                {
                  ok = g_output_stream_write_all (out, record->str, record->len, NULL,
                                                  cancellable, error);
                  if (record->len > 0 && record->str[record->len - 1] != '\n')
                    ok = ok && g_output_stream_write_all (out, "\n", 1, NULL, cancellable, error);
                  next++;
                }
            }
          for (gsize k = 0; k < record->len; k++)
            if (record->str[k] == '\n')
              line++;
          record_line = line;
          g_string_truncate (record, 0);
        }
      if (n == 0)
        break;
    }

  g_string_free (record, TRUE);
  return ok;
}

static void
save_rejected_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  SaveRejected *s = task_data;
  g_autoptr(GFileOutputStream) out = NULL;
  GError *error = NULL;

  out = g_file_replace (s->destination, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, &error);
  if (out == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < s->sources->len; i++)
    if (!copy_rejected (&g_array_index (s->sources, RejectedSource, i), G_OUTPUT_STREAM (out),
                        cancellable, &error))
      {
        g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
        g_file_delete (s->destination, NULL, NULL);
        g_task_return_error (task, error);
        return;
      }

  if (!g_output_stream_close (G_OUTPUT_STREAM (out), cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * ps_import_service_save_rejected_async:
 * @result: an import's result
 * @destination: the file to write
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Writes the rejected rows of @result's files to @destination as they are
 * in the files, each file's rows after its header row, so the merchant can
 * fix them in a spreadsheet and import that file. Reads the files again on
 * a thread. (For an Etsy pair, the lines are those of the orders file.)
 */
void
ps_import_service_save_rejected_async (PsImportResult      *result,
                                       GFile               *destination,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SaveRejected *s;

  g_return_if_fail (result != NULL);
  g_return_if_fail (G_IS_FILE (destination));

  s = g_new0 (SaveRejected, 1);
  s->destination = g_object_ref (destination);
  s->sources = g_array_new (FALSE, TRUE, sizeof (RejectedSource));
  g_array_set_clear_func (s->sources, rejected_source_clear);
  for (guint i = 0; i < result->files->len; i++)
    {
      const PsImportFileResult *file = g_ptr_array_index (result->files, i);
      RejectedSource source;

      if (file->problems == NULL || file->problems->len == 0 || file->file == NULL)
        continue;
      source.file = g_object_ref (file->file);
      source.lines = g_array_sized_new (FALSE, FALSE, sizeof (guint), file->problems->len);
      for (guint k = 0; k < file->problems->len; k++)
        g_array_append_val (source.lines, g_array_index (file->problems, PsImportProblem, k).line);
      g_array_sort (source.lines, compare_uint);
      g_array_append_val (s->sources, source);
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_import_service_save_rejected_async);
  g_task_set_task_data (task, s, (GDestroyNotify)save_rejected_free);
  g_task_run_in_thread (task, save_rejected_thread);
}

/**
 * ps_import_service_save_rejected_finish:
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: %TRUE if the file was written
 */
gboolean
ps_import_service_save_rejected_finish (GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        ps_import_service_save_rejected_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
