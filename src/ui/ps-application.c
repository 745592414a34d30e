/* ps-application.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application opens the merchant's database on a thread (creating the
 * demo history on the very first start) while the window is already on
 * screen, then hands the PsContext to the window.
 */

#define G_LOG_DOMAIN "ps-application"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ps-application.h"
#include "ps-orders-page.h"
#include "ps-email-preferences.h"
#include "ps-preferences-window.h"
#include "ps-shipping-preferences.h"
#include "ps-ui-resources.h"
#include "ps-window.h"

struct _PsApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  PsContext      *context;
  char           *db_path;
  GCancellable   *cancellable;
  gint64          started_at;       /* monotonic µs at main(), for --bench-startup */
  gboolean        quit_after_startup;
  gboolean        bench_startup;
  gboolean        bench_scroll_end; /* implies bench_startup */
  char           *initial_page;
};

G_DEFINE_FINAL_TYPE (PsApplication, ps_application, ADW_TYPE_APPLICATION)

/* Helpers */

static PsWindow *
get_window (PsApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return PS_IS_WINDOW (window) ? PS_WINDOW (window) : NULL;
}

/* Callbacks */

static void
context_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PsApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  PsWindow *window;

  self->context = ps_context_open_finish (result, &error);
  window = get_window (self);

  if (self->context == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Cannot open %s: %s", self->db_path, error->message);
      if (window != NULL)
        ps_window_show_open_error (window, self->db_path, error);
      if (self->quit_after_startup || self->bench_startup)
        g_application_quit (G_APPLICATION (self));
      return;
    }

  ps_application_startup_timing (self, "database-open");

  if (window != NULL)
    {
      ps_window_set_context (window, self->context);
      /* Not for benchmark runs: they measure the window, not the poller. */
      if (!self->bench_startup && !self->quit_after_startup)
        ps_window_start_background (window);
    }
}

static void
app_quit_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  PsApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close windows so they save their state, then quit. */
  for (GList *l = windows; l != NULL; )
    {
      GList *next = l->next;
      gtk_window_close (GTK_WINDOW (l->data));
      l = next;
    }
  g_application_quit (G_APPLICATION (self));
}

static void
app_about_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  PsApplication *self = user_data;
  static const char *developers[] = { "The Postsale authors", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *debug_info = NULL;

  debug_info = g_strdup_printf ("Postsale %s\nDatabase: %s\nSchema version: %d\n"
                                "GTK %u.%u.%u, libadwaita %u.%u.%u\n",
                                PACKAGE_VERSION, self->db_path,
                                self->context ? ps_database_get_schema_version (
                                  ps_context_get_database (self->context)) : 0,
                                gtk_get_major_version (), gtk_get_minor_version (),
                                gtk_get_micro_version (), adw_get_major_version (),
                                adw_get_minor_version (), adw_get_micro_version ());

  adw_show_about_window (parent,
                         "application-name", _("Postsale"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Postsale authors"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Orders, labels, tracking and returns for small shops, "
                                       "on your own computer"),
                         "website", "https://example.com/postsale",
                         "developers", developers,
                         "copyright", "© 2026 The Postsale authors",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "debug-info", debug_info,
                         NULL);
}

static void
app_preferences_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  PsApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  PsPreferencesWindow *prefs;

  prefs = ps_preferences_window_new (parent, self->db_path);
  /* Shipping settings live in the open database. */
  if (PS_IS_WINDOW (parent) && ps_window_get_shipping_service (PS_WINDOW (parent)) != NULL)
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (prefs),
                                ADW_PREFERENCES_PAGE (ps_shipping_preferences_new (
                                  ps_window_get_shipping_service (PS_WINDOW (parent)))));
  /* Email settings and templates too; the page's own outbox service only
   * reads and saves (the window's sends). */
  if (self->context != NULL)
    {
      g_autoptr(PsOutboxService) outbox = ps_outbox_service_new (self->context);

      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (prefs),
                                  ADW_PREFERENCES_PAGE (ps_email_preferences_new (outbox)));
    }
  gtk_window_present (GTK_WINDOW (prefs));
}

static const GActionEntry app_actions[] = {
  { "quit", app_quit_action },
  { "about", app_about_action },
  { "preferences", app_preferences_action },
};

/* GApplication overrides */

static int
ps_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  PsApplication *self = PS_APPLICATION (app);
  const char *db = NULL;
  const char *page = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      printf ("postsale %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "db", "^&ay", &db) && db != NULL && *db != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (db);
      g_free (self->db_path);
      self->db_path = g_file_get_path (file);
    }
  if (g_variant_dict_lookup (options, "page", "&s", &page))
    {
      g_free (self->initial_page);
      self->initial_page = g_strdup (page);
    }
  self->quit_after_startup = g_variant_dict_contains (options, "quit-after-startup");
  self->bench_scroll_end = g_variant_dict_contains (options, "bench-scroll-end");
  self->bench_startup = self->bench_scroll_end || g_variant_dict_contains (options, "bench-startup");

  return G_APPLICATION_CLASS (ps_application_parent_class)->handle_local_options (app, options);
}

static void
ps_application_startup (GApplication *app)
{
  PsApplication *self = PS_APPLICATION (app);
  GtkApplication *gtk_app = GTK_APPLICATION (app);

  G_APPLICATION_CLASS (ps_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (gtk_app, "app.quit", (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (gtk_app, "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (gtk_app, "win.show-help-overlay",
                                         (const char *[]) { "<Control>question", NULL });
  gtk_application_set_accels_for_action (gtk_app, "win.import",
                                         (const char *[]) { "<Control>o", NULL });
  gtk_application_set_accels_for_action (gtk_app, "win.search",
                                         (const char *[]) { "<Control>f", NULL });
  gtk_application_set_accels_for_action (gtk_app, "win.new-filter",
                                         (const char *[]) { "<Control>n", NULL });
  gtk_application_set_accels_for_action (gtk_app, "window.close",
                                         (const char *[]) { "<Control>w", NULL });
  for (guint i = 0; i < 6; i++)
    {
      static const char *pages[] = {
        "dashboard", "orders", "shipments", "automations", "returns", "improvements"
      };
      g_autofree char *detailed = g_strdup_printf ("win.show-page::%s", pages[i]);
      g_autofree char *accel = g_strdup_printf ("<Alt>%u", i + 1);

      gtk_application_set_accels_for_action (gtk_app, detailed, (const char *[]) { accel, NULL });
    }

  /* Without an installed schema (a misconfigured run from the build tree)
   * the app still works; it just forgets window size and last page. */
  {
    GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
    g_autoptr(GSettingsSchema) schema = NULL;

    if (source != NULL)
      schema = g_settings_schema_source_lookup (source, "com.example.Postsale", TRUE);
    if (schema != NULL)
      self->settings = g_settings_new_full (schema, NULL, NULL);
    else
      g_warning ("The settings schema com.example.Postsale is not installed; "
                 "window size and last page will not be remembered");
  }
}

static gboolean
quit_after_startup_cb (gpointer data)
{
  g_application_quit (G_APPLICATION (data));
  return G_SOURCE_REMOVE;
}

/* --bench-scroll-end (tests/bench/orders.sh): after the first rows are
 * drawn, wait for the whole id list, jump the orders view to its end as the
 * UI test "jump-to-end" does, and report once the first and the last row on
 * screen there are filled and one more frame has been drawn with them. The
 * process's peak RSS then includes a list scrolled to the end. */
typedef struct
{
  PsApplication *app;
  PsOrderList   *list;
  PsOrder       *top;      /* first and last row on screen after the jump */
  PsOrder       *last;
  gint64         scrolled_at;
  guint          n_laid_out;  /* all ids were there at the previous tick */
  gboolean       jumped;
  gboolean       seen;
} BenchScroll;

static void
bench_scroll_free (gpointer data)
{
  BenchScroll *bench = data;

  g_clear_object (&bench->list);
  g_clear_object (&bench->top);
  g_clear_object (&bench->last);
  g_free (bench);
}

static PsOrdersPage *
bench_find_orders_page (GtkWidget *widget)
{
  if (PS_IS_ORDERS_PAGE (widget))
    return PS_ORDERS_PAGE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PsOrdersPage *page = bench_find_orders_page (child);

      if (page != NULL)
        return page;
    }
  return NULL;
}

static gboolean
bench_scroll_tick_cb (GtkWidget     *view,
                      GdkFrameClock *clock,
                      gpointer       data)
{
  BenchScroll *bench = data;
  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  guint n = g_list_model_get_n_items (G_LIST_MODEL (bench->list));
  double upper = gtk_adjustment_get_upper (vadj), page = gtk_adjustment_get_page_size (vadj);

  if (!bench->jumped)
    {
      /* The first page of ids is on screen; wait for all of them, and for
       * one layout with them, or the adjustment still ends at the first page. */
      if (ps_order_list_get_loading (bench->list) || n == 0)
        return G_SOURCE_CONTINUE;
      if (bench->n_laid_out != n)
        {
          bench->n_laid_out = n;
          ps_application_startup_timing (bench->app, "all-ids");
          return G_SOURCE_CONTINUE;
        }
      bench->jumped = TRUE;
      bench->scrolled_at = g_get_monotonic_time ();
      gtk_adjustment_set_value (vadj, upper - page);
      return G_SOURCE_CONTINUE;
    }
  if (bench->top == NULL)
    {
      /* One frame later the view has bound the rows at the end: take the
       * same objects (no extra fetch) to watch them fill. */
      guint top = (guint) (gtk_adjustment_get_value (vadj) / upper * n);

      bench->top = g_list_model_get_item (G_LIST_MODEL (bench->list), MIN (top, n - 1));
      bench->last = g_list_model_get_item (G_LIST_MODEL (bench->list), n - 1);
      return G_SOURCE_CONTINUE;
    }
  if (!ps_order_get_loaded (bench->top) || !ps_order_get_loaded (bench->last))
    return G_SOURCE_CONTINUE;
  if (!bench->seen)
    {
      bench->seen = TRUE;
      return G_SOURCE_CONTINUE;
    }
  /* Within one row of the end: GTK may leave the last pixels unscrolled. */
  if (gtk_adjustment_get_value (vadj) + page < upper - upper / n)
    {
      g_warning ("--bench-scroll-end: the view is at %.0f of %.0f, not at the end",
                 gtk_adjustment_get_value (vadj) + page, upper);
      g_idle_add (quit_after_startup_cb, bench->app);
      return G_SOURCE_REMOVE;
    }

  printf ("scroll-end rows %.1f ms after the jump, at %.0f of %.0f\n",
          (g_get_monotonic_time () - bench->scrolled_at) / 1000.0,
          gtk_adjustment_get_value (vadj) + page, upper);
  ps_application_startup_timing (bench->app, "end-rows");
  g_idle_add (quit_after_startup_cb, bench->app);
  return G_SOURCE_REMOVE;
}

static void
bench_scroll_end_start (PsApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  PsOrdersPage *page = window ? bench_find_orders_page (GTK_WIDGET (window)) : NULL;
  BenchScroll *bench;

  if (page == NULL || ps_orders_page_get_list (page) == NULL)
    {
      g_warning ("--bench-scroll-end: no orders list (start with --page orders)");
      g_idle_add (quit_after_startup_cb, self);
      return;
    }
  bench = g_new0 (BenchScroll, 1);
  bench->app = self;
  bench->list = g_object_ref (ps_orders_page_get_list (page));
  gtk_widget_add_tick_callback (ps_orders_page_get_view (page), bench_scroll_tick_cb,
                                bench, bench_scroll_free);
}

static void
ps_application_activate (GApplication *app)
{
  PsApplication *self = PS_APPLICATION (app);
  PsWindow *window = get_window (self);

  /* Open the database first: it runs on other threads while the window
   * is built and shown, which is most of the startup time. */
  if (self->context == NULL && self->cancellable == NULL)
    {
      self->cancellable = g_cancellable_new ();
      ps_context_open_async (self->db_path, PS_CONTEXT_FLAGS_DEMO_IF_NEW, self->cancellable,
                             context_opened_cb, g_object_ref (self));
    }

  if (window == NULL)
    {
      window = ps_window_new (self, self->settings);
      if (self->initial_page != NULL)
        ps_window_show_page (window, self->initial_page);
      if (self->context != NULL)
        {
          ps_window_set_context (window, self->context);
          if (!self->bench_startup && !self->quit_after_startup)
            ps_window_start_background (window);
        }
    }

  gtk_window_present (GTK_WINDOW (window));
  ps_application_startup_timing (self, "window-presented");

  /* A hidden option for the smoke test: start, open the database, show
   * the first rows, and quit, proving the whole startup path works. */
  if (self->quit_after_startup)
    g_timeout_add_seconds (30, quit_after_startup_cb, self);
}

static void
ps_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  /* "Open with Postsale" and `postsale FILE…`: import the files. */
  ps_application_activate (app);
  ps_window_import_files (get_window (PS_APPLICATION (app)), files, n_files);
}

/* GObject overrides */

static void
ps_application_dispose (GObject *object)
{
  PsApplication *self = (PsApplication *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ps_application_parent_class)->dispose (object);
}

static void
ps_application_finalize (GObject *object)
{
  PsApplication *self = (PsApplication *)object;

  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->initial_page, g_free);

  G_OBJECT_CLASS (ps_application_parent_class)->finalize (object);
}

static void
ps_application_class_init (PsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ps_application_dispose;
  object_class->finalize = ps_application_finalize;

  app_class->handle_local_options = ps_application_handle_local_options;
  app_class->startup = ps_application_startup;
  app_class->activate = ps_application_activate;
  app_class->open = ps_application_open;
}

static void
ps_application_init (PsApplication *self)
{
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Use this database file (default: $POSTSALE_DB or the user data folder)"), N_("PATH") },
    { "page", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Start on this page (dashboard, orders, shipments, automations, returns, improvements)"),
      N_("PAGE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { "quit-after-startup", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
    { "bench-startup", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
    { "bench-scroll-end", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL, NULL, NULL },
    { NULL }
  };

  self->started_at = g_get_monotonic_time ();
  /* Keeps the UI resources (and their registering constructor) linked in. */
  (void)ps_ui_get_resource ();
  self->db_path = ps_context_dup_default_path ();
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE…]"));
}

/* Public API */

PsApplication *
ps_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  return g_object_new (PS_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}

/**
 * ps_application_get_context:
 * @self: a #PsApplication
 *
 * Returns: (transfer none) (nullable): the open context, %NULL until the
 *   database has been opened
 */
PsContext *
ps_application_get_context (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), NULL);
  return self->context;
}

const char *
ps_application_get_db_path (PsApplication *self)
{
  g_return_val_if_fail (PS_IS_APPLICATION (self), NULL);
  return self->db_path;
}

/**
 * ps_application_startup_timing:
 * @self: a #PsApplication
 * @what: the milestone ("database-open", "first-rows")
 *
 * With the hidden --bench-startup option, prints the milliseconds since the
 * process started for each milestone, and quits after "first-rows" (the
 * benchmark in tests/bench/open.sh reads these lines). With
 * --quit-after-startup, quits after "first-rows" as well. With
 * --bench-scroll-end, prints them too, but after "first-rows" scrolls the
 * orders list to its end and quits after "end-rows" (tests/bench/orders.sh).
 */
void
ps_application_startup_timing (PsApplication *self,
                               const char    *what)
{
  g_return_if_fail (PS_IS_APPLICATION (self));

  if (self->bench_startup)
    {
      printf ("startup %s %.1f ms\n", what,
              (g_get_monotonic_time () - self->started_at) / 1000.0);
      fflush (stdout);
    }

  if (self->bench_scroll_end && g_str_equal (what, "first-rows"))
    bench_scroll_end_start (self);
  else if ((self->bench_startup || self->quit_after_startup) && g_str_equal (what, "first-rows"))
    g_idle_add (quit_after_startup_cb, self);
}
