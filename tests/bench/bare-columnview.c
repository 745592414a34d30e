/* bare-columnview.c: the floor for Postsale's "open to first rows" figure.
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bare GTK 4.8 program (no libadwaita, no GApplication, no database): an
 * 8-column GtkColumnView over a lazy GListModel of N tiny GObjects that are
 * made on demand in get_item() and never cached, with one
 * GtkSignalListItemFactory per column. It prints how long it took from main()
 * until the first rows were bound AND a frame was painted with them, then
 * quits:
 *
 *   bare first-rows 345.6 ms
 *   bare get-item-calls 205
 *   bare rows 1000000
 *
 * Usage: bare-columnview [N_ITEMS]      (default 1000000)
 *
 * "Painted" is measured the way PsOrdersPage measures it for --bench-startup:
 * a tick callback is added when the first row is bound; its first run marks
 * the rows as seen, its second run (one frame later) reports. Two ticks are
 * needed because GTK binds the first rows before the window is even realized
 * (measured: the first bind comes ~60 ms after main() with no frame clock
 * yet), so the first tick is the update phase of frame 0, BEFORE frame 0,
 * the one showing the rows, is painted; the second tick comes after it.
 * tests/bench/open.sh runs this next to `postsale --bench-startup` in the
 * same session (STYLE.md 3.7a).
 */

#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>

#define N_COLUMNS 8
#define DEFAULT_N_ITEMS 1000000u
#define GIVE_UP_AFTER_S 30

/* ------------------------------------------------------------ BenchItem */

#define BENCH_TYPE_ITEM (bench_item_get_type ())
G_DECLARE_FINAL_TYPE (BenchItem, bench_item, BENCH, ITEM, GObject)

struct _BenchItem
{
  GObject parent_instance;
  guint   index;
};

G_DEFINE_FINAL_TYPE (BenchItem, bench_item, G_TYPE_OBJECT)

static void
bench_item_class_init (BenchItemClass *klass)
{
}

static void
bench_item_init (BenchItem *self)
{
}

static BenchItem *
bench_item_new (guint index)
{
  BenchItem *self = g_object_new (BENCH_TYPE_ITEM, NULL);

  self->index = index;
  return self;
}

/* ------------------------------------------------------------ BenchModel */

#define BENCH_TYPE_MODEL (bench_model_get_type ())
G_DECLARE_FINAL_TYPE (BenchModel, bench_model, BENCH, MODEL, GObject)

struct _BenchModel
{
  GObject parent_instance;
  guint   n_items;
  guint   n_get_item;     /* how many get_item() calls: nothing should walk the model */
};

static GType
bench_model_get_item_type (GListModel *model)
{
  return BENCH_TYPE_ITEM;
}

static guint
bench_model_get_n_items (GListModel *model)
{
  return BENCH_MODEL (model)->n_items;
}

static gpointer
bench_model_get_item (GListModel *model,
                      guint       position)
{
  BenchModel *self = BENCH_MODEL (model);

  if (position >= self->n_items)
    return NULL;
  self->n_get_item++;
  return bench_item_new (position);
}

static void
bench_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bench_model_get_item_type;
  iface->get_n_items = bench_model_get_n_items;
  iface->get_item = bench_model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (BenchModel, bench_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bench_model_list_model_init))

static void
bench_model_class_init (BenchModelClass *klass)
{
}

static void
bench_model_init (BenchModel *self)
{
}

static BenchModel *
bench_model_new (guint n_items)
{
  BenchModel *self = g_object_new (BENCH_TYPE_MODEL, NULL);

  self->n_items = n_items;
  return self;
}

/* ------------------------------------------------------------ the program */

typedef struct
{
  gint64      started_at;   /* g_get_monotonic_time() at the top of main() */
  BenchModel *model;
  GtkWidget  *view;
  gboolean    first_bound;
  guint       n_ticks;      /* tick callback runs since the first bind */
  gboolean    done;
  int         status;
} Bench;

static const char * const column_titles[N_COLUMNS] = {
  "Order", "Date", "Customer", "Channel", "Items", "Total", "Destination", "Status",
};

static const char * const customers[] = { "Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra" };
static const char * const channels[] = { "Shopify", "Etsy", "WooCommerce", "eBay" };
static const char * const cities[] = { "Portland, OR", "Austin, TX", "Berlin", "Lyon" };
static const char * const statuses[] = { "Unfulfilled", "Shipped", "Delivered", "Returned" };

static gboolean
first_rows_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  Bench *bench = user_data;

  if (++bench->n_ticks < 2)
    return G_SOURCE_CONTINUE;     /* frame 0 not painted yet */

  printf ("bare first-rows %.1f ms\n", (g_get_monotonic_time () - bench->started_at) / 1000.0);
  printf ("bare get-item-calls %u\n", bench->model->n_get_item);
  printf ("bare rows %u\n", bench->model->n_items);
  fflush (stdout);
  bench->done = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_REMOVE;
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  Bench *bench = g_object_get_data (G_OBJECT (factory), "bench");
  guint column = GPOINTER_TO_UINT (user_data);
  BenchItem *order = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  guint i = order->index;
  char text[64];

  switch (column)
    {
    case 0:
      g_snprintf (text, sizeof text, "#%u", 1000u + i);
      break;
    case 1:
      g_snprintf (text, sizeof text, "Nov %u, 2025", 1u + i % 28u);
      break;
    case 2:
      g_snprintf (text, sizeof text, "%s", customers[i % G_N_ELEMENTS (customers)]);
      break;
    case 3:
      g_snprintf (text, sizeof text, "%s", channels[i % G_N_ELEMENTS (channels)]);
      break;
    case 4:
      g_snprintf (text, sizeof text, "%u", 1u + i % 5u);
      break;
    case 5:
      g_snprintf (text, sizeof text, "$%u.%02u", 10u + i % 90u, i % 100u);
      break;
    case 6:
      g_snprintf (text, sizeof text, "%s", cities[i % G_N_ELEMENTS (cities)]);
      break;
    case 7:
      g_snprintf (text, sizeof text, "%s", statuses[i % G_N_ELEMENTS (statuses)]);
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (GTK_LABEL (label), text);

  if (!bench->first_bound)
    {
      bench->first_bound = TRUE;
      gtk_widget_add_tick_callback (bench->view, first_rows_tick_cb, bench, NULL);
    }
}

static gboolean
give_up_cb (gpointer user_data)
{
  Bench *bench = user_data;

  fprintf (stderr, "bare-columnview: no rows painted after %d s\n", GIVE_UP_AFTER_S);
  bench->status = 1;
  bench->done = TRUE;
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  GtkWidget *window, *scrolled;
  GtkNoSelection *selection;
  guint n_items = DEFAULT_N_ITEMS;
  guint give_up;

  bench.started_at = g_get_monotonic_time ();

  if (argc > 1)
    {
      guint64 n;

      if (!g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXUINT, &n, NULL))
        {
          fprintf (stderr, "usage: %s [N_ITEMS]\n", argv[0]);
          return 2;
        }
      n_items = (guint) n;
    }

  if (!gtk_init_check ())
    {
      fprintf (stderr, "bare-columnview: cannot open a display\n");
      return 77;
    }

  bench.model = bench_model_new (n_items);
  /* GtkNoSelection: the cheapest selection model, so this stays a floor. */
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (bench.model)));
  bench.view = gtk_column_view_new (GTK_SELECTION_MODEL (selection));
  gtk_widget_set_vexpand (bench.view, TRUE);

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      GtkColumnViewColumn *column;

      g_object_set_data (G_OBJECT (factory), "bench", &bench);
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (c));
      column = gtk_column_view_column_new (column_titles[c], factory);
      /* Fixed widths, as STYLE.md 3.7a asks of the real list. */
      gtk_column_view_column_set_fixed_width (column, c == 2 || c == 6 ? 180 : 120);
      gtk_column_view_append_column (GTK_COLUMN_VIEW (bench.view), column);
      g_object_unref (column);
    }

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), bench.view);

  /* The same default size as Postsale's main window (gschema window-width/-height). */
  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "bare-columnview");
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_present (GTK_WINDOW (window));

  give_up = g_timeout_add_seconds (GIVE_UP_AFTER_S, give_up_cb, &bench);
  while (!bench.done)
    g_main_context_iteration (NULL, TRUE);
  if (bench.status == 0)
    g_source_remove (give_up);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (bench.model);
  return bench.status;
}
