/* ps-dashboard-report.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A simple A4 report of the Dashboard: the title and period, the tiles
 * (value and change), each chart's numbers as a table and the patterns.
 * Everything arrives as text; this file only lays it out, flowing onto
 * new pages as needed. It uses cairo and Pango but no GTK, so the page
 * draws it on a worker thread (pango_cairo_font_map_get_default() is per
 * thread).
 */

#define G_LOG_DOMAIN "ps-dashboard-report"

#include "config.h"

#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "ps-dashboard-report.h"

#define PAGE_WIDTH  595.0     /* A4 in points */
#define PAGE_HEIGHT 842.0
#define MARGIN      48.0
#define CELL_PAD    8.0

typedef enum
{
  BLOCK_TILE,
  BLOCK_TABLE,
  BLOCK_NOTE,
  BLOCK_PATTERN,
} BlockKind;

typedef struct
{
  BlockKind  kind;
  char      *title;
  char      *value;
  char      *detail;
  GStrv      header;
  GPtrArray *rows;      /* GStrv */
} Block;

struct _PsDashboardReport
{
  char      *title;
  char      *subtitle;
  GPtrArray *blocks;    /* Block */
};

static void
block_free (gpointer data)
{
  Block *block = data;

  g_free (block->title);
  g_free (block->value);
  g_free (block->detail);
  g_strfreev (block->header);
  g_clear_pointer (&block->rows, g_ptr_array_unref);
  g_free (block);
}

PsDashboardReport *
ps_dashboard_report_new (const char *title,
                         const char *subtitle)
{
  PsDashboardReport *self = g_new0 (PsDashboardReport, 1);

  self->title = g_strdup (title);
  self->subtitle = g_strdup (subtitle);
  self->blocks = g_ptr_array_new_with_free_func (block_free);
  return self;
}

void
ps_dashboard_report_free (PsDashboardReport *self)
{
  if (self == NULL)
    return;
  g_free (self->title);
  g_free (self->subtitle);
  g_ptr_array_unref (self->blocks);
  g_free (self);
}

static Block *
add_block (PsDashboardReport *self,
           BlockKind          kind,
           const char        *title)
{
  Block *block = g_new0 (Block, 1);

  block->kind = kind;
  block->title = g_strdup (title);
  g_ptr_array_add (self->blocks, block);
  return block;
}

/**
 * ps_dashboard_report_add_tile:
 * @self: a report
 * @title: the tile's title
 * @value: its value as shown
 * @detail: (nullable): what follows (change, counts)
 */
void
ps_dashboard_report_add_tile (PsDashboardReport *self,
                              const char        *title,
                              const char        *value,
                              const char        *detail)
{
  Block *block = add_block (self, BLOCK_TILE, title);

  block->value = g_strdup (value);
  block->detail = g_strdup (detail);
}

/**
 * ps_dashboard_report_add_table:
 * @self: a report
 * @title: the table's heading
 * @header: (array zero-terminated=1): the column names
 *
 * Starts a table; ps_dashboard_report_add_row() adds to the last one.
 */
void
ps_dashboard_report_add_table (PsDashboardReport  *self,
                               const char         *title,
                               const char * const *header)
{
  Block *block = add_block (self, BLOCK_TABLE, title);

  block->header = g_strdupv ((char **) header);
  block->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
}

void
ps_dashboard_report_add_row (PsDashboardReport  *self,
                             const char * const *cells)
{
  Block *block;

  g_return_if_fail (self->blocks->len > 0);
  block = g_ptr_array_index (self->blocks, self->blocks->len - 1);
  g_return_if_fail (block->kind == BLOCK_TABLE);
  g_ptr_array_add (block->rows, g_strdupv ((char **) cells));
}

/* A line of small text under the last table ("No data in this period"). */
void
ps_dashboard_report_add_note (PsDashboardReport *self,
                              const char        *text)
{
  add_block (self, BLOCK_NOTE, text);
}

void
ps_dashboard_report_add_pattern (PsDashboardReport *self,
                                 const char        *text)
{
  add_block (self, BLOCK_PATTERN, text);
}

/* Drawing */

typedef struct
{
  cairo_t     *cr;
  PangoLayout *layout;
  double       y;
  guint        n_pages;
  const char  *title;      /* repeated small at the top of later pages */
} Pen;

static void
set_font (Pen        *pen,
          const char *font)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (pen->layout, desc);
}

static double
measure (Pen        *pen,
         const char *text,
         double      width)
{
  int w, h;

  pango_layout_set_width (pen->layout, width > 0 ? pango_units_from_double (width) : -1);
  pango_layout_set_text (pen->layout, text, -1);
  pango_layout_get_size (pen->layout, &w, &h);
  return pango_units_to_double (h);
}

static double
text_width (Pen        *pen,
            const char *text)
{
  int w, h;

  pango_layout_set_width (pen->layout, -1);
  pango_layout_set_text (pen->layout, text, -1);
  pango_layout_get_size (pen->layout, &w, &h);
  return pango_units_to_double (w);
}

static void
new_page (Pen *pen)
{
  if (pen->n_pages > 0)
    cairo_show_page (pen->cr);
  pen->n_pages++;
  pen->y = MARGIN;
  if (pen->n_pages > 1)
    {
      g_autofree char *head = g_strdup_printf (_("%s — page %u"), pen->title, pen->n_pages);

      set_font (pen, "Sans 7");
      cairo_set_source_rgb (pen->cr, 0.45, 0.45, 0.45);
      measure (pen, head, 0);
      cairo_move_to (pen->cr, MARGIN, MARGIN - 20);
      pango_cairo_show_layout (pen->cr, pen->layout);
    }
}

/* Starts a new page unless @height more points fit on this one. */
static void
need (Pen    *pen,
      double  height)
{
  if (pen->y + height > PAGE_HEIGHT - MARGIN)
    new_page (pen);
}

static void
draw_text (Pen        *pen,
           const char *font,
           const char *text,
           double      x,
           double      width,
           double      grey,
           double      space_after)
{
  double h;

  set_font (pen, font);
  h = measure (pen, text, width);
  need (pen, h);
  cairo_set_source_rgb (pen->cr, grey, grey, grey);
  cairo_move_to (pen->cr, x, pen->y);
  pango_cairo_show_layout (pen->cr, pen->layout);
  pen->y += h + space_after;
}

static gboolean
is_numeric (const char *text)
{
  return text != NULL && text[0] != '\0'
         && (g_ascii_isdigit (text[0]) || strchr ("$-+.", text[0]) != NULL
             || g_str_has_prefix (text, "—") || g_str_has_prefix (text, "€")
             || g_str_has_prefix (text, "£") || g_str_has_prefix (text, "¥"));
}

static double
row_height (Pen          *pen,
            char * const *cells,
            const double *widths,
            guint         n_columns,
            gboolean      header)
{
  double height = 0;

  set_font (pen, header ? "Sans Bold 8" : "Sans 8");
  for (guint c = 0; c < n_columns && cells[c] != NULL; c++)
    height = MAX (height, measure (pen, cells[c], widths[c] - CELL_PAD));
  return height;
}

static void
draw_row (Pen            *pen,
          char * const   *cells,
          const double   *widths,
          const gboolean *numeric,
          guint           n_columns,
          gboolean        header)
{
  double x = MARGIN;
  double height = row_height (pen, cells, widths, n_columns, header);

  need (pen, height + 4);
  cairo_set_source_rgb (pen->cr, 0.1, 0.1, 0.1);
  for (guint c = 0; c < n_columns && cells[c] != NULL; c++)
    {
      measure (pen, cells[c], widths[c] - CELL_PAD);
      pango_layout_set_alignment (pen->layout, numeric[c] ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      cairo_move_to (pen->cr, x, pen->y);
      pango_cairo_show_layout (pen->cr, pen->layout);
      pango_layout_set_alignment (pen->layout, PANGO_ALIGN_LEFT);
      x += widths[c];
    }
  pen->y += height + 2;
  if (header)
    {
      cairo_set_source_rgb (pen->cr, 0.6, 0.6, 0.6);
      cairo_set_line_width (pen->cr, 0.5);
      cairo_move_to (pen->cr, MARGIN, pen->y);
      cairo_line_to (pen->cr, x - CELL_PAD, pen->y);
      cairo_stroke (pen->cr);
      pen->y += 3;
    }
}

static void
draw_table (Pen   *pen,
            Block *block)
{
  guint n_columns = g_strv_length (block->header);
  g_autofree double *widths = g_new0 (double, n_columns);
  g_autofree gboolean *numeric = g_new0 (gboolean, n_columns);
  double total = 0, available = PAGE_WIDTH - 2 * MARGIN;

  /* Column widths from the widest cell, shrunk together to the page. */
  set_font (pen, "Sans Bold 8");
  for (guint c = 0; c < n_columns; c++)
    widths[c] = text_width (pen, block->header[c]) + CELL_PAD;
  set_font (pen, "Sans 8");
  for (guint c = 0; c < n_columns; c++)
    numeric[c] = c > 0 && block->rows->len > 0;
  for (guint r = 0; r < block->rows->len; r++)
    {
      char **cells = g_ptr_array_index (block->rows, r);

      for (guint c = 0; c < n_columns && cells[c] != NULL; c++)
        {
          widths[c] = MAX (widths[c], MIN (text_width (pen, cells[c]) + CELL_PAD, available / 2));
          if (cells[c][0] != '\0' && !is_numeric (cells[c]))
            numeric[c] = FALSE;
        }
    }
  for (guint c = 0; c < n_columns; c++)
    total += widths[c];
  if (total > available)
    for (guint c = 0; c < n_columns; c++)
      widths[c] *= available / total;

  need (pen, 60);
  draw_text (pen, "Sans Bold 11", block->title, MARGIN, available, 0.1, 4);
  draw_row (pen, block->header, widths, numeric, n_columns, TRUE);
  for (guint r = 0; r < block->rows->len; r++)
    {
      char **cells = g_ptr_array_index (block->rows, r);

      /* A table that flows onto a new page repeats its header there. */
      if (pen->y + row_height (pen, cells, widths, n_columns, FALSE) + 4 > PAGE_HEIGHT - MARGIN)
        {
          new_page (pen);
          draw_row (pen, block->header, widths, numeric, n_columns, TRUE);
        }
      draw_row (pen, cells, widths, numeric, n_columns, FALSE);
    }
  pen->y += 14;
}

static cairo_status_t
write_bytes_cb (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * ps_dashboard_report_to_pdf:
 * @self: a report
 * @n_pages: (out) (optional): how many pages it took
 * @error: return location for an error
 *
 * Any thread.
 *
 * Returns: (transfer full): the PDF file's bytes, or %NULL with @error
 */
GBytes *
ps_dashboard_report_to_pdf (PsDashboardReport  *self,
                            guint              *n_pages,
                            GError            **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  Pen pen = { NULL, };
  double available = PAGE_WIDTH - 2 * MARGIN;
  gboolean in_tiles = FALSE, in_patterns = FALSE;

  surface = cairo_pdf_surface_create_for_stream (write_bytes_cb, bytes, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, self->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Postsale");
  pen.cr = cairo_create (surface);
  pen.layout = pango_cairo_create_layout (pen.cr);
  pen.title = self->title;

  new_page (&pen);
  draw_text (&pen, "Sans Bold 18", self->title, MARGIN, available, 0.05, 2);
  if (self->subtitle != NULL)
    draw_text (&pen, "Sans 10", self->subtitle, MARGIN, available, 0.35, 16);

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);

      switch (block->kind)
        {
        case BLOCK_TILE:
          if (!in_tiles)
            {
              draw_text (&pen, "Sans Bold 12", _("Summary"), MARGIN, available, 0.1, 6);
              in_tiles = TRUE;
            }
          {
            /* Title on the left, value on the right, detail under it. */
            double y = pen.y;

            need (&pen, 30);
            y = pen.y;
            draw_text (&pen, "Sans 10", block->title, MARGIN, available * 0.45, 0.2, 0);
            pen.y = y;
            draw_text (&pen, "Sans Bold 10", block->value, MARGIN + available * 0.45,
                       available * 0.2, 0.05, 0);
            pen.y = y;
            draw_text (&pen, "Sans 8", block->detail != NULL ? block->detail : "",
                       MARGIN + available * 0.65, available * 0.35, 0.35, 6);
            pen.y = MAX (pen.y, y + 24);
          }
          break;
        case BLOCK_TABLE:
          if (in_tiles)
            pen.y += 14;
          in_tiles = FALSE;
          draw_table (&pen, block);
          break;
        case BLOCK_NOTE:
          pen.y -= 10;
          draw_text (&pen, "Sans Italic 8", block->title, MARGIN, available, 0.35, 14);
          break;
        case BLOCK_PATTERN:
        default:
          if (!in_patterns)
            {
              need (&pen, 60);
              draw_text (&pen, "Sans Bold 11", _("Patterns"), MARGIN, available, 0.1, 4);
              in_patterns = TRUE;
            }
          draw_text (&pen, "Sans 9", block->title, MARGIN, available, 0.1, 6);
          break;
        }
    }

  g_object_unref (pen.layout);
  cairo_destroy (pen.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot draw the report: %s"),
                   cairo_status_to_string (status));
      return NULL;
    }
  if (n_pages != NULL)
    *n_pages = pen.n_pages;
  return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
}
