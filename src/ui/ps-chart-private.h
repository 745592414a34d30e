/* ps-chart-private.h: what the chart widgets share
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The charts (PsBarChart, PsHeatMap, PsLineChart, PsHistogram) are final
 * GtkWidgets that each embed a PsChartCore. The core owns what behaves
 * the same in all of them: the highlighted element (hover or keyboard),
 * the tooltip and accessible description that follow it, the "chart.*"
 * actions and their key bindings, clicks, and redrawing when libadwaita
 * switches between light and dark. A chart tells the core about its data
 * through a PsChartVTable. Also here: the palette, nice axis ticks, unit
 * formatting and the few drawing helpers (axes, legends, text).
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* -- Palette --------------------------------------------------------- */

typedef struct
{
  GdkRGBA  fg;          /* the theme's text colour */
  GdkRGBA  grid;        /* fg, faint */
  GdkRGBA  dim;         /* fg, dimmed (axis labels) */
  GdkRGBA  accent;      /* highlight outline */
  GdkRGBA  callout_bg;
  GdkRGBA  callout_fg;
  gboolean dark;
} PsChartPalette;

void        _ps_chart_palette_load        (GtkWidget      *widget,
                                           PsChartPalette *palette);
void        _ps_chart_lookup_color        (GtkWidget      *widget,
                                           const char     *name,
                                           GdkRGBA        *color);
const char *_ps_chart_default_color       (guint           i);

/* -- Numbers --------------------------------------------------------- */

typedef struct
{
  double min;
  double max;
  double step;
  int    decimals;   /* for tick labels */
} PsChartAxis;

void        _ps_chart_axis_init           (PsChartAxis    *axis,
                                           double          lo,
                                           double          hi,
                                           int             max_ticks,
                                           gboolean        integer);
double      _ps_chart_axis_pos            (const PsChartAxis *axis,
                                           double          value,
                                           double          from,
                                           double          to);

/* How a chart writes its values: prefix, number, suffix ("$7.42",
 * "38 h", "17.5%"). */
typedef struct
{
  char *prefix;
  char *suffix;
  int   decimals;
} PsChartUnit;

void        _ps_chart_unit_set            (PsChartUnit    *unit,
                                           const char     *prefix,
                                           const char     *suffix,
                                           int             decimals);
void        _ps_chart_unit_clear          (PsChartUnit    *unit);
char       *_ps_chart_unit_format         (const PsChartUnit *unit,
                                           double          value,
                                           int             decimals);
char       *_ps_chart_format_count        (double          value);

/* -- Series of values over categories (bar and line charts) ---------- */

typedef struct
{
  char     *name;
  char     *color;    /* palette name, see _ps_chart_lookup_color() */
  double   *values;   /* n_values; NAN = no value */
  gboolean *flags;    /* n_values or NULL */
  guint     n_values;
} PsChartSeries;

PsChartSeries *_ps_chart_series_new       (const char     *name,
                                           const char     *color,
                                           const double   *values,
                                           const gboolean *flags,
                                           guint           n_values);
void           _ps_chart_series_free      (gpointer        series);
double         _ps_chart_series_get       (const PsChartSeries *series,
                                           guint           i);

/* Categories (x labels) and the series over them, as the bar and line
 * charts keep them. */
typedef struct
{
  GStrv        categories;
  GPtrArray   *series;        /* PsChartSeries */
  guint        n_categories;  /* MAX of the labels and the series lengths */
  PsChartUnit  unit;
} PsChartData;

void           _ps_chart_data_init        (PsChartData    *data);
void           _ps_chart_data_clear       (PsChartData    *data);
void           _ps_chart_data_set_categories (PsChartData *data,
                                           const char * const *labels);
void           _ps_chart_data_add_series  (PsChartData    *data,
                                           const char     *name,
                                           const char     *color,
                                           const double   *values,
                                           const gboolean *flags,
                                           guint           n_values);
void           _ps_chart_data_remove_all  (PsChartData    *data);
const char    *_ps_chart_data_category    (const PsChartData *data,
                                           int             index);
double         _ps_chart_data_value       (const PsChartData *data,
                                           int             series,
                                           int             index);
void           _ps_chart_data_draw_x_labels (const PsChartData *data,
                                           GtkSnapshot    *snapshot,
                                           PangoLayout    *layout,
                                           const PsChartPalette *palette,
                                           const graphene_rect_t *plot,
                                           double          y);

/* -- Drawing --------------------------------------------------------- */

typedef enum
{
  PS_CHART_ALIGN_START,
  PS_CHART_ALIGN_CENTER,
  PS_CHART_ALIGN_END,
} PsChartAlign;

PangoLayout *_ps_chart_layout_new         (GtkWidget      *widget,
                                           double          scale);
void         _ps_chart_draw_text          (GtkSnapshot    *snapshot,
                                           PangoLayout    *layout,
                                           const char     *text,
                                           double          x,
                                           double          y,
                                           PsChartAlign    halign,
                                           PsChartAlign    valign,
                                           const GdkRGBA  *color);
int          _ps_chart_text_width         (PangoLayout    *layout,
                                           const char     *text);
void         _ps_chart_fill               (GtkSnapshot    *snapshot,
                                           const GdkRGBA  *color,
                                           double          x,
                                           double          y,
                                           double          width,
                                           double          height);
void         _ps_chart_outline            (GtkSnapshot    *snapshot,
                                           const GdkRGBA  *color,
                                           const graphene_rect_t *rect,
                                           double          width);
double       _ps_chart_y_axis_width       (PangoLayout    *layout,
                                           const PsChartAxis *axis,
                                           const PsChartUnit *unit);
void         _ps_chart_draw_y_axis        (GtkSnapshot    *snapshot,
                                           PangoLayout    *layout,
                                           const PsChartPalette *palette,
                                           const PsChartAxis *axis,
                                           const PsChartUnit *unit,
                                           const graphene_rect_t *plot);
void         _ps_chart_draw_x_labels      (GtkSnapshot    *snapshot,
                                           PangoLayout    *layout,
                                           const PsChartPalette *palette,
                                           const char * const *labels,
                                           guint           n_labels,
                                           double          x0,
                                           double          slot,
                                           double          y,
                                           gboolean        at_edges);
double       _ps_chart_legend_height      (GtkWidget      *widget,
                                           PangoLayout    *layout,
                                           GPtrArray      *series,
                                           double          width);
void         _ps_chart_draw_legend        (GtkSnapshot    *snapshot,
                                           GtkWidget      *widget,
                                           PangoLayout    *layout,
                                           const PsChartPalette *palette,
                                           GPtrArray      *series,
                                           double          width);
void         _ps_chart_draw_hatch         (GtkSnapshot    *snapshot,
                                           const GdkRGBA  *color,
                                           const graphene_rect_t *rect);

/* The plot area of a chart with a value axis on the left, category
 * labels below and a legend above (when there are two series or more). */
typedef struct
{
  graphene_rect_t plot;
  PsChartAxis     axis;
  double          label_y;    /* top of the category labels */
  int             width;      /* the widget size this was computed for */
  int             height;
} PsChartFrame;

void         _ps_chart_frame_compute      (PsChartFrame   *frame,
                                           GtkWidget      *widget,
                                           PangoLayout    *layout,
                                           GPtrArray      *legend,
                                           double          lo,
                                           double          hi,
                                           gboolean        integer,
                                           const PsChartUnit *unit);
void         _ps_chart_frame_draw         (const PsChartFrame *frame,
                                           GtkSnapshot    *snapshot,
                                           GtkWidget      *widget,
                                           PangoLayout    *layout,
                                           const PsChartPalette *palette,
                                           GPtrArray      *legend,
                                           const PsChartUnit *unit);

/* -- Behaviour --------------------------------------------------------- */

typedef struct
{
  /* Element under widget coordinates (x, y), if any. */
  gboolean (*element_at)       (GtkWidget  *chart,
                                double      x,
                                double      y,
                                int        *series,
                                int        *index);
  /* Whether (series, index) is something one can point at. */
  gboolean (*element_exists)   (GtkWidget  *chart,
                                int         series,
                                int         index);
  /* Where the element is drawn, for the keyboard callout. */
  gboolean (*element_rect)     (GtkWidget  *chart,
                                int         series,
                                int         index,
                                graphene_rect_t *rect);
  /* Tooltip and accessible description of one element. */
  char    *(*describe_element) (GtkWidget  *chart,
                                int         series,
                                int         index);
  /* Accessible description of the whole chart. */
  char    *(*describe)         (GtkWidget  *chart);
  void     (*get_extent)       (GtkWidget  *chart,
                                int        *n_series,
                                int        *n_index);
  /* Emits the chart's own "*-activated" signal. */
  void     (*activated)        (GtkWidget  *chart,
                                int         series,
                                int         index);
  /* TRUE when Up moves to a higher series index (stacked bars grow
   * upwards); FALSE when series are rows drawn top to bottom. */
  gboolean   up_adds_series;
} PsChartVTable;

typedef struct
{
  GtkWidget           *widget;
  const PsChartVTable *vtable;
  int                  series;      /* highlighted element, -1 = none */
  int                  index;
  gboolean             by_mouse;    /* hover sets it; the pointer leaving clears it */
} PsChartCore;

void     _ps_chart_class_setup            (GtkWidgetClass *widget_class);
void     _ps_chart_core_init              (PsChartCore    *core,
                                           GtkWidget      *widget,
                                           const PsChartVTable *vtable);
void     _ps_chart_core_data_changed      (PsChartCore    *core);
gboolean _ps_chart_core_set_highlight     (PsChartCore    *core,
                                           int             series,
                                           int             index,
                                           gboolean        by_mouse);
gboolean _ps_chart_core_is_highlighted    (PsChartCore    *core,
                                           int             series,
                                           int             index);
gboolean _ps_chart_core_get_highlight     (PsChartCore    *core,
                                           int            *series,
                                           int            *index);
gboolean _ps_chart_core_element_at        (PsChartCore    *core,
                                           double          x,
                                           double          y,
                                           int            *series,
                                           int            *index);
void     _ps_chart_core_move              (PsChartCore    *core,
                                           int             dx,
                                           int             dy);
gboolean _ps_chart_core_activate          (PsChartCore    *core);
void     _ps_chart_core_draw_callout      (PsChartCore    *core,
                                           GtkSnapshot    *snapshot,
                                           PangoLayout    *layout,
                                           const PsChartPalette *palette);

G_END_DECLS
