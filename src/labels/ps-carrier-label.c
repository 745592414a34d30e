/* ps-carrier-label.c: labels carriers send as bytes: PDF, PNG or ZPL
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Carrier PDF labels are drawn with poppler-glib (page 1, scaled to fit
 * the box, centred), for previews and for printing on other stock. PNG
 * labels load into a cairo image surface. ZPL is never drawn here: it
 * goes raw to the printer.
 */

#define G_LOG_DOMAIN "ps-carrier-label"

#include "config.h"

#include <string.h>
#include <poppler.h>

#include "ps-carrier-label.h"
#include "ps-label-spec.h"

static const guchar png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static gboolean detect (GBytes        *bytes,
                        PsLabelFormat *format);

/**
 * ps_label_format_detect:
 * @bytes: (nullable): label bytes
 * @format: (out) (optional): the format found
 *
 * Tells the format @bytes are in from their first bytes: "%PDF-", the
 * PNG signature, or (after blanks) a ^ or ~ command with "^XA" in the
 * first 4 KiB.
 *
 * Returns: whether @bytes are one of the label formats
 */
gboolean
ps_label_format_detect (GBytes        *bytes,
                        PsLabelFormat *format)
{
  PsLabelFormat found;

  if (!detect (bytes, &found))
    return FALSE;
  if (format != NULL)
    *format = found;
  return TRUE;
}

static gboolean
detect (GBytes        *bytes,
        PsLabelFormat *format)
{
  const char *data;
  gsize len, i;

  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &len);
  if (len >= 5 && memcmp (data, "%PDF-", 5) == 0)
    return (*format = PS_LABEL_FORMAT_PDF, TRUE);
  if (len >= sizeof png_signature && memcmp (data, png_signature, sizeof png_signature) == 0)
    return (*format = PS_LABEL_FORMAT_PNG, TRUE);

  for (i = 0; i < len && g_ascii_isspace (data[i]); i++)
    ;
  if (i < len && (data[i] == '^' || data[i] == '~'))
    {
      gsize window = MIN (len, 4096);
      gsize j;

      for (j = i; j + 3 <= window; j++)
        {
          if (data[j] == '^' && g_ascii_toupper (data[j + 1]) == 'X'
              && g_ascii_toupper (data[j + 2]) == 'A')
            return (*format = PS_LABEL_FORMAT_ZPL, TRUE);
        }
    }

  return FALSE;
}

/**
 * ps_label_format_to_nick:
 * @format: a #PsLabelFormat
 *
 * Returns: (transfer none): "pdf", "png", "zpl" (the #PsLabelFormat
 *   nicks) or "unknown".
 */
const char *
ps_label_format_to_nick (PsLabelFormat format)
{
  switch (format)
    {
    case PS_LABEL_FORMAT_PDF: return "pdf";
    case PS_LABEL_FORMAT_PNG: return "png";
    case PS_LABEL_FORMAT_ZPL: return "zpl";
    default: return "unknown";
    }
}

static PopplerPage *
first_page (GBytes       *pdf,
            PopplerDocument **doc_out,
            GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  PopplerDocument *doc;
  PopplerPage *page;
  PsLabelFormat found;

  if (!ps_label_format_detect (pdf, &found) || found != PS_LABEL_FORMAT_PDF)
    {
      g_set_error_literal (error, PS_LABEL_ERROR, PS_LABEL_ERROR_FORMAT,
                           "The carrier label is not a PDF document");
      return NULL;
    }

  doc = poppler_document_new_from_bytes (pdf, NULL, &local_error);
  if (doc == NULL)
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_FORMAT,
                   "The carrier's PDF label cannot be read: %s", local_error->message);
      return NULL;
    }

  page = poppler_document_get_n_pages (doc) > 0 ? poppler_document_get_page (doc, 0) : NULL;
  if (page == NULL)
    {
      g_set_error_literal (error, PS_LABEL_ERROR, PS_LABEL_ERROR_FORMAT,
                           "The carrier's PDF label has no page");
      g_object_unref (doc);
      return NULL;
    }

  *doc_out = doc;
  return page;
}

/**
 * ps_carrier_label_get_pdf_size:
 * @pdf: a PDF label
 * @width: (out) (optional): page 1's width in points
 * @height: (out) (optional): page 1's height in points
 * @error: return location for a #PS_LABEL_ERROR_FORMAT
 *
 * Returns: %TRUE when @pdf has a readable first page.
 */
gboolean
ps_carrier_label_get_pdf_size (GBytes  *pdf,
                               double  *width,
                               double  *height,
                               GError **error)
{
  PopplerDocument *doc = NULL;
  PopplerPage *page;
  g_autoptr(GObject) doc_owner = NULL;
  g_autoptr(GObject) page_owner = NULL;

  g_return_val_if_fail (pdf != NULL, FALSE);

  page = first_page (pdf, &doc, error);
  if (page == NULL)
    return FALSE;
  doc_owner = G_OBJECT (doc);
  page_owner = G_OBJECT (page);

  poppler_page_get_size (page, width, height);
  return TRUE;
}

/**
 * ps_carrier_label_render_pdf:
 * @cr: where to draw, in points
 * @pdf: a PDF label from a carrier
 * @width: the box to fill, from @cr's origin
 * @height: its height
 * @error: return location for a #PS_LABEL_ERROR_FORMAT
 *
 * Draws page 1 of @pdf on a white background, scaled to fit the box
 * without distortion and centred in it.
 *
 * Returns: %TRUE on success.
 */
gboolean
ps_carrier_label_render_pdf (cairo_t  *cr,
                             GBytes   *pdf,
                             double    width,
                             double    height,
                             GError  **error)
{
  PopplerDocument *doc = NULL;
  PopplerPage *page;
  g_autoptr(GObject) doc_owner = NULL;
  g_autoptr(GObject) page_owner = NULL;
  double pw, ph, scale;

  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (pdf != NULL, FALSE);

  page = first_page (pdf, &doc, error);
  if (page == NULL)
    return FALSE;
  doc_owner = G_OBJECT (doc);
  page_owner = G_OBJECT (page);

  poppler_page_get_size (page, &pw, &ph);
  if (pw <= 0 || ph <= 0)
    {
      g_set_error_literal (error, PS_LABEL_ERROR, PS_LABEL_ERROR_FORMAT,
                           "The carrier's PDF label has an empty page");
      return FALSE;
    }

  scale = MIN (width / pw, height / ph);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  cairo_translate (cr, (width - pw * scale) / 2, (height - ph * scale) / 2);
  cairo_scale (cr, scale, scale);
  poppler_page_render_for_printing (page, cr);
  cairo_restore (cr);

  if (cairo_status (cr) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_RENDER,
                   "Could not draw the carrier's PDF label: %s",
                   cairo_status_to_string (cairo_status (cr)));
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  const guchar *data;
  gsize         len;
  gsize         pos;
} Reader;

static cairo_status_t
read_png (void          *closure,
          unsigned char *data,
          unsigned int   length)
{
  Reader *r = closure;

  if (r->len - r->pos < length)
    return CAIRO_STATUS_READ_ERROR;

  memcpy (data, r->data + r->pos, length);
  r->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

/**
 * ps_carrier_label_load_png:
 * @png: a PNG label from a carrier
 * @error: return location for a #PS_LABEL_ERROR_FORMAT
 *
 * Returns: (transfer full) (nullable): an image surface of the label.
 */
cairo_surface_t *
ps_carrier_label_load_png (GBytes  *png,
                           GError **error)
{
  cairo_surface_t *surface;
  Reader r = { 0 };
  PsLabelFormat found;

  g_return_val_if_fail (png != NULL, NULL);

  if (!ps_label_format_detect (png, &found) || found != PS_LABEL_FORMAT_PNG)
    {
      g_set_error_literal (error, PS_LABEL_ERROR, PS_LABEL_ERROR_FORMAT,
                           "The carrier label is not a PNG image");
      return NULL;
    }

  r.data = g_bytes_get_data (png, &r.len);
  surface = cairo_image_surface_create_from_png_stream (read_png, &r);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_FORMAT,
                   "The carrier's PNG label cannot be read: %s",
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }

  return surface;
}
