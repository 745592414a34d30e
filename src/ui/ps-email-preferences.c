/* ps-email-preferences.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Email page of Preferences (#6): the SMTP server customer email goes
 * out through (its password goes to the desktop keyring with
 * ps_smtp_password_store_async(), never to the database), a test message,
 * the branded header (shop name, colour, logo) and the message templates.
 * A template opens in a subpage: subject, plain text and HTML, the
 * placeholders to insert, the parser's error shown as you type (Save is
 * refused until it is fixed) and a preview rendered with a real order.
 * Everything that touches SQLite, the keyring, SMTP or files goes through
 * PsOutboxService or a GTask: nothing here waits on the main thread.
 */

#define G_LOG_DOMAIN "ps-email-preferences"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ps-email-preferences.h"
#include "ps-mail-template.h"
#include "ps-outbox.h"
#include "ps-smtp.h"

/* How long typing pauses before the preview is rendered again. */
#define PREVIEW_DELAY_MS 250
/* Orders offered for the preview: the newest with a shipment. */
#define PREVIEW_ORDERS 50

struct _PsEmailPreferences
{
  AdwPreferencesPage   parent_instance;

  PsOutboxService     *service;
  GCancellable        *cancellable;
  PsMailSettings      *settings;        /* as last loaded or saved */
  guint                busy;            /* calls under way */

  /* Sending */
  AdwEntryRow         *host;
  AdwEntryRow         *port;
  AdwComboRow         *security;
  AdwEntryRow         *user;
  AdwPasswordEntryRow *password;
  AdwEntryRow         *from_name;
  AdwEntryRow         *from_address;
  GtkLabel            *smtp_message;
  AdwEntryRow         *test_to;
  GtkWidget           *test_button;
  GtkSpinner          *test_spinner;
  GtkLabel            *test_message;
  char                *test_after_save; /* send a test here once saved */
  char                *test_sending_to;

  /* Brand */
  AdwEntryRow         *shop_name;
  GtkColorButton      *color;
  AdwActionRow        *logo_row;
  GtkWidget           *logo_remove;
  char                *logo_path;
  GtkLabel            *brand_message;

  /* Templates */
  AdwPreferencesGroup *templates_group;
  GPtrArray           *template_rows;

  /* The template editor (a subpage) */
  GtkWidget           *editor;
  AdwWindowTitle      *editor_title;
  PsMessageTemplate   *current;
  AdwEntryRow         *subject;
  GtkTextView         *text_view;
  GtkTextView         *html_view;
  GtkWidget           *insert_target;
  GtkLabel            *template_message;
  GtkWidget           *save_template;
  GtkWidget           *revert_template;
  AdwComboRow         *order_row;
  GPtrArray           *preview_orders;  /* PsMessageOrder */
  GtkLabel            *preview_subject;
  GtkLabel            *preview_text;
  GtkWidget           *open_html;
  char                *preview_html;
  guint                preview_id;
  GCancellable        *preview_cancellable;
};

G_DEFINE_FINAL_TYPE (PsEmailPreferences, ps_email_preferences, ADW_TYPE_PREFERENCES_PAGE)

static const struct {
  const char *nick;
  const char *label;
} securities[] = {
  { "starttls", N_("STARTTLS (port 587)") },
  { "tls", N_("TLS (port 465)") },
  { "starttls-optional", N_("STARTTLS if offered") },
  { "none", N_("None (local relay)") },
};

static void load_templates (PsEmailPreferences *self);
static void schedule_preview (PsEmailPreferences *self);

static void
show_message (GtkLabel   *label,
              const char *text,
              gboolean    is_error)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

static GtkLabel *
message_label (const char *name)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_widget_set_name (GTK_WIDGET (label), name);
  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_xalign (label, 0);
  gtk_label_set_selectable (label, TRUE);
  gtk_widget_set_margin_top (GTK_WIDGET (label), 6);
  gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
  return label;
}

static GtkWidget *
header_button (const char *mnemonic)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (mnemonic);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static AdwEntryRow *
entry_row (AdwPreferencesGroup *group,
           const char          *title)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  return row;
}

static char *
text_of (gpointer editable)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
set_text (gpointer    editable,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text != NULL ? text : "");
}

static void
busy_changed (PsEmailPreferences *self,
              int                 delta)
{
  g_assert (delta > 0 || self->busy > 0);
  self->busy += delta;
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Settings */

static void
show_settings (PsEmailPreferences   *self,
               const PsMailSettings *s)
{
  GdkRGBA rgba;

  set_text (self->host, s->smtp_host);
  if (s->smtp_port > 0)
    {
      g_autofree char *port = g_strdup_printf ("%d", s->smtp_port);
      set_text (self->port, port);
    }
  else
    set_text (self->port, NULL);
  adw_combo_row_set_selected (self->security, 0);
  for (guint i = 0; i < G_N_ELEMENTS (securities); i++)
    if (g_strcmp0 (s->smtp_security, securities[i].nick) == 0)
      adw_combo_row_set_selected (self->security, i);
  set_text (self->user, s->smtp_user);
  set_text (self->from_name, s->from_name);
  set_text (self->from_address, s->from_address);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->test_to)) == '\0')
    set_text (self->test_to, s->from_address);

  set_text (self->shop_name, s->shop_name);
  if (s->brand_color == NULL || !gdk_rgba_parse (&rgba, s->brand_color))
    gdk_rgba_parse (&rgba, "#3584e4");
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->color), &rgba);
  g_free (self->logo_path);
  self->logo_path = g_strdup (s->logo_path != NULL && *s->logo_path != '\0' ? s->logo_path : NULL);
  if (self->logo_path != NULL)
    {
      g_autofree char *base = g_path_get_basename (self->logo_path);
      adw_action_row_set_subtitle (self->logo_row, base);
    }
  else
    adw_action_row_set_subtitle (self->logo_row, _("No logo: the header shows the shop name only"));
  gtk_widget_set_sensitive (self->logo_remove, self->logo_path != NULL);
}

static void
settings_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PsEmailPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  PsMailSettings *settings = ps_outbox_service_load_settings_finish (PS_OUTBOX_SERVICE (object), result, &error);

  busy_changed (self, -1);
  if (settings == NULL)
    {
      if (!is_cancelled (error))
        show_message (self->smtp_message, error->message, TRUE);
      return;
    }
  g_clear_pointer (&self->settings, ps_mail_settings_free);
  self->settings = settings;
  show_settings (self, settings);
  if (settings->smtp_host == NULL)
    show_message (self->smtp_message, _("Customer email is not set up yet: enter your mail provider’s SMTP server."),
                  FALSE);
  if (settings->shop_name == NULL || *settings->shop_name == '\0')
    show_message (self->brand_message, _("Add your shop name: the header and {{shop_name}} in the templates use it."),
                  FALSE);
}

/* Checks the Sending fields; the message names the field. */
static PsMailSettings *
sending_from_form (PsEmailPreferences  *self,
                   char               **message)
{
  g_autoptr(PsMailSettings) s = ps_mail_settings_copy (self->settings);
  g_autofree char *host = text_of (self->host);
  g_autofree char *port = text_of (self->port);
  g_autofree char *user = text_of (self->user);
  g_autofree char *from = text_of (self->from_address);
  g_autoptr(GError) error = NULL;
  const char *at;
  guint64 port_number = 0;

  if (host == NULL)
    *message = g_strdup (_("Server: enter your mail provider’s SMTP server, for example smtp.example.com."));
  else if (strpbrk (host, " /:\t") != NULL)
    *message = g_strdup_printf (_("Server: “%s” is not a host name."), host);
  else if (port != NULL && (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &port_number, NULL)))
    *message = g_strdup_printf (_("Port: “%s” is not a port number (1–65535)."), port);
  else if (from == NULL)
    *message = g_strdup (_("From address: enter the address customers receive mail from."));
  else if ((at = strchr (from, '@')) == NULL || at == from || at[1] == '\0' || strpbrk (from, " <>,;\"") != NULL)
    *message = g_strdup_printf (_("From address: “%s” is not an email address."), from);
  else if (user == NULL && *gtk_editable_get_text (GTK_EDITABLE (self->password)) != '\0')
    *message = g_strdup (_("Username: a password needs the username it belongs to."));
  if (*message != NULL)
    return NULL;

  g_free (s->smtp_host);
  s->smtp_host = g_steal_pointer (&host);
  s->smtp_port = (int)port_number;
  g_free (s->smtp_security);
  s->smtp_security = g_strdup (securities[adw_combo_row_get_selected (self->security)].nick);
  g_free (s->smtp_user);
  s->smtp_user = g_steal_pointer (&user);
  g_free (s->from_name);
  s->from_name = text_of (self->from_name);
  g_free (s->from_address);
  s->from_address = g_steal_pointer (&from);
  if (!ps_outbox_service_check_settings (s, &error))
    {
      *message = g_strdup (error->message);
      return NULL;
    }
  return g_steal_pointer (&s);
}

/* A settings save under way: what becomes self->settings when it is done. */
typedef struct
{
  PsEmailPreferences *self;
  PsMailSettings     *settings;
} SaveCall;

static SaveCall *
save_call_new (PsEmailPreferences *self,
               PsMailSettings     *settings)
{
  SaveCall *call = g_new0 (SaveCall, 1);

  call->self = g_object_ref (self);
  call->settings = settings;
  return call;
}

static void
save_call_free (SaveCall *call)
{
  g_object_unref (call->self);
  g_clear_pointer (&call->settings, ps_mail_settings_free);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveCall, save_call_free)

static void
test_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsEmailPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *to = g_steal_pointer (&self->test_sending_to);

  busy_changed (self, -1);
  gtk_spinner_stop (self->test_spinner);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  gtk_widget_set_sensitive (self->test_button, TRUE);
  if (ps_outbox_service_send_test_finish (PS_OUTBOX_SERVICE (object), result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The server accepted the test email to %s."), to);
      show_message (self->test_message, text, FALSE);
    }
  else if (!is_cancelled (error))
    {
      g_autofree char *text = g_strdup_printf (_("The test email was not sent: %s"), error->message);
      show_message (self->test_message, text, TRUE);
    }
}

static void
send_test (PsEmailPreferences *self,
           const char         *to)
{
  g_autofree char *text = g_strdup_printf (_("Sending a test email to %s…"), to);

  show_message (self->test_message, text, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), TRUE);
  gtk_spinner_start (self->test_spinner);
  gtk_widget_set_sensitive (self->test_button, FALSE);
  g_free (self->test_sending_to);
  self->test_sending_to = g_strdup (to);
  busy_changed (self, 1);
  ps_outbox_service_send_test_async (self->service, to, self->cancellable, test_sent_cb, g_object_ref (self));
}

static void
sending_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SaveCall) call = user_data;
  PsEmailPreferences *self = call->self;
  g_autoptr(GError) error = NULL;
  g_autofree char *test_to = g_steal_pointer (&self->test_after_save);

  busy_changed (self, -1);
  if (!ps_outbox_service_save_settings_finish (PS_OUTBOX_SERVICE (object), result, &error))
    {
      if (!is_cancelled (error))
        show_message (self->smtp_message, error->message, TRUE);
      return;
    }
  g_clear_pointer (&self->settings, ps_mail_settings_free);
  self->settings = g_steal_pointer (&call->settings);
  show_message (self->smtp_message, _("Saved. Customer email goes out through this server."), FALSE);
  if (*gtk_editable_get_text (GTK_EDITABLE (self->test_to)) == '\0')
    set_text (self->test_to, self->settings->from_address);
  if (test_to != NULL)
    send_test (self, test_to);
}

static void
save_sending_settings (PsEmailPreferences *self,
                       PsMailSettings     *settings)
{
  busy_changed (self, 1);
  /* The service copies @settings; ours becomes self->settings once saved. */
  ps_outbox_service_save_settings_async (self->service, settings, self->cancellable, sending_saved_cb,
                                         save_call_new (self, settings));
}

static void
password_stored_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SaveCall) call = user_data;
  PsEmailPreferences *self = call->self;
  g_autoptr(GError) error = NULL;

  busy_changed (self, -1);
  if (!ps_smtp_password_store_finish (result, &error))
    {
      g_clear_pointer (&self->test_after_save, g_free);
      if (!is_cancelled (error))
        {
          g_autofree char *text = g_strdup_printf (_("Password: the keyring did not take it: %s"), error->message);
          show_message (self->smtp_message, text, TRUE);
        }
      return;
    }
  set_text (self->password, NULL);
  save_sending_settings (self, g_steal_pointer (&call->settings));
}

static void
save_sending (PsEmailPreferences *self)
{
  g_autofree char *message = NULL;
  PsMailSettings *settings = sending_from_form (self, &message);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password));

  if (settings == NULL)
    {
      g_clear_pointer (&self->test_after_save, g_free);
      show_message (self->smtp_message, message, TRUE);
      return;
    }
  show_message (self->smtp_message, _("Saving…"), FALSE);
  if (*password != '\0')
    {
      busy_changed (self, 1);
      ps_smtp_password_store_async (settings->smtp_host, settings->smtp_user, password, self->cancellable,
                                    password_stored_cb, save_call_new (self, settings));
      return;
    }
  save_sending_settings (self, settings);
}

static void
on_save_sending_cb (PsEmailPreferences *self)
{
  g_clear_pointer (&self->test_after_save, g_free);
  save_sending (self);
}

static void
on_send_test_cb (PsEmailPreferences *self)
{
  g_autofree char *to = text_of (self->test_to);
  const char *at = to != NULL ? strchr (to, '@') : NULL;

  if (at == NULL || at == to || at[1] == '\0' || strpbrk (to, " <>,;\"") != NULL)
    {
      show_message (self->test_message, _("Send test to: enter the email address the test should go to."), TRUE);
      return;
    }
  show_message (self->test_message, NULL, FALSE);
  /* The test uses what the form says: save it first. */
  g_free (self->test_after_save);
  self->test_after_save = g_steal_pointer (&to);
  save_sending (self);
}

/* Brand */

static void
brand_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SaveCall) call = user_data;
  PsEmailPreferences *self = call->self;
  g_autoptr(GError) error = NULL;

  busy_changed (self, -1);
  if (!ps_outbox_service_save_settings_finish (PS_OUTBOX_SERVICE (object), result, &error))
    {
      if (!is_cancelled (error))
        show_message (self->brand_message, error->message, TRUE);
      return;
    }
  g_clear_pointer (&self->settings, ps_mail_settings_free);
  self->settings = g_steal_pointer (&call->settings);
  show_message (self->brand_message, _("Saved. New emails carry this header."), FALSE);
  schedule_preview (self);
}

static void
on_save_brand_cb (PsEmailPreferences *self)
{
  PsMailSettings *s = ps_mail_settings_copy (self->settings);
  GdkRGBA rgba;

  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->color), &rgba);
  g_free (s->shop_name);
  s->shop_name = text_of (self->shop_name);
  g_free (s->brand_color);
  s->brand_color = g_strdup_printf ("#%02x%02x%02x", (int)(rgba.red * 255 + 0.5), (int)(rgba.green * 255 + 0.5),
                                    (int)(rgba.blue * 255 + 0.5));
  g_free (s->logo_path);
  s->logo_path = g_strdup (self->logo_path);
  busy_changed (self, 1);
  ps_outbox_service_save_settings_async (self->service, s, self->cancellable, brand_saved_cb,
                                         save_call_new (self, s));
}

static void
set_logo (PsEmailPreferences *self,
          const char         *path)
{
  g_free (self->logo_path);
  self->logo_path = g_strdup (path);
  if (path != NULL)
    {
      g_autofree char *base = g_path_get_basename (path);
      adw_action_row_set_subtitle (self->logo_row, base);
    }
  else
    adw_action_row_set_subtitle (self->logo_row, _("No logo: the header shows the shop name only"));
  gtk_widget_set_sensitive (self->logo_remove, path != NULL);
  show_message (self->brand_message, _("Save the brand to use it."), FALSE);
}

static void
on_logo_chosen_cb (GtkNativeDialog    *chooser,
                   int                 response,
                   PsEmailPreferences *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path != NULL)
        set_logo (self, path);
    }
  g_object_unref (chooser);
}

static void
on_choose_logo_cb (PsEmailPreferences *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Choose a Logo"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (images, _("PNG or JPEG images"));
  gtk_file_filter_add_mime_type (images, "image/png");
  gtk_file_filter_add_mime_type (images, "image/jpeg");
  gtk_file_filter_add_suffix (images, "png");
  gtk_file_filter_add_suffix (images, "jpg");
  gtk_file_filter_add_suffix (images, "jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), images);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_logo_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
on_remove_logo_cb (PsEmailPreferences *self)
{
  set_logo (self, NULL);
}

/* The template editor */

static const char *
template_title (const PsMessageTemplate *t)
{
  static const struct { const char *name, *title; } titles[] = {
    { "shipped", N_("Shipped") },
    { "out_for_delivery", N_("Out for delivery") },
    { "delivered", N_("Delivered, with a feedback request") },
    { "delay", N_("Delay or exception apology") },
    { "return_received", N_("Return received") },
  };

  if (t->builtin)
    for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
      if (g_str_equal (t->name, titles[i].name))
        return _(titles[i].title);
  return t->name;
}

static char *
view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static PsMessageTemplate *
template_from_editor (PsEmailPreferences *self)
{
  PsMessageTemplate *t = ps_message_template_copy (self->current);

  g_free (t->subject);
  t->subject = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->subject)));
  g_free (t->body_text);
  t->body_text = view_text (self->text_view);
  g_free (t->body_html);
  t->body_html = view_text (self->html_view);
  return t;
}

/* Checks the editor's text with the template parser; TRUE if it can be saved. */
static gboolean
check_template (PsEmailPreferences *self)
{
  g_autoptr(PsMessageTemplate) t = NULL;
  g_autoptr(GError) error = NULL;

  if (self->current == NULL)
    return FALSE;
  t = template_from_editor (self);
  if (!ps_mail_template_check (t->subject, t->body_html, t->body_text, &error))
    {
      show_message (self->template_message, error->message, TRUE);
      gtk_widget_set_sensitive (self->save_template, FALSE);
      return FALSE;
    }
  /* A parser message goes once fixed; "Saved." and the like stay. */
  if (gtk_widget_has_css_class (GTK_WIDGET (self->template_message), "error"))
    show_message (self->template_message, NULL, FALSE);
  gtk_widget_set_sensitive (self->save_template, TRUE);
  return TRUE;
}

static void
preview_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsEmailPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsMailRendered) rendered = ps_outbox_service_preview_finish (PS_OUTBOX_SERVICE (object), result, &error);

  busy_changed (self, -1);
  if (rendered == NULL)
    {
      if (!is_cancelled (error))
        {
          gtk_label_set_label (self->preview_subject, "");
          gtk_label_set_label (self->preview_text, error->message);
          gtk_widget_set_sensitive (self->open_html, FALSE);
        }
      return;
    }
  gtk_label_set_label (self->preview_subject, rendered->subject);
  gtk_label_set_label (self->preview_text, rendered->text);
  g_free (self->preview_html);
  self->preview_html = g_steal_pointer (&rendered->html);
  gtk_widget_set_sensitive (self->open_html, TRUE);
}

static gboolean
on_preview_timeout_cb (gpointer user_data)
{
  PsEmailPreferences *self = user_data;
  g_autoptr(PsMessageTemplate) t = NULL;
  const PsMessageOrder *order;
  guint selected;

  self->preview_id = 0;
  busy_changed (self, -1);
  selected = adw_combo_row_get_selected (self->order_row);
  if (self->current == NULL || self->preview_orders == NULL || selected >= self->preview_orders->len)
    return G_SOURCE_REMOVE;
  if (!check_template (self))
    {
      /* The parser's message is shown above; the preview waits for a fix. */
      gtk_widget_set_sensitive (self->open_html, FALSE);
      return G_SOURCE_REMOVE;
    }
  order = g_ptr_array_index (self->preview_orders, selected);
  t = template_from_editor (self);
  /* Latest wins: an older preview still rendering is dropped. */
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_cancellable = g_cancellable_new ();
  busy_changed (self, 1);
  ps_outbox_service_preview_async (self->service, t, order->id, self->preview_cancellable, preview_cb,
                                   g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_preview (PsEmailPreferences *self)
{
  if (self->current == NULL)
    return;
  if (self->preview_id != 0)
    busy_changed (self, -1);
  g_clear_handle_id (&self->preview_id, g_source_remove);
  busy_changed (self, 1);
  self->preview_id = g_timeout_add (PREVIEW_DELAY_MS, on_preview_timeout_cb, self);
}

static void
on_template_changed_cb (PsEmailPreferences *self)
{
  check_template (self);
  schedule_preview (self);
}

static void
set_view_text (GtkTextView *view,
               const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text != NULL ? text : "", -1);
}

static void
fill_editor (PsEmailPreferences      *self,
             const PsMessageTemplate *t)
{
  g_clear_pointer (&self->current, ps_message_template_free);
  self->current = ps_message_template_copy (t);
  adw_window_title_set_title (self->editor_title, template_title (t));
  set_text (self->subject, t->subject);
  set_view_text (self->text_view, t->body_text);
  set_view_text (self->html_view, t->body_html);
  gtk_widget_set_visible (self->revert_template, t->builtin);
  on_template_changed_cb (self);
}

static void
orders_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PsEmailPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GPtrArray *orders = ps_outbox_service_list_preview_orders_finish (PS_OUTBOX_SERVICE (object), result, &error);

  busy_changed (self, -1);
  if (orders == NULL)
    {
      if (!is_cancelled (error))
        gtk_label_set_label (self->preview_text, error->message);
      return;
    }
  g_clear_pointer (&self->preview_orders, g_ptr_array_unref);
  self->preview_orders = orders;
  for (guint i = 0; i < orders->len; i++)
    {
      const PsMessageOrder *o = g_ptr_array_index (orders, i);
      g_autofree char *label = o->customer_name != NULL
                               ? g_strdup_printf ("%s — %s", o->order_number, o->customer_name)
                               : g_strdup (o->order_number);

      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->order_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->order_row, 0);
  if (orders->len == 0)
    gtk_label_set_label (self->preview_text, _("No order has a shipment yet: the preview needs one."));
  schedule_preview (self);
}

static void
on_back_cb (PsEmailPreferences *self)
{
  GtkRoot *root = gtk_widget_get_root (self->editor);

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (root));
}

static void
on_template_activated_cb (AdwActionRow       *row,
                          PsEmailPreferences *self)
{
  const PsMessageTemplate *t = g_object_get_data (G_OBJECT (row), "template");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  show_message (self->template_message, NULL, FALSE);
  fill_editor (self, t);
  if (self->preview_orders == NULL)
    {
      busy_changed (self, 1);
      ps_outbox_service_list_preview_orders_async (self->service, PREVIEW_ORDERS, self->cancellable, orders_cb,
                                                   g_object_ref (self));
    }
  if (ADW_IS_PREFERENCES_WINDOW (root) && gtk_widget_get_parent (self->editor) == NULL)
    adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (root), self->editor);
}

static void
template_saved_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PsEmailPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id = ps_outbox_service_save_template_finish (PS_OUTBOX_SERVICE (object), result, &error);

  busy_changed (self, -1);
  if (id == 0)
    {
      if (!is_cancelled (error))
        show_message (self->template_message, error->message, TRUE);
      return;
    }
  if (self->current != NULL)
    self->current->id = id;
  show_message (self->template_message, _("Saved. New emails use this text."), FALSE);
  load_templates (self);
}

static void
on_save_template_cb (PsEmailPreferences *self)
{
  g_autoptr(PsMessageTemplate) t = NULL;

  if (!check_template (self))
    return;
  t = template_from_editor (self);
  g_clear_pointer (&self->current, ps_message_template_free);
  self->current = ps_message_template_copy (t);
  busy_changed (self, 1);
  ps_outbox_service_save_template_async (self->service, t, self->cancellable, template_saved_cb, g_object_ref (self));
}

static void
reverted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PsEmailPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsMessageTemplate) t = ps_outbox_service_revert_template_finish (PS_OUTBOX_SERVICE (object), result,
                                                                            &error);

  busy_changed (self, -1);
  if (t == NULL)
    {
      if (!is_cancelled (error))
        show_message (self->template_message, error->message, TRUE);
      return;
    }
  fill_editor (self, t);
  show_message (self->template_message, _("Back to the built-in text."), FALSE);
  load_templates (self);
}

static void
on_revert_template_cb (PsEmailPreferences *self)
{
  if (self->current == NULL || !self->current->builtin)
    return;
  busy_changed (self, 1);
  ps_outbox_service_revert_template_async (self->service, self->current->name, self->cancellable, reverted_cb,
                                           g_object_ref (self));
}

static void
on_insert_placeholder_cb (GtkButton          *button,
                          PsEmailPreferences *self)
{
  const char *text = g_object_get_data (G_OBJECT (button), "placeholder");
  GtkWidget *target = self->insert_target != NULL ? self->insert_target : GTK_WIDGET (self->text_view);

  if (GTK_IS_TEXT_VIEW (target))
    gtk_text_buffer_insert_at_cursor (gtk_text_view_get_buffer (GTK_TEXT_VIEW (target)), text, -1);
  else
    {
      int position = gtk_editable_get_position (GTK_EDITABLE (target));

      gtk_editable_insert_text (GTK_EDITABLE (target), text, -1, &position);
      gtk_editable_set_position (GTK_EDITABLE (target), position);
    }
  gtk_widget_grab_focus (target);
}

static void
on_focus_enter_cb (GtkEventControllerFocus *controller,
                   PsEmailPreferences      *self)
{
  self->insert_target = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
}

static void
track_focus (PsEmailPreferences *self,
             GtkWidget          *widget)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect_object (focus, "enter", G_CALLBACK (on_focus_enter_cb), self, 0);
  gtk_widget_add_controller (widget, focus);
}

/* Writes the preview HTML to a file off the main thread, then opens it. */

static void
write_preview_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  const char *html = task_data;
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "postsale", NULL);
  g_autofree char *path = g_build_filename (dir, "email-preview.html", NULL);
  GError *error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", dir, g_strerror (saved));
      return;
    }
  if (!g_file_set_contents_full (path, html, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_filename_to_uri (path, NULL, NULL), g_free);
}

static void
launched_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PsEmailPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  busy_changed (self, -1);
  if (!g_app_info_launch_default_for_uri_finish (result, &error) && !is_cancelled (error))
    show_message (self->template_message, error->message, TRUE);
}

static void
preview_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PsEmailPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_task_propagate_pointer (G_TASK (result), &error);

  busy_changed (self, -1);
  if (uri == NULL)
    {
      if (!is_cancelled (error))
        show_message (self->template_message, error->message, TRUE);
      return;
    }
  busy_changed (self, 1);
  g_app_info_launch_default_for_uri_async (uri, NULL, self->cancellable, launched_cb, g_object_ref (self));
}

static void
on_open_html_cb (PsEmailPreferences *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GString) html = NULL;

  if (self->preview_html == NULL)
    return;
  html = g_string_new (self->preview_html);
  /* A browser cannot resolve cid:, so the logo is shown from its file. */
  if (self->settings != NULL && self->settings->logo_path != NULL && *self->settings->logo_path != '\0')
    {
      g_autofree char *logo_uri = g_filename_to_uri (self->settings->logo_path, NULL, NULL);

      if (logo_uri != NULL)
        g_string_replace (html, "cid:" PS_OUTBOX_LOGO_CID, logo_uri, 0);
    }
  task = g_task_new (self, self->cancellable, preview_written_cb, g_object_ref (self));
  g_task_set_source_tag (task, on_open_html_cb);
  g_task_set_task_data (task, g_string_free (g_steal_pointer (&html), FALSE), g_free);
  busy_changed (self, 1);
  g_task_run_in_thread (task, write_preview_thread);
}

static GtkTextView *
text_area (GtkBox     *box,
           const char *heading,
           gboolean    monospace)
{
  GtkWidget *label = gtk_label_new (heading);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), monospace);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, heading, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 160);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_add_css_class (scrolled, "card");
  gtk_box_append (box, label);
  gtk_box_append (box, scrolled);
  return GTK_TEXT_VIEW (view);
}

static GtkWidget *
build_editor (PsEmailPreferences *self)
{
  GtkWidget *editor = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkBox *box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  AdwPreferencesGroup *message = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *placeholders = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *preview = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *flow = gtk_flow_box_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *preview_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  const char * const *names = ps_mail_template_get_placeholders ();

  self->editor_title = ADW_WINDOW_TITLE (adw_window_title_new (_("Template"), _("Customer email")));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->editor_title));
  gtk_widget_set_tooltip_text (back, _("Back"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"), -1);
  g_signal_connect_object (back, "clicked", G_CALLBACK (on_back_cb), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  gtk_box_append (GTK_BOX (editor), header);

  gtk_widget_set_margin_top (GTK_WIDGET (box), 24);
  gtk_widget_set_margin_bottom (GTK_WIDGET (box), 24);
  gtk_widget_set_margin_start (GTK_WIDGET (box), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (box), 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (box));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (editor), scrolled);

  /* Subject, Save and Revert */
  self->save_template = header_button (_("_Save"));
  gtk_widget_add_css_class (self->save_template, "suggested-action");
  g_signal_connect_object (self->save_template, "clicked", G_CALLBACK (on_save_template_cb), self,
                           G_CONNECT_SWAPPED);
  self->revert_template = header_button (_("_Revert to Built-in"));
  gtk_widget_set_tooltip_text (self->revert_template, _("Put back the text this template came with"));
  g_signal_connect_object (self->revert_template, "clicked", G_CALLBACK (on_revert_template_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (buttons), self->revert_template);
  gtk_box_append (GTK_BOX (buttons), self->save_template);
  adw_preferences_group_set_title (message, _("Message"));
  adw_preferences_group_set_header_suffix (message, buttons);
  self->subject = entry_row (message, _("Subject"));
  gtk_box_append (box, GTK_WIDGET (message));
  self->template_message = message_label ("template-message");
  gtk_box_append (box, GTK_WIDGET (self->template_message));

  self->text_view = text_area (box, _("Plain text"), FALSE);
  self->html_view = text_area (box, _("HTML (placed under the branded header)"), TRUE);
  track_focus (self, GTK_WIDGET (self->subject));
  track_focus (self, GTK_WIDGET (self->text_view));
  track_focus (self, GTK_WIDGET (self->html_view));
  g_signal_connect_object (self->subject, "changed", G_CALLBACK (on_template_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->text_view), "changed",
                           G_CALLBACK (on_template_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->html_view), "changed",
                           G_CALLBACK (on_template_changed_cb), self, G_CONNECT_SWAPPED);

  /* Placeholders */
  adw_preferences_group_set_title (placeholders, _("Placeholders"));
  adw_preferences_group_set_description (placeholders,
                                         _("Click one to insert it where the cursor is. Values are filled in "
                                           "from the order and its shipment, and escaped in the HTML."));
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 6);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *text = g_strdup_printf ("{{%s}}", names[i]);
      g_autofree char *a11y = g_strdup_printf (_("Insert %s"), text);
      GtkWidget *button = gtk_button_new_with_label (text);

      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "monospace");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
      gtk_widget_set_focus_on_click (button, FALSE);
      g_object_set_data_full (G_OBJECT (button), "placeholder", g_steal_pointer (&text), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_insert_placeholder_cb), self, 0);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
    }
  adw_preferences_group_add (placeholders, flow);
  gtk_box_append (box, GTK_WIDGET (placeholders));

  /* Preview with a real order */
  adw_preferences_group_set_title (preview, _("Preview"));
  adw_preferences_group_set_description (preview, _("As the customer of this order would get it, with the saved brand."));
  self->open_html = header_button (_("Open _HTML Preview"));
  gtk_widget_set_sensitive (self->open_html, FALSE);
  g_signal_connect_object (self->open_html, "clicked", G_CALLBACK (on_open_html_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (preview, self->open_html);
  self->order_row = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->order_row), _("Order"));
  g_signal_connect_object (self->order_row, "notify::selected", G_CALLBACK (schedule_preview), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (preview, GTK_WIDGET (self->order_row));
  self->preview_subject = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->preview_subject), "preview-subject");
  gtk_widget_add_css_class (GTK_WIDGET (self->preview_subject), "heading");
  self->preview_text = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->preview_text), "preview-text");
  for (guint i = 0; i < 2; i++)
    {
      GtkLabel *label = i == 0 ? self->preview_subject : self->preview_text;

      gtk_label_set_xalign (label, 0);
      gtk_label_set_wrap (label, TRUE);
      gtk_label_set_wrap_mode (label, PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (label, TRUE);
      gtk_box_append (GTK_BOX (preview_box), GTK_WIDGET (label));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview_subject), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Preview subject"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->preview_text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Preview text"), -1);
  gtk_widget_add_css_class (preview_box, "card");
  gtk_widget_set_margin_top (preview_box, 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->preview_subject), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->preview_text), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->preview_subject), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->preview_text), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->preview_subject), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->preview_text), 12);
  adw_preferences_group_add (preview, preview_box);
  gtk_box_append (box, GTK_WIDGET (preview));

  return editor;
}

/* The template list */

static void
templates_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsEmailPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = ps_outbox_service_list_templates_finish (PS_OUTBOX_SERVICE (object), result,
                                                                            &error);

  busy_changed (self, -1);
  if (templates == NULL)
    return;
  for (guint i = 0; i < self->template_rows->len; i++)
    adw_preferences_group_remove (self->templates_group, g_ptr_array_index (self->template_rows, i));
  g_ptr_array_set_size (self->template_rows, 0);
  for (guint i = 0; i < templates->len; i++)
    {
      const PsMessageTemplate *t = g_ptr_array_index (templates, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = t->builtin ? g_strdup (t->subject)
                                             : g_strdup_printf (_("Your own · %s"), t->subject);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), template_title (t));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "template", ps_message_template_copy (t),
                              (GDestroyNotify)ps_message_template_free);
      g_signal_connect_object (row, "activated", G_CALLBACK (on_template_activated_cb), self, 0);
      adw_preferences_group_add (self->templates_group, row);
      g_ptr_array_add (self->template_rows, row);
    }
}

static void
load_templates (PsEmailPreferences *self)
{
  busy_changed (self, 1);
  ps_outbox_service_list_templates_async (self->service, self->cancellable, templates_cb, g_object_ref (self));
}

/* GObject */

static void
ps_email_preferences_dispose (GObject *object)
{
  PsEmailPreferences *self = (PsEmailPreferences *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->preview_cancellable);
  if (self->preview_id != 0)
    {
      g_clear_handle_id (&self->preview_id, g_source_remove);
      busy_changed (self, -1);
    }
  if (self->editor != NULL && gtk_widget_get_parent (self->editor) == NULL)
    g_clear_object (&self->editor);

  G_OBJECT_CLASS (ps_email_preferences_parent_class)->dispose (object);
}

static void
ps_email_preferences_finalize (GObject *object)
{
  PsEmailPreferences *self = (PsEmailPreferences *)object;

  g_clear_object (&self->service);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_object (&self->editor);
  g_clear_pointer (&self->settings, ps_mail_settings_free);
  g_clear_pointer (&self->current, ps_message_template_free);
  g_clear_pointer (&self->template_rows, g_ptr_array_unref);
  g_clear_pointer (&self->preview_orders, g_ptr_array_unref);
  g_free (self->preview_html);
  g_free (self->logo_path);
  g_free (self->test_after_save);
  g_free (self->test_sending_to);

  G_OBJECT_CLASS (ps_email_preferences_parent_class)->finalize (object);
}

static void
ps_email_preferences_class_init (PsEmailPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_email_preferences_dispose;
  object_class->finalize = ps_email_preferences_finalize;
}

static void
ps_email_preferences_init (PsEmailPreferences *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (self);
  AdwPreferencesGroup *sending = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *test = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *brand = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autoptr(GtkStringList) security_names = gtk_string_list_new (NULL);
  GtkWidget *save = header_button (_("_Save"));
  GtkWidget *save_brand = header_button (_("Save _Brand"));
  GtkWidget *color_row = adw_action_row_new ();
  GtkWidget *choose_logo = header_button (_("_Choose…"));

  self->cancellable = g_cancellable_new ();
  self->preview_cancellable = g_cancellable_new ();
  self->template_rows = g_ptr_array_new ();
  self->settings = ps_mail_settings_new ();

  adw_preferences_page_set_title (page, _("Email"));
  adw_preferences_page_set_icon_name (page, "mail-unread-symbolic");

  /* Sending */
  adw_preferences_group_set_title (sending, _("Sending"));
  adw_preferences_group_set_description (sending,
                                         _("The SMTP server customer email goes out through: your mail provider "
                                           "or shop platform tells you these. The password is kept in your "
                                           "keyring; leave it empty to keep the one saved."));
  self->host = entry_row (sending, _("Server"));
  self->port = entry_row (sending, _("Port (empty for the usual one)"));
  self->security = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->security), _("Security"));
  for (guint i = 0; i < G_N_ELEMENTS (securities); i++)
    gtk_string_list_append (security_names, _(securities[i].label));
  adw_combo_row_set_model (self->security, G_LIST_MODEL (security_names));
  adw_preferences_group_add (sending, GTK_WIDGET (self->security));
  self->user = entry_row (sending, _("Username"));
  self->password = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password), _("Password"));
  adw_preferences_group_add (sending, GTK_WIDGET (self->password));
  self->from_name = entry_row (sending, _("From name"));
  self->from_address = entry_row (sending, _("From address"));
  g_signal_connect_object (save, "clicked", G_CALLBACK (on_save_sending_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (sending, save);
  self->smtp_message = message_label ("smtp-message");
  adw_preferences_group_add (sending, GTK_WIDGET (self->smtp_message));
  adw_preferences_page_add (page, sending);

  /* Test email */
  adw_preferences_group_set_title (test, _("Test Email"));
  adw_preferences_group_set_description (test, _("Saves the settings above and sends one message through them."));
  self->test_to = entry_row (test, _("Send test to"));
  self->test_spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sending"), -1);
  adw_entry_row_add_suffix (self->test_to, GTK_WIDGET (self->test_spinner));
  self->test_button = header_button (_("Send _Test Email…"));
  g_signal_connect_object (self->test_button, "clicked", G_CALLBACK (on_send_test_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (test, self->test_button);
  self->test_message = message_label ("test-message");
  adw_preferences_group_add (test, GTK_WIDGET (self->test_message));
  adw_preferences_page_add (page, test);

  /* Brand */
  adw_preferences_group_set_title (brand, _("Brand"));
  adw_preferences_group_set_description (brand, _("Every email’s HTML sits under a header with your logo, "
                                                  "shop name and colour."));
  self->shop_name = entry_row (brand, _("Shop name"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (color_row), _("Header colour"));
  self->color = GTK_COLOR_BUTTON (gtk_color_button_new ());
  gtk_color_button_set_title (self->color, _("Header Colour"));
  gtk_color_chooser_set_use_alpha (GTK_COLOR_CHOOSER (self->color), FALSE);
  gtk_widget_set_valign (GTK_WIDGET (self->color), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->color), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Header colour"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (color_row), GTK_WIDGET (self->color));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (color_row), GTK_WIDGET (self->color));
  adw_preferences_group_add (brand, color_row);
  self->logo_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->logo_row), _("Logo (PNG or JPEG)"));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->logo_row), FALSE);
  self->logo_remove = header_button (_("_Remove"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->logo_remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove the logo"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (choose_logo), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Choose a logo"), -1);
  g_signal_connect_object (choose_logo, "clicked", G_CALLBACK (on_choose_logo_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->logo_remove, "clicked", G_CALLBACK (on_remove_logo_cb), self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (self->logo_row, self->logo_remove);
  adw_action_row_add_suffix (self->logo_row, choose_logo);
  adw_preferences_group_add (brand, GTK_WIDGET (self->logo_row));
  g_signal_connect_object (save_brand, "clicked", G_CALLBACK (on_save_brand_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (brand, save_brand);
  self->brand_message = message_label ("brand-message");
  adw_preferences_group_add (brand, GTK_WIDGET (self->brand_message));
  adw_preferences_page_add (page, brand);
  show_settings (self, self->settings);

  /* Templates */
  self->templates_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->templates_group, _("Templates"));
  adw_preferences_group_set_description (self->templates_group,
                                         _("What customers get. Automations choose which one goes out when."));
  adw_preferences_page_add (page, self->templates_group);

  /* Built once, shown as a subpage of the window for each template. */
  self->editor = g_object_ref_sink (build_editor (self));
}

/**
 * ps_email_preferences_new:
 * @service: the outbox service of the open database
 *
 * Returns: (transfer floating): the page, reading its settings and templates
 */
GtkWidget *
ps_email_preferences_new (PsOutboxService *service)
{
  PsEmailPreferences *self;

  g_return_val_if_fail (PS_IS_OUTBOX_SERVICE (service), NULL);

  self = g_object_new (PS_TYPE_EMAIL_PREFERENCES, NULL);
  self->service = g_object_ref (service);
  busy_changed (self, 1);
  ps_outbox_service_load_settings_async (service, self->cancellable, settings_cb, g_object_ref (self));
  load_templates (self);
  return GTK_WIDGET (self);
}

/**
 * ps_email_preferences_get_busy:
 * @self: a #PsEmailPreferences
 *
 * For tests: whether a load, save, send or preview is under way.
 *
 * Returns: %TRUE while something is under way
 */
gboolean
ps_email_preferences_get_busy (PsEmailPreferences *self)
{
  g_return_val_if_fail (PS_IS_EMAIL_PREFERENCES (self), FALSE);

  return self->busy > 0;
}
