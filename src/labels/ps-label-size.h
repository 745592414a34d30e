/* ps-label-size.h: label stock and where labels sit on a printed page
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* PostScript points, the unit of cairo's PDF surface and of this file. */
#define PS_POINTS_PER_INCH 72.0
#define PS_POINTS_PER_MM   (72.0 / 25.4)

/**
 * PsLabelSize:
 * @PS_LABEL_SIZE_4X6: one 4 × 6 in label per page, the thermal standard
 * @PS_LABEL_SIZE_4X8: one 4 × 8 in label per page
 * @PS_LABEL_SIZE_LETTER_2UP: US Letter paper with two 4 × 6 in labels
 * @PS_LABEL_SIZE_A4_2UP: A4 paper with two 4 × 6 in labels
 *
 * On the two-up pages the labels are stacked, one centred in each half of
 * the sheet and turned a quarter turn (landscape), so that the page can be
 * cut in half or printed on half-sheet label stock. Side by side upright
 * would leave A4 under 10 pt of margin at each side, less than most office
 * printers can print into.
 *
 * The nicks (ps_label_size_to_nick()) are stored in settings and accepted
 * by the CLI: never rename one.
 */
typedef enum
{
  PS_LABEL_SIZE_4X6,
  PS_LABEL_SIZE_4X8,
  PS_LABEL_SIZE_LETTER_2UP,
  PS_LABEL_SIZE_A4_2UP,
} PsLabelSize;

#define PS_LABEL_SIZE_LAST PS_LABEL_SIZE_A4_2UP

const char *ps_label_size_to_nick          (PsLabelSize     size);
gboolean    ps_label_size_from_nick        (const char     *nick,
                                            PsLabelSize    *size);
void        ps_label_size_get_page_points  (PsLabelSize     size,
                                            double         *width,
                                            double         *height);
void        ps_label_size_get_label_points (PsLabelSize     size,
                                            double         *width,
                                            double         *height);
void        ps_label_size_get_label_dots   (PsLabelSize     size,
                                            int             dpi,
                                            int            *width,
                                            int            *height);
guint       ps_label_size_get_n_labels     (PsLabelSize     size);
gboolean    ps_label_size_is_rotated       (PsLabelSize     size);
void        ps_label_size_get_label_rect   (PsLabelSize     size,
                                            guint           index,
                                            double         *x,
                                            double         *y,
                                            double         *width,
                                            double         *height);
void        ps_label_size_get_label_matrix (PsLabelSize     size,
                                            guint           index,
                                            cairo_matrix_t *matrix);
int         ps_label_dots                  (double          points,
                                            int             dpi);

G_END_DECLS
