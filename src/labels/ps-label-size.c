/* ps-label-size.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * All geometry is in PostScript points (1/72 in), origin at the top left
 * of the page, y growing downwards, as in cairo. A label is always
 * designed upright (portrait, 4 in wide); this file says where that upright
 * label lands on the page, and ps_label_size_get_label_matrix() gives the
 * transform a renderer applies before drawing it.
 */

#define G_LOG_DOMAIN "ps-label-size"

#include "config.h"

#include <math.h>

#include "ps-label-size.h"

typedef struct
{
  const char *nick;
  double      page_width;
  double      page_height;
  double      label_width;   /* upright */
  double      label_height;
  guint       n_labels;
  gboolean    rotated;
} SizeInfo;

#define IN(x) ((x) * PS_POINTS_PER_INCH)
#define MM(x) ((x) * PS_POINTS_PER_MM)

static const SizeInfo sizes[] = {
  [PS_LABEL_SIZE_4X6] = { "4x6", IN (4), IN (6), IN (4), IN (6), 1, FALSE },
  [PS_LABEL_SIZE_4X8] = { "4x8", IN (4), IN (8), IN (4), IN (8), 1, FALSE },
  [PS_LABEL_SIZE_LETTER_2UP] = { "letter-2up", IN (8.5), IN (11), IN (4), IN (6), 2, TRUE },
  [PS_LABEL_SIZE_A4_2UP] = { "a4-2up", MM (210), MM (297), IN (4), IN (6), 2, TRUE },
};

G_STATIC_ASSERT (G_N_ELEMENTS (sizes) == PS_LABEL_SIZE_LAST + 1);

#undef IN
#undef MM

static gboolean
size_is_valid (PsLabelSize size)
{
  return (guint) size < G_N_ELEMENTS (sizes);
}

/**
 * ps_label_size_to_nick:
 * @size: a #PsLabelSize
 *
 * Returns: (transfer none) (nullable): "4x6", "4x8", "letter-2up" or
 *   "a4-2up", or %NULL if @size is out of range.
 */
const char *
ps_label_size_to_nick (PsLabelSize size)
{
  if (!size_is_valid (size))
    return NULL;

  return sizes[size].nick;
}

/**
 * ps_label_size_from_nick:
 * @nick: (nullable): a nick as returned by ps_label_size_to_nick()
 * @size: (out): where to store the size
 *
 * Returns: %TRUE if @nick names a size; @size is untouched otherwise.
 */
gboolean
ps_label_size_from_nick (const char  *nick,
                         PsLabelSize *size)
{
  guint i;

  g_return_val_if_fail (size != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  for (i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      if (g_str_equal (nick, sizes[i].nick))
        {
          *size = (PsLabelSize) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * ps_label_size_get_page_points:
 * @size: a #PsLabelSize
 * @width: (out) (optional): the page width in points
 * @height: (out) (optional): the page height in points
 *
 * The portrait page a print job or PDF for @size uses: 288 × 432 for 4x6,
 * 288 × 576 for 4x8, 612 × 792 for Letter and 595.276 × 841.89 for A4.
 */
void
ps_label_size_get_page_points (PsLabelSize  size,
                               double      *width,
                               double      *height)
{
  g_return_if_fail (size_is_valid (size));

  if (width != NULL)
    *width = sizes[size].page_width;
  if (height != NULL)
    *height = sizes[size].page_height;
}

/**
 * ps_label_size_get_label_points:
 * @size: a #PsLabelSize
 * @width: (out) (optional): the label width in points
 * @height: (out) (optional): the label height in points
 *
 * The size of one label as it is designed, upright: 288 × 432 for every
 * size except 4x8 (288 × 576). Layouts are drawn in this space.
 */
void
ps_label_size_get_label_points (PsLabelSize  size,
                                double      *width,
                                double      *height)
{
  g_return_if_fail (size_is_valid (size));

  if (width != NULL)
    *width = sizes[size].label_width;
  if (height != NULL)
    *height = sizes[size].label_height;
}

/**
 * ps_label_size_get_label_dots:
 * @size: a #PsLabelSize
 * @dpi: the printer resolution, such as 203 or 300
 * @width: (out) (optional): the label width in dots
 * @height: (out) (optional): the label height in dots
 *
 * The upright label in printer dots, as a thermal printer's print width
 * and label length (ZPL `^PW` and `^LL`) or a raster image size: a 4x6
 * label is 812 × 1218 dots at 203 dpi and 1200 × 1800 at 300 dpi.
 */
void
ps_label_size_get_label_dots (PsLabelSize  size,
                              int          dpi,
                              int         *width,
                              int         *height)
{
  g_return_if_fail (size_is_valid (size));
  g_return_if_fail (dpi > 0);

  if (width != NULL)
    *width = ps_label_dots (sizes[size].label_width, dpi);
  if (height != NULL)
    *height = ps_label_dots (sizes[size].label_height, dpi);
}

/**
 * ps_label_size_get_n_labels:
 * @size: a #PsLabelSize
 *
 * Returns: how many labels one page of @size holds: 1 or 2.
 */
guint
ps_label_size_get_n_labels (PsLabelSize size)
{
  g_return_val_if_fail (size_is_valid (size), 0);

  return sizes[size].n_labels;
}

/**
 * ps_label_size_is_rotated:
 * @size: a #PsLabelSize
 *
 * Returns: %TRUE if labels sit on the page a quarter turn from upright
 *   (the two-up sizes), so that their rectangles are wider than tall.
 */
gboolean
ps_label_size_is_rotated (PsLabelSize size)
{
  g_return_val_if_fail (size_is_valid (size), FALSE);

  return sizes[size].rotated;
}

/**
 * ps_label_size_get_label_rect:
 * @size: a #PsLabelSize
 * @index: which label on the page, below ps_label_size_get_n_labels()
 * @x: (out) (optional): the left edge in page points
 * @y: (out) (optional): the top edge in page points
 * @width: (out) (optional): the width on the page
 * @height: (out) (optional): the height on the page
 *
 * Where label @index sits on the page. Single-label sizes fill the page.
 * On the two-up sizes, label 0 is centred in the top half of the sheet and
 * label 1 in the bottom half, each 432 pt wide and 288 pt tall (turned; see
 * ps_label_size_get_label_matrix()). On Letter that leaves 90 pt at the
 * sides and 54 pt above and below each label; on A4 about 81.6 and 66.5 pt.
 */
void
ps_label_size_get_label_rect (PsLabelSize  size,
                              guint        index,
                              double      *x,
                              double      *y,
                              double      *width,
                              double      *height)
{
  const SizeInfo *info;
  double w, h;
  double cell_height;

  g_return_if_fail (size_is_valid (size));
  g_return_if_fail (index < sizes[size].n_labels);

  info = &sizes[size];
  w = info->rotated ? info->label_height : info->label_width;
  h = info->rotated ? info->label_width : info->label_height;
  cell_height = info->page_height / info->n_labels;

  if (x != NULL)
    *x = (info->page_width - w) / 2.0;
  if (y != NULL)
    *y = index * cell_height + (cell_height - h) / 2.0;
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

/**
 * ps_label_size_get_label_matrix:
 * @size: a #PsLabelSize
 * @index: which label on the page, below ps_label_size_get_n_labels()
 * @matrix: (out caller-allocates): the transform to fill
 *
 * The transform from upright label space (origin at the label's top left,
 * ps_label_size_get_label_points() wide and tall) to page space, so that a
 * renderer does `cairo_save (cr); cairo_transform (cr, &matrix);`, draws
 * the label, and restores.
 *
 * For unrotated sizes this is a translation. For the two-up sizes the
 * label is turned a quarter turn clockwise: its top edge lies along the
 * right edge of its rectangle and its left edge along the top, so it reads
 * upright once the sheet is turned a quarter turn anticlockwise.
 */
void
ps_label_size_get_label_matrix (PsLabelSize     size,
                                guint           index,
                                cairo_matrix_t *matrix)
{
  double x, y, w, h;

  g_return_if_fail (size_is_valid (size));
  g_return_if_fail (index < sizes[size].n_labels);
  g_return_if_fail (matrix != NULL);

  ps_label_size_get_label_rect (size, index, &x, &y, &w, &h);

  if (sizes[size].rotated)
    {
      /* page_x = x + w - label_y, page_y = y + label_x */
      cairo_matrix_init (matrix, 0.0, 1.0, -1.0, 0.0, x + w, y);
    }
  else
    {
      cairo_matrix_init_translate (matrix, x, y);
    }
}

/**
 * ps_label_dots:
 * @points: a length in points
 * @dpi: the printer resolution in dots per inch, such as 203 or 300
 *
 * Converts a length to whole printer dots, rounding to the nearest dot
 * (halves away from zero).
 *
 * Returns: the length in dots.
 */
int
ps_label_dots (double points,
               int    dpi)
{
  g_return_val_if_fail (dpi > 0, 0);

  return (int) lround (points * dpi / PS_POINTS_PER_INCH);
}
