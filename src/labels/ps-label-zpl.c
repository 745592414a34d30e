/* ps-label-zpl.c: our label as ZPL II for thermal printers
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ZPL writer walks the same layout the cairo renderer draws
 * (ps-label-layout.c), converted to dots:
 *
 * - ^XA, ^CI28 (UTF-8), ^PW and ^LL from the label size at the dpi
 *   (812 × 1218 for 4x6 at 203 dpi, 1200 × 1800 at 300), ^LH with the
 *   printer offsets, ^PON;
 * - every text line as Pango broke it, as its own field: ^FO, ^A0N with
 *   the fitted size in dots, ^FB one line wide as the box with the box's
 *   alignment, ^FH^FD with "_", "^" and "~" hex-escaped (_5F, _5E, _7E),
 *   control characters as _XX and backslashes doubled for ^FB;
 * - rules and boxes as ^GB;
 * - Code 128 as ^BY module ^BCN,height,N,N,N,A (automatic subsets);
 *   GS1-128 as ^BCN,…,N with ">;" (start C) and ">8" (FNC1) before each
 *   AI, as on USPS labels; DataMatrix as ^BXN,module,200; PDF417 as
 *   ^BY module ^B7N,row height,3,8; MaxiCode as ^BDmode,1,1 with the high
 *   priority message (class, country, postcode) before the carrier
 *   message. Linear and matrix symbols start after their quiet zone, at
 *   the same dots as in the cairo rendering.
 */

#define G_LOG_DOMAIN "ps-label-zpl"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ps-label-layout-private.h"
#include "ps-label-zpl.h"
#include "ps-labels-private.h"

/**
 * ps_zpl_escape_field:
 * @text: (nullable): UTF-8 text
 *
 * Escapes @text for a field that follows ^FH (escape character "_"):
 * "_", "^", "~" and control characters become _XX; other bytes, UTF-8
 * included, are kept (the label selects UTF-8 with ^CI28).
 *
 * Returns: (transfer full): the escaped text.
 */
char *
ps_zpl_escape_field (const char *text)
{
  GString *out = g_string_new (NULL);
  const guchar *p;

  for (p = (const guchar *) (text != NULL ? text : ""); *p != '\0'; p++)
    {
      if (*p == '_' || *p == '^' || *p == '~' || *p < 0x20 || *p == 0x7f)
        g_string_append_printf (out, "_%02X", *p);
      else
        g_string_append_c (out, (char) *p);
    }

  return g_string_free (out, FALSE);
}

static int
dots (double points,
      int    dpi)
{
  return (int) lround (points * dpi / PS_POINTS_PER_INCH);
}

static void
append_text (GString      *out,
             PsLayoutItem *item,
             int           dpi)
{
  PangoLayout *layout = item->text;
  const char *text = pango_layout_get_text (layout);
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  int height = MAX (dots (_ps_text_layout_size (layout), dpi), 10);
  char justify;

  switch (pango_layout_get_alignment (layout))
    {
    case PANGO_ALIGN_CENTER: justify = 'C'; break;
    case PANGO_ALIGN_RIGHT: justify = 'R'; break;
    case PANGO_ALIGN_LEFT:
    default: justify = 'L'; break;
    }

  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle logical;
      g_autofree char *chunk = NULL;
      g_autofree char *escaped = NULL;
      g_autoptr(GString) fb = g_string_new (NULL);
      const char *c;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      chunk = g_strndup (text + line->start_index, line->length);
      g_strchomp (chunk);
      if (chunk[0] == '\0')
        continue;

      /* ^FB reads "\&" as a line break: double every backslash. */
      for (c = chunk; *c != '\0'; c++)
        {
          if (*c == '\\')
            g_string_append_c (fb, '\\');
          g_string_append_c (fb, *c);
        }
      escaped = ps_zpl_escape_field (fb->str);

      g_string_append_printf (out, "^FO%d,%d^A0N,%d,%d^FB%d,1,0,%c^FH^FD%s^FS\n",
                              dots (item->x, dpi),
                              dots (item->y + logical.y / (double) PANGO_SCALE, dpi),
                              height, height, MAX (dots (item->width, dpi), 1), justify, escaped);
    }
  while (pango_layout_iter_next_line (iter));

  pango_layout_iter_free (iter);
}

static void
append_gs1 (GString    *out,
            const char *data)
{
  /* "[420]94107[92]0559…" → ">;>842094107>8920559…" */
  g_string_append (out, ">;");
  for (; *data != '\0'; data++)
    {
      if (*data == '[')
        g_string_append (out, ">8");
      else if (*data != ']')
        g_string_append_c (out, *data);
    }
}

static void
append_barcode (GString      *out,
                PsLayoutItem *item)
{
  const PsLabelBarcode *bc = item->barcode;
  int k = item->module_dots;
  int q = item->quiet_dots;
  g_autofree char *escaped = NULL;

  switch (bc->kind)
    {
    case PS_BARCODE_CODE128:
      escaped = ps_zpl_escape_field (bc->data);
      g_string_append_printf (out, "^FO%d,%d^BY%d^BCN,%d,N,N,N,A^FH^FD%s^FS\n",
                              item->x_dots + q, item->y_dots, k, item->bar_dots, escaped);
      break;

    case PS_BARCODE_GS1_128:
      g_string_append_printf (out, "^FO%d,%d^BY%d^BCN,%d,N,N,N,N^FD", item->x_dots + q,
                              item->y_dots, k, item->bar_dots);
      append_gs1 (out, bc->data);
      g_string_append (out, "^FS\n");
      break;

    case PS_BARCODE_DATAMATRIX:
      escaped = ps_zpl_escape_field (bc->data);
      g_string_append_printf (out, "^FO%d,%d^BXN,%d,200^FH^FD%s^FS\n", item->x_dots + q,
                              item->y_dots + q, k, escaped);
      break;

    case PS_BARCODE_PDF417:
      escaped = ps_zpl_escape_field (bc->data);
      g_string_append_printf (out, "^FO%d,%d^BY%d^B7N,%d,3,8^FH^FD%s^FS\n", item->x_dots + q,
                              item->y_dots + q, k, 3 * k, escaped);
      break;

    case PS_BARCODE_MAXICODE:
      {
        g_autoptr(GString) hpm = g_string_new (NULL);

        if (bc->primary != NULL && strlen (bc->primary) > 6)
          {
            gsize len = strlen (bc->primary);

            /* zint's primary is postcode + country + class; ZPL's high
             * priority message is class + country + postcode. */
            g_string_append_len (hpm, bc->primary + len - 3, 3);
            g_string_append_len (hpm, bc->primary + len - 6, 3);
            g_string_append_len (hpm, bc->primary, len - 6);
          }
        g_string_append (hpm, bc->data);
        escaped = ps_zpl_escape_field (hpm->str);
        g_string_append_printf (out, "^FO%d,%d^BD%d,1,1^FH^FD%s^FS\n", item->x_dots,
                                item->y_dots, bc->mode != 0 ? bc->mode : 4, escaped);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/**
 * ps_label_append_zpl:
 * @out: where to append one ^XA … ^XZ format
 * @spec: the label
 * @size: %PS_LABEL_SIZE_4X6 or %PS_LABEL_SIZE_4X8 (two-up sizes print one
 *   4x6 label)
 * @dpi: the printer's resolution: 203 or 300 (others are accepted)
 * @x_offset: the printer's horizontal offset in dots (^LH)
 * @y_offset: its vertical offset in dots
 * @error: return location for a #PsLabelError
 *
 * Appends nothing on error.
 *
 * Returns: %TRUE on success.
 */
gboolean
ps_label_append_zpl (GString            *out,
                     const PsLabelSpec  *spec,
                     PsLabelSize         size,
                     int                 dpi,
                     int                 x_offset,
                     int                 y_offset,
                     GError            **error)
{
  g_autoptr(PsLabelLayout) layout = NULL;
  int width, height;
  guint i;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  layout = _ps_label_layout_new (spec, size, dpi, error);
  if (layout == NULL)
    return FALSE;

  ps_label_size_get_label_dots (size, dpi, &width, &height);
  g_string_append_printf (out, "^XA\n^CI28\n^PW%d\n^LL%d\n^LH%d,%d\n^PON\n", width, height,
                          x_offset, y_offset);

  for (i = 0; i < layout->items->len; i++)
    {
      PsLayoutItem *item = g_ptr_array_index (layout->items, i);

      switch (item->kind)
        {
        case PS_LAYOUT_TEXT:
          append_text (out, item, dpi);
          break;

        case PS_LAYOUT_BOX:
          {
            int w = MAX (dots (item->width, dpi), 1);
            int h = MAX (dots (item->height, dpi), 1);
            int t = item->thickness > 0 ? MAX (dots (item->thickness, dpi), 1) : MIN (w, h);

            g_string_append_printf (out, "^FO%d,%d^GB%d,%d,%d^FS\n", dots (item->x, dpi),
                                    dots (item->y, dpi), w, h, t);
          }
          break;

        case PS_LAYOUT_BARCODE:
          append_barcode (out, item);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  g_string_append (out, "^XZ\n");

  return TRUE;
}

/**
 * ps_label_to_zpl:
 * @spec: the label
 * @size: the stock
 * @dpi: the printer's resolution
 * @x_offset: horizontal printer offset in dots
 * @y_offset: vertical printer offset in dots
 * @error: return location for a #PsLabelError
 *
 * Returns: (transfer full) (nullable): one ZPL format for @spec.
 */
char *
ps_label_to_zpl (const PsLabelSpec  *spec,
                 PsLabelSize         size,
                 int                 dpi,
                 int                 x_offset,
                 int                 y_offset,
                 GError            **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!ps_label_append_zpl (out, spec, size, dpi, x_offset, y_offset, error))
    return NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}
