/* ps-condition-row.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One condition of the filter builder: [Field ▾] [Operator ▾] [value] [×].
 * The operators offered are the ones the condition language accepts for
 * the field (ps_condition_field_accepts_op()), and the value widget fits
 * the field's type and the operator: text, a list of choices, a number, a
 * day count, a date, two of them for "between", or nothing for "is empty".
 *
 * The row never holds a half-valid PsCondition: ps_condition_row_build()
 * reads the widgets and either returns a leaf or says, naming the field,
 * what is missing. Signals: "changed" on every edit, "remove" when its
 * remove button is clicked.
 */

#define G_LOG_DOMAIN "ps-condition-row"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "ps-choice-button.h"
#include "ps-condition-row.h"
#include "ps-enum-types.h"
#include "ps-format.h"

typedef enum
{
  VALUE_NONE,
  VALUE_TEXT,          /* one string */
  VALUE_TEXT_LIST,     /* comma-separated strings */
  VALUE_CHOICE,        /* one enum nick or yes/no */
  VALUE_CHOICES,       /* several enum nicks */
  VALUE_INTEGER,       /* a count or grams */
  VALUE_DECIMAL,       /* money, shown in major units */
  VALUE_DAYS,          /* a day count */
  VALUE_DATE,          /* YYYY-MM-DD, local time */
} ValueKind;

struct _PsConditionRow
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *field_button;
  GtkWidget *op_button;
  GtkWidget *value_box;
  GtkWidget *remove_button;

  /* The value widgets: one, or two for "between". */
  GtkWidget *value_widgets[2];
  ValueKind  value_kind;
  gboolean   between;
  PsConditionField field;
  PsConditionOp    op;
};

G_DEFINE_FINAL_TYPE (PsConditionRow, ps_condition_row, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The fields in the order the picker lists them: the order first, then
 * where it goes, what is in it, its shipments. */
static const PsConditionField field_order[] = {
  PS_CONDITION_FIELD_CHANNEL,
  PS_CONDITION_FIELD_STATUS,
  PS_CONDITION_FIELD_TAGS,
  PS_CONDITION_FIELD_CREATED_AT,
  PS_CONDITION_FIELD_PAID_AT,
  PS_CONDITION_FIELD_TOTAL,
  PS_CONDITION_FIELD_SHIP_COUNTRY,
  PS_CONDITION_FIELD_SHIP_STATE,
  PS_CONDITION_FIELD_SHIP_POSTCODE,
  PS_CONDITION_FIELD_ADDRESS_ISSUE,
  PS_CONDITION_FIELD_ITEM_COUNT,
  PS_CONDITION_FIELD_SKU,
  PS_CONDITION_FIELD_WEIGHT,
  PS_CONDITION_FIELD_CARRIER,
  PS_CONDITION_FIELD_SERVICE,
  PS_CONDITION_FIELD_LABEL_CREATED_AT,
  PS_CONDITION_FIELD_FIRST_SCAN_AT,
  PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS,
  PS_CONDITION_FIELD_ESTIMATED_DELIVERY_AT,
  PS_CONDITION_FIELD_DELIVERED_AT,
  PS_CONDITION_FIELD_TRACKING_STATUS,
  PS_CONDITION_FIELD_EXCEPTION_REASON,
  PS_CONDITION_FIELD_HAD_EXCEPTION,
  PS_CONDITION_FIELD_RETURN_REQUESTED_AT,
  PS_CONDITION_FIELD_RETURN_REASON,
  PS_CONDITION_FIELD_RETURN_SKU,
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_order) == PS_CONDITION_FIELD_LAST + 1);

static const char *
field_label (PsConditionField field)
{
  switch (field)
    {
    case PS_CONDITION_FIELD_CHANNEL:          return _("Channel");
    case PS_CONDITION_FIELD_STATUS:           return _("Order status");
    case PS_CONDITION_FIELD_TAGS:             return _("Tags");
    case PS_CONDITION_FIELD_CARRIER:          return _("Carrier");
    case PS_CONDITION_FIELD_SERVICE:          return _("Service");
    case PS_CONDITION_FIELD_SHIP_COUNTRY:     return _("Destination country");
    case PS_CONDITION_FIELD_SHIP_STATE:       return _("Destination state");
    case PS_CONDITION_FIELD_SHIP_POSTCODE:    return _("Postal code");
    case PS_CONDITION_FIELD_ITEM_COUNT:       return _("Item count");
    case PS_CONDITION_FIELD_SKU:              return _("SKU");
    case PS_CONDITION_FIELD_TOTAL:            return _("Order total");
    case PS_CONDITION_FIELD_WEIGHT:           return _("Weight (g)");
    case PS_CONDITION_FIELD_CREATED_AT:       return _("Order date");
    case PS_CONDITION_FIELD_PAID_AT:          return _("Paid date");
    case PS_CONDITION_FIELD_LABEL_CREATED_AT: return _("Label created");
    case PS_CONDITION_FIELD_FIRST_SCAN_AT:    return _("First scan");
    case PS_CONDITION_FIELD_DELIVERED_AT:     return _("Delivered");
    case PS_CONDITION_FIELD_TRACKING_STATUS:  return _("Tracking status");
    case PS_CONDITION_FIELD_EXCEPTION_REASON: return _("Exception reason");
    case PS_CONDITION_FIELD_ADDRESS_ISSUE:    return _("Address issue");
    case PS_CONDITION_FIELD_ESTIMATED_DELIVERY_AT: return _("Estimated delivery");
    case PS_CONDITION_FIELD_HAD_EXCEPTION:    return _("Ever had an exception");
    case PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS: return _("Hours from label to first scan");
    case PS_CONDITION_FIELD_RETURN_REQUESTED_AT: return _("Return requested");
    case PS_CONDITION_FIELD_RETURN_REASON: return _("Return reason");
    case PS_CONDITION_FIELD_RETURN_SKU:   return _("Returned SKU");
    default:                                  return "";
    }
}

static const char *
op_label (PsConditionField field,
          PsConditionOp    op)
{
  PsConditionValueType type = ps_condition_field_get_value_type (field);
  gboolean tags = type == PS_CONDITION_VALUE_STRING_LIST;
  gboolean time = type == PS_CONDITION_VALUE_TIMESTAMP;

  switch (op)
    {
    case PS_CONDITION_OP_IS:          return tags ? _("has the tag") : _("is");
    case PS_CONDITION_OP_IS_NOT:      return tags ? _("does not have the tag") : _("is not");
    case PS_CONDITION_OP_IN:          return tags ? _("has one of the tags") : _("is one of");
    case PS_CONDITION_OP_CONTAINS:    return _("contains");
    case PS_CONDITION_OP_STARTS_WITH: return _("starts with");
    case PS_CONDITION_OP_GT:          return time ? _("is after") : _("is more than");
    case PS_CONDITION_OP_LT:          return time ? _("is before") : _("is less than");
    case PS_CONDITION_OP_BETWEEN:     return _("is between");
    case PS_CONDITION_OP_IS_EMPTY:
      if (tags)
        return _("has no tags");
      return time ? _("is not set") : _("is empty");
    case PS_CONDITION_OP_OLDER_THAN_DAYS:          return _("more than N days ago");
    case PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS: return _("more than N business days ago");
    case PS_CONDITION_OP_WITHIN_DAYS:              return _("within the last N days");
    default:                                       return "";
    }
}

static const char *
enum_value_label (GType  enum_type,
                  int    value)
{
  if (enum_type == PS_TYPE_ORDER_STATUS)
    return ps_format_order_status (value);
  if (enum_type == PS_TYPE_TRACKING_STATUS)
    return value == PS_TRACKING_STATUS_UNKNOWN ? _("No tracking yet") : ps_format_tracking_status (value);
  if (enum_type == PS_TYPE_EXCEPTION_REASON)
    return ps_format_exception_reason (value);
  if (enum_type == PS_TYPE_RETURN_REASON)
    {
      switch ((PsReturnReason) value)
        {
        case PS_RETURN_REASON_WRONG_SIZE:       return _("Wrong size");
        case PS_RETURN_REASON_DAMAGED:          return _("Damaged");
        case PS_RETURN_REASON_NOT_AS_DESCRIBED: return _("Not as described");
        case PS_RETURN_REASON_WRONG_ITEM:       return _("Wrong item");
        case PS_RETURN_REASON_CHANGED_MIND:     return _("Changed mind");
        case PS_RETURN_REASON_ARRIVED_LATE:     return _("Arrived late");
        case PS_RETURN_REASON_OTHER:            return _("Other");
        default:                                return NULL;
        }
    }
  return NULL;
}

static ValueKind
value_kind_for (PsConditionField field,
                PsConditionOp    op)
{
  if (op == PS_CONDITION_OP_IS_EMPTY)
    return VALUE_NONE;
  if (op == PS_CONDITION_OP_OLDER_THAN_DAYS ||
      op == PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS ||
      op == PS_CONDITION_OP_WITHIN_DAYS)
    return VALUE_DAYS;

  switch (ps_condition_field_get_value_type (field))
    {
    case PS_CONDITION_VALUE_ENUM:
      return op == PS_CONDITION_OP_IN ? VALUE_CHOICES : VALUE_CHOICE;
    case PS_CONDITION_VALUE_BOOLEAN:
      return VALUE_CHOICE;
    case PS_CONDITION_VALUE_STRING:
    case PS_CONDITION_VALUE_STRING_LIST:
      return op == PS_CONDITION_OP_IN ? VALUE_TEXT_LIST : VALUE_TEXT;
    case PS_CONDITION_VALUE_NUMBER:
    case PS_CONDITION_VALUE_WEIGHT:
      return VALUE_INTEGER;
    case PS_CONDITION_VALUE_MONEY:
      return VALUE_DECIMAL;
    case PS_CONDITION_VALUE_TIMESTAMP:
      return VALUE_DATE;
    default:
      return VALUE_TEXT;
    }
}

static void
emit_changed (PsConditionRow *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

/* Value widgets */

static GtkWidget *
make_spin (PsConditionRow *self,
           double          max,
           guint           digits,
           const char     *accessible_label)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, max, digits > 0 ? 0.01 : 1);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label, -1);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  return spin;
}

static GtkWidget *
make_entry (PsConditionRow *self,
            const char     *placeholder,
            const char     *accessible_label)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label, -1);
  g_signal_connect_object (entry, "changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  return entry;
}

static GtkWidget *
make_choices (PsConditionRow *self,
              gboolean        multiple)
{
  GtkWidget *button = ps_choice_button_new (_("Value"));
  GType enum_type = ps_condition_field_get_enum_type (self->field);

  ps_choice_button_set_multiple (PS_CHOICE_BUTTON (button), multiple);
  gtk_widget_set_hexpand (button, TRUE);

  if (ps_condition_field_get_value_type (self->field) == PS_CONDITION_VALUE_BOOLEAN)
    {
      ps_choice_button_append (PS_CHOICE_BUTTON (button), "true", _("Yes"));
      ps_choice_button_append (PS_CHOICE_BUTTON (button), "false", _("No"));
      ps_choice_button_set_selected (PS_CHOICE_BUTTON (button), "true");
    }
  else if (enum_type != G_TYPE_NONE)
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);

      for (guint i = 0; i < klass->n_values; i++)
        {
          /* "none" means no reason, which "is empty" already says. */
          if (enum_type == PS_TYPE_EXCEPTION_REASON && klass->values[i].value == PS_EXCEPTION_REASON_NONE)
            continue;
          ps_choice_button_append (PS_CHOICE_BUTTON (button), klass->values[i].value_nick,
                                   enum_value_label (enum_type, klass->values[i].value));
        }
    }

  ps_choice_button_set_placeholder (PS_CHOICE_BUTTON (button),
                                    multiple ? _("Choose one or more…") : _("Choose…"));
  g_signal_connect_object (button, "changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  return button;
}

static GtkWidget *
make_value_widget (PsConditionRow *self,
                   ValueKind       kind)
{
  switch (kind)
    {
    case VALUE_TEXT:
      return make_entry (self, NULL, _("Value"));
    case VALUE_TEXT_LIST:
      return make_entry (self, _("Values, separated by commas"), _("Value"));
    case VALUE_CHOICE:
      return make_choices (self, FALSE);
    case VALUE_CHOICES:
      return make_choices (self, TRUE);
    case VALUE_INTEGER:
      return make_spin (self, G_MAXINT32, 0, _("Value"));
    case VALUE_DECIMAL:
      return make_spin (self, 10000000, 2, _("Value"));
    case VALUE_DAYS:
      return make_spin (self, PS_CONDITION_MAX_DAYS, 0, _("Days"));
    case VALUE_DATE:
      return make_entry (self, _("YYYY-MM-DD"), _("Date"));
    case VALUE_NONE:
    default:
      return NULL;
    }
}

static void
rebuild_value (PsConditionRow *self,
               gboolean        force)
{
  ValueKind kind = value_kind_for (self->field, self->op);
  gboolean between = self->op == PS_CONDITION_OP_BETWEEN;
  GtkWidget *child;

  if (!force && kind == self->value_kind && between == self->between)
    return;   /* same kind of value: keep what was typed */

  while ((child = gtk_widget_get_first_child (self->value_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->value_box), child);
  self->value_widgets[0] = self->value_widgets[1] = NULL;
  self->value_kind = kind;
  self->between = between;

  self->value_widgets[0] = make_value_widget (self, kind);
  if (self->value_widgets[0] != NULL)
    gtk_box_append (GTK_BOX (self->value_box), self->value_widgets[0]);
  if (between && kind != VALUE_NONE)
    {
      gtk_box_append (GTK_BOX (self->value_box), gtk_label_new (_("and")));
      self->value_widgets[1] = make_value_widget (self, kind);
      gtk_box_append (GTK_BOX (self->value_box), self->value_widgets[1]);
    }
  if (kind == VALUE_DAYS)
    gtk_box_append (GTK_BOX (self->value_box), gtk_label_new (self->op == PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS
                                                               ? _("business days") : _("days")));
}

static void
fill_ops (PsConditionRow *self)
{
  PsChoiceButton *button = PS_CHOICE_BUTTON (self->op_button);
  GtkWidget *fresh;

  /* A choice button cannot drop its choices: make a new one. */
  fresh = ps_choice_button_new (_("Operator"));
  gtk_widget_set_valign (fresh, GTK_ALIGN_START);
  button = PS_CHOICE_BUTTON (fresh);
  for (PsConditionOp op = 0; op <= PS_CONDITION_OP_LAST; op++)
    if (ps_condition_field_accepts_op (self->field, op))
      ps_choice_button_append (button, ps_condition_op_to_nick (op), op_label (self->field, op));

  if (!ps_condition_field_accepts_op (self->field, self->op))
    self->op = PS_CONDITION_OP_IS;
  if (!ps_condition_field_accepts_op (self->field, self->op))
    for (PsConditionOp op = 0; op <= PS_CONDITION_OP_LAST; op++)
      if (ps_condition_field_accepts_op (self->field, op))
        {
          self->op = op;
          break;
        }
  ps_choice_button_set_selected (button, ps_condition_op_to_nick (self->op));

  gtk_box_insert_child_after (GTK_BOX (self->box), fresh, self->field_button);
  if (self->op_button != NULL)
    gtk_box_remove (GTK_BOX (self->box), self->op_button);
  self->op_button = fresh;
}

static void on_op_changed_cb (PsConditionRow *self);

static void
set_field (PsConditionRow   *self,
           PsConditionField  field)
{
  self->field = field;
  fill_ops (self);
  g_signal_connect_object (self->op_button, "changed", G_CALLBACK (on_op_changed_cb), self, G_CONNECT_SWAPPED);
  /* Choices and units depend on the field even when the kind stays. */
  rebuild_value (self, TRUE);
}

static void
on_field_changed_cb (PsConditionRow *self)
{
  const char *nick = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->field_button));
  PsConditionField field;

  if (nick == NULL || !ps_condition_field_from_nick (nick, &field) || field == self->field)
    return;
  set_field (self, field);
  emit_changed (self);
}

static void
on_op_changed_cb (PsConditionRow *self)
{
  const char *nick = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->op_button));
  PsConditionOp op;

  if (nick == NULL || !ps_condition_op_from_nick (nick, &op))
    return;
  self->op = op;
  /* "days" and "business days" differ only in their unit label. */
  rebuild_value (self, self->value_kind == VALUE_DAYS);
  emit_changed (self);
}

static void
on_remove_clicked_cb (PsConditionRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

/* Reading and writing values */

static JsonNode *
read_one (PsConditionRow  *self,
          GtkWidget       *widget,
          GError         **error)
{
  const char *name = field_label (self->field);

  switch (self->value_kind)
    {
    case VALUE_TEXT:
      {
        g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (widget))));

        if (*text == '\0')
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("Enter a value for “%s”"), name);
            return NULL;
          }
        return json_node_init_string (json_node_alloc (), text);
      }

    case VALUE_TEXT_LIST:
      {
        g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (widget)), ",", -1);
        JsonArray *array = json_array_new ();
        JsonNode *node = json_node_new (JSON_NODE_ARRAY);

        for (guint i = 0; parts[i] != NULL; i++)
          if (*g_strstrip (parts[i]) != '\0')
            json_array_add_string_element (array, parts[i]);
        json_node_take_array (node, array);
        if (json_array_get_length (array) == 0)
          {
            json_node_unref (node);
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("Enter one or more values for “%s”, separated by commas"), name);
            return NULL;
          }
        return node;
      }

    case VALUE_CHOICE:
      {
        const char *id = ps_choice_button_get_selected (PS_CHOICE_BUTTON (widget));

        if (id == NULL)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("Choose a value for “%s”"), name);
            return NULL;
          }
        if (ps_condition_field_get_value_type (self->field) == PS_CONDITION_VALUE_BOOLEAN)
          return json_node_init_boolean (json_node_alloc (), g_str_equal (id, "true"));
        return json_node_init_string (json_node_alloc (), id);
      }

    case VALUE_CHOICES:
      {
        g_auto(GStrv) ids = ps_choice_button_get_selected_ids (PS_CHOICE_BUTTON (widget));
        JsonArray *array;
        JsonNode *node;

        if (ids[0] == NULL)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("Choose one or more values for “%s”"), name);
            return NULL;
          }
        array = json_array_new ();
        for (guint i = 0; ids[i] != NULL; i++)
          json_array_add_string_element (array, ids[i]);
        node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, array);
        return node;
      }

    case VALUE_INTEGER:
    case VALUE_DAYS:
      return json_node_init_int (json_node_alloc (),
                                 gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget)));

    case VALUE_DECIMAL:
      return json_node_init_int (json_node_alloc (),
                                 (gint64) llround (gtk_spin_button_get_value (GTK_SPIN_BUTTON (widget)) * 100));

    case VALUE_DATE:
      {
        const char *text = gtk_editable_get_text (GTK_EDITABLE (widget));
        int y, m, d;
        char tail;
        g_autoptr(GDateTime) date = NULL;

        if (sscanf (text, "%d-%d-%d%c", &y, &m, &d, &tail) == 3 &&
            g_date_valid_dmy (d, m, y))
          date = g_date_time_new_local (y, m, d, 0, 0, 0);
        if (date == NULL)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("Enter the date for “%s” as YYYY-MM-DD"), name);
            return NULL;
          }
        return json_node_init_int (json_node_alloc (), g_date_time_to_unix (date));
      }

    case VALUE_NONE:
    default:
      return NULL;
    }
}

/**
 * ps_condition_row_build:
 * @self: a #PsConditionRow
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the condition the row shows, or
 *   %NULL with an error naming the field and what to enter
 */
PsCondition *
ps_condition_row_build (PsConditionRow  *self,
                        GError         **error)
{
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (PS_IS_CONDITION_ROW (self), NULL);

  if (self->value_kind != VALUE_NONE)
    {
      g_autoptr(JsonNode) first = read_one (self, self->value_widgets[0], error);

      if (first == NULL)
        return NULL;
      if (self->between)
        {
          g_autoptr(JsonNode) second = read_one (self, self->value_widgets[1], error);
          JsonArray *array;

          if (second == NULL)
            return NULL;
          array = json_array_new ();
          json_array_add_element (array, g_steal_pointer (&first));
          json_array_add_element (array, g_steal_pointer (&second));
          value = json_node_new (JSON_NODE_ARRAY);
          json_node_take_array (value, array);
        }
      else
        value = g_steal_pointer (&first);
    }

  return ps_condition_new_leaf (self->field, self->op, value, error);
}

static char *
format_date (gint64 unix_utc)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_utc);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d") : g_strdup ("");
}

static void
write_one (PsConditionRow *self,
           GtkWidget      *widget,
           JsonNode       *node)
{
  switch (self->value_kind)
    {
    case VALUE_TEXT:
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        gtk_editable_set_text (GTK_EDITABLE (widget), json_node_get_string (node));
      break;

    case VALUE_TEXT_LIST:
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          g_autoptr(GString) text = g_string_new (NULL);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              if (i > 0)
                g_string_append (text, ", ");
              g_string_append (text, json_array_get_string_element (array, i));
            }
          gtk_editable_set_text (GTK_EDITABLE (widget), text->str);
        }
      break;

    case VALUE_CHOICE:
      if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        ps_choice_button_set_selected (PS_CHOICE_BUTTON (widget), json_node_get_boolean (node) ? "true" : "false");
      else
        ps_choice_button_set_selected (PS_CHOICE_BUTTON (widget), json_node_get_string (node));
      break;

    case VALUE_CHOICES:
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
          g_auto(GStrv) ids = NULL;

          for (guint i = 0; i < json_array_get_length (array); i++)
            g_strv_builder_add (builder, json_array_get_string_element (array, i));
          ids = g_strv_builder_end (builder);
          ps_choice_button_set_selected_ids (PS_CHOICE_BUTTON (widget), (const char * const *)ids);
        }
      break;

    case VALUE_INTEGER:
    case VALUE_DAYS:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), json_node_get_int (node));
      break;

    case VALUE_DECIMAL:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (widget), json_node_get_int (node) / 100.0);
      break;

    case VALUE_DATE:
      {
        g_autofree char *text = NULL;

        if (json_node_get_value_type (node) == G_TYPE_STRING)
          {
            g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);

            text = parsed ? format_date (g_date_time_to_unix (parsed)) : g_strdup ("");
          }
        else
          text = format_date (json_node_get_int (node));
        gtk_editable_set_text (GTK_EDITABLE (widget), text);
      }
      break;

    case VALUE_NONE:
    default:
      break;
    }
}

static void
load_leaf (PsConditionRow *self,
           PsCondition    *leaf)
{
  JsonNode *value = ps_condition_get_value (leaf);

  ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->field_button),
                                 ps_condition_field_to_nick (ps_condition_get_field (leaf)));
  self->op = ps_condition_get_op (leaf);
  set_field (self, ps_condition_get_field (leaf));

  if (value == NULL || self->value_kind == VALUE_NONE)
    return;
  if (self->between && JSON_NODE_HOLDS_ARRAY (value) && json_array_get_length (json_node_get_array (value)) == 2)
    {
      write_one (self, self->value_widgets[0], json_array_get_element (json_node_get_array (value), 0));
      write_one (self, self->value_widgets[1], json_array_get_element (json_node_get_array (value), 1));
    }
  else if (!self->between)
    write_one (self, self->value_widgets[0], value);
}

/* GObject */

static void
ps_condition_row_dispose (GObject *object)
{
  PsConditionRow *self = (PsConditionRow *)object;

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ps_condition_row_parent_class)->dispose (object);
}

static void
ps_condition_row_class_init (PsConditionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_condition_row_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "conditionrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_condition_row_init (PsConditionRow *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->field_button = ps_choice_button_new (_("Field"));
  gtk_widget_set_size_request (self->field_button, 170, -1);
  gtk_widget_set_valign (self->field_button, GTK_ALIGN_START);
  for (guint i = 0; i < G_N_ELEMENTS (field_order); i++)
    ps_choice_button_append (PS_CHOICE_BUTTON (self->field_button),
                             ps_condition_field_to_nick (field_order[i]), field_label (field_order[i]));
  g_signal_connect_object (self->field_button, "changed", G_CALLBACK (on_field_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->box), self->field_button);

  self->value_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_hexpand (self->value_box, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->value_box);

  self->remove_button = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_add_css_class (self->remove_button, "flat");
  gtk_widget_set_valign (self->remove_button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (self->remove_button, _("Remove Condition"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Condition"), -1);
  g_signal_connect_object (self->remove_button, "clicked", G_CALLBACK (on_remove_clicked_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->box), self->remove_button);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Condition"), -1);
}

/**
 * ps_condition_row_new:
 * @leaf: (nullable): a condition to edit, or %NULL for "Channel is …"
 *
 * Returns: (transfer floating): a new row
 */
GtkWidget *
ps_condition_row_new (PsCondition *leaf)
{
  PsConditionRow *self = g_object_new (PS_TYPE_CONDITION_ROW, NULL);

  g_return_val_if_fail (leaf == NULL || ps_condition_get_kind (leaf) == PS_CONDITION_KIND_LEAF, NULL);

  self->value_kind = VALUE_NONE;
  if (leaf != NULL)
    load_leaf (self, leaf);
  else
    {
      ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->field_button),
                                     ps_condition_field_to_nick (PS_CONDITION_FIELD_CHANNEL));
      self->op = PS_CONDITION_OP_IS;
      set_field (self, PS_CONDITION_FIELD_CHANNEL);
    }
  return GTK_WIDGET (self);
}
