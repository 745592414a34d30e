/* ps-tile.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One dashboard number: its title, the value, an optional detail ("oldest
 * 3 days"), the change against the previous period with an arrow, green
 * when the move is good and red when it is bad (for the exception rate,
 * up is bad), and a sparkline of the period.
 *
 * The tile is a GtkButton, so it is focusable and activatable with the
 * keyboard, and screen readers hear one sentence for the whole tile:
 * "On-time delivery 94.2%, up 1.3 points from the previous 30 days".
 *
 * Signals: "activated" when clicked or activated (the drill-down).
 */

#define G_LOG_DOMAIN "ps-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-tile.h"

typedef enum
{
  CHANGE_NONE,
  CHANGE_UP,
  CHANGE_DOWN,
  CHANGE_FLAT,
} Change;

struct _PsTile
{
  GtkButton    parent_instance;

  GtkWidget   *title_label;
  GtkWidget   *value_label;
  GtkWidget   *detail_label;
  GtkWidget   *change_label;
  GtkWidget   *period_label;
  PsSparkline *sparkline;

  char        *title;
  char        *value;
  char        *detail;
  char        *change_text;
  char        *period;
  Change       change;
  gboolean     up_is_good;
};

G_DEFINE_FINAL_TYPE (PsTile, ps_tile, GTK_TYPE_BUTTON)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* g_set_str() is GLib 2.76; we build against 2.74. */
static gboolean
replace_str (char       **field,
             const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static const char *
period_or_default (PsTile *self)
{
  return self->period != NULL ? self->period : _("the previous period");
}

static void
update (PsTile *self)
{
  g_autofree char *summary = ps_tile_dup_summary (self);
  g_autofree char *change = NULL;
  g_autofree char *period = NULL;
  gboolean good = self->change == CHANGE_UP ? self->up_is_good : !self->up_is_good;

  gtk_label_set_text (GTK_LABEL (self->title_label), self->title != NULL ? self->title : "");
  gtk_label_set_text (GTK_LABEL (self->value_label), self->value != NULL ? self->value : "—");
  gtk_label_set_text (GTK_LABEL (self->detail_label), self->detail != NULL ? self->detail : "");
  gtk_widget_set_visible (self->detail_label, self->detail != NULL);

  gtk_widget_remove_css_class (self->change_label, "success");
  gtk_widget_remove_css_class (self->change_label, "error");
  switch (self->change)
    {
    case CHANGE_UP:
    case CHANGE_DOWN:
      change = g_strdup_printf ("%s %s", self->change == CHANGE_UP ? "▲" : "▼",
                                self->change_text);
      gtk_widget_add_css_class (self->change_label, good ? "success" : "error");
      break;
    case CHANGE_FLAT:
      change = g_strdup (_("No change"));
      break;
    case CHANGE_NONE:
    default:
      break;
    }
  gtk_label_set_text (GTK_LABEL (self->change_label), change != NULL ? change : "");
  /* Translators: after the change on a tile, e.g. "▲ 1.3 points" "vs the
   * previous 30 days" */
  period = g_strdup_printf (_("vs %s"), period_or_default (self));
  gtk_label_set_text (GTK_LABEL (self->period_label), period);
  gtk_widget_set_visible (self->change_label, self->change != CHANGE_NONE);
  gtk_widget_set_visible (self->period_label, self->change != CHANGE_NONE);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  -1);
}

static void
ps_tile_clicked (GtkButton *button)
{
  g_signal_emit (button, signals[ACTIVATED], 0);
}

static void
ps_tile_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  PsTile *self = PS_TILE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, ps_tile_get_title (self));
      break;
    case PROP_VALUE:
      g_value_set_string (value, ps_tile_get_value (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_tile_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  PsTile *self = PS_TILE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      ps_tile_set_title (self, g_value_get_string (value));
      break;
    case PROP_VALUE:
      ps_tile_set_value (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_tile_finalize (GObject *object)
{
  PsTile *self = PS_TILE (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->value, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->change_text, g_free);
  g_clear_pointer (&self->period, g_free);

  G_OBJECT_CLASS (ps_tile_parent_class)->finalize (object);
}

static void
ps_tile_class_init (PsTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkButtonClass *button_class = GTK_BUTTON_CLASS (klass);

  object_class->finalize = ps_tile_finalize;
  object_class->get_property = ps_tile_get_property;
  object_class->set_property = ps_tile_set_property;
  button_class->clicked = ps_tile_clicked;

  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PsTile::activated:
   * @self: the tile
   *
   * The tile was clicked or activated with the keyboard: open what it
   * counts.
   */
  signals[ACTIVATED] = g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static GtkWidget *
new_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
ps_tile_init (PsTile *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *change_row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->title_label = new_label ("caption-heading");
  gtk_widget_add_css_class (self->title_label, "dim-label");
  self->value_label = new_label ("title-2");
  self->detail_label = new_label ("caption");
  self->change_label = new_label ("caption-heading");
  self->period_label = new_label ("caption");
  gtk_widget_add_css_class (self->period_label, "dim-label");
  self->sparkline = PS_SPARKLINE (ps_sparkline_new ());
  gtk_widget_set_margin_top (GTK_WIDGET (self->sparkline), 6);
  /* Tiles in a row share the tallest one's height: the sparklines take
   * the extra room and line up at the bottom. The tile itself says it does
   * not expand, so the sparkline's expand flag does not grow the row. */
  gtk_widget_set_vexpand (GTK_WIDGET (self->sparkline), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->sparkline), GTK_ALIGN_END);
  gtk_widget_set_vexpand (GTK_WIDGET (self), FALSE);

  gtk_box_append (GTK_BOX (change_row), self->change_label);
  gtk_box_append (GTK_BOX (change_row), self->period_label);
  gtk_box_append (GTK_BOX (box), self->title_label);
  gtk_box_append (GTK_BOX (box), self->value_label);
  gtk_box_append (GTK_BOX (box), self->detail_label);
  gtk_box_append (GTK_BOX (box), change_row);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->sparkline));
  gtk_button_set_child (GTK_BUTTON (self), box);

  gtk_widget_add_css_class (GTK_WIDGET (self), "card");
  gtk_widget_add_css_class (GTK_WIDGET (self), "tile");
  update (self);
}

GtkWidget *
ps_tile_new (const char *title)
{
  return g_object_new (PS_TYPE_TILE, "title", title, NULL);
}

void
ps_tile_set_title (PsTile     *self,
                   const char *title)
{
  g_return_if_fail (PS_IS_TILE (self));

  if (replace_str (&self->title, title))
    {
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }
}

const char *
ps_tile_get_title (PsTile *self)
{
  g_return_val_if_fail (PS_IS_TILE (self), NULL);

  return self->title;
}

/**
 * ps_tile_set_value:
 * @self: a #PsTile
 * @value: (nullable): the formatted value ("94.2%"); NULL shows a dash
 *   while loading
 */
void
ps_tile_set_value (PsTile     *self,
                   const char *value)
{
  g_return_if_fail (PS_IS_TILE (self));

  if (replace_str (&self->value, value))
    {
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
    }
}

const char *
ps_tile_get_value (PsTile *self)
{
  g_return_val_if_fail (PS_IS_TILE (self), NULL);

  return self->value;
}

/**
 * ps_tile_set_detail:
 * @self: a #PsTile
 * @detail: (nullable): a line under the value ("oldest 3 days")
 */
void
ps_tile_set_detail (PsTile     *self,
                    const char *detail)
{
  g_return_if_fail (PS_IS_TILE (self));

  if (replace_str (&self->detail, detail))
    update (self);
}

/**
 * ps_tile_set_change:
 * @self: a #PsTile
 * @change: the signed change; only its sign is used (up, down, none)
 * @change_text: the size of the change, unsigned ("1.3 points", "12%")
 * @up_is_good: whether a rise is good news (on-time rate) or bad
 *   (exception rate)
 */
void
ps_tile_set_change (PsTile     *self,
                    double      change,
                    const char *change_text,
                    gboolean    up_is_good)
{
  g_return_if_fail (PS_IS_TILE (self));
  g_return_if_fail (change_text != NULL);

  replace_str (&self->change_text, change_text);
  self->change = change > 0 ? CHANGE_UP : change < 0 ? CHANGE_DOWN : CHANGE_FLAT;
  self->up_is_good = !!up_is_good;
  update (self);
}

void
ps_tile_clear_change (PsTile *self)
{
  g_return_if_fail (PS_IS_TILE (self));

  self->change = CHANGE_NONE;
  update (self);
}

/**
 * ps_tile_set_period:
 * @self: a #PsTile
 * @period: (nullable): what the change compares with, as it reads after
 *   "from" ("the previous 30 days")
 */
void
ps_tile_set_period (PsTile     *self,
                    const char *period)
{
  g_return_if_fail (PS_IS_TILE (self));

  if (replace_str (&self->period, period))
    update (self);
}

/**
 * ps_tile_set_trend:
 * @self: a #PsTile
 * @values: (array length=n_values) (nullable): the sparkline's values
 * @n_values: the length of @values
 */
void
ps_tile_set_trend (PsTile       *self,
                   const double *values,
                   guint         n_values)
{
  g_return_if_fail (PS_IS_TILE (self));

  ps_sparkline_set_values (self->sparkline, values, n_values);
}

/**
 * ps_tile_get_sparkline:
 * @self: a #PsTile
 *
 * Returns: (transfer none): the tile's sparkline, to pick its colour
 */
PsSparkline *
ps_tile_get_sparkline (PsTile *self)
{
  g_return_val_if_fail (PS_IS_TILE (self), NULL);

  return self->sparkline;
}

/**
 * ps_tile_dup_summary:
 * @self: a #PsTile
 *
 * Returns: (transfer full): the sentence screen readers hear for the
 *   tile, its accessible label
 */
char *
ps_tile_dup_summary (PsTile *self)
{
  GString *text;

  g_return_val_if_fail (PS_IS_TILE (self), NULL);

  text = g_string_new (self->title != NULL ? self->title : "");
  g_string_append_printf (text, " %s", self->value != NULL ? self->value : _("loading"));
  if (self->detail != NULL)
    g_string_append_printf (text, ", %s", self->detail);
  switch (self->change)
    {
    case CHANGE_UP:
      /* Translators: "…, up 1.3 points from the previous 30 days" */
      g_string_append_printf (text, _(", up %s from %s"), self->change_text,
                              period_or_default (self));
      break;
    case CHANGE_DOWN:
      g_string_append_printf (text, _(", down %s from %s"), self->change_text,
                              period_or_default (self));
      break;
    case CHANGE_FLAT:
      g_string_append_printf (text, _(", unchanged from %s"), period_or_default (self));
      break;
    case CHANGE_NONE:
    default:
      break;
    }
  return g_string_free (text, FALSE);
}
