/* test-charts.c: the dashboard's chart widgets with known data
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each widget is shown in a window under Xvfb and rendered to a texture
 * with the window's own renderer. The checks tie three things together:
 * the pixels (an element's palette colour is where the element is, in
 * proportion to its value), the hit testing (every pixel of an element's
 * colour maps back to that element) and the keyboard (the chart.* actions
 * the arrow keys and Enter are bound to move the highlight, set the
 * tooltip and accessible description, and emit the activation signal).
 *
 * With PS_CHARTS_SHOTS=DIR the gallery test also writes charts-light.png
 * and charts-dark.png there, for looking at.
 */

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "ps-bar-chart.h"
#include "ps-heat-map.h"
#include "ps-histogram.h"
#include "ps-line-chart.h"
#include "ps-test-ui.h"
#include "ps-tile.h"
#include "ps-ui-resources.h"

/* libadwaita's palette, as the charts look it up. */
#define BLUE_3   0x3584e4
#define ORANGE_3 0xff7800
#define GREEN_4  0x2ec27e
#define BLUE_2   0x62a0ea
#define RED_3    0xe01b24
#define PURPLE_3 0x9141ac

typedef struct
{
  int     width;
  int     height;
  gsize   stride;
  guchar *data;     /* B8G8R8A8 premultiplied (GDK_MEMORY_DEFAULT) */
} Pixels;

static void
pixels_free (Pixels *pixels)
{
  g_free (pixels->data);
  g_free (pixels);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pixels, pixels_free)

static GtkWidget *
show (GtkWidget *child,
      int        width,
      int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  PS_TEST_WAIT_UNTIL (gtk_widget_get_mapped (child) && gtk_widget_get_width (child) > 0,
                      "the widget to be shown");
  gtk_test_widget_wait_for_draw (window);
  return window;
}

static GdkTexture *
render_texture (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static Pixels *
render (GtkWidget *widget)
{
  g_autoptr(GdkTexture) texture = render_texture (widget);
  Pixels *pixels = g_new0 (Pixels, 1);

  pixels->width = gdk_texture_get_width (texture);
  pixels->height = gdk_texture_get_height (texture);
  pixels->stride = pixels->width * 4;
  pixels->data = g_malloc (pixels->stride * pixels->height);
  gdk_texture_download (texture, pixels->data, pixels->stride);
  return pixels;
}

static guint
alpha_at (const Pixels *pixels,
          int           x,
          int           y)
{
  return pixels->data[y * pixels->stride + x * 4 + 3];
}

/* The opaque pixel's colour as 0xRRGGBB, or -1 if not opaque. */
static gint64
rgb_at (const Pixels *pixels,
        int           x,
        int           y)
{
  const guchar *p = pixels->data + y * pixels->stride + x * 4;

  if (p[3] != 255)
    return -1;
  return (p[2] << 16) | (p[1] << 8) | p[0];
}

static gboolean
near_rgb (gint64 a,
          guint  b)
{
  if (a < 0)
    return FALSE;
  return ABS ((int) ((a >> 16) & 0xff) - (int) ((b >> 16) & 0xff)) <= 2
         && ABS ((int) ((a >> 8) & 0xff) - (int) ((b >> 8) & 0xff)) <= 2
         && ABS ((int) (a & 0xff) - (int) (b & 0xff)) <= 2;
}

static void
record_int2_cb (GObject *object,
                int      a,
                int      b,
                int     *out)
{
  out[0] = a;
  out[1] = b;
  out[2]++;
}

static void
move (GtkWidget *chart,
      int        dx,
      int        dy)
{
  g_assert_true (gtk_widget_activate_action (chart, "chart.move", "(ii)", dx, dy));
}

/* Through a variable: the GTK macro pastes its argument into a format. */
static void
assert_property (GtkWidget             *widget,
                 GtkAccessibleProperty  property,
                 const char            *expected)
{
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (widget), property, expected);
}

static void
assert_description (GtkWidget  *chart,
                    const char *expected)
{
  assert_property (chart, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
}

/* -- Bar chart --------------------------------------------------------- */

#define N_DAYS 10

static const double ups[N_DAYS]   = { 10, 20, 30, 40, 50, 10, 20, 30, 40, 50 };
static const double fedex[N_DAYS] = {  5,  5,  0, 10, 10, 20,  5,  5,  5,  5 };
static const double usps[N_DAYS]  = { 20, 10, 10,  0, 10, 30, 10, 10, 10, 15 };
static const char * const days[N_DAYS + 1] = {
  "Mon 3", "Tue 4", "Wed 5", "Thu 6", "Fri 7", "Sat 8", "Sun 9", "Mon 10", "Tue 11", "Wed 12", NULL
};

static PsBarChart *
new_bar_chart (void)
{
  PsBarChart *chart = PS_BAR_CHART (ps_bar_chart_new ());

  ps_bar_chart_set_categories (chart, days);
  ps_bar_chart_add_series (chart, "UPS", "blue_3", ups, N_DAYS);
  ps_bar_chart_add_series (chart, "FedEx", "orange_3", fedex, N_DAYS);
  ps_bar_chart_add_series (chart, "USPS", "green_4", usps, N_DAYS);
  return chart;
}

static void
test_bar_chart_pixels (void)
{
  PsBarChart *chart = new_bar_chart ();
  GtkWidget *window = show (GTK_WIDGET (chart), 640, 320);
  const guint colors[3] = { BLUE_3, ORANGE_3, GREEN_4 };
  const double *values[3] = { ups, fedex, usps };
  g_autoptr(Pixels) pixels = render (GTK_WIDGET (chart));
  guint count[3][N_DAYS] = { { 0 } };
  double mean_x[N_DAYS] = { 0 };
  guint in_day[N_DAYS] = { 0 };
  int s, i;

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_ROLE_IMG));

  /* Every pixel in a series' colour hit-tests to that series, except the
   * legend's swatches in the top line; collect how many there are per
   * segment and where each day's bar is. */
  for (int y = 0; y < pixels->height; y++)
    for (int x = 0; x < pixels->width; x++)
      {
        gint64 rgb = rgb_at (pixels, x, y);

        for (int c = 0; c < 3; c++)
          if (near_rgb (rgb, colors[c]))
            {
              if (!ps_bar_chart_get_element_at (chart, x + 0.5, y + 0.5, &s, &i))
                {
                  g_assert_cmpint (y, <, 24);
                  continue;
                }
              g_assert_cmpint (s, ==, c);
              count[s][i]++;
              mean_x[i] += x;
              in_day[i]++;
            }
      }

  /* Segments exist exactly where values do, with areas in proportion to
   * the values (same bar width, so pixel counts ∝ value within the
   * rounding of one row of pixels per segment). */
  for (s = 0; s < 3; s++)
    for (i = 0; i < N_DAYS; i++)
      {
        if (values[s][i] == 0)
          {
            g_assert_cmpuint (count[s][i], ==, 0);
            continue;
          }
        g_assert_cmpuint (count[s][i], >, 0);
        g_assert_cmpfloat_with_epsilon ((double) count[s][i] / count[0][0],
                                        values[s][i] / values[0][0],
                                        0.12 * values[s][i] / values[0][0] + 0.1);
      }
  for (i = 1; i < N_DAYS; i++)
    g_assert_cmpfloat (mean_x[i - 1] / in_day[i - 1], <, mean_x[i] / in_day[i]);

  /* Above the tallest stack and left of the plot: nothing. */
  g_assert_false (ps_bar_chart_get_element_at (chart, 2, 2, NULL, NULL));
  g_assert_false (ps_bar_chart_get_element_at (chart, 640 - 2, 320 - 2, NULL, NULL));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_bar_chart_keyboard (void)
{
  PsBarChart *chart = new_bar_chart ();
  GtkWidget *window = show (GTK_WIDGET (chart), 640, 320);
  g_autofree char *text = NULL;
  const char *tooltip;
  int got[3] = { -1, -1, 0 };
  int s, i;

  g_signal_connect (chart, "segment-activated", G_CALLBACK (record_int2_cb), got);
  gtk_widget_grab_focus (GTK_WIDGET (chart));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (chart)));
  g_assert_false (ps_bar_chart_get_highlight (chart, NULL, NULL));

  /* Enter with nothing highlighted does nothing. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.activate-element", NULL));
  g_assert_cmpint (got[2], ==, 0);

  move (GTK_WIDGET (chart), 1, 0);      /* first arrow: the first segment */
  g_assert_true (ps_bar_chart_get_highlight (chart, &s, &i));
  g_assert_cmpint (s, ==, 0);
  g_assert_cmpint (i, ==, 0);
  move (GTK_WIDGET (chart), 1, 0);      /* Right */
  move (GTK_WIDGET (chart), 0, -1);     /* Up: FedEx on Tue 4 */
  g_assert_true (ps_bar_chart_get_highlight (chart, &s, &i));
  g_assert_cmpint (s, ==, 1);
  g_assert_cmpint (i, ==, 1);

  text = ps_bar_chart_describe_element (chart, 1, 1);
  g_assert_cmpstr (text, ==, "FedEx, Tue 4: 5 of 35");
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (chart));
  g_assert_cmpstr (tooltip, ==, text);
  assert_description (GTK_WIDGET (chart), text);

  /* FedEx has nothing on Wed 5: Right lands on the nearest segment
   * below it in the stack. */
  move (GTK_WIDGET (chart), 1, 0);
  g_assert_true (ps_bar_chart_get_highlight (chart, &s, &i));
  g_assert_cmpint (s, ==, 0);
  g_assert_cmpint (i, ==, 2);

  move (GTK_WIDGET (chart), G_MAXINT, 0);  /* End */
  g_assert_true (ps_bar_chart_get_highlight (chart, &s, &i));
  g_assert_cmpint (i, ==, N_DAYS - 1);
  move (GTK_WIDGET (chart), 0, -1);
  move (GTK_WIDGET (chart), 0, -1);
  move (GTK_WIDGET (chart), 0, -1);        /* past the top of the stack: stays */
  g_assert_true (ps_bar_chart_get_highlight (chart, &s, &i));
  g_assert_cmpint (s, ==, 2);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.activate-element", NULL));
  g_assert_cmpint (got[2], ==, 1);
  g_assert_cmpint (got[0], ==, 2);
  g_assert_cmpint (got[1], ==, N_DAYS - 1);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (chart)), ==, "USPS, Wed 12: 15 of 70");

  /* Escape clears; the description goes back to the summary. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.clear", NULL));
  g_assert_false (ps_bar_chart_get_highlight (chart, NULL, NULL));
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (chart)));
  assert_description (GTK_WIDGET (chart),
                      "Stacked bars for 10 categories, Mon 3 to Wed 12. UPS 300, FedEx 70, "
                      "USPS 125. Highest: Fri 7 with 70.");

  /* New data that no longer has the highlighted segment drops it. */
  g_assert_true (ps_bar_chart_set_highlight (chart, 1, 0));
  g_assert_false (ps_bar_chart_set_highlight (chart, 1, 2));   /* FedEx Wed 5 is 0 */
  ps_bar_chart_clear (chart);
  g_assert_false (ps_bar_chart_get_highlight (chart, NULL, NULL));
  assert_description (GTK_WIDGET (chart), "Bar chart, no data");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* 90 days × 6 carriers: how long snapshot plus rendering takes. A
 * figure for the log, not an assertion (timings belong in bench). */
static void
test_bar_chart_large (void)
{
  PsBarChart *chart = PS_BAR_CHART (ps_bar_chart_new ());
  GtkWidget *window;
  g_auto(GStrv) labels = g_new0 (char *, 91);
  double values[90];
  gint64 start;
  int s, i;

  for (i = 0; i < 90; i++)
    labels[i] = g_strdup_printf ("%d Sep", i + 1);
  ps_bar_chart_set_categories (chart, (const char * const *) labels);
  for (s = 0; s < 6; s++)
    {
      g_autofree char *name = g_strdup_printf ("Carrier %d", s + 1);

      for (i = 0; i < 90; i++)
        values[i] = 5 + (i * 7 + s * 13) % 23;
      ps_bar_chart_add_series (chart, name, NULL, values, 90);
    }
  window = show (GTK_WIDGET (chart), 1200, 400);

  start = g_get_monotonic_time ();
  for (int round = 0; round < 20; round++)
    {
      g_autoptr(GdkTexture) texture = render_texture (GTK_WIDGET (chart));
    }
  g_test_message ("90 days × 6 carriers, snapshot + cairo render at 1200×400: %.2f ms",
                  (g_get_monotonic_time () - start) / 20 / 1000.0);

  /* Every day's bar is hit somewhere along a horizontal line through the
   * lower part of the plot. */
  {
    guint seen = 0;
    int last = -1;

    for (int x = 0; x < 1200; x++)
      if (ps_bar_chart_get_element_at (chart, x, 400 * 0.8, &s, &i) && i != last)
        last = i, seen++;
    g_assert_cmpuint (seen, ==, 90);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* -- Heat map ---------------------------------------------------------- */

static const char * const carriers[] = { "UPS", "FedEx", "USPS", NULL };
static const char * const regions[] = {
  "Northeast", "South", "Midwest", "Pacific Northwest", NULL
};
/* Rates: UPS 2/100 4/80 1/50 14/80; FedEx 3/60 6/60 2/5 (too few) 0/40; USPS 5/100 ... */
static const guint hits[12]   = { 2, 4, 1, 14,   3, 6, 2, 0,   5, 9, 3, 7 };
static const guint totals[12] = { 100, 80, 50, 80,   60, 60, 5, 40,   100, 90, 0, 70 };

static void
test_heat_map (void)
{
  PsHeatMap *map = PS_HEAT_MAP (ps_heat_map_new ());
  GtkWidget *window;
  g_autoptr(Pixels) pixels = NULL;
  guint alphas[12][256] = { { 0 } };
  guint red[12] = { 0 };
  g_autofree char *text = NULL;
  int got[3] = { -1, -1, 0 };
  int r, c;

  ps_heat_map_set_data (map, carriers, regions, hits, totals);
  ps_heat_map_set_min_samples (map, 20);
  ps_heat_map_set_color (map, "red_3");
  window = show (GTK_WIDGET (map), 640, 300);
  pixels = render (GTK_WIDGET (map));

  /* Red pixels (red well above green and blue) in the grid belong to
   * a cell; the alpha most of them have follows the cell's rate relative
   * to the highest trustworthy rate (14/80). Text and the legend's
   * gradient are the exceptions the mode leaves out. */
  for (int y = 0; y < pixels->height; y++)
    for (int x = 0; x < pixels->width; x++)
      {
        const guchar *p = pixels->data + y * pixels->stride + x * 4;

        if (p[3] == 0 || p[2] < 2 * p[1] + 4 || p[2] < 2 * p[0] + 4
            || !ps_heat_map_get_element_at (map, x + 0.5, y + 0.5, &r, &c))
          continue;
        red[r * 4 + c]++;
        alphas[r * 4 + c][p[3]]++;
      }
  for (guint cell = 0; cell < 12; cell++)
    {
      double t = totals[cell] > 0 ? ((double) hits[cell] / totals[cell]) / (14.0 / 80) : 0;
      guint mode = 0;

      if (totals[cell] < 20)
        {
          g_assert_cmpuint (red[cell], ==, 0);   /* hatched grey, not red */
          continue;
        }
      if (hits[cell] == 0)
        continue;
      for (guint a = 1; a < 256; a++)
        if (alphas[cell][a] > alphas[cell][mode])
          mode = a;
      g_assert_cmpuint (red[cell], >, 100);
      g_assert_cmpfloat_with_epsilon (mode / 255.0, 0.08 + 0.92 * t, 0.02);
    }
  /* Only the strongest cell is exactly the palette's red_3 (the legend's
   * gradient ends in it too, outside the grid). */
  {
    guint found = 0;

    for (int y = 0; y < pixels->height; y++)
      for (int x = 0; x < pixels->width; x++)
        if (near_rgb (rgb_at (pixels, x, y), RED_3)
            && ps_heat_map_get_element_at (map, x + 0.5, y + 0.5, &r, &c))
          {
            g_assert_cmpint (r, ==, 0);
            g_assert_cmpint (c, ==, 3);
            found++;
          }
    g_assert_cmpuint (found, >, 100);
  }

  text = ps_heat_map_describe_element (map, 0, 3);
  g_assert_cmpstr (text, ==, "UPS, Pacific Northwest: 14 of 80 shipments, 17.5%");
  g_clear_pointer (&text, g_free);
  text = ps_heat_map_describe_element (map, 1, 2);
  g_assert_cmpstr (text, ==, "FedEx, Midwest: 2 of 5 shipments, 40.0% (too few to compare)");
  g_clear_pointer (&text, g_free);
  text = ps_heat_map_describe_element (map, 2, 2);
  g_assert_cmpstr (text, ==, "USPS, Midwest: no shipments");

  /* Keyboard: Down goes down a row, Right along it; Enter activates. */
  g_signal_connect (map, "cell-activated", G_CALLBACK (record_int2_cb), got);
  gtk_widget_grab_focus (GTK_WIDGET (map));
  move (GTK_WIDGET (map), 1, 0);
  move (GTK_WIDGET (map), 0, 1);
  move (GTK_WIDGET (map), 1, 0);
  move (GTK_WIDGET (map), 1, 0);
  g_assert_true (ps_heat_map_get_highlight (map, &r, &c));
  g_assert_cmpint (r, ==, 1);
  g_assert_cmpint (c, ==, 2);
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (map)), "2 of 5 shipments"));
  move (GTK_WIDGET (map), 0, -1);
  move (GTK_WIDGET (map), 1, 0);
  assert_description (GTK_WIDGET (map), "UPS, Pacific Northwest: 14 of 80 shipments, 17.5%");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (map), "chart.activate-element", NULL));
  g_assert_cmpint (got[2], ==, 1);
  g_assert_cmpint (got[0], ==, 0);
  g_assert_cmpint (got[1], ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* -- Line chart -------------------------------------------------------- */

#define N_POINTS 20

static void
test_line_chart (void)
{
  PsLineChart *chart = PS_LINE_CHART (ps_line_chart_new ());
  GtkWidget *window;
  g_autoptr(Pixels) pixels = NULL;
  g_auto(GStrv) labels = g_new0 (char *, N_POINTS + 1);
  double ground[N_POINTS], express[N_POINTS];
  gboolean drift[N_POINTS] = { FALSE };
  g_autofree char *text = NULL;
  int got[3] = { -1, -1, 0 };
  double x, y;
  int s, i;

  for (i = 0; i < N_POINTS; i++)
    {
      labels[i] = g_strdup_printf ("Day %d", i + 1);
      ground[i] = 7.0 + (i >= 15 ? 1.0 : 0.0) + (i % 3) * 0.05;
      express[i] = i == 5 ? NAN : 12.0 + (i % 4) * 0.1;
    }
  drift[17] = TRUE;
  ps_line_chart_set_categories (chart, (const char * const *) labels);
  ps_line_chart_add_series (chart, "Ground", "blue_3", ground, drift, N_POINTS);
  ps_line_chart_add_series (chart, "Express", "orange_3", express, NULL, N_POINTS);
  ps_line_chart_set_unit (chart, "$", NULL, 2);
  ps_line_chart_set_flag_text (chart, "cost drift");
  window = show (GTK_WIDGET (chart), 640, 320);
  pixels = render (GTK_WIDGET (chart));

  /* Each point is drawn in its series' colour (a dot) where the API says
   * it is, and hit-testing there finds it. */
  for (s = 0; s < 2; s++)
    for (i = 0; i < N_POINTS; i++)
      {
        gboolean present = ps_line_chart_get_point_position (chart, s, i, &x, &y);
        int hs, hi;

        g_assert_cmpint (present, ==, !(s == 1 && i == 5));
        if (!present)
          {
            g_assert_false (ps_line_chart_get_element_at (chart, x, y, &hs, &hi) && hs == 1);
            continue;
          }
        g_assert_true (ps_line_chart_get_element_at (chart, x + 1, y - 2, &hs, &hi));
        g_assert_cmpint (hs, ==, s);
        g_assert_cmpint (hi, ==, i);
        if (s == 0 && i == 17)
          continue;   /* the drift marker, checked below */
        g_assert_true (near_rgb (rgb_at (pixels, (int) x, (int) y), s == 0 ? BLUE_3 : ORANGE_3));
      }
  /* The flagged point carries the warning colour's marker. */
  ps_line_chart_get_point_position (chart, 0, 17, &x, &y);
  {
    GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (chart));
    gint64 rgb = rgb_at (pixels, (int) x, (int) y);
    GdkRGBA warning;

    g_assert_true (gtk_style_context_lookup_color (style, "warning_color", &warning));
    g_assert_true (near_rgb (rgb, ((int) (warning.red * 255 + 0.5) << 16)
                                  | ((int) (warning.green * 255 + 0.5) << 8)
                                  | (int) (warning.blue * 255 + 0.5)));
  }
  /* Far from both lines: nothing. */
  ps_line_chart_get_point_position (chart, 0, 3, &x, &y);
  g_assert_false (ps_line_chart_get_element_at (chart, x, y + 60, NULL, NULL));

  text = ps_line_chart_describe_element (chart, 0, 17);
  g_assert_cmpstr (text, ==, "Ground, Day 18: $8.10 (cost drift)");

  /* Keyboard: Right across the gap in Express moves to Ground there. */
  g_signal_connect (chart, "point-activated", G_CALLBACK (record_int2_cb), got);
  g_assert_true (ps_line_chart_set_highlight (chart, 1, 4));
  move (GTK_WIDGET (chart), 1, 0);
  g_assert_true (ps_line_chart_get_highlight (chart, &s, &i));
  g_assert_cmpint (s, ==, 0);
  g_assert_cmpint (i, ==, 5);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (chart)), ==, "Ground, Day 6: $7.10");
  move (GTK_WIDGET (chart), 0, 1);
  g_assert_false (ps_line_chart_get_highlight (chart, &s, &i) && s == 1);  /* no Express there */
  move (GTK_WIDGET (chart), 1, 0);
  move (GTK_WIDGET (chart), 0, 1);
  g_assert_true (ps_line_chart_get_highlight (chart, &s, &i));
  g_assert_cmpint (s, ==, 1);
  g_assert_cmpint (i, ==, 6);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (chart), "chart.activate-element", NULL));
  g_assert_cmpint (got[2], ==, 1);
  g_assert_cmpint (got[0], ==, 1);
  g_assert_cmpint (got[1], ==, 6);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* -- Histogram --------------------------------------------------------- */

static const double edges[] = { 0, 12, 24, 48, 72, 96, INFINITY };
static const guint bins[] = { 40, 120, 300, 80, 20, 40 };

static void
record_bin_cb (PsHistogram *histogram,
               int          bin,
               int         *out)
{
  out[0] = bin;
  out[1]++;
}

static void
test_histogram (void)
{
  PsHistogram *histogram = PS_HISTOGRAM (ps_histogram_new ());
  GtkWidget *window;
  g_autoptr(Pixels) pixels = NULL;
  guint count[6] = { 0 };
  g_autofree char *text = NULL;
  int got[2] = { -1, 0 };
  int bin;

  ps_histogram_set_bins (histogram, edges, bins, 6);
  ps_histogram_set_unit (histogram, NULL, " h", 0);
  ps_histogram_set_color (histogram, "purple_3");
  window = show (GTK_WIDGET (histogram), 600, 300);
  pixels = render (GTK_WIDGET (histogram));

  for (int y = 0; y < pixels->height; y++)
    for (int x = 0; x < pixels->width; x++)
      if (near_rgb (rgb_at (pixels, x, y), PURPLE_3))
        {
          g_assert_true (ps_histogram_get_element_at (histogram, x + 0.5, y + 0.5, &bin));
          count[bin]++;
        }
  for (guint b = 0; b < 6; b++)
    g_assert_cmpfloat_with_epsilon ((double) count[b] / count[2], bins[b] / 300.0,
                                    0.05 * bins[b] / 300.0 + 0.02);

  text = ps_histogram_describe_element (histogram, 2);
  g_assert_cmpstr (text, ==, "24 h–48 h: 300 (50.0%)");
  g_clear_pointer (&text, g_free);
  text = ps_histogram_describe_element (histogram, 5);
  g_assert_cmpstr (text, ==, "96 h or more: 40 (6.7%)");

  g_signal_connect (histogram, "bin-activated", G_CALLBACK (record_bin_cb), got);
  gtk_widget_grab_focus (GTK_WIDGET (histogram));
  move (GTK_WIDGET (histogram), G_MAXINT, 0);
  g_assert_true (ps_histogram_get_highlight (histogram, &bin));
  g_assert_cmpint (bin, ==, 0);   /* the first move starts at the first bin */
  move (GTK_WIDGET (histogram), G_MAXINT, 0);
  move (GTK_WIDGET (histogram), -1, 0);
  move (GTK_WIDGET (histogram), 0, 1);     /* one series: Down does nothing */
  g_assert_true (ps_histogram_get_highlight (histogram, &bin));
  g_assert_cmpint (bin, ==, 4);
  assert_description (GTK_WIDGET (histogram), "72 h–96 h: 20 (3.3%)");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (histogram), "chart.activate-element",
                                             NULL));
  g_assert_cmpint (got[1], ==, 1);
  g_assert_cmpint (got[0], ==, 4);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* -- Tile -------------------------------------------------------------- */

static void
count_cb (PsTile *tile,
          int    *count)
{
  (*count)++;
}

static void
test_tile (void)
{
  PsTile *tile = PS_TILE (ps_tile_new ("On-time delivery"));
  const double trend[] = { 91.0, 92.5, 93.1, NAN, 94.0, 94.2 };
  GtkWidget *window;
  g_autoptr(Pixels) pixels = NULL;
  int activated = 0;
  guint opaque = 0;

  ps_tile_set_value (tile, "94.2%");
  ps_tile_set_change (tile, 1.3, "1.3 points", TRUE);
  ps_tile_set_period (tile, "the previous 30 days");
  ps_tile_set_trend (tile, trend, G_N_ELEMENTS (trend));
  g_signal_connect (tile, "activated", G_CALLBACK (count_cb), &activated);
  window = show (GTK_WIDGET (tile), 260, 160);

  g_assert_true (gtk_test_accessible_has_role (GTK_ACCESSIBLE (tile), GTK_ACCESSIBLE_ROLE_BUTTON));
  assert_property (GTK_WIDGET (tile), GTK_ACCESSIBLE_PROPERTY_LABEL,
                   "On-time delivery 94.2%, up 1.3 points from the previous 30 days");

  /* Exception rate: up is bad, said the same way. */
  ps_tile_set_title (tile, "Exception rate");
  ps_tile_set_value (tile, "3.1%");
  ps_tile_set_change (tile, -0.4, "0.4 points", FALSE);
  g_assert_cmpstr (ps_tile_get_title (tile), ==, "Exception rate");
  assert_property (GTK_WIDGET (tile), GTK_ACCESSIBLE_PROPERTY_LABEL,
                   "Exception rate 3.1%, down 0.4 points from the previous 30 days");
  ps_tile_set_detail (tile, "12 shipments");
  ps_tile_set_change (tile, 0, "0 points", FALSE);
  assert_property (GTK_WIDGET (tile), GTK_ACCESSIBLE_PROPERTY_LABEL,
                   "Exception rate 3.1%, 12 shipments, unchanged from the previous 30 days");

  /* The sparkline draws: opaque pixels in the accent colour exist. */
  gtk_test_widget_wait_for_draw (window);
  pixels = render (GTK_WIDGET (ps_tile_get_sparkline (tile)));
  for (int y = 0; y < pixels->height; y++)
    for (int x = 0; x < pixels->width; x++)
      opaque += alpha_at (pixels, x, y) > 200;
  g_assert_cmpuint (opaque, >, 50);

  /* Enter/Space on a button goes through GtkButton's activate. */
  gtk_widget_grab_focus (GTK_WIDGET (tile));
  g_assert_true (gtk_widget_activate (GTK_WIDGET (tile)));
  PS_TEST_WAIT_UNTIL (activated == 1, "the tile to emit activated");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* -- Dark mode and the gallery ---------------------------------------- */

typedef struct
{
  GtkWidget *grid;
  GtkWidget *bars;
  GtkWidget *lines;
} Gallery;

static Gallery
new_gallery (void)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *tiles = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  PsBarChart *bars = PS_BAR_CHART (ps_bar_chart_new ());
  GtkWidget *map = ps_heat_map_new ();
  GtkWidget *lines = ps_line_chart_new ();
  GtkWidget *histogram = ps_histogram_new ();
  g_auto(GStrv) labels = g_new0 (char *, 31);
  const char *names[] = { "UPS", "FedEx", "USPS", "DHL", "OnTrac", "Canada Post" };
  struct { const char *title, *value, *change, *detail; double sign; gboolean good; } t[] = {
    { "Shipments", "1,284", "8%", NULL, 1, TRUE },
    { "On-time delivery", "94.2%", "1.3 points", NULL, 1, TRUE },
    { "Exception rate", "3.1%", "0.6 points", NULL, 1, FALSE },
    { "Awaiting shipment", "37", "5", "oldest 3 days", -1, FALSE },
  };
  double values[30], ground[30], express[30], trend[30];
  gboolean drift[30] = { FALSE };
  guint g_hits[24], g_totals[24];

  for (int i = 0; i < 30; i++)
    labels[i] = g_strdup_printf ("%d Nov", i + 1);
  ps_bar_chart_set_categories (bars, (const char * const *) labels);
  for (int s = 0; s < 6; s++)
    {
      for (int i = 0; i < 30; i++)
        values[i] = (6 - s) * 3 + (i * 7 + s * 5) % 9 + (i % 7 == 6 ? -5 : 0);
      ps_bar_chart_add_series (bars, names[s], NULL, values, 30);
    }
  for (int i = 0; i < 30; i++)
    {
      ground[i] = 7.1 + (i > 22 ? 0.6 : 0) + (i % 4) * 0.08;
      express[i] = 11.8 + (i % 5) * 0.1;
      drift[i] = i > 24;
      trend[i] = 90 + i * 0.15 + (i % 3) * 0.4;
    }
  ps_line_chart_set_categories (PS_LINE_CHART (lines), (const char * const *) labels);
  ps_line_chart_add_series (PS_LINE_CHART (lines), "Ground", NULL, ground, drift, 30);
  ps_line_chart_add_series (PS_LINE_CHART (lines), "Express", NULL, express, NULL, 30);
  ps_line_chart_set_unit (PS_LINE_CHART (lines), "$", NULL, 2);
  ps_line_chart_set_flag_text (PS_LINE_CHART (lines), "cost drift");

  for (int c = 0; c < 24; c++)
    {
      g_totals[c] = c % 7 == 3 ? 6 : 40 + (c * 37) % 90;
      g_hits[c] = g_totals[c] * ((c * 13) % 10) / 100;
    }
  g_hits[15] = 14, g_totals[15] = 80;
  {
    const char *rows[] = { "UPS", "FedEx", "USPS", "DHL", "OnTrac", "Canada Post", NULL };
    const char *cols[] = { "Northeast", "South", "Midwest", "Pacific Northwest", NULL };

    ps_heat_map_set_data (PS_HEAT_MAP (map), rows, cols, g_hits, g_totals);
  }
  ps_histogram_set_bins (PS_HISTOGRAM (histogram), edges, bins, 6);
  ps_histogram_set_unit (PS_HISTOGRAM (histogram), NULL, " h", 0);

  for (guint i = 0; i < G_N_ELEMENTS (t); i++)
    {
      GtkWidget *tile = ps_tile_new (t[i].title);

      ps_tile_set_value (PS_TILE (tile), t[i].value);
      ps_tile_set_detail (PS_TILE (tile), t[i].detail);
      ps_tile_set_change (PS_TILE (tile), t[i].sign, t[i].change, t[i].good);
      ps_tile_set_period (PS_TILE (tile), "the previous 30 days");
      ps_tile_set_trend (PS_TILE (tile), trend, 30);
      gtk_widget_set_hexpand (tile, TRUE);
      gtk_box_append (GTK_BOX (tiles), tile);
    }

  gtk_grid_set_row_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_widget_set_margin_start (grid, 18);
  gtk_widget_set_margin_end (grid, 18);
  gtk_widget_set_margin_top (grid, 18);
  gtk_widget_set_margin_bottom (grid, 18);
  {
    GtkWidget *charts[] = { GTK_WIDGET (bars), lines, map, histogram };

    for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
      {
        gtk_widget_set_hexpand (charts[i], TRUE);
        gtk_widget_set_vexpand (charts[i], TRUE);
      }
  }
  gtk_grid_attach (GTK_GRID (grid), tiles, 0, 0, 2, 1);
  gtk_grid_attach (GTK_GRID (grid), GTK_WIDGET (bars), 0, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), lines, 1, 1, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), map, 0, 2, 1, 1);
  gtk_grid_attach (GTK_GRID (grid), histogram, 1, 2, 1, 1);

  return (Gallery) { grid, GTK_WIDGET (bars), lines };
}

static guint
count_rgb (const Pixels *pixels,
           guint         rgb)
{
  guint n = 0;

  for (int y = 0; y < pixels->height; y++)
    for (int x = 0; x < pixels->width; x++)
      n += near_rgb (rgb_at (pixels, x, y), rgb);
  return n;
}

static void
save_shot (GtkWidget  *window,
           const char *name)
{
  const char *dir = g_getenv ("PS_CHARTS_SHOTS");
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  texture = render_texture (window);
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s", path);
}

static void
test_gallery_dark (void)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  Gallery gallery = new_gallery ();
  GtkWidget *window = show (gallery.grid, 1280, 860);
  GtkWidget *bars = gallery.bars;
  g_autoptr(Pixels) light = NULL;
  g_autoptr(Pixels) dark = NULL;

  /* The keyboard callout, in the shots. */
  g_assert_true (gtk_widget_grab_focus (gallery.lines));
  move (gallery.lines, 1, 0);
  move (gallery.lines, 24, 0);
  gtk_test_widget_wait_for_draw (window);

  /* The first series is the blue hue: blue_3 on light, blue_2 on dark. */
  light = render (bars);
  g_assert_cmpuint (count_rgb (light, BLUE_3), >, 500);
  g_assert_cmpuint (count_rgb (light, BLUE_2), ==, 0);
  save_shot (window, "charts-light.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  PS_TEST_WAIT_UNTIL (adw_style_manager_get_dark (style), "dark mode");
  gtk_test_widget_wait_for_draw (window);
  dark = render (bars);
  g_assert_cmpuint (count_rgb (dark, BLUE_2), >, 500);
  g_assert_cmpuint (count_rgb (dark, BLUE_3), ==, 0);
  save_shot (window, "charts-dark.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The app's style.css (tile padding), as PsApplication loads it. */
static void
load_app_css (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  g_assert_nonnull (ps_ui_get_resource ());
  gtk_css_provider_load_from_resource (css, "/com/example/Postsale/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

int
main (int   argc,
      char *argv[])
{
  /* No ISOLATE_DIRS: it hides the icon theme (see test-window.c). */
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;   /* no display: skipped (CI runs this suite under Xvfb) */
  adw_init ();
  load_app_css ();

  g_test_add_func ("/ui/charts/bar/pixels", test_bar_chart_pixels);
  g_test_add_func ("/ui/charts/bar/keyboard", test_bar_chart_keyboard);
  g_test_add_func ("/ui/charts/bar/large", test_bar_chart_large);
  g_test_add_func ("/ui/charts/heat-map", test_heat_map);
  g_test_add_func ("/ui/charts/line", test_line_chart);
  g_test_add_func ("/ui/charts/histogram", test_histogram);
  g_test_add_func ("/ui/charts/tile", test_tile);
  g_test_add_func ("/ui/charts/gallery-dark", test_gallery_dark);

  return g_test_run ();
}
