/* ps-exceptions-view.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shipments in trouble (ps-exception-store.c says which), one group
 * per reason with its count and the oldest age, the oldest exceptions
 * first. Each one can be acted on from its row:
 *
 *   - Email Customer queues the "delay" template through the outbox under
 *     a key per shipment and reason (ps_exception_email_key()), so however
 *     often it is pressed the customer gets one message; the toast says
 *     whether this press queued it or it was queued already;
 *   - Mark Resolved… asks for the root cause in a small dialog and
 *     resolves it in the store (a note on the order says so);
 *   - Reship opens the rate selector for the order (win.ship-orders), to
 *     buy another label;
 *   - Add Note opens an entry under the row; Enter adds the note.
 *
 * Row buttons are widget actions ("exceptions.*") whose target is the
 * shipment id, so the rows hold no callbacks of their own. The list is
 * read again, coalesced, whenever the order store reports a change (the
 * tracking poller, a resolution, a note, a new label); a note being
 * typed survives that.
 */

#define G_LOG_DOMAIN "ps-exceptions-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ps-choice-button.h"
#include "ps-exception-store.h"
#include "ps-exceptions-view.h"
#include "ps-format.h"
#include "ps-message-store.h"
#include "ps-order-detail.h"
#include "ps-outbox.h"
#include "ps-time.h"
#include "ps-ui-resources.h"

/* Changes often come in bursts (a poll of many parcels): read once. */
#define RELOAD_DELAY_MS 250
/* Ages on screen are from the last read; read again when shown later. */
#define STALE_AFTER_SECONDS 60

struct _PsExceptionsView
{
  GtkWidget        parent_instance;

  PsContext       *context;
  GCancellable    *load_cancellable;  /* the read in flight; replaced by each read */
  GCancellable    *cancellable;       /* emails and edits; cancelled in dispose */
  guint            reload_source;
  gboolean         loading;
  guint            n_pending;
  GPtrArray       *groups;            /* PsExceptionGroup*, what is shown */
  GHashTable      *entries;           /* shipment id → Entry*, for the row actions */
  gint64           loaded_at;         /* ages are relative to it */
  gint64           built_at;          /* when the rows on screen were built */
  char            *fingerprint;       /* of what is on screen (fingerprint()) */

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwStatusPage   *error_page;
  AdwClamp        *clamp;
};

G_DEFINE_FINAL_TYPE (PsExceptionsView, ps_exceptions_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What a row's actions need: the row itself (owned by self->groups) and
 * its note entry. */
typedef struct
{
  const PsExceptionRow *row;
  GtkWidget            *group_box;
  GtkWidget            *revealer;
  GtkWidget            *entry;
} Entry;

/* One email, resolution or note in flight. */
typedef struct
{
  PsExceptionsView *self;
  gint64            shipment_id;
  gint64            order_id;
  char             *order_number;
} Op;

static Op *
op_new (PsExceptionsView     *self,
        const PsExceptionRow *row)
{
  Op *op = g_new0 (Op, 1);

  op->self = g_object_ref (self);
  op->shipment_id = row->shipment_id;
  op->order_id = row->order_id;
  op->order_number = g_strdup (row->order_number);
  self->n_pending++;
  return op;
}

static void
op_free (Op *op)
{
  op->self->n_pending--;
  g_object_unref (op->self);
  g_free (op->order_number);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Op, op_free)

/**
 * ps_exceptions_view_format_age:
 * @seconds: how long something has lasted
 *
 * "3 days", "5 hours", "12 minutes": days from two days on, hours from
 * two hours on, never less than a minute.
 *
 * Returns: (transfer full): the age for people
 */
char *
ps_exceptions_view_format_age (gint64 seconds)
{
  gint64 minutes = MAX (seconds, 0) / 60;
  gint64 hours = minutes / 60;
  gint64 days = hours / 24;

  if (days >= 2)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", (gulong) days),
                            (int) days);
  if (hours >= 2)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", (gulong) hours),
                            (int) hours);
  minutes = MAX (minutes, 1);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong) minutes),
                          (int) minutes);
}

static const char *
root_cause_label (PsExceptionRootCause cause)
{
  switch (cause)
    {
    case PS_EXCEPTION_ROOT_CAUSE_CARRIER:      return _("Carrier");
    case PS_EXCEPTION_ROOT_CAUSE_WAREHOUSE:    return _("Warehouse");
    case PS_EXCEPTION_ROOT_CAUSE_ADDRESS_DATA: return _("Address data");
    case PS_EXCEPTION_ROOT_CAUSE_WORKFLOW:     return _("Workflow");
    case PS_EXCEPTION_ROOT_CAUSE_CUSTOMER:     return _("Customer");
    default:                                   return "";
    }
}

/* The root cause the dialog offers first: the usual one for the reason. */
static PsExceptionRootCause
likely_root_cause (PsExceptionReason reason)
{
  switch (reason)
    {
    case PS_EXCEPTION_REASON_ADDRESS_ISSUE:
      return PS_EXCEPTION_ROOT_CAUSE_ADDRESS_DATA;
    case PS_EXCEPTION_REASON_LATE_HANDOFF:
      return PS_EXCEPTION_ROOT_CAUSE_WAREHOUSE;
    case PS_EXCEPTION_REASON_FAILED_ATTEMPT:
    case PS_EXCEPTION_REASON_REFUSED:
      return PS_EXCEPTION_ROOT_CAUSE_CUSTOMER;
    case PS_EXCEPTION_REASON_NONE:
    case PS_EXCEPTION_REASON_DELAY:
    case PS_EXCEPTION_REASON_DAMAGED:
    case PS_EXCEPTION_REASON_LOST:
    case PS_EXCEPTION_REASON_CUSTOMS_HOLD:
    case PS_EXCEPTION_REASON_WEATHER:
    case PS_EXCEPTION_REASON_OTHER:
    default:
      return PS_EXCEPTION_ROOT_CAUSE_CARRIER;
    }
}

static void
toast (PsExceptionsView *self,
       const char       *title)
{
  AdwToast *t = adw_toast_new (title);

  g_debug ("Toast: %s", title);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static Entry *
lookup_entry (PsExceptionsView *self,
              GVariant         *param)
{
  gint64 id = g_variant_get_int64 (param);

  return g_hash_table_lookup (self->entries, &id);
}

static void
set_loading (PsExceptionsView *self,
             gboolean          loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Building the list */

static GtkWidget *
label_new (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
action_button_new (const char *label,
                   const char *action,
                   gint64      shipment_id,
                   const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          g_variant_new_int64 (shipment_id));
  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

/* The buttons of each row, in order. */
static const struct
{
  const char *label;
  const char *action;
  const char *tooltip;
} row_actions[] = {
  { N_("Email Customer"), "exceptions.email", N_("Queue the delay email to the customer (sent once)") },
  { N_("Mark Resolved…"), "exceptions.resolve", N_("Resolve it with a root cause") },
  { N_("Reship"), "exceptions.reship", N_("Buy another label for the order") },
  { N_("Add Note"), "exceptions.add-note", N_("Write a note on the order") },
};

/* Enter in a note entry adds the note, as its Add button does. */
static void
on_note_activate_cb (GtkEntry *entry,
                     gpointer  user_data)
{
  const gint64 *shipment_id = g_object_get_data (G_OBJECT (entry), "ps-shipment-id");

  gtk_widget_activate_action_variant (GTK_WIDGET (entry), "exceptions.save-note",
                                      g_variant_new_int64 (*shipment_id));
}

static void
ensure_note_entry (Entry *e)
{
  g_autofree char *placeholder = NULL;
  GtkWidget *note_box, *add;

  if (e->entry != NULL)
    return;
  note_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_revealer_set_child (GTK_REVEALER (e->revealer), note_box);
  e->entry = gtk_entry_new ();
  gtk_widget_set_hexpand (e->entry, TRUE);
  placeholder = g_strdup_printf (_("Note on order %s"), e->row->order_number);
  gtk_entry_set_placeholder_text (GTK_ENTRY (e->entry), placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (e->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  placeholder, -1);
  gtk_box_append (GTK_BOX (note_box), e->entry);
  add = action_button_new (_("Add"), "exceptions.save-note", e->row->shipment_id, NULL);
  gtk_widget_add_css_class (add, "suggested-action");
  gtk_box_append (GTK_BOX (note_box), add);
  g_object_set_data_full (G_OBJECT (e->entry), "ps-shipment-id",
                          g_memdup2 (&e->row->shipment_id, sizeof (gint64)), g_free);
  g_signal_connect (e->entry, "activate", G_CALLBACK (on_note_activate_cb), NULL);
}

static GtkWidget *
build_row (PsExceptionsView     *self,
           const PsExceptionRow *row,
           GtkWidget            *group_box)
{
  g_autofree char *title = NULL;
  g_autofree char *service = NULL;
  g_autofree char *details = NULL;
  g_autofree char *age = ps_exceptions_view_format_age (self->loaded_at - row->since);
  g_autofree char *last = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *list_row, *box, *top, *info, *label, *actions, *revealer;
  Entry *e;

  title = row->customer != NULL && *row->customer != '\0'
          ? g_strdup_printf ("%s · %s", row->order_number, row->customer)
          : g_strdup (row->order_number);
  service = row->service != NULL ? g_strdelimit (g_strdup (row->service), "_", ' ') : NULL;
  if (service != NULL && g_ascii_islower (service[0]))
    service[0] = g_ascii_toupper (service[0]);
  details = g_strdup_printf ("%s · %s · %s", ps_format_carrier (row->carrier),
                             service != NULL ? service : "",
                             row->tracking_number != NULL ? row->tracking_number
                                                          : _("no tracking number"));
  last = row->last_event != NULL ? g_strdup_printf (_("Last event: %s"), row->last_event)
                                 : g_strdup (_("No tracking event yet"));

  list_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  /* Tab goes straight to the buttons. */
  gtk_widget_set_focusable (list_row, FALSE);
  accessible = g_strdup_printf (_("Order %s, %s, in trouble for %s"), row->order_number,
                                ps_format_exception_reason (row->reason), age);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);

  top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (box), top);
  info = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (info, TRUE);
  gtk_box_append (GTK_BOX (top), info);

  label = label_new (title, "heading");
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (info), label);
  label = label_new (details, "dim-label");
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (info), label);
  label = label_new (last, "caption");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (info), label);

  label = label_new (age, "numeric");
  gtk_widget_set_name (label, "age");
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (label, _("How long this shipment has been in trouble"));
  gtk_box_append (GTK_BOX (top), label);

  /* A flow box, so the buttons wrap on a narrow window. Its children
   * take no focus of their own: Tab goes from button to button. */
  actions = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (actions), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (actions), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (actions), 6);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (actions), 4);
  gtk_box_append (GTK_BOX (box), actions);
  for (guint i = 0; i < G_N_ELEMENTS (row_actions); i++)
    {
      GtkWidget *button = action_button_new (_(row_actions[i].label), row_actions[i].action,
                                             row->shipment_id, _(row_actions[i].tooltip));

      gtk_flow_box_append (GTK_FLOW_BOX (actions), button);
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }

  /* The note entry is made when first asked for (ensure_note_entry()):
   * most rows never need one, and widgets are what a long list costs. */
  revealer = gtk_revealer_new ();
  gtk_box_append (GTK_BOX (box), revealer);

  e = g_new0 (Entry, 1);
  e->row = row;
  e->group_box = group_box;
  e->revealer = revealer;
  g_hash_table_insert (self->entries, (gpointer) &row->shipment_id, e);
  return list_row;
}

static GtkWidget *
build_group (PsExceptionsView       *self,
             const PsExceptionGroup *group)
{
  g_autofree char *oldest = ps_exceptions_view_format_age (self->loaded_at - group->oldest_since);
  g_autofree char *count = g_strdup_printf ("%u", group->n_open);
  g_autofree char *oldest_text = g_strdup_printf (_("oldest %s"), oldest);
  g_autofree char *accessible = NULL;
  const char *reason = ps_format_exception_reason (group->reason);
  GtkWidget *box, *header, *label, *list;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_box_append (GTK_BOX (box), header);

  label = label_new (reason, "title-4");
  gtk_box_append (GTK_BOX (header), label);
  label = label_new (count, "numeric");
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "accent");
  gtk_widget_set_name (label, "count");
  gtk_widget_set_valign (label, GTK_ALIGN_BASELINE);
  gtk_box_append (GTK_BOX (header), label);
  label = label_new (oldest_text, "dim-label");
  gtk_widget_set_name (label, "oldest");
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_set_valign (label, GTK_ALIGN_BASELINE);
  gtk_box_append (GTK_BOX (header), label);

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  accessible = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "%s: %u exception, the oldest for %s",
                                             "%s: %u exceptions, the oldest for %s",
                                             group->n_open),
                                reason, group->n_open, oldest);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_box_append (GTK_BOX (box), list);

  for (guint i = 0; i < group->rows->len; i++)
    {
      gtk_list_box_append (GTK_LIST_BOX (list),
                           build_row (self, g_ptr_array_index (group->rows, i), box));
    }

  if (group->n_open > group->rows->len)
    {
      guint more = group->n_open - group->rows->len;
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u newer one is not listed",
                                                            "%u newer ones are not listed",
                                                            more),
                                               more);

      gtk_box_append (GTK_BOX (box), label_new (text, "dim-label"));
    }
  return box;
}

/* A note being typed when the list is rebuilt. */
typedef struct
{
  gint64    shipment_id;
  char     *text;
  gboolean  focused;
} Draft;

static void
draft_clear (Draft *draft)
{
  g_free (draft->text);
}

static GArray *
save_drafts (PsExceptionsView *self)
{
  GArray *drafts = g_array_new (FALSE, TRUE, sizeof (Draft));
  GHashTableIter iter;
  Entry *e;

  g_array_set_clear_func (drafts, (GDestroyNotify) draft_clear);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &e))
    if (e->entry != NULL && gtk_revealer_get_reveal_child (GTK_REVEALER (e->revealer)))
      {
        GtkRoot *root = gtk_widget_get_root (e->entry);
        GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
        Draft d = { e->row->shipment_id,
                    g_strdup (gtk_editable_get_text (GTK_EDITABLE (e->entry))),
                    focus != NULL && (focus == e->entry || gtk_widget_is_ancestor (focus, e->entry)) };

        g_array_append_val (drafts, d);
      }
  return drafts;
}

static void
restore_drafts (PsExceptionsView *self,
                GArray           *drafts)
{
  for (guint i = 0; i < drafts->len; i++)
    {
      Draft *d = &g_array_index (drafts, Draft, i);
      Entry *e = g_hash_table_lookup (self->entries, &d->shipment_id);

      if (e == NULL)
        continue;
      ensure_note_entry (e);
      gtk_revealer_set_transition_type (GTK_REVEALER (e->revealer), GTK_REVEALER_TRANSITION_TYPE_NONE);
      gtk_revealer_set_reveal_child (GTK_REVEALER (e->revealer), TRUE);
      gtk_editable_set_text (GTK_EDITABLE (e->entry), d->text);
      gtk_revealer_set_transition_type (GTK_REVEALER (e->revealer),
                                        GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
      if (d->focused)
        gtk_widget_grab_focus (e->entry);
    }
}

/* The list is built whole, off screen, and put in place in one step:
 * adding groups one by one to a box on screen restyles every group
 * already there each time (seconds for a few hundred rows). */
static void
show_groups (PsExceptionsView *self,
             GPtrArray        *groups)
{
  g_autoptr(GArray) drafts = save_drafts (self);
  g_autofree char *summary = NULL;
  gint64 started = g_get_monotonic_time ();
  GtkWidget *box;
  guint total = 0;

  g_hash_table_remove_all (self->entries);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  self->groups = g_ptr_array_ref (groups);

  for (guint i = 0; i < groups->len; i++)
    total += ((PsExceptionGroup *) g_ptr_array_index (groups, i))->n_open;
  if (total == 0)
    {
      adw_clamp_set_child (self->clamp, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%u shipment needs attention. The oldest trouble comes first.",
                                          "%u shipments need attention. The oldest trouble comes first.",
                                          total),
                             total);
  gtk_box_append (GTK_BOX (box), label_new (summary, "dim-label"));
  for (guint i = 0; i < groups->len; i++)
    gtk_box_append (GTK_BOX (box), build_group (self, g_ptr_array_index (groups, i)));

  adw_clamp_set_child (self->clamp, box);
  gtk_stack_set_visible_child_name (self->stack, "list");
  restore_drafts (self, drafts);
  g_debug ("Built %u rows of %u exceptions in %.1f ms", g_hash_table_size (self->entries), total,
           (g_get_monotonic_time () - started) / 1000.0);
}

/* Loading */

/* What the rows show, but the ages: an unchanged list is not rebuilt
 * (most changes to orders are not about exceptions). */
static char *
fingerprint (GPtrArray *groups)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < groups->len; i++)
    {
      const PsExceptionGroup *g = g_ptr_array_index (groups, i);

      g_string_append_printf (out, "%d:%u:%" G_GINT64_FORMAT "[", g->reason, g->n_open,
                              g->oldest_since);
      for (guint j = 0; j < g->rows->len; j++)
        {
          const PsExceptionRow *r = g_ptr_array_index (g->rows, j);

          g_string_append_printf (out, "%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT
                                  ",%s,%s;", r->shipment_id, r->since, r->last_event_at,
                                  r->customer, r->tracking_number);
        }
      g_string_append_c (out, ']');
    }
  return g_string_free (out, FALSE);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PsExceptionsView) self = user_data;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GError) error = NULL;

  groups = ps_exception_store_list_open_finish (PS_DATABASE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* a newer read replaced this one, or the view is gone */
  g_clear_object (&self->load_cancellable);
  set_loading (self, FALSE);
  if (groups == NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      g_clear_pointer (&self->fingerprint, g_free);
      return;
    }
  {
    g_autofree char *print = fingerprint (groups);

    if (self->groups != NULL && g_strcmp0 (print, self->fingerprint) == 0
        && self->loaded_at - self->built_at < STALE_AFTER_SECONDS)
      return;
    g_free (self->fingerprint);
    self->fingerprint = g_steal_pointer (&print);
  }
  self->built_at = self->loaded_at;
  show_groups (self, groups);
}

/**
 * ps_exceptions_view_reload:
 * @self: a #PsExceptionsView
 *
 * Reads the open exceptions again now; a read in flight is dropped.
 */
void
ps_exceptions_view_reload (PsExceptionsView *self)
{
  g_return_if_fail (PS_IS_EXCEPTIONS_VIEW (self));

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->context == NULL)
    return;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  self->loaded_at = ps_time_now ();
  set_loading (self, TRUE);
  if (self->groups == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  ps_exception_store_list_open_async (ps_context_get_database (self->context),
                                      PS_EXCEPTIONS_VIEW_MAX_ROWS, self->load_cancellable,
                                      loaded_cb, g_object_ref (self));
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  PsExceptionsView *self = user_data;

  self->reload_source = 0;
  ps_exceptions_view_reload (self);
  return G_SOURCE_REMOVE;
}

static void
on_orders_changed_cb (PsExceptionsView *self,
                      GArray           *ids)
{
  set_loading (self, TRUE);
  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

/* Email Customer */

static void
email_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean created = FALSE;

  if (ps_outbox_enqueue_finish (PS_DATABASE (object), result, &created, &error) == 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NO_RECIPIENT))
        text = g_strdup_printf (_("Order %s has no customer email address"), op->order_number);
      else if (g_error_matches (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NOT_FOUND))
        text = g_strdup (_("The “delay” email template is missing: restore it in Preferences"));
      else
        text = g_strdup_printf (_("The email could not be queued: %s"), error->message);
    }
  else if (created)
    text = g_strdup_printf (_("Email to the customer of order %s queued"), op->order_number);
  else
    text = g_strdup_printf (_("The email about order %s was queued already: it is sent once"),
                            op->order_number);
  toast (op->self, text);
}

static void
email_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  PsExceptionsView *self = PS_EXCEPTIONS_VIEW (widget);
  Entry *e = lookup_entry (self, param);
  g_autofree char *key = NULL;

  if (e == NULL || self->context == NULL)
    return;
  key = ps_exception_email_key (e->row->shipment_id, e->row->reason);
  ps_outbox_enqueue_async (ps_context_get_database (self->context), "delay", e->row->order_id,
                           0, NULL, key, self->cancellable, email_done_cb, op_new (self, e->row));
}

/* Mark Resolved… */

static void
resolve_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (ps_exception_store_resolve_finish (PS_ORDER_STORE (object), result, &error))
    text = g_strdup_printf (_("Order %s: exception resolved"), op->order_number);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      text = g_strdup_printf (_("Order %s: the exception was resolved already or has cleared"),
                              op->order_number);
      ps_exceptions_view_reload (op->self);
    }
  else
    text = g_strdup_printf (_("The exception could not be resolved: %s"), error->message);
  toast (op->self, text);
}

static void
on_resolve_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  PsExceptionsView *self = PS_EXCEPTIONS_VIEW (user_data);
  PsChoiceButton *choice = PS_CHOICE_BUTTON (adw_message_dialog_get_extra_child (dialog));
  PsExceptionRootCause cause;
  g_autofree char *note = NULL;
  const char *reason;
  Op *op;
  Entry *e;

  if (g_strcmp0 (response, "resolve") != 0 || self->context == NULL
      || !ps_exception_root_cause_from_nick (ps_choice_button_get_selected (choice), &cause))
    return;   /* the dialog frees its Op */

  /* The resolution takes the dialog's Op. */
  op = g_object_steal_data (G_OBJECT (dialog), "ps-op");
  e = g_hash_table_lookup (self->entries, &op->shipment_id);
  reason = e != NULL ? ps_format_exception_reason (e->row->reason) : "";
  note = g_strdup_printf (_("Exception resolved (%s), root cause: %s"), reason,
                          root_cause_label (cause));
  ps_exception_store_resolve_async (ps_context_get_order_store (self->context), op->shipment_id,
                                    cause, note, self->cancellable, resolve_done_cb, op);
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  PsExceptionsView *self = PS_EXCEPTIONS_VIEW (widget);
  Entry *e = lookup_entry (self, param);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *age = NULL;
  GtkWidget *dialog, *choice;

  if (e == NULL || !GTK_IS_WINDOW (root))
    return;

  age = ps_exceptions_view_format_age (ps_time_now () - e->row->since);
  dialog = adw_message_dialog_new (GTK_WINDOW (root), _("Mark Exception Resolved?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Order %s: %s for %s. What caused it? The root cause is kept "
                                    "for the improvement log; a new exception on this parcel "
                                    "opens it again."),
                                  e->row->order_number,
                                  ps_format_exception_reason (e->row->reason), age);
  choice = ps_choice_button_new (_("Root cause"));
  for (PsExceptionRootCause c = 0; c <= PS_EXCEPTION_ROOT_CAUSE_LAST; c++)
    ps_choice_button_append (PS_CHOICE_BUTTON (choice), ps_exception_root_cause_to_nick (c),
                             root_cause_label (c));
  ps_choice_button_set_selected (PS_CHOICE_BUTTON (choice),
                                 ps_exception_root_cause_to_nick (likely_root_cause (e->row->reason)));
  gtk_widget_set_halign (choice, GTK_ALIGN_CENTER);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), choice);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "resolve", _("_Mark Resolved"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "resolve",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "resolve");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  /* The Op lives as long as the dialog unless a resolution takes it. */
  {
    Op *op = op_new (self, e->row);

    g_object_set_data_full (G_OBJECT (dialog), "ps-op", op, (GDestroyNotify) op_free);
    g_signal_connect_object (dialog, "response", G_CALLBACK (on_resolve_response_cb), self, 0);
  }
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Reship */

static void
reship_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  PsExceptionsView *self = PS_EXCEPTIONS_VIEW (widget);
  Entry *e = lookup_entry (self, param);
  gint64 order_id;

  if (e == NULL)
    return;
  order_id = e->row->order_id;
  if (!gtk_widget_activate_action_variant (widget, "win.ship-orders",
                                           g_variant_new_fixed_array (G_VARIANT_TYPE_INT64,
                                                                      &order_id, 1,
                                                                      sizeof (gint64))))
    toast (self, _("Reship from the Orders page: this window cannot buy labels"));
}

/* Add Note */

static void
add_note_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  PsExceptionsView *self = PS_EXCEPTIONS_VIEW (widget);
  Entry *e = lookup_entry (self, param);
  gboolean reveal;

  if (e == NULL)
    return;
  ensure_note_entry (e);
  reveal = !gtk_revealer_get_reveal_child (GTK_REVEALER (e->revealer));
  gtk_revealer_set_reveal_child (GTK_REVEALER (e->revealer), reveal);
  if (reveal)
    gtk_widget_grab_focus (e->entry);
}

static void
note_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Op) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Entry *e;

  if (!ps_order_store_add_note_finish (PS_ORDER_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = g_strdup_printf (_("The note could not be added: %s"), error->message);
      toast (op->self, text);
      return;
    }
  /* Added: the entry closes (it may be a new one after a reload). */
  e = g_hash_table_lookup (op->self->entries, &op->shipment_id);
  if (e != NULL && e->entry != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (e->entry), "");
      gtk_revealer_set_reveal_child (GTK_REVEALER (e->revealer), FALSE);
    }
  text = g_strdup_printf (_("Note added to order %s"), op->order_number);
  toast (op->self, text);
}

static void
save_note_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  PsExceptionsView *self = PS_EXCEPTIONS_VIEW (widget);
  Entry *e = lookup_entry (self, param);
  g_autofree char *body = NULL;

  if (e == NULL || e->entry == NULL || self->context == NULL)
    return;
  body = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (e->entry))));
  if (*body == '\0')
    {
      gtk_widget_error_bell (e->entry);
      return;
    }
  ps_order_store_add_note_async (ps_context_get_order_store (self->context), e->row->order_id,
                                 body, self->cancellable, note_done_cb, op_new (self, e->row));
}

/* GObject */

static void
ps_exceptions_view_map (GtkWidget *widget)
{
  PsExceptionsView *self = PS_EXCEPTIONS_VIEW (widget);

  GTK_WIDGET_CLASS (ps_exceptions_view_parent_class)->map (widget);

  /* Ages move on while the page is hidden. */
  if (self->groups != NULL && !self->loading
      && ps_time_now () - self->loaded_at > STALE_AFTER_SECONDS)
    ps_exceptions_view_reload (self);
}

static void
ps_exceptions_view_dispose (GObject *object)
{
  PsExceptionsView *self = PS_EXCEPTIONS_VIEW (object);

  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_object (&self->context);

  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_EXCEPTIONS_VIEW);

  G_OBJECT_CLASS (ps_exceptions_view_parent_class)->dispose (object);
}

static void
ps_exceptions_view_finalize (GObject *object)
{
  PsExceptionsView *self = PS_EXCEPTIONS_VIEW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ps_exceptions_view_parent_class)->finalize (object);
}

static void
ps_exceptions_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PsExceptionsView *self = PS_EXCEPTIONS_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, ps_exceptions_view_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_exceptions_view_class_init (PsExceptionsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_exceptions_view_dispose;
  object_class->finalize = ps_exceptions_view_finalize;
  object_class->get_property = ps_exceptions_view_get_property;
  widget_class->map = ps_exceptions_view_map;

  /**
   * PsExceptionsView:loading:
   *
   * Whether a read of the exceptions is due or in flight.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Referencing the resource links it (and the constructor registering
   * it) into any binary that uses the view, not only the app. */
  (void) ps_ui_get_resource ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/ps-exceptions-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PsExceptionsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PsExceptionsView, stack);
  gtk_widget_class_bind_template_child (widget_class, PsExceptionsView, error_page);
  gtk_widget_class_bind_template_child (widget_class, PsExceptionsView, clamp);

  gtk_widget_class_install_action (widget_class, "exceptions.email", "x", email_action);
  gtk_widget_class_install_action (widget_class, "exceptions.resolve", "x", resolve_action);
  gtk_widget_class_install_action (widget_class, "exceptions.reship", "x", reship_action);
  gtk_widget_class_install_action (widget_class, "exceptions.add-note", "x", add_note_action);
  gtk_widget_class_install_action (widget_class, "exceptions.save-note", "x", save_note_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);

  g_type_ensure (PS_TYPE_CHOICE_BUTTON);
}

static void
ps_exceptions_view_init (PsExceptionsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->entries = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
}

/* Public API */

/**
 * ps_exceptions_view_new:
 *
 * Returns: (transfer floating): a new view; give it a context with
 *   ps_exceptions_view_set_context()
 */
GtkWidget *
ps_exceptions_view_new (void)
{
  return g_object_new (PS_TYPE_EXCEPTIONS_VIEW, NULL);
}

/**
 * ps_exceptions_view_set_context:
 * @self: a #PsExceptionsView
 * @context: (nullable): where the exceptions are read and resolved
 *
 * Shows @context's open exceptions and follows its order store's
 * changes. Reship activates `win.ship-orders`, so the view belongs in a
 * window that has that action.
 */
void
ps_exceptions_view_set_context (PsExceptionsView *self,
                                PsContext        *context)
{
  g_return_if_fail (PS_IS_EXCEPTIONS_VIEW (self));
  g_return_if_fail (context == NULL || PS_IS_CONTEXT (context));

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_func (ps_context_get_order_store (self->context),
                                          on_orders_changed_cb, self);
  if (!g_set_object (&self->context, context))
    return;

  g_hash_table_remove_all (self->entries);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->fingerprint, g_free);
  if (context == NULL)
    {
      g_cancellable_cancel (self->load_cancellable);
      g_clear_object (&self->load_cancellable);
      g_clear_handle_id (&self->reload_source, g_source_remove);
      set_loading (self, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      return;
    }
  g_signal_connect_object (ps_context_get_order_store (context), "orders-changed",
                           G_CALLBACK (on_orders_changed_cb), self, G_CONNECT_SWAPPED);
  ps_exceptions_view_reload (self);
}

/**
 * ps_exceptions_view_get_context:
 * @self: a #PsExceptionsView
 *
 * Returns: (transfer none) (nullable): the context
 */
PsContext *
ps_exceptions_view_get_context (PsExceptionsView *self)
{
  g_return_val_if_fail (PS_IS_EXCEPTIONS_VIEW (self), NULL);

  return self->context;
}

/**
 * ps_exceptions_view_get_loading:
 * @self: a #PsExceptionsView
 *
 * Returns: whether a read is due or in flight
 */
gboolean
ps_exceptions_view_get_loading (PsExceptionsView *self)
{
  g_return_val_if_fail (PS_IS_EXCEPTIONS_VIEW (self), FALSE);

  return self->loading;
}

/**
 * ps_exceptions_view_get_groups:
 * @self: a #PsExceptionsView
 *
 * Returns: (transfer none) (nullable) (element-type PsExceptionGroup): what
 *   the view shows, %NULL before the first read
 */
GPtrArray *
ps_exceptions_view_get_groups (PsExceptionsView *self)
{
  g_return_val_if_fail (PS_IS_EXCEPTIONS_VIEW (self), NULL);

  return self->groups;
}

/**
 * ps_exceptions_view_get_n_pending:
 * @self: a #PsExceptionsView
 *
 * Returns: emails, resolutions and notes asked for and not answered yet
 *   (an open resolve dialog counts)
 */
guint
ps_exceptions_view_get_n_pending (PsExceptionsView *self)
{
  g_return_val_if_fail (PS_IS_EXCEPTIONS_VIEW (self), 0);

  return self->n_pending;
}
