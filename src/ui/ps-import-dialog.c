/* ps-import-dialog.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import in four steps, each a page of one stack: read the file(s) without
 * writing anything (preview, or the column mapping for an unknown layout),
 * confirm, import with progress and Cancel, and the result with every
 * rejected row. Reading and importing run off the main thread (the import
 * service); this dialog only shows what comes back.
 */

#define G_LOG_DOMAIN "ps-import-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-format.h"
#include "ps-group-rows.h"
#include "ps-import-dialog.h"
#include "ps-import-reader.h"
#include "ps-import-service.h"

#define N_SAMPLE 8
#define MAX_PROBLEM_ROWS 200

typedef enum
{
  STEP_READING,
  STEP_MAPPING,
  STEP_PREVIEW,
  STEP_IMPORTING,
  STEP_DONE,
  STEP_ERROR,
} Step;

struct _PsImportDialog
{
  AdwWindow         parent_instance;

  PsContext        *context;
  GPtrArray        *files;              /* GFile */
  GCancellable     *cancellable;
  Step              step;
  PsImportMapping  *mapping;            /* for a generic layout, once chosen */
  GStrv             header;             /* the generic layout's columns */
  GPtrArray        *mapping_rows;       /* AdwComboRow, one per column */
  PsImportResult   *result;
  PsImportPreview  *pending_preview;    /* while a saved mapping is looked up */
  gboolean          looked_up_mapping;
  GPtrArray        *rejected_files;     /* GFile for save-rejected, per result file */

  /* Template widgets */
  AdwWindowTitle   *window_title;
  GtkButton        *cancel_button;
  GtkButton        *primary_button;
  GtkStack         *stack;
  GtkSpinner       *reading_spinner;
  AdwStatusPage    *error_page;
  AdwEntryRow      *mapping_name_row;
  AdwPreferencesGroup *mapping_group;
  GtkLabel         *preview_summary;
  GtkLabel         *preview_details;
  AdwPreferencesGroup *sample_group;
  AdwPreferencesGroup *preview_problems_group;
  GtkProgressBar   *progress_bar;
  GtkLabel         *progress_label;
  GtkLabel         *done_summary;
  AdwPreferencesGroup *done_counts_group;
  AdwPreferencesGroup *done_problems_group;
};

G_DEFINE_FINAL_TYPE (PsImportDialog, ps_import_dialog, ADW_TYPE_WINDOW)

static void start_preview (PsImportDialog        *self);
static void show_mapping  (PsImportDialog        *self,
                           const PsImportPreview *preview);

/* Field names for the mapping rows, in PsImportField order. */
static const char * const field_labels[] = {
  N_("Ignore"),
  N_("Order number"),
  N_("Order date"),
  N_("Payment date"),
  N_("Status"),
  N_("Customer name"),
  N_("Customer email"),
  N_("Customer phone"),
  N_("Ship-to name"),
  N_("Ship-to company"),
  N_("Address line 1"),
  N_("Address line 2"),
  N_("City"),
  N_("State or province"),
  N_("Postal code"),
  N_("Country"),
  N_("Currency"),
  N_("Subtotal"),
  N_("Shipping"),
  N_("Tax"),
  N_("Total"),
  N_("SKU"),
  N_("Item name"),
  N_("Variant"),
  N_("Quantity"),
  N_("Unit price"),
  N_("Line total"),
  N_("Weight"),
  N_("Tracking number"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_labels) == PS_IMPORT_FIELD_LAST + 1);

/* Helpers */

static void
set_step (PsImportDialog *self,
          Step            step)
{
  static const char * const pages[] = {
    "reading", "mapping", "preview", "importing", "done", "error"
  };

  self->step = step;
  gtk_stack_set_visible_child_name (self->stack, pages[step]);
  if (step == STEP_READING)
    gtk_spinner_start (self->reading_spinner);
  else
    gtk_spinner_stop (self->reading_spinner);

  gtk_widget_set_visible (GTK_WIDGET (self->primary_button),
                          step == STEP_MAPPING || step == STEP_PREVIEW || step == STEP_DONE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), step != STEP_DONE);
  switch (step)
    {
    case STEP_MAPPING:
      gtk_button_set_label (self->primary_button, _("_Continue"));
      break;
    case STEP_PREVIEW:
      gtk_button_set_label (self->primary_button, _("_Import"));
      break;
    case STEP_DONE:
      gtk_button_set_label (self->primary_button, _("_Done"));
      break;
    case STEP_READING:
    case STEP_IMPORTING:
    case STEP_ERROR:
    default:
      break;
    }
  gtk_button_set_label (self->cancel_button, step == STEP_ERROR ? _("_Close") : _("_Cancel"));
}

/* The error codes of importers/ and store/ as sentences for the merchant. */
static char *
describe_error (const GError *error)
{
  if (error->domain == PS_IMPORT_ERROR)
    {
      switch ((PsImportError)error->code)
        {
        case PS_IMPORT_ERROR_EMPTY:
          return g_strdup (_("The file is empty."));
        case PS_IMPORT_ERROR_BINARY:
          return g_strdup (_("This is not a CSV file. Export your orders from the shop as CSV "
                             "(comma or tab separated text) and import that file."));
        case PS_IMPORT_ERROR_ENCODING:
          return g_strdup (_("The file's text could not be read: its character encoding is "
                             "not one Postsale knows."));
        case PS_IMPORT_ERROR_HEADER_ONLY:
          return g_strdup (_("The file has column names but no orders."));
        case PS_IMPORT_ERROR_NEEDS_MAPPING:
          return g_strdup (_("Postsale does not recognize this file's columns."));
        case PS_IMPORT_ERROR_BAD_MAPPING:
          return g_strdup_printf (_("The column choices are incomplete: %s"), error->message);
        case PS_IMPORT_ERROR_WRONG_FORMAT:
          return g_strdup (_("The file's columns do not fit the chosen shop format."));
        case PS_IMPORT_ERROR_READ:
        default:
          return g_strdup_printf (_("The file could not be read: %s"), error->message);
        }
    }
  if (error->domain == PS_STORE_ERROR && error->code == PS_STORE_ERROR_FULL)
    return g_strdup (_("The disk is full. Nothing was imported."));
  if (error->domain == PS_STORE_ERROR && error->code == PS_STORE_ERROR_BUSY)
    return g_strdup (_("The database is busy with another program. Nothing was imported; "
                       "try again."));
  return g_strdup_printf (_("Nothing was imported: %s"), error->message);
}

static void
show_error (PsImportDialog *self,
            const char     *title,
            const GError   *error)
{
  g_autofree char *text = describe_error (error);

  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, text);
  set_step (self, STEP_ERROR);
}

static char *
files_subtitle (PsImportDialog *self)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < self->files->len; i++)
    {
      g_autofree char *name = g_file_get_basename (g_ptr_array_index (self->files, i));

      if (i > 0)
        g_string_append (s, ", ");
      g_string_append (s, name);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
record_subtitle (const PsImportRecord *record)
{
  g_autofree char *total = ps_format_money (record->total_minor, record->currency);
  g_autofree char *destination = ps_format_destination (record->ship_city, record->ship_state,
                                                        record->ship_country);
  g_autofree char *date = ps_format_date (record->created_at);
  guint items = 0;

  for (guint i = 0; record->lines != NULL && i < record->lines->len; i++)
    items += g_array_index (record->lines, PsImportLine, i).quantity;

  return g_strdup_printf (ngettext ("%s · %u item · %s · %s", "%s · %u items · %s · %s", items),
                          date, items, total, destination);
}

static void
add_problem_rows (AdwPreferencesGroup *group,
                  GArray              *problems,
                  const char          *file_name)
{
  for (guint i = 0; problems != NULL && i < problems->len && i < MAX_PROBLEM_ROWS; i++)
    {
      const PsImportProblem *p = &g_array_index (problems, PsImportProblem, i);
      g_autofree char *title = file_name
        ? g_strdup_printf (_("%s, line %u"), file_name, p->line)
        : g_strdup_printf (_("Line %u"), p->line);

      ps_group_add_text_row (group, title, p->message);
    }
  if (problems != NULL && problems->len > MAX_PROBLEM_ROWS)
    {
      g_autofree char *more = g_strdup_printf (_("… and %u more"), problems->len - MAX_PROBLEM_ROWS);
      ps_group_add_text_row (group, more, NULL);
    }
}

static const char *
format_name (PsImportFormat format)
{
  switch (format)
    {
    case PS_IMPORT_FORMAT_SHOPIFY:     return "Shopify";
    case PS_IMPORT_FORMAT_WOOCOMMERCE: return "WooCommerce";
    case PS_IMPORT_FORMAT_ETSY_ORDERS:
    case PS_IMPORT_FORMAT_ETSY_ITEMS:  return "Etsy";
    case PS_IMPORT_FORMAT_AMAZON:      return "Amazon";
    case PS_IMPORT_FORMAT_EBAY:        return "eBay";
    case PS_IMPORT_FORMAT_GENERIC:     return _("Spreadsheet");
    case PS_IMPORT_FORMAT_AUTO:
    default:                           return "?";
    }
}

/* Preview */

static void
lookup_mapping_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PsImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsImportMapping) saved = NULL;
  PsImportPreview *preview = g_steal_pointer (&self->pending_preview);

  saved = ps_import_service_lookup_mapping_finish (PS_CONTEXT (object), result, &error);
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&preview, ps_import_preview_free);
      return;
    }
  if (error != NULL)
    g_warning ("Could not look up a saved column mapping: %s", error->message);

  if (saved != NULL)
    {
      g_clear_pointer (&self->mapping, ps_import_mapping_free);
      self->mapping = g_steal_pointer (&saved);
      g_clear_pointer (&preview, ps_import_preview_free);
      start_preview (self);
      return;
    }

  show_mapping (self, preview);
  ps_import_preview_free (preview);
}

static void
preview_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  PsImportPreview *preview;
  g_autofree char *summary = NULL;
  g_autofree char *orders = NULL;
  g_autofree char *lines = NULL;

  preview = ps_import_service_preview_finish (result, &error);
  if (preview == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_error (self, _("Cannot Import This File"), error);
      return;
    }

  if (preview->needs_mapping)
    {
      /* A layout seen before has a saved mapping: use it without asking.
       * Only when there is none does the merchant see the mapping page. */
      if (!self->looked_up_mapping && preview->header != NULL)
        {
          self->looked_up_mapping = TRUE;
          g_clear_pointer (&self->pending_preview, ps_import_preview_free);
          self->pending_preview = preview;
          ps_import_service_lookup_mapping_async (self->context,
                                                  (const char * const *)preview->header,
                                                  g_strv_length (preview->header),
                                                  self->cancellable, lookup_mapping_cb,
                                                  g_object_ref (self));
          return;
        }
      show_mapping (self, preview);
      ps_import_preview_free (preview);
      return;
    }

  orders = ps_format_count (preview->orders);
  lines = ps_format_count (preview->line_items);
  /* Translators: "412 orders with 980 line items" */
  summary = g_strdup_printf (_("%s orders with %s line items"), orders, lines);
  gtk_label_set_label (self->preview_summary, summary);
  {
    g_autofree char *details = NULL;

    details = g_strdup_printf (_("Format: %s · Text encoding: %s · %u warnings · %u rows will be "
                                 "skipped. Nothing has been written yet."),
                               format_name (preview->format),
                               preview->encoding ? preview->encoding : "?",
                               preview->warnings, preview->rows_rejected);
    gtk_label_set_label (self->preview_details, details);
  }

  ps_group_clear_rows (self->sample_group);
  for (guint i = 0; i < preview->sample->len; i++)
    {
      const PsImportRecord *r = g_ptr_array_index (preview->sample, i);
      g_autofree char *title = g_strdup_printf ("%s · %s", r->order_number,
                                                r->customer_name ? r->customer_name : "");
      g_autofree char *subtitle = record_subtitle (r);

      ps_group_add_text_row (self->sample_group, title, subtitle);
    }

  ps_group_clear_rows (self->preview_problems_group);
  add_problem_rows (self->preview_problems_group, preview->problems, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->preview_problems_group),
                          preview->problems != NULL && preview->problems->len > 0);

  gtk_widget_set_sensitive (GTK_WIDGET (self->primary_button), preview->orders > 0);
  ps_import_preview_free (preview);
  set_step (self, STEP_PREVIEW);
}

static void
start_preview (PsImportDialog *self)
{
  set_step (self, STEP_READING);
  ps_import_service_preview_async ((GFile **)self->files->pdata, self->files->len,
                                   self->mapping ? PS_IMPORT_FORMAT_GENERIC : PS_IMPORT_FORMAT_AUTO,
                                   self->mapping, N_SAMPLE, self->cancellable,
                                   preview_cb, g_object_ref (self));
}

/* Mapping */

static void
show_mapping (PsImportDialog        *self,
              const PsImportPreview *preview)
{
  g_autoptr(GtkStringList) fields = gtk_string_list_new (NULL);
  g_autoptr(PsImportMapping) guess = NULL;
  guint n_columns = preview->header ? g_strv_length (preview->header) : 0;

  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    gtk_string_list_append (fields, _(field_labels[i]));

  g_clear_pointer (&self->header, g_strfreev);
  self->header = g_strdupv (preview->header);
  guess = preview->guess ? ps_import_mapping_copy (preview->guess) : ps_import_mapping_new ();

  ps_group_clear_rows (self->mapping_group);
  g_ptr_array_set_size (self->mapping_rows, 0);
  for (guint i = 0; i < n_columns; i++)
    {
      GtkWidget *row = adw_combo_row_new ();
      const char *sample = NULL;

      if (preview->sample_rows != NULL && preview->sample_rows->len > 0)
        {
          GStrv cells = g_ptr_array_index (preview->sample_rows, 0);
          if (i < g_strv_length (cells))
            sample = cells[i];
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), self->header[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (sample != NULL && *sample != '\0')
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sample);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (fields));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), ps_import_mapping_get (guess, self->header[i]));
      ps_group_add_row (self->mapping_group, row);
      g_ptr_array_add (self->mapping_rows, row);
    }

  if (*gtk_editable_get_text (GTK_EDITABLE (self->mapping_name_row)) == '\0')
    {
      g_autofree char *name = g_file_get_basename (g_ptr_array_index (self->files, 0));
      gtk_editable_set_text (GTK_EDITABLE (self->mapping_name_row), name);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->primary_button), TRUE);
  set_step (self, STEP_MAPPING);
}

static PsImportMapping *
mapping_from_rows (PsImportDialog *self)
{
  PsImportMapping *mapping = ps_import_mapping_new ();

  for (guint i = 0; i < self->mapping_rows->len; i++)
    ps_import_mapping_set (mapping, self->header[i],
                           adw_combo_row_get_selected (g_ptr_array_index (self->mapping_rows, i)));
  return mapping;
}

static void
save_mapping_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PsImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Not remembering the layout is worth a warning, not stopping the import. */
  if (!ps_import_service_save_mapping_finish (PS_CONTEXT (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not save the column mapping: %s", error->message);
}

static void
continue_from_mapping (PsImportDialog *self)
{
  g_autoptr(PsImportMapping) mapping = mapping_from_rows (self);
  g_autoptr(GError) error = NULL;
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->mapping_name_row));

  if (!ps_import_mapping_is_complete (mapping, &error))
    {
      adw_preferences_group_set_description (self->mapping_group, error->message);
      return;
    }
  adw_preferences_group_set_description (self->mapping_group, NULL);

  g_clear_pointer (&self->mapping, ps_import_mapping_free);
  self->mapping = g_steal_pointer (&mapping);
  ps_import_service_save_mapping_async (self->context, (const char * const *)self->header,
                                        g_strv_length (self->header),
                                        *name != '\0' ? name : _("Spreadsheet"),
                                        self->mapping, self->cancellable, save_mapping_cb,
                                        g_object_ref (self));
  start_preview (self);
}

/* Import */

static void
progress_cb (guint    file_index,
             guint    n_files,
             goffset  bytes_done,
             goffset  bytes_total,
             guint    orders_done,
             gpointer user_data)
{
  PsImportDialog *self = user_data;
  g_autofree char *count = ps_format_count (orders_done);
  g_autofree char *text = NULL;
  double fraction = 0;

  if (bytes_total > 0 && n_files > 0)
    fraction = ((double)file_index + (double)bytes_done / (double)bytes_total) / n_files;
  gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0.0, 1.0));

  if (n_files > 1)
    text = g_strdup_printf (_("File %u of %u · %s orders"), file_index + 1, n_files, count);
  else
    text = g_strdup_printf (_("%s orders"), count);
  gtk_label_set_label (self->progress_label, text);
}

static void
import_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PsImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  guint n_problems = 0;

  g_clear_pointer (&self->result, ps_import_result_free);
  self->result = ps_import_service_import_finish (PS_CONTEXT (object), result, &error);
  if (self->result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          adw_status_page_set_title (self->error_page, _("Import Cancelled"));
          adw_status_page_set_description (self->error_page,
                                           self->files->len > 1
                                           ? _("Nothing was written from the file being imported; "
                                               "files finished before it are kept.")
                                           : _("Nothing was written; the orders are as they "
                                               "were."));
          set_step (self, STEP_ERROR);
          return;
        }
      show_error (self, _("Import Failed"), error);
      return;
    }

  summary = g_strdup_printf (ngettext ("%u order imported", "%u orders imported",
                                       self->result->orders_created + self->result->orders_updated),
                             self->result->orders_created + self->result->orders_updated);
  gtk_label_set_label (self->done_summary, summary);

  ps_group_clear_rows (self->done_counts_group);
  {
    struct { const char *label; guint n; } counts[] = {
      { N_("New orders"), self->result->orders_created },
      { N_("Updated orders"), self->result->orders_updated },
      { N_("Unchanged orders"), self->result->orders_unchanged },
      { N_("Rejected rows"), self->result->rows_rejected },
    };

    for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
      {
        GtkWidget *row = ps_group_add_text_row (self->done_counts_group, _(counts[i].label), NULL);
        g_autofree char *n = ps_format_count (counts[i].n);
        GtkWidget *value = gtk_label_new (n);

        gtk_widget_add_css_class (value, "numeric");
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      }
  }

  ps_group_clear_rows (self->done_problems_group);
  for (guint i = 0; i < self->result->files->len; i++)
    {
      PsImportFileResult *file = g_ptr_array_index (self->result->files, i);

      add_problem_rows (self->done_problems_group, file->problems,
                        self->result->files->len > 1 ? file->file_name : NULL);
      n_problems += file->problems ? file->problems->len : 0;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->done_problems_group), n_problems > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.save-rejected", n_problems > 0);

  set_step (self, STEP_DONE);
}

static void
start_import (PsImportDialog *self)
{
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_label_set_label (self->progress_label, "");
  set_step (self, STEP_IMPORTING);
  ps_import_service_import_async (self->context, (GFile **)self->files->pdata, self->files->len,
                                  self->mapping ? PS_IMPORT_FORMAT_GENERIC : PS_IMPORT_FORMAT_AUTO,
                                  self->mapping, progress_cb, g_object_ref (self), g_object_unref,
                                  self->cancellable, import_cb, g_object_ref (self));
}

/* Saving rejected rows */

static void
save_rejected_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(PsImportDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ps_import_service_save_rejected_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *text = g_strdup_printf (_("Could not save the rejected rows: %s"),
                                               error->message);
      adw_preferences_group_set_description (self->done_problems_group, text);
    }
  else if (error == NULL)
    adw_preferences_group_set_description (self->done_problems_group,
                                           _("Saved. Fix the rows and import that file again."));
}

static void
on_save_chooser_response_cb (GtkNativeDialog *chooser,
                             int              response,
                             PsImportDialog  *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && self->result != NULL)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      ps_import_service_save_rejected_async (self->result, file, self->cancellable,
                                             save_rejected_cb, g_object_ref (self));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
import_save_rejected_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  PsImportDialog *self = PS_IMPORT_DIALOG (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *base = g_file_get_basename (g_ptr_array_index (self->files, 0));
  g_autofree char *name = g_strdup_printf (_("rejected-%s"), base);

  if (!g_str_has_suffix (name, ".csv"))
    {
      char *with_ext = g_strconcat (name, ".csv", NULL);
      g_free (name);
      name = with_ext;
    }

  chooser = gtk_file_chooser_native_new (_("Save Rejected Rows"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_save_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Actions */

static void
import_primary_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PsImportDialog *self = PS_IMPORT_DIALOG (widget);

  switch (self->step)
    {
    case STEP_MAPPING:
      continue_from_mapping (self);
      break;
    case STEP_PREVIEW:
      start_import (self);
      break;
    case STEP_DONE:
      gtk_window_close (GTK_WINDOW (self));
      break;
    case STEP_READING:
    case STEP_IMPORTING:
    case STEP_ERROR:
    default:
      break;
    }
}

static void
import_cancel_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  PsImportDialog *self = PS_IMPORT_DIALOG (widget);

  /* During the import Cancel stops it (the service rolls back the file's
   * transaction) and the dialog stays to say so; otherwise it closes. */
  if (self->step == STEP_IMPORTING)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
}

/* GObject overrides */

static void
ps_import_dialog_dispose (GObject *object)
{
  PsImportDialog *self = (PsImportDialog *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);

  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_IMPORT_DIALOG);

  G_OBJECT_CLASS (ps_import_dialog_parent_class)->dispose (object);
}

static void
ps_import_dialog_finalize (GObject *object)
{
  PsImportDialog *self = (PsImportDialog *)object;

  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->mapping, ps_import_mapping_free);
  g_clear_pointer (&self->header, g_strfreev);
  g_clear_pointer (&self->mapping_rows, g_ptr_array_unref);
  g_clear_pointer (&self->result, ps_import_result_free);
  g_clear_pointer (&self->pending_preview, ps_import_preview_free);

  G_OBJECT_CLASS (ps_import_dialog_parent_class)->finalize (object);
}

static void
ps_import_dialog_class_init (PsImportDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_import_dialog_dispose;
  object_class->finalize = ps_import_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/ps-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, primary_button);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, reading_spinner);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, error_page);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, mapping_name_row);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, mapping_group);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, preview_summary);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, preview_details);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, sample_group);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, preview_problems_group);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, done_summary);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, done_counts_group);
  gtk_widget_class_bind_template_child (widget_class, PsImportDialog, done_problems_group);

  gtk_widget_class_install_action (widget_class, "import.primary", NULL, import_primary_action);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, import_cancel_action);
  gtk_widget_class_install_action (widget_class, "import.save-rejected", NULL,
                                   import_save_rejected_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "import.cancel", NULL);
}

static void
ps_import_dialog_init (PsImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  self->mapping_rows = g_ptr_array_new ();
}

/**
 * ps_import_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @context: the open context
 * @files: (array length=n_files): the files to import
 * @n_files: how many
 *
 * Creates the dialog and starts reading the files.
 *
 * Returns: (transfer full): the dialog; present it
 */
PsImportDialog *
ps_import_dialog_new (GtkWindow  *parent,
                      PsContext  *context,
                      GFile     **files,
                      guint       n_files)
{
  PsImportDialog *self;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (PS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (n_files > 0, NULL);

  self = g_object_new (PS_TYPE_IMPORT_DIALOG, "transient-for", parent, NULL);
  self->context = g_object_ref (context);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (self->files, g_object_ref (files[i]));

  subtitle = files_subtitle (self);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  start_preview (self);
  return self;
}
