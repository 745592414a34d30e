/* ps-label-render.c: drawing our label layout with cairo, to PDF and PNG
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One renderer for every target: a preview widget or a print job hands
 * its cairo_t to ps_label_render(); PDF and PNG are cairo surfaces drawn
 * by the same function. The @dpi argument is the printer's dot grid the
 * barcodes snap to (see ps-label-layout.c), not the output's resolution:
 * a PDF meant for a 203 dpi printer is drawn with 203.
 */

#define G_LOG_DOMAIN "ps-label-render"

#include "config.h"

#include <math.h>

#include "ps-label-layout-private.h"
#include "ps-label-render.h"
#include "ps-labels-private.h"

static void
draw_layout (cairo_t       *cr,
             PsLabelLayout *layout)
{
  guint i;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, layout->width, layout->height);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);

  for (i = 0; i < layout->items->len; i++)
    {
      PsLayoutItem *item = g_ptr_array_index (layout->items, i);

      switch (item->kind)
        {
        case PS_LAYOUT_TEXT:
          /* The fit keeps text inside its box; the clip is for fonts whose
           * ink leaves their logical box. */
          cairo_save (cr);
          cairo_rectangle (cr, item->x, item->y, item->width, item->height);
          cairo_clip (cr);
          _ps_text_draw (cr, item->text, item->x, item->y);
          cairo_restore (cr);
          break;

        case PS_LAYOUT_BOX:
          if (item->thickness > 0)
            {
              cairo_set_line_width (cr, item->thickness);
              cairo_rectangle (cr, item->x + item->thickness / 2, item->y + item->thickness / 2,
                               item->width - item->thickness, item->height - item->thickness);
              cairo_stroke (cr);
            }
          else
            {
              cairo_rectangle (cr, item->x, item->y, item->width, item->height);
              cairo_fill (cr);
            }
          break;

        case PS_LAYOUT_BARCODE:
          ps_barcode_symbol_draw (item->symbol, cr, item->x, item->y, item->module);
          cairo_set_source_rgb (cr, 0, 0, 0);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  cairo_restore (cr);
}

/**
 * ps_label_render:
 * @cr: where to draw, with user space in points and the origin at the
 *   label's top left (upright)
 * @spec: the label
 * @size: the label stock; for the two-up sizes one 4x6 label is drawn
 *   (ps_label_render_page() places two on a sheet)
 * @dpi: the printer's resolution, 203 or 300, whose dot grid the
 *   barcodes snap to
 * @error: return location for a #PsLabelError
 *
 * Draws our layout: ship-from block, large ship-to, service banner,
 * barcodes from libzint with their quiet zones and the human-readable
 * tracking number. Nothing is drawn when @spec does not validate.
 *
 * Returns: %TRUE on success.
 */
gboolean
ps_label_render (cairo_t            *cr,
                 const PsLabelSpec  *spec,
                 PsLabelSize         size,
                 double              dpi,
                 GError            **error)
{
  g_autoptr(PsLabelLayout) layout = NULL;

  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  layout = _ps_label_layout_new (spec, size, (int) lround (dpi), error);
  if (layout == NULL)
    return FALSE;

  draw_layout (cr, layout);

  return _ps_cairo_check (cr, error);
}

/**
 * ps_label_render_page:
 * @cr: a page of @size, user space in points
 * @specs: (array length=n_specs): the labels for this page
 * @n_specs: how many, at most ps_label_size_get_n_labels()
 * @size: the stock
 * @dpi: the printer's dot grid
 * @error: return location for a #PsLabelError
 *
 * Draws up to one page's labels where @size puts them (turned on the
 * two-up sheets). Does not call cairo_show_page().
 *
 * Returns: %TRUE on success.
 */
gboolean
ps_label_render_page (cairo_t                   *cr,
                      const PsLabelSpec * const *specs,
                      guint                      n_specs,
                      PsLabelSize                size,
                      double                     dpi,
                      GError                   **error)
{
  guint i;

  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (specs != NULL || n_specs == 0, FALSE);
  g_return_val_if_fail (n_specs <= ps_label_size_get_n_labels (size), FALSE);

  for (i = 0; i < n_specs; i++)
    {
      cairo_matrix_t matrix;
      gboolean ok;

      ps_label_size_get_label_matrix (size, i, &matrix);
      cairo_save (cr);
      cairo_transform (cr, &matrix);
      ok = ps_label_render (cr, specs[i], size, dpi, error);
      cairo_restore (cr);
      if (!ok)
        return FALSE;
    }

  return TRUE;
}

/**
 * ps_label_render_pdf:
 * @specs: (array length=n_specs): the labels, in order
 * @n_specs: how many; at least one
 * @size: the stock: one label per 288 × 432 pt page for 4x6, 288 × 576
 *   for 4x8, two per Letter or A4 sheet for the two-up sizes
 * @dpi: the printer's dot grid the barcodes snap to
 * @error: return location for a #PsLabelError; the message names the
 *   label that failed
 *
 * Returns: (transfer full) (nullable): the PDF document.
 */
GBytes *
ps_label_render_pdf (const PsLabelSpec * const  *specs,
                     guint                       n_specs,
                     PsLabelSize                 size,
                     double                      dpi,
                     GError                    **error)
{
  GByteArray *buffer;
  cairo_surface_t *surface;
  cairo_t *cr;
  double pw, ph;
  guint per_page, i;

  g_return_val_if_fail (specs != NULL, NULL);
  g_return_val_if_fail (n_specs > 0, NULL);
  g_return_val_if_fail ((guint) size <= PS_LABEL_SIZE_LAST, NULL);

  ps_label_size_get_page_points (size, &pw, &ph);
  per_page = ps_label_size_get_n_labels (size);
  buffer = g_byte_array_new ();
  surface = _ps_pdf_surface_new (buffer, pw, ph);
  cr = cairo_create (surface);

  for (i = 0; i < n_specs; i += per_page)
    {
      g_autoptr(GError) local_error = NULL;

      if (!ps_label_render_page (cr, specs + i, MIN (per_page, n_specs - i), size, dpi,
                                 &local_error))
        {
          const PsLabelSpec *bad = specs[i];

          g_set_error (error, local_error->domain, local_error->code, "Label %u (%s): %s", i + 1,
                       bad->order_number != NULL ? bad->order_number
                       : bad->tracking_number != NULL ? bad->tracking_number : "no number",
                       local_error->message);
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
          g_byte_array_unref (buffer);
          return NULL;
        }
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  return _ps_pdf_surface_finish (surface, buffer, error);
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/**
 * ps_label_render_png:
 * @spec: the label
 * @size: %PS_LABEL_SIZE_4X6 or %PS_LABEL_SIZE_4X8 (two-up sizes give one
 *   upright 4x6 label)
 * @dpi: the image resolution, which is also the dot grid: 812 × 1218
 *   pixels for 4x6 at 203 dpi, 1200 × 1800 at 300
 * @error: return location for a #PsLabelError
 *
 * Returns: (transfer full) (nullable): a PNG, black on white, with
 *   barcode edges on whole pixels.
 */
GBytes *
ps_label_render_png (const PsLabelSpec  *spec,
                     PsLabelSize         size,
                     double              dpi,
                     GError            **error)
{
  cairo_surface_t *surface;
  cairo_t *cr;
  GByteArray *buffer;
  cairo_status_t status;
  int w, h;
  gboolean ok;

  g_return_val_if_fail (spec != NULL, NULL);

  if (dpi < 100 || dpi > 1200)
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_INVALID,
                   "A printer resolution of %g dpi is not supported (use 203 or 300)", dpi);
      return NULL;
    }

  ps_label_size_get_label_dots (size, (int) lround (dpi), &w, &h);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cr = cairo_create (surface);
  cairo_scale (cr, dpi / PS_POINTS_PER_INCH, dpi / PS_POINTS_PER_INCH);
  ok = ps_label_render (cr, spec, size, dpi, error);
  cairo_destroy (cr);

  if (!ok)
    {
      cairo_surface_destroy (surface);
      return NULL;
    }

  buffer = g_byte_array_new ();
  status = cairo_surface_write_to_png_stream (surface, append_png, buffer);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_RENDER, "Could not write the PNG: %s",
                   cairo_status_to_string (status));
      g_byte_array_unref (buffer);
      return NULL;
    }

  return g_byte_array_free_to_bytes (buffer);
}

/**
 * ps_label_get_barcode_boxes:
 * @spec: the label
 * @size: the stock
 * @dpi: the dot grid, as given to ps_label_render()
 * @error: return location for a #PsLabelError
 *
 * Returns: (transfer full) (element-type PsLabelBarcodeBox) (nullable):
 *   where each barcode of the label lies, in drawing order.
 */
GArray *
ps_label_get_barcode_boxes (const PsLabelSpec  *spec,
                            PsLabelSize         size,
                            double              dpi,
                            GError            **error)
{
  g_autoptr(PsLabelLayout) layout = NULL;
  GArray *boxes;
  guint i;

  g_return_val_if_fail (spec != NULL, NULL);

  layout = _ps_label_layout_new (spec, size, (int) lround (dpi), error);
  if (layout == NULL)
    return NULL;

  boxes = g_array_new (FALSE, TRUE, sizeof (PsLabelBarcodeBox));
  for (i = 0; i < layout->items->len; i++)
    {
      PsLayoutItem *item = g_ptr_array_index (layout->items, i);
      PsLabelBarcodeBox box;

      if (item->kind != PS_LAYOUT_BARCODE)
        continue;

      box.kind = item->barcode->kind;
      box.role = item->barcode->role;
      box.x = item->x_dots;
      box.y = item->y_dots;
      box.width = (int) ceil (item->width * dpi / PS_POINTS_PER_INCH - 1e-6);
      box.height = (int) ceil (item->height * dpi / PS_POINTS_PER_INCH - 1e-6);
      g_array_append_val (boxes, box);
    }

  return boxes;
}
