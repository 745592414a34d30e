/* ps-mail-template.c: customer email templates with {{placeholders}}
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure: a template (subject, HTML fragment, text) and a PsMailContext in,
 * three strings out. Placeholders are {{name}} with optional spaces inside
 * the braces. Values are HTML-escaped in the HTML part (the merchant's
 * template is trusted, the customer's name is not), written as they are
 * in the text part, and folded to one line in the subject. An unknown
 * placeholder is an error when the template is saved
 * (ps_mail_template_check()), so a queued message never meets one.
 */

#define G_LOG_DOMAIN "ps-mail-template"

#include "config.h"

#include <string.h>

#include "ps-mail-template.h"

G_DEFINE_QUARK (ps-mail-template-error-quark, ps_mail_template_error)

#define DEFAULT_COLOR "#3584e4"

typedef enum
{
  PART_SUBJECT,
  PART_HTML,
  PART_TEXT,
} Part;

static const char * const part_names[] = { "subject", "HTML part", "text part" };

static const char * const placeholders[] = {
  "order_number",
  "customer_name",
  "customer_first_name",
  "items",
  "tracking_number",
  "tracking_link",
  "carrier",
  "service",
  "estimated_delivery",
  "shop_name",
  NULL
};

/* Public carrier tracking pages; the number goes in the query string. */
static const struct
{
  const char *code;
  const char *name;
  const char *url;
} carriers[] = {
  { "usps",  "USPS",  "https://tools.usps.com/go/TrackConfirmAction?tLabels=" },
  { "ups",   "UPS",   "https://www.ups.com/track?tracknum=" },
  { "fedex", "FedEx", "https://www.fedex.com/fedextrack/?trknbr=" },
  { "dhl",   "DHL",   "https://www.dhl.com/en/express/tracking.html?AWB=" },
};

PsMailItem *
ps_mail_item_new (const char *name,
                  const char *variant,
                  const char *sku,
                  int         quantity)
{
  PsMailItem *self = g_new0 (PsMailItem, 1);

  self->name = g_strdup (name ? name : "");
  self->variant = g_strdup (variant);
  self->sku = g_strdup (sku);
  self->quantity = quantity;
  return self;
}

void
ps_mail_item_free (PsMailItem *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->variant);
  g_free (self->sku);
  g_free (self);
}

/**
 * ps_mail_context_new:
 *
 * Returns: (transfer full): an empty context with an empty item list
 */
PsMailContext *
ps_mail_context_new (void)
{
  PsMailContext *self = g_new0 (PsMailContext, 1);

  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_mail_item_free);
  return self;
}

void
ps_mail_context_free (PsMailContext *self)
{
  if (self == NULL)
    return;
  g_free (self->order_number);
  g_free (self->customer_name);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self->carrier);
  g_free (self->service);
  g_free (self->tracking_number);
  g_clear_pointer (&self->time_zone, g_time_zone_unref);
  g_free (self);
}

void
ps_mail_rendered_free (PsMailRendered *self)
{
  if (self == NULL)
    return;
  g_free (self->subject);
  g_free (self->text);
  g_free (self->html);
  g_free (self);
}

/**
 * ps_mail_template_get_placeholders:
 *
 * Returns: (transfer none) (array zero-terminated=1): every placeholder
 *   name a template may use, for the template editor
 */
const char * const *
ps_mail_template_get_placeholders (void)
{
  return placeholders;
}

/**
 * ps_mail_carrier_display_name:
 * @carrier: (nullable): a carrier code
 *
 * Returns: (transfer none): "UPS" for "ups", the code itself for carriers
 *   without a known name, "" for %NULL
 */
const char *
ps_mail_carrier_display_name (const char *carrier)
{
  if (carrier == NULL)
    return "";
  for (guint i = 0; i < G_N_ELEMENTS (carriers); i++)
    if (g_ascii_strcasecmp (carrier, carriers[i].code) == 0)
      return carriers[i].name;
  return carrier;
}

/**
 * ps_mail_tracking_link:
 * @carrier: (nullable): a carrier code ("ups")
 * @tracking_number: (nullable): the tracking number
 *
 * Returns: (transfer full) (nullable): the carrier's public tracking page
 *   for @tracking_number, or %NULL when the carrier has none we know
 */
char *
ps_mail_tracking_link (const char *carrier,
                       const char *tracking_number)
{
  g_autofree char *escaped = NULL;

  if (carrier == NULL || tracking_number == NULL || *tracking_number == '\0')
    return NULL;
  escaped = g_uri_escape_string (tracking_number, NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (carriers); i++)
    if (g_ascii_strcasecmp (carrier, carriers[i].code) == 0)
      return g_strconcat (carriers[i].url, escaped, NULL);
  return NULL;
}

static gboolean
is_known (const char *name,
          gsize       len)
{
  for (guint i = 0; placeholders[i] != NULL; i++)
    if (strlen (placeholders[i]) == len && strncmp (placeholders[i], name, len) == 0)
      return TRUE;
  return FALSE;
}

static guint
line_of (const char *text,
         const char *at)
{
  guint line = 1;

  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      line++;
  return line;
}

/* Walks @text; calls @emit for literal runs (name NULL) and placeholders.
 * Returns FALSE with @error on an unknown name or a missing "}}". */
typedef void (*EmitFunc) (GString    *out,
                          const char *literal,
                          gsize       literal_len,
                          const char *name,
                          gpointer    data);

static gboolean
scan (const char  *text,
      Part         part,
      EmitFunc     emit,
      GString     *out,
      gpointer     data,
      GError     **error)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *open = strstr (p, "{{");
      const char *close, *name, *name_end;
      g_autofree char *key = NULL;

      if (open == NULL)
        {
          if (emit != NULL)
            emit (out, p, strlen (p), NULL, data);
          break;
        }
      if (emit != NULL && open > p)
        emit (out, p, open - p, NULL, data);

      close = strstr (open + 2, "}}");
      if (close == NULL)
        {
          g_set_error (error, PS_MAIL_TEMPLATE_ERROR, PS_MAIL_TEMPLATE_ERROR_SYNTAX,
                       "The %s has a “{{” without its “}}” on line %u",
                       part_names[part], line_of (text, open));
          return FALSE;
        }
      name = open + 2;
      name_end = close;
      while (name < name_end && g_ascii_isspace (*name))
        name++;
      while (name_end > name && g_ascii_isspace (name_end[-1]))
        name_end--;
      if (!is_known (name, name_end - name))
        {
          g_autofree char *known = g_strjoinv (", ", (char **)placeholders);

          key = g_strndup (name, name_end - name);
          g_set_error (error, PS_MAIL_TEMPLATE_ERROR, PS_MAIL_TEMPLATE_ERROR_UNKNOWN_PLACEHOLDER,
                       "Unknown placeholder {{%s}} in the %s on line %u; the known ones are %s",
                       key, part_names[part], line_of (text, open), known);
          return FALSE;
        }
      if (emit != NULL)
        {
          key = g_strndup (name, name_end - name);
          emit (out, NULL, 0, key, data);
        }
      p = close + 2;
    }
  return TRUE;
}

/**
 * ps_mail_template_check:
 * @subject: the subject template
 * @body_html: the HTML fragment template
 * @body_text: the plain-text template
 * @error: return location for a #PsMailTemplateError
 *
 * Checks a template before it is saved: every placeholder known, every
 * "{{" closed, a subject that is not empty.
 *
 * Returns: %TRUE if the template can be saved
 */
gboolean
ps_mail_template_check (const char  *subject,
                        const char  *body_html,
                        const char  *body_text,
                        GError     **error)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (subject != NULL && body_html != NULL && body_text != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (subject));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, PS_MAIL_TEMPLATE_ERROR, PS_MAIL_TEMPLATE_ERROR_SYNTAX,
                           "The subject is empty; write one");
      return FALSE;
    }
  return scan (subject, PART_SUBJECT, NULL, NULL, NULL, error) &&
         scan (body_html, PART_HTML, NULL, NULL, NULL, error) &&
         scan (body_text, PART_TEXT, NULL, NULL, NULL, error);
}

typedef struct
{
  const PsMailContext *context;
  const PsMailBrand   *brand;
  Part                 part;
} RenderState;

static char *
first_name (const char *full)
{
  g_autofree char *copy = g_strstrip (g_strdup (full ? full : ""));
  char *space = strpbrk (copy, " \t");

  if (space != NULL)
    *space = '\0';
  return g_steal_pointer (&copy);
}

static char *
format_date (gint64     t,
             GTimeZone *zone)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) fallback = NULL;

  if (t == 0)
    return g_strdup ("");
  utc = g_date_time_new_from_unix_utc (t);
  if (utc == NULL)
    return g_strdup ("");
  if (zone == NULL)
    zone = fallback = g_time_zone_new_utc ();
  local = g_date_time_to_timezone (utc, zone);
  return g_date_time_format (local, "%A %-d %B %Y");
}

static void
append_item_line (GString          *out,
                  const PsMailItem *item,
                  gboolean          html)
{
  g_autofree char *line = NULL;

  if (item->variant != NULL && *item->variant != '\0')
    line = g_strdup_printf ("%d × %s (%s)", item->quantity, item->name, item->variant);
  else
    line = g_strdup_printf ("%d × %s", item->quantity, item->name);

  if (html)
    {
      g_autofree char *escaped = g_markup_escape_text (line, -1);

      g_string_append_printf (out, "<li>%s</li>\n", escaped);
    }
  else
    g_string_append_printf (out, "- %s\n", line);
}

/* The value of one placeholder, as plain text (items handled apart). */
static char *
plain_value (const RenderState *state,
             const char        *name)
{
  const PsMailContext *c = state->context;

  if (g_str_equal (name, "order_number"))
    return g_strdup (c->order_number ? c->order_number : "");
  if (g_str_equal (name, "customer_name"))
    return g_strdup (c->customer_name ? c->customer_name : "");
  if (g_str_equal (name, "customer_first_name"))
    return first_name (c->customer_name);
  if (g_str_equal (name, "tracking_number"))
    return g_strdup (c->tracking_number ? c->tracking_number : "");
  if (g_str_equal (name, "tracking_link"))
    {
      char *link = ps_mail_tracking_link (c->carrier, c->tracking_number);

      return link ? link : g_strdup ("");
    }
  if (g_str_equal (name, "carrier"))
    return g_strdup (ps_mail_carrier_display_name (c->carrier));
  if (g_str_equal (name, "service"))
    return g_strdup (c->service ? c->service : "");
  if (g_str_equal (name, "estimated_delivery"))
    return format_date (c->estimated_delivery_at, c->time_zone);
  if (g_str_equal (name, "shop_name"))
    return g_strdup (state->brand && state->brand->shop_name ? state->brand->shop_name : "");
  g_assert_not_reached ();
}

static void
emit_cb (GString    *out,
         const char *literal,
         gsize       literal_len,
         const char *name,
         gpointer    data)
{
  const RenderState *state = data;
  g_autofree char *value = NULL;

  if (name == NULL)
    {
      g_string_append_len (out, literal, literal_len);
      return;
    }

  if (g_str_equal (name, "items"))
    {
      GPtrArray *items = state->context->items;
      GString *list = g_string_new (NULL);

      if (state->part == PART_HTML)
        g_string_append (list, "<ul>\n");
      for (guint i = 0; items != NULL && i < items->len; i++)
        append_item_line (list, g_ptr_array_index (items, i), state->part == PART_HTML);
      if (state->part == PART_HTML)
        g_string_append (list, "</ul>");
      else if (list->len > 0)
        g_string_truncate (list, list->len - 1);
      value = g_string_free (list, FALSE);
      if (state->part == PART_SUBJECT)
        g_strdelimit (value, "\r\n", ' ');
      g_string_append (out, value);
      return;
    }

  value = plain_value (state, name);
  switch (state->part)
    {
    case PART_HTML:
      {
        g_autofree char *escaped = g_markup_escape_text (value, -1);

        g_string_append (out, escaped);
      }
      break;
    case PART_SUBJECT:
      g_strdelimit (value, "\r\n\t", ' ');
      g_string_append (out, value);
      break;
    case PART_TEXT:
    default:
      g_string_append (out, value);
      break;
    }
}

static gboolean
valid_color (const char *color)
{
  gsize len;

  if (color == NULL || color[0] != '#')
    return FALSE;
  len = strlen (color + 1);
  if (len != 3 && len != 6)
    return FALSE;
  for (gsize i = 1; i <= len; i++)
    if (!g_ascii_isxdigit (color[i]))
      return FALSE;
  return TRUE;
}

static char *
wrap_html (const char        *subject,
           const char        *fragment,
           const PsMailBrand *brand)
{
  GString *html = g_string_new (NULL);
  g_autofree char *title = g_markup_escape_text (subject, -1);
  g_autofree char *shop = g_markup_escape_text (brand && brand->shop_name ? brand->shop_name : "", -1);
  const char *color = brand && valid_color (brand->color) ? brand->color : DEFAULT_COLOR;

  g_string_append_printf (html,
                          "<!DOCTYPE html>\n"
                          "<html>\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n</head>\n"
                          "<body style=\"margin:0;padding:0;background:#f6f5f4;"
                          "font-family:Cantarell,Helvetica,Arial,sans-serif;color:#241f31\">\n"
                          "<div style=\"max-width:600px;margin:0 auto;background:#ffffff\">\n"
                          "<div style=\"background:%s;color:#ffffff;padding:16px 24px;"
                          "font-size:20px;font-weight:bold\">",
                          title, color);
  if (brand != NULL && brand->logo_cid != NULL)
    {
      g_autofree char *cid = g_markup_escape_text (brand->logo_cid, -1);

      g_string_append_printf (html, "<img src=\"cid:%s\" alt=\"\" style=\"max-height:48px;"
                              "vertical-align:middle;margin-right:12px\">", cid);
    }
  g_string_append_printf (html, "%s</div>\n<div style=\"padding:16px 24px;line-height:1.5\">\n"
                          "%s\n</div>\n</div>\n</body>\n</html>\n", shop, fragment);
  return g_string_free (html, FALSE);
}

/**
 * ps_mail_template_render:
 * @subject: the subject template
 * @body_html: the HTML fragment template
 * @body_text: the plain-text template
 * @context: the order
 * @brand: (nullable): the branded header
 * @error: return location for a #PsMailTemplateError
 *
 * Fills a template in. Pure: no I/O, any thread.
 *
 * Returns: (transfer full) (nullable): the message's subject, text and
 *   HTML, or %NULL when the template is not valid
 */
PsMailRendered *
ps_mail_template_render (const char           *subject,
                         const char           *body_html,
                         const char           *body_text,
                         const PsMailContext  *context,
                         const PsMailBrand    *brand,
                         GError              **error)
{
  g_autoptr(PsMailRendered) rendered = g_new0 (PsMailRendered, 1);
  g_autoptr(GString) out_subject = g_string_new (NULL);
  g_autoptr(GString) out_html = g_string_new (NULL);
  g_autoptr(GString) out_text = g_string_new (NULL);
  RenderState state = { context, brand, PART_SUBJECT };

  g_return_val_if_fail (subject != NULL && body_html != NULL && body_text != NULL, NULL);
  g_return_val_if_fail (context != NULL, NULL);

  if (!scan (subject, PART_SUBJECT, emit_cb, out_subject, &state, error))
    return NULL;
  state.part = PART_HTML;
  if (!scan (body_html, PART_HTML, emit_cb, out_html, &state, error))
    return NULL;
  state.part = PART_TEXT;
  if (!scan (body_text, PART_TEXT, emit_cb, out_text, &state, error))
    return NULL;

  g_strdelimit (out_subject->str, "\r\n", ' ');
  rendered->subject = g_strstrip (g_string_free (g_steal_pointer (&out_subject), FALSE));
  rendered->html = wrap_html (rendered->subject, out_html->str, brand);
  rendered->text = g_string_free (g_steal_pointer (&out_text), FALSE);
  return g_steal_pointer (&rendered);
}
