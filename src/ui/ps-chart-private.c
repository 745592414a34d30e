/* ps-chart-private.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Colours come from libadwaita's named colours (the "blue_3" palette
 * entries and the semantic "accent_color", "error_color", …) looked up on
 * the widget, so a theme that redefines them is followed; the GNOME
 * palette values below are only the fallback for a theme without them.
 * A bare hue ("blue") picks a shade that reads on the current background:
 * darker on light, lighter on dark.
 *
 * Rectangles are colour nodes (gtk_snapshot_append_color) and text is
 * layout nodes; cairo is only used for lines, dots and hatching, which
 * keeps 90 days × 6 carriers well under a millisecond to snapshot.
 */

#define G_LOG_DOMAIN "ps-chart"

#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "ps-chart-private.h"

/* -- Palette --------------------------------------------------------- */

typedef struct
{
  const char *hue;
  const char *shades[5];
  guint       light_shade;   /* 1-based shade used on a light background */
  guint       dark_shade;
} Hue;

/* The GNOME palette (https://developer.gnome.org/hig/reference/palette.html). */
static const Hue hues[] = {
  { "blue",   { "#99c1f1", "#62a0ea", "#3584e4", "#1c71d8", "#1a5fb4" }, 3, 2 },
  { "orange", { "#ffbe6f", "#ffa348", "#ff7800", "#e66100", "#c64600" }, 4, 2 },
  { "green",  { "#8ff0a4", "#57e389", "#33d17a", "#2ec27e", "#26a269" }, 5, 2 },
  { "purple", { "#dc8add", "#c061cb", "#9141ac", "#813d9c", "#613583" }, 3, 2 },
  { "red",    { "#f66151", "#ed333b", "#e01b24", "#c01c28", "#a51d2d" }, 3, 1 },
  { "brown",  { "#cdab8f", "#b5835a", "#986a44", "#865e3c", "#63452c" }, 3, 1 },
  { "yellow", { "#f9f06b", "#f8e45c", "#f6d32d", "#f5c211", "#e5a50a" }, 5, 3 },
};

/* libadwaita 1.2's values, light then dark. */
static const struct { const char *name, *light, *dark; } named[] = {
  { "accent_color",    "#1c71d8", "#78aeed" },
  { "success_color",   "#1b8553", "#8ff0a4" },
  { "warning_color",   "#9c6e03", "#f8e45c" },
  { "error_color",     "#c01c28", "#ff7b63" },
  { "view_bg_color",   "#ffffff", "#1e1e1e" },
  { "view_fg_color",   "#000000cc", "#ffffff" },
};

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

static gboolean
lookup_named (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color))
    return TRUE;
  G_GNUC_END_IGNORE_DEPRECATIONS

  for (guint i = 0; i < G_N_ELEMENTS (named); i++)
    if (g_str_equal (named[i].name, name))
      return gdk_rgba_parse (color, is_dark () ? named[i].dark : named[i].light);
  for (guint i = 0; i < G_N_ELEMENTS (hues); i++)
    for (guint s = 0; s < 5; s++)
      {
        g_autofree char *shade = g_strdup_printf ("%s_%u", hues[i].hue, s + 1);

        if (g_str_equal (shade, name))
          return gdk_rgba_parse (color, hues[i].shades[s]);
      }
  return FALSE;
}

/* @name is a hue ("blue"), a palette entry ("blue_3"), a libadwaita
 * named colour ("accent_color") or anything gdk_rgba_parse() reads.
 * Unknown names are drawn grey rather than failing. */
void
_ps_chart_lookup_color (GtkWidget  *widget,
                        const char *name,
                        GdkRGBA    *color)
{
  g_assert (GTK_IS_WIDGET (widget));

  if (name == NULL)
    name = "blue";
  for (guint i = 0; i < G_N_ELEMENTS (hues); i++)
    if (g_str_equal (hues[i].hue, name))
      {
        g_autofree char *shade = g_strdup_printf ("%s_%u", name,
                                                  is_dark () ? hues[i].dark_shade
                                                             : hues[i].light_shade);
        if (lookup_named (widget, shade, color))
          return;
      }
  if (lookup_named (widget, name, color) || gdk_rgba_parse (color, name))
    return;
  *color = (GdkRGBA) { 0.5, 0.5, 0.5, 1 };
}

/* The hue for the i-th series when the caller chose none. */
const char *
_ps_chart_default_color (guint i)
{
  return hues[i % G_N_ELEMENTS (hues)].hue;
}

void
_ps_chart_palette_load (GtkWidget      *widget,
                        PsChartPalette *palette)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &palette->fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  palette->dark = is_dark ();
  palette->grid = palette->fg;
  palette->grid.alpha *= 0.12;
  palette->dim = palette->fg;
  palette->dim.alpha *= 0.7;
  _ps_chart_lookup_color (widget, "accent_color", &palette->accent);
  _ps_chart_lookup_color (widget, "view_fg_color", &palette->callout_bg);
  palette->callout_bg.alpha = 0.92;
  _ps_chart_lookup_color (widget, "view_bg_color", &palette->callout_fg);
}

/* -- Numbers --------------------------------------------------------- */

/* Ticks at 1, 2, 2.5 or 5 times a power of ten, at most @max_ticks
 * intervals, covering [lo, hi]. */
void
_ps_chart_axis_init (PsChartAxis *axis,
                     double       lo,
                     double       hi,
                     int          max_ticks,
                     gboolean     integer)
{
  double raw, mag, f, nice;

  if (!isfinite (lo) || !isfinite (hi))
    lo = 0, hi = 1;
  if (hi <= lo)
    hi = lo + 1;
  max_ticks = MAX (max_ticks, 1);
  raw = (hi - lo) / max_ticks;
  mag = pow (10, floor (log10 (raw)));
  f = raw / mag;
  nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  axis->step = nice * mag;
  if (integer && axis->step < 1)
    axis->step = 1;
  axis->min = floor (lo / axis->step + 1e-9) * axis->step;
  axis->max = ceil (hi / axis->step - 1e-9) * axis->step;
  if (axis->max <= axis->min)
    axis->max = axis->min + axis->step;
  axis->decimals = MAX (0, (int) -floor (log10 (axis->step) + 1e-9) + (nice == 2.5 ? 1 : 0));
}

/* Maps @value on the axis to [from, to] (to may be smaller, for y). */
double
_ps_chart_axis_pos (const PsChartAxis *axis,
                    double             value,
                    double             from,
                    double             to)
{
  return from + (value - axis->min) / (axis->max - axis->min) * (to - from);
}

void
_ps_chart_unit_set (PsChartUnit *unit,
                    const char  *prefix,
                    const char  *suffix,
                    int          decimals)
{
  g_free (unit->prefix);
  g_free (unit->suffix);
  unit->prefix = g_strdup (prefix != NULL ? prefix : "");
  unit->suffix = g_strdup (suffix != NULL ? suffix : "");
  unit->decimals = CLAMP (decimals, 0, 6);
}

void
_ps_chart_unit_clear (PsChartUnit *unit)
{
  g_clear_pointer (&unit->prefix, g_free);
  g_clear_pointer (&unit->suffix, g_free);
}

/* "%'" groups thousands the way the user's locale does. @decimals < 0
 * means the unit's own. */
char *
_ps_chart_unit_format (const PsChartUnit *unit,
                       double             value,
                       int                decimals)
{
  return g_strdup_printf ("%s%'.*f%s",
                          unit->prefix != NULL ? unit->prefix : "",
                          decimals < 0 ? unit->decimals : decimals, value,
                          unit->suffix != NULL ? unit->suffix : "");
}

char *
_ps_chart_format_count (double value)
{
  return g_strdup_printf ("%'.0f", value);
}

/* -- Series ------------------------------------------------------------ */

PsChartSeries *
_ps_chart_series_new (const char     *name,
                      const char     *color,
                      const double   *values,
                      const gboolean *flags,
                      guint           n_values)
{
  PsChartSeries *series = g_new0 (PsChartSeries, 1);

  series->name = g_strdup (name != NULL ? name : "");
  series->color = g_strdup (color);
  series->values = g_memdup2 (values, sizeof (double) * n_values);
  series->flags = flags != NULL ? g_memdup2 (flags, sizeof (gboolean) * n_values) : NULL;
  series->n_values = n_values;
  return series;
}

void
_ps_chart_series_free (gpointer data)
{
  PsChartSeries *series = data;

  g_free (series->name);
  g_free (series->color);
  g_free (series->values);
  g_free (series->flags);
  g_free (series);
}

/* NAN past the end, so series of different lengths can share a chart. */
double
_ps_chart_series_get (const PsChartSeries *series,
                      guint                i)
{
  return i < series->n_values ? series->values[i] : NAN;
}

static void
update_n_categories (PsChartData *data)
{
  data->n_categories = data->categories != NULL ? g_strv_length (data->categories) : 0;
  for (guint s = 0; s < data->series->len; s++)
    data->n_categories = MAX (data->n_categories,
                              ((PsChartSeries *) g_ptr_array_index (data->series, s))->n_values);
}

void
_ps_chart_data_init (PsChartData *data)
{
  data->series = g_ptr_array_new_with_free_func (_ps_chart_series_free);
  _ps_chart_unit_set (&data->unit, NULL, NULL, 0);
}

void
_ps_chart_data_clear (PsChartData *data)
{
  g_clear_pointer (&data->categories, g_strfreev);
  g_clear_pointer (&data->series, g_ptr_array_unref);
  _ps_chart_unit_clear (&data->unit);
}

void
_ps_chart_data_set_categories (PsChartData        *data,
                               const char * const *labels)
{
  g_strfreev (data->categories);
  data->categories = g_strdupv ((char **) labels);
  update_n_categories (data);
}

/* A NULL @color takes the next hue of the default palette. */
void
_ps_chart_data_add_series (PsChartData    *data,
                           const char     *name,
                           const char     *color,
                           const double   *values,
                           const gboolean *flags,
                           guint           n_values)
{
  if (color == NULL)
    color = _ps_chart_default_color (data->series->len);
  g_ptr_array_add (data->series, _ps_chart_series_new (name, color, values, flags, n_values));
  update_n_categories (data);
}

void
_ps_chart_data_remove_all (PsChartData *data)
{
  g_ptr_array_set_size (data->series, 0);
  g_clear_pointer (&data->categories, g_strfreev);
  update_n_categories (data);
}

const char *
_ps_chart_data_category (const PsChartData *data,
                         int                index)
{
  if (data->categories != NULL && index >= 0 && (guint) index < g_strv_length (data->categories))
    return data->categories[index];
  return "";
}

double
_ps_chart_data_value (const PsChartData *data,
                      int                series,
                      int                index)
{
  return _ps_chart_series_get (g_ptr_array_index (data->series, series), index);
}

/* Labels centred under each category's slot across @plot. */
void
_ps_chart_data_draw_x_labels (const PsChartData     *data,
                              GtkSnapshot           *snapshot,
                              PangoLayout           *layout,
                              const PsChartPalette  *palette,
                              const graphene_rect_t *plot,
                              double                 y)
{
  if (data->categories == NULL)
    return;
  _ps_chart_draw_x_labels (snapshot, layout, palette, (const char * const *) data->categories,
                           g_strv_length (data->categories), plot->origin.x,
                           plot->size.width / MAX (data->n_categories, 1), y, FALSE);
}

/* -- Drawing --------------------------------------------------------- */

PangoLayout *
_ps_chart_layout_new (GtkWidget *widget,
                      double     scale)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, NULL);
  PangoFontDescription *font = pango_font_description_copy (
    pango_context_get_font_description (pango_layout_get_context (layout)));

  if (pango_font_description_get_size_is_absolute (font))
    pango_font_description_set_absolute_size (font, pango_font_description_get_size (font) * scale);
  else
    pango_font_description_set_size (font, (int) (pango_font_description_get_size (font) * scale));
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  return layout;
}

static double
aligned (double       at,
         double       size,
         PsChartAlign align)
{
  switch (align)
    {
    case PS_CHART_ALIGN_START:
      return at;
    case PS_CHART_ALIGN_CENTER:
      return at - size / 2;
    case PS_CHART_ALIGN_END:
    default:
      return at - size;
    }
}

/* Draws @text (NULL: whatever @layout holds) with its @halign/@valign
 * edge at (x, y). */
void
_ps_chart_draw_text (GtkSnapshot   *snapshot,
                     PangoLayout   *layout,
                     const char    *text,
                     double         x,
                     double         y,
                     PsChartAlign   halign,
                     PsChartAlign   valign,
                     const GdkRGBA *color)
{
  int w, h;

  if (text != NULL)
    pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, &h);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (round (aligned (x, w, halign)),
                                                round (aligned (y, h, valign))));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

int
_ps_chart_text_width (PangoLayout *layout,
                      const char  *text)
{
  int w;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &w, NULL);
  return w;
}

void
_ps_chart_fill (GtkSnapshot   *snapshot,
                const GdkRGBA *color,
                double         x,
                double         y,
                double         width,
                double         height)
{
  if (width <= 0 || height <= 0)
    return;
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

void
_ps_chart_outline (GtkSnapshot           *snapshot,
                   const GdkRGBA         *color,
                   const graphene_rect_t *rect,
                   double                 width)
{
  GskRoundedRect outline;
  float widths[4] = { width, width, width, width };
  GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&outline,
                                   &GRAPHENE_RECT_INIT (rect->origin.x - width,
                                                        rect->origin.y - width,
                                                        rect->size.width + 2 * width,
                                                        rect->size.height + 2 * width),
                                   0);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

double
_ps_chart_y_axis_width (PangoLayout       *layout,
                        const PsChartAxis *axis,
                        const PsChartUnit *unit)
{
  int widest = 0;

  for (double v = axis->min; v <= axis->max + axis->step / 2; v += axis->step)
    {
      g_autofree char *text = _ps_chart_unit_format (unit, v, axis->decimals);

      widest = MAX (widest, _ps_chart_text_width (layout, text));
    }
  return widest + 8;
}

/* Grid lines and value labels left of @plot. */
void
_ps_chart_draw_y_axis (GtkSnapshot           *snapshot,
                       PangoLayout           *layout,
                       const PsChartPalette  *palette,
                       const PsChartAxis     *axis,
                       const PsChartUnit     *unit,
                       const graphene_rect_t *plot)
{
  double bottom = plot->origin.y + plot->size.height;

  for (double v = axis->min; v <= axis->max + axis->step / 2; v += axis->step)
    {
      double y = round (_ps_chart_axis_pos (axis, v, bottom, plot->origin.y));
      g_autofree char *text = _ps_chart_unit_format (unit, v, axis->decimals);

      _ps_chart_fill (snapshot, &palette->grid, plot->origin.x, y - 0.5, plot->size.width, 1);
      _ps_chart_draw_text (snapshot, layout, text, plot->origin.x - 6, y,
                           PS_CHART_ALIGN_END, PS_CHART_ALIGN_CENTER, &palette->dim);
    }
}

/* Category labels under the plot: label i centred on slot i, or on the
 * slot edges for histograms; every k-th label when they would touch. */
void
_ps_chart_draw_x_labels (GtkSnapshot          *snapshot,
                         PangoLayout          *layout,
                         const PsChartPalette *palette,
                         const char * const   *labels,
                         guint                 n_labels,
                         double                x0,
                         double                slot,
                         double                y,
                         gboolean              at_edges)
{
  int widest = 0;
  guint every;

  for (guint i = 0; i < n_labels; i++)
    widest = MAX (widest, _ps_chart_text_width (layout, labels[i]));
  every = slot > 0 ? (guint) ceil ((widest + 10) / slot) : n_labels;
  every = MAX (every, 1);
  for (guint i = 0; i < n_labels; i += every)
    {
      double x = x0 + slot * i + (at_edges ? 0 : slot / 2);

      _ps_chart_draw_text (snapshot, layout, labels[i], x, y,
                           PS_CHART_ALIGN_CENTER, PS_CHART_ALIGN_START, &palette->dim);
    }
}

#define SWATCH 10
#define LEGEND_GAP 16

/* Legend entries flow left to right and wrap; the legend is drawn from
 * (0, 0) and this is its height. */
static double
layout_legend (GtkSnapshot          *snapshot,
               GtkWidget            *widget,
               PangoLayout          *layout,
               const PsChartPalette *palette,
               GPtrArray            *series,
               double                width)
{
  double x = 0, y = 0;
  int line_height = 0;

  if (series->len < 2)
    return 0;
  for (guint i = 0; i < series->len; i++)
    {
      PsChartSeries *s = g_ptr_array_index (series, i);
      int w, h;

      pango_layout_set_text (layout, s->name, -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      line_height = MAX (line_height, h);
      if (x > 0 && x + SWATCH + 4 + w > width)
        x = 0, y += line_height + 4;
      if (snapshot != NULL)
        {
          GdkRGBA color;

          _ps_chart_lookup_color (widget, s->color, &color);
          _ps_chart_fill (snapshot, &color, x, y + (h - SWATCH) / 2.0, SWATCH, SWATCH);
          _ps_chart_draw_text (snapshot, layout, NULL, x + SWATCH + 4, y,
                               PS_CHART_ALIGN_START, PS_CHART_ALIGN_START, &palette->fg);
        }
      x += SWATCH + 4 + w + LEGEND_GAP;
    }
  return y + line_height + 8;
}

double
_ps_chart_legend_height (GtkWidget   *widget,
                         PangoLayout *layout,
                         GPtrArray   *series,
                         double       width)
{
  return layout_legend (NULL, widget, layout, NULL, series, width);
}

void
_ps_chart_draw_legend (GtkSnapshot          *snapshot,
                       GtkWidget            *widget,
                       PangoLayout          *layout,
                       const PsChartPalette *palette,
                       GPtrArray            *series,
                       double                width)
{
  layout_legend (snapshot, widget, layout, palette, series, width);
}

/* Diagonal lines over @rect: the mark for "too few samples to trust". */
void
_ps_chart_draw_hatch (GtkSnapshot           *snapshot,
                      const GdkRGBA         *color,
                      const graphene_rect_t *rect)
{
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, rect);
  double x = rect->origin.x, y = rect->origin.y;
  double w = rect->size.width, h = rect->size.height;

  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 1);
  for (double d = -h; d < w; d += 6)
    {
      cairo_move_to (cr, x + d, y + h);
      cairo_line_to (cr, x + d + h, y);
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
}

/* @legend (nullable) is the GPtrArray of PsChartSeries named above the
 * plot. */
void
_ps_chart_frame_compute (PsChartFrame      *frame,
                         GtkWidget         *widget,
                         PangoLayout       *layout,
                         GPtrArray         *legend,
                         double             lo,
                         double             hi,
                         gboolean           integer,
                         const PsChartUnit *unit)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double legend_height = legend != NULL ? _ps_chart_legend_height (widget, layout, legend, width)
                                        : 0;
  double top, bottom, left;
  int line;

  pango_layout_set_text (layout, "0", -1);
  pango_layout_get_pixel_size (layout, NULL, &line);
  top = legend_height + line / 2.0 + 2;
  bottom = MAX (top + 1, height - line - 6);
  _ps_chart_axis_init (&frame->axis, lo, hi, MAX (2, (int) ((bottom - top) / 36)), integer);
  left = _ps_chart_y_axis_width (layout, &frame->axis, unit);
  frame->plot = GRAPHENE_RECT_INIT (left, top, MAX (1, width - left - 8), bottom - top);
  frame->label_y = bottom + 4;
  frame->width = width;
  frame->height = height;
}

void
_ps_chart_frame_draw (const PsChartFrame   *frame,
                      GtkSnapshot          *snapshot,
                      GtkWidget            *widget,
                      PangoLayout          *layout,
                      const PsChartPalette *palette,
                      GPtrArray            *legend,
                      const PsChartUnit    *unit)
{
  if (legend != NULL)
    _ps_chart_draw_legend (snapshot, widget, layout, palette, legend, frame->width);
  _ps_chart_draw_y_axis (snapshot, layout, palette, &frame->axis, unit, &frame->plot);
}

/* -- Behaviour --------------------------------------------------------- */

static GQuark core_quark;

static PsChartCore *
core_of (GtkWidget *widget)
{
  return g_object_get_qdata (G_OBJECT (widget), core_quark);
}

static gboolean
valid (PsChartCore *core,
       int          series,
       int          index)
{
  int n_series = 0, n_index = 0;

  core->vtable->get_extent (core->widget, &n_series, &n_index);
  return series >= 0 && index >= 0 && series < n_series && index < n_index
         && core->vtable->element_exists (core->widget, series, index);
}

static void
update_description (PsChartCore *core)
{
  g_autofree char *text = NULL;

  if (core->series >= 0)
    text = core->vtable->describe_element (core->widget, core->series, core->index);
  else
    text = core->vtable->describe (core->widget);
  gtk_accessible_update_property (GTK_ACCESSIBLE (core->widget),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

/* Moves the highlight to (series, index), or clears it with -1; the
 * tooltip and the accessible description follow, so a screen reader
 * reads the element the arrow keys reached. */
gboolean
_ps_chart_core_set_highlight (PsChartCore *core,
                              int          series,
                              int          index,
                              gboolean     by_mouse)
{
  g_autofree char *text = NULL;

  if (series >= 0 && !valid (core, series, index))
    return FALSE;
  if (series < 0)
    series = index = -1;
  core->by_mouse = by_mouse;
  if (series == core->series && index == core->index)
    return TRUE;
  core->series = series;
  core->index = index;
  if (series >= 0)
    text = core->vtable->describe_element (core->widget, series, index);
  gtk_widget_set_tooltip_text (core->widget, text);
  update_description (core);
  gtk_widget_queue_draw (core->widget);
  return TRUE;
}

gboolean
_ps_chart_core_is_highlighted (PsChartCore *core,
                               int          series,
                               int          index)
{
  return core->series == series && core->index == index;
}

/* For the public getters: @series and @index may be NULL. */
gboolean
_ps_chart_core_get_highlight (PsChartCore *core,
                              int         *series,
                              int         *index)
{
  if (series != NULL)
    *series = core->series;
  if (index != NULL)
    *index = core->index;
  return core->series >= 0;
}

gboolean
_ps_chart_core_element_at (PsChartCore *core,
                           double       x,
                           double       y,
                           int         *series,
                           int         *index)
{
  int s, i;

  if (!core->vtable->element_at (core->widget, x, y, &s, &i))
    return FALSE;
  if (series != NULL)
    *series = s;
  if (index != NULL)
    *index = i;
  return TRUE;
}

/* After new data: keep the highlight only if it still points at
 * something, and describe the new data. */
void
_ps_chart_core_data_changed (PsChartCore *core)
{
  if (core->series >= 0 && !valid (core, core->series, core->index))
    _ps_chart_core_set_highlight (core, -1, -1, FALSE);
  else if (core->series >= 0)
    {
      g_autofree char *text = core->vtable->describe_element (core->widget, core->series,
                                                              core->index);
      gtk_widget_set_tooltip_text (core->widget, text);
    }
  update_description (core);
  gtk_widget_queue_draw (core->widget);
}

/* The series at @index nearest to @prefer that exists, or -1. */
static int
find_in_column (PsChartCore *core,
                int          index,
                int          prefer,
                int          n_series)
{
  for (int d = 0; d < n_series; d++)
    {
      if (prefer - d >= 0 && valid (core, prefer - d, index))
        return prefer - d;
      if (prefer + d < n_series && valid (core, prefer + d, index))
        return prefer + d;
    }
  return -1;
}

static gboolean
highlight_in_column (PsChartCore *core,
                     int          index,
                     int          n_series)
{
  int s = find_in_column (core, index, MAX (core->series, 0), n_series);

  return s >= 0 && _ps_chart_core_set_highlight (core, s, index, FALSE);
}

/* Arrow keys: @dx moves along the categories (columns), @dy down (+1) or
 * up (-1) through the series. Large steps (Home/End) stop at the first or
 * last element there is. With nothing highlighted, any move starts at the
 * first element. */
void
_ps_chart_core_move (PsChartCore *core,
                     int          dx,
                     int          dy)
{
  int n_series = 0, n_index = 0;

  core->vtable->get_extent (core->widget, &n_series, &n_index);
  if (n_series <= 0 || n_index <= 0)
    return;

  if (core->series < 0)
    {
      for (int i = 0; i < n_index; i++)
        if (highlight_in_column (core, i, n_series))
          return;
      return;
    }

  if (dx != 0)
    {
      int step = dx > 0 ? 1 : -1;
      int target = CLAMP ((gint64) core->index + dx, 0, n_index - 1);

      if (target == core->index)
        return;
      /* Onwards from the target; then (Home/End overshooting into empty
       * columns) back towards where we are. */
      for (int i = target; i >= 0 && i < n_index; i += step)
        {
          if (highlight_in_column (core, i, n_series))
            return;
        }
      for (int i = target - step; i != core->index && i >= 0 && i < n_index; i -= step)
        {
          if (highlight_in_column (core, i, n_series))
            return;
        }
      return;
    }

  if (dy != 0)
    {
      int step = core->vtable->up_adds_series ? -dy : dy;

      for (int s = core->series + step; s >= 0 && s < n_series; s += step)
        if (valid (core, s, core->index))
          {
            _ps_chart_core_set_highlight (core, s, core->index, FALSE);
            return;
          }
    }
}

gboolean
_ps_chart_core_activate (PsChartCore *core)
{
  if (core->series < 0)
    return FALSE;
  core->vtable->activated (core->widget, core->series, core->index);
  return TRUE;
}

static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  int dx, dy;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  _ps_chart_core_move (core_of (widget), dx, dy);
}

static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  _ps_chart_core_activate (core_of (widget));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  _ps_chart_core_set_highlight (core_of (widget), -1, -1, FALSE);
}

static void
add_move_binding (GtkWidgetClass *widget_class,
                  guint           key,
                  guint           keypad_key,
                  int             dx,
                  int             dy)
{
  gtk_widget_class_add_binding_action (widget_class, key, 0, "chart.move", "(ii)", dx, dy);
  gtk_widget_class_add_binding_action (widget_class, keypad_key, 0, "chart.move", "(ii)", dx, dy);
}

/* Called from each chart's class_init: the role, the "chart.move (ii)",
 * "chart.activate-element" and "chart.clear" actions and their keys. */
void
_ps_chart_class_setup (GtkWidgetClass *widget_class)
{
  const guint activate_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter,
                                  GDK_KEY_space, GDK_KEY_KP_Space };

  if (core_quark == 0)
    core_quark = g_quark_from_static_string ("ps-chart-core");

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_install_action (widget_class, "chart.move", "(ii)", move_action);
  gtk_widget_class_install_action (widget_class, "chart.activate-element", NULL, activate_action);
  gtk_widget_class_install_action (widget_class, "chart.clear", NULL, clear_action);

  add_move_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, -1, 0);
  add_move_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, 1, 0);
  add_move_binding (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, 0, -1);
  add_move_binding (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, 0, 1);
  add_move_binding (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, -G_MAXINT, 0);
  add_move_binding (widget_class, GDK_KEY_End, GDK_KEY_KP_End, G_MAXINT, 0);
  for (guint i = 0; i < G_N_ELEMENTS (activate_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, activate_keys[i], 0,
                                         "chart.activate-element", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "chart.clear", NULL);
}

static void
on_motion_cb (GtkEventControllerMotion *motion,
              double                    x,
              double                    y,
              PsChartCore              *core)
{
  int series, index;

  if (core->vtable->element_at (core->widget, x, y, &series, &index))
    _ps_chart_core_set_highlight (core, series, index, TRUE);
  else if (core->by_mouse)
    _ps_chart_core_set_highlight (core, -1, -1, TRUE);
}

static void
on_leave_cb (GtkEventControllerMotion *motion,
             PsChartCore              *core)
{
  if (core->by_mouse)
    _ps_chart_core_set_highlight (core, -1, -1, TRUE);
}

static void
on_released_cb (GtkGestureClick *click,
                int              n_press,
                double           x,
                double           y,
                PsChartCore     *core)
{
  int series, index;

  gtk_widget_grab_focus (core->widget);
  if (!core->vtable->element_at (core->widget, x, y, &series, &index))
    return;
  _ps_chart_core_set_highlight (core, series, index, TRUE);
  _ps_chart_core_activate (core);
}

void
_ps_chart_core_init (PsChartCore         *core,
                     GtkWidget           *widget,
                     const PsChartVTable *vtable)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  AdwStyleManager *style = adw_style_manager_get_default ();

  core->widget = widget;
  core->vtable = vtable;
  core->series = core->index = -1;
  g_object_set_qdata (G_OBJECT (widget), core_quark, core);

  gtk_widget_set_focusable (widget, TRUE);

  g_signal_connect (motion, "enter", G_CALLBACK (on_motion_cb), core);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), core);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave_cb), core);
  gtk_widget_add_controller (widget, motion);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_released_cb), core);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));

  /* The keyboard callout shows only while focused. */
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (gtk_widget_queue_draw), widget);
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (gtk_widget_queue_draw), widget);
  gtk_widget_add_controller (widget, focus);

  /* Colours are looked up while drawing; a light/dark switch only needs
   * a redraw. */
  g_signal_connect_object (style, "notify::dark", G_CALLBACK (gtk_widget_queue_draw), widget,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (style, "notify::high-contrast", G_CALLBACK (gtk_widget_queue_draw),
                           widget, G_CONNECT_SWAPPED);
}

/* The highlighted element's text in a box next to it, while the chart
 * has keyboard focus and the highlight came from the keyboard: tooltips
 * only follow the pointer. */
void
_ps_chart_core_draw_callout (PsChartCore          *core,
                             GtkSnapshot          *snapshot,
                             PangoLayout          *layout,
                             const PsChartPalette *palette)
{
  g_autofree char *text = NULL;
  graphene_rect_t anchor;
  GskRoundedRect box;
  double width = gtk_widget_get_width (core->widget);
  double height = gtk_widget_get_height (core->widget);
  double x, y;
  int w, h;

  if (core->series < 0 || core->by_mouse || !gtk_widget_has_focus (core->widget)
      || !core->vtable->element_rect (core->widget, core->series, core->index, &anchor))
    return;

  text = core->vtable->describe_element (core->widget, core->series, core->index);
  pango_layout_set_text (layout, text, -1);
  pango_layout_set_width (layout, MIN (280, width - 16) * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_size (layout, &w, &h);

  x = CLAMP (anchor.origin.x + anchor.size.width / 2 - (w + 12) / 2.0, 0, MAX (0, width - w - 12));
  y = anchor.origin.y - h - 8 - 6;
  if (y < 0)
    y = MIN (anchor.origin.y + anchor.size.height + 6, height - h - 8);
  y = MAX (y, 0);

  gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT (x, y, w + 12, h + 8), 6);
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  gtk_snapshot_append_color (snapshot, &palette->callout_bg, &box.bounds);
  gtk_snapshot_pop (snapshot);
  _ps_chart_draw_text (snapshot, layout, NULL, x + 6, y + 4,
                       PS_CHART_ALIGN_START, PS_CHART_ALIGN_START, &palette->callout_fg);
  pango_layout_set_width (layout, -1);
}
