/* test-label-size.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-label-size"

#include "config.h"

#include "ps-label-size.h"

#define EPSILON 1e-9

static const PsLabelSize all_sizes[] = {
  PS_LABEL_SIZE_4X6,
  PS_LABEL_SIZE_4X8,
  PS_LABEL_SIZE_LETTER_2UP,
  PS_LABEL_SIZE_A4_2UP,
};

G_STATIC_ASSERT (G_N_ELEMENTS (all_sizes) == PS_LABEL_SIZE_LAST + 1);

static void
test_nick (void)
{
  static const char * const nicks[] = { "4x6", "4x8", "letter-2up", "a4-2up" };
  PsLabelSize size;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (all_sizes); i++)
    {
      g_assert_cmpstr (ps_label_size_to_nick (all_sizes[i]), ==, nicks[i]);
      size = PS_LABEL_SIZE_4X8;
      g_assert_true (ps_label_size_from_nick (nicks[i], &size));
      g_assert_cmpint (size, ==, all_sizes[i]);
    }

  g_assert_null (ps_label_size_to_nick ((PsLabelSize) (PS_LABEL_SIZE_LAST + 1)));

  size = PS_LABEL_SIZE_4X8;
  g_assert_false (ps_label_size_from_nick ("4X6", &size));
  g_assert_false (ps_label_size_from_nick ("letter", &size));
  g_assert_false (ps_label_size_from_nick ("", &size));
  g_assert_false (ps_label_size_from_nick (NULL, &size));
  g_assert_cmpint (size, ==, PS_LABEL_SIZE_4X8);
}

static void
test_page_points (void)
{
  double w, h;

  ps_label_size_get_page_points (PS_LABEL_SIZE_4X6, &w, &h);
  g_assert_cmpfloat (w, ==, 288.0);
  g_assert_cmpfloat (h, ==, 432.0);

  ps_label_size_get_page_points (PS_LABEL_SIZE_4X8, &w, &h);
  g_assert_cmpfloat (w, ==, 288.0);
  g_assert_cmpfloat (h, ==, 576.0);

  ps_label_size_get_page_points (PS_LABEL_SIZE_LETTER_2UP, &w, &h);
  g_assert_cmpfloat (w, ==, 612.0);
  g_assert_cmpfloat (h, ==, 792.0);

  ps_label_size_get_page_points (PS_LABEL_SIZE_A4_2UP, &w, &h);
  g_assert_cmpfloat_with_epsilon (w, 595.276, 0.0005);
  g_assert_cmpfloat_with_epsilon (h, 841.89, 0.0005);
  g_assert_cmpfloat_with_epsilon (w, 210.0 * PS_POINTS_PER_MM, EPSILON);
  g_assert_cmpfloat_with_epsilon (h, 297.0 * PS_POINTS_PER_MM, EPSILON);

  /* Either output may be omitted. */
  w = -1.0;
  ps_label_size_get_page_points (PS_LABEL_SIZE_4X8, NULL, &h);
  ps_label_size_get_page_points (PS_LABEL_SIZE_4X8, &w, NULL);
  g_assert_cmpfloat (w, ==, 288.0);
  g_assert_cmpfloat (h, ==, 576.0);
}

static void
test_label_points (void)
{
  double w, h;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (all_sizes); i++)
    {
      ps_label_size_get_label_points (all_sizes[i], &w, &h);
      g_assert_cmpfloat (w, ==, 288.0);
      g_assert_cmpfloat (h, ==, all_sizes[i] == PS_LABEL_SIZE_4X8 ? 576.0 : 432.0);
    }
}

static void
test_n_labels (void)
{
  g_assert_cmpuint (ps_label_size_get_n_labels (PS_LABEL_SIZE_4X6), ==, 1);
  g_assert_cmpuint (ps_label_size_get_n_labels (PS_LABEL_SIZE_4X8), ==, 1);
  g_assert_cmpuint (ps_label_size_get_n_labels (PS_LABEL_SIZE_LETTER_2UP), ==, 2);
  g_assert_cmpuint (ps_label_size_get_n_labels (PS_LABEL_SIZE_A4_2UP), ==, 2);

  g_assert_false (ps_label_size_is_rotated (PS_LABEL_SIZE_4X6));
  g_assert_false (ps_label_size_is_rotated (PS_LABEL_SIZE_4X8));
  g_assert_true (ps_label_size_is_rotated (PS_LABEL_SIZE_LETTER_2UP));
  g_assert_true (ps_label_size_is_rotated (PS_LABEL_SIZE_A4_2UP));
}

static void
test_dots (void)
{
  int w, h;

  g_assert_cmpint (ps_label_dots (288.0, 203), ==, 812);
  g_assert_cmpint (ps_label_dots (432.0, 203), ==, 1218);
  g_assert_cmpint (ps_label_dots (576.0, 203), ==, 1624);
  g_assert_cmpint (ps_label_dots (288.0, 300), ==, 1200);
  g_assert_cmpint (ps_label_dots (432.0, 300), ==, 1800);
  g_assert_cmpint (ps_label_dots (576.0, 300), ==, 2400);
  g_assert_cmpint (ps_label_dots (0.0, 203), ==, 0);
  g_assert_cmpint (ps_label_dots (72.0, 72), ==, 72);

  /* Rounded to the nearest dot: 1 pt is 2.82 dots at 203 dpi, 10 pt is
   * 28.19, 0.5 in (36 pt) is 101.5 -> 102. */
  g_assert_cmpint (ps_label_dots (1.0, 203), ==, 3);
  g_assert_cmpint (ps_label_dots (10.0, 203), ==, 28);
  g_assert_cmpint (ps_label_dots (36.0, 203), ==, 102);
  g_assert_cmpint (ps_label_dots (-36.0, 203), ==, -102);

  /* A4 at 300 dpi is the well-known 2480 x 3508. */
  g_assert_cmpint (ps_label_dots (210.0 * PS_POINTS_PER_MM, 300), ==, 2480);
  g_assert_cmpint (ps_label_dots (297.0 * PS_POINTS_PER_MM, 300), ==, 3508);

  ps_label_size_get_label_dots (PS_LABEL_SIZE_4X6, 203, &w, &h);
  g_assert_cmpint (w, ==, 812);
  g_assert_cmpint (h, ==, 1218);
  ps_label_size_get_label_dots (PS_LABEL_SIZE_4X6, 300, &w, &h);
  g_assert_cmpint (w, ==, 1200);
  g_assert_cmpint (h, ==, 1800);
  ps_label_size_get_label_dots (PS_LABEL_SIZE_4X8, 203, &w, &h);
  g_assert_cmpint (w, ==, 812);
  g_assert_cmpint (h, ==, 1624);
  ps_label_size_get_label_dots (PS_LABEL_SIZE_4X8, 300, &w, &h);
  g_assert_cmpint (w, ==, 1200);
  g_assert_cmpint (h, ==, 2400);
  /* Two-up sizes print the same 4x6 label. */
  ps_label_size_get_label_dots (PS_LABEL_SIZE_A4_2UP, 203, &w, &h);
  g_assert_cmpint (w, ==, 812);
  g_assert_cmpint (h, ==, 1218);
}

static void
test_rect_exact (void)
{
  double x, y, w, h;

  ps_label_size_get_label_rect (PS_LABEL_SIZE_4X6, 0, &x, &y, &w, &h);
  g_assert_cmpfloat (x, ==, 0.0);
  g_assert_cmpfloat (y, ==, 0.0);
  g_assert_cmpfloat (w, ==, 288.0);
  g_assert_cmpfloat (h, ==, 432.0);

  ps_label_size_get_label_rect (PS_LABEL_SIZE_4X8, 0, &x, &y, &w, &h);
  g_assert_cmpfloat (x, ==, 0.0);
  g_assert_cmpfloat (y, ==, 0.0);
  g_assert_cmpfloat (w, ==, 288.0);
  g_assert_cmpfloat (h, ==, 576.0);

  /* Letter: halves of 612 x 396, a 432 x 288 label centred in each. */
  ps_label_size_get_label_rect (PS_LABEL_SIZE_LETTER_2UP, 0, &x, &y, &w, &h);
  g_assert_cmpfloat (x, ==, 90.0);
  g_assert_cmpfloat (y, ==, 54.0);
  g_assert_cmpfloat (w, ==, 432.0);
  g_assert_cmpfloat (h, ==, 288.0);
  ps_label_size_get_label_rect (PS_LABEL_SIZE_LETTER_2UP, 1, &x, &y, &w, &h);
  g_assert_cmpfloat (x, ==, 90.0);
  g_assert_cmpfloat (y, ==, 450.0);
  g_assert_cmpfloat (w, ==, 432.0);
  g_assert_cmpfloat (h, ==, 288.0);

  /* A4: halves of 595.276 x 420.945. */
  ps_label_size_get_label_rect (PS_LABEL_SIZE_A4_2UP, 0, &x, &y, &w, &h);
  g_assert_cmpfloat_with_epsilon (x, (210.0 * PS_POINTS_PER_MM - 432.0) / 2.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (y, (297.0 * PS_POINTS_PER_MM / 2.0 - 288.0) / 2.0, EPSILON);
  g_assert_cmpfloat_with_epsilon (x, 81.638, 0.001);
  g_assert_cmpfloat_with_epsilon (y, 66.472, 0.001);
  g_assert_cmpfloat (w, ==, 432.0);
  g_assert_cmpfloat (h, ==, 288.0);
  ps_label_size_get_label_rect (PS_LABEL_SIZE_A4_2UP, 1, &x, &y, NULL, NULL);
  g_assert_cmpfloat_with_epsilon (y, 487.417, 0.001);
}

/* Every label lies within its page, and labels on a page do not overlap;
 * the two-up sizes also keep at least a quarter inch from every edge, more
 * than office printers' unprintable margins. */
static void
test_rect_fits (gconstpointer data)
{
  PsLabelSize size = GPOINTER_TO_INT (data);
  guint n = ps_label_size_get_n_labels (size);
  double page_w, page_h;
  double label_w, label_h;
  guint i, j;

  ps_label_size_get_page_points (size, &page_w, &page_h);
  ps_label_size_get_label_points (size, &label_w, &label_h);

  for (i = 0; i < n; i++)
    {
      double x, y, w, h;
      double margin = n > 1 ? 18.0 : 0.0;

      ps_label_size_get_label_rect (size, i, &x, &y, &w, &h);

      g_assert_cmpfloat (x, >=, margin);
      g_assert_cmpfloat (y, >=, margin);
      g_assert_cmpfloat (x + w, <=, page_w - margin);
      g_assert_cmpfloat (y + h, <=, page_h - margin);

      /* The rectangle is the upright label, turned or not. */
      if (ps_label_size_is_rotated (size))
        {
          g_assert_cmpfloat (w, ==, label_h);
          g_assert_cmpfloat (h, ==, label_w);
        }
      else
        {
          g_assert_cmpfloat (w, ==, label_w);
          g_assert_cmpfloat (h, ==, label_h);
        }

      for (j = i + 1; j < n; j++)
        {
          double x2, y2, w2, h2;
          gboolean apart;

          ps_label_size_get_label_rect (size, j, &x2, &y2, &w2, &h2);
          apart = x + w <= x2 || x2 + w2 <= x || y + h <= y2 || y2 + h2 <= y;
          g_assert_true (apart);
          /* Labels come in reading order, top to bottom. */
          g_assert_cmpfloat (y2, >, y);
        }
    }
}

/* The matrix maps the upright label's corners onto its rectangle. */
static void
test_matrix (gconstpointer data)
{
  PsLabelSize size = GPOINTER_TO_INT (data);
  guint n = ps_label_size_get_n_labels (size);
  double label_w, label_h;
  guint i;

  ps_label_size_get_label_points (size, &label_w, &label_h);

  for (i = 0; i < n; i++)
    {
      cairo_matrix_t matrix;
      double x, y, w, h;
      double px, py;

      ps_label_size_get_label_rect (size, i, &x, &y, &w, &h);
      ps_label_size_get_label_matrix (size, i, &matrix);

      /* The label's top left... */
      px = 0.0;
      py = 0.0;
      cairo_matrix_transform_point (&matrix, &px, &py);
      if (ps_label_size_is_rotated (size))
        {
          /* ...is the rectangle's top right when turned clockwise... */
          g_assert_cmpfloat_with_epsilon (px, x + w, EPSILON);
          g_assert_cmpfloat_with_epsilon (py, y, EPSILON);
        }
      else
        {
          g_assert_cmpfloat_with_epsilon (px, x, EPSILON);
          g_assert_cmpfloat_with_epsilon (py, y, EPSILON);
        }

      /* ...and the bottom right is the opposite corner of the top left. */
      px = label_w;
      py = label_h;
      cairo_matrix_transform_point (&matrix, &px, &py);
      if (ps_label_size_is_rotated (size))
        {
          g_assert_cmpfloat_with_epsilon (px, x, EPSILON);
          g_assert_cmpfloat_with_epsilon (py, y + h, EPSILON);
        }
      else
        {
          g_assert_cmpfloat_with_epsilon (px, x + w, EPSILON);
          g_assert_cmpfloat_with_epsilon (py, y + h, EPSILON);
        }

      /* No scaling: one label point is one page point. */
      px = 1.0;
      py = 0.0;
      cairo_matrix_transform_distance (&matrix, &px, &py);
      g_assert_cmpfloat_with_epsilon (px * px + py * py, 1.0, EPSILON);
    }
}

int
main (int   argc,
      char *argv[])
{
  guint i;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/labels/size/nick", test_nick);
  g_test_add_func ("/labels/size/page-points", test_page_points);
  g_test_add_func ("/labels/size/label-points", test_label_points);
  g_test_add_func ("/labels/size/n-labels", test_n_labels);
  g_test_add_func ("/labels/size/dots", test_dots);
  g_test_add_func ("/labels/size/rect/exact", test_rect_exact);

  for (i = 0; i < G_N_ELEMENTS (all_sizes); i++)
    {
      const char *nick = ps_label_size_to_nick (all_sizes[i]);
      g_autofree char *fits_path = g_strdup_printf ("/labels/size/rect/fits/%s", nick);
      g_autofree char *matrix_path = g_strdup_printf ("/labels/size/matrix/%s", nick);

      g_test_add_data_func (fits_path, GINT_TO_POINTER (all_sizes[i]), test_rect_fits);
      g_test_add_data_func (matrix_path, GINT_TO_POINTER (all_sizes[i]), test_matrix);
    }

  return g_test_run ();
}
