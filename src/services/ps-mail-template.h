/* ps-mail-template.h: customer email templates with {{placeholders}}
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PS_MAIL_TEMPLATE_ERROR (ps_mail_template_error_quark ())

/**
 * PsMailTemplateError:
 * @PS_MAIL_TEMPLATE_ERROR_UNKNOWN_PLACEHOLDER: a {{name}} that is not one
 *   of ps_mail_template_get_placeholders(); the message names it and the
 *   part (subject, HTML, text) and line it is on
 * @PS_MAIL_TEMPLATE_ERROR_SYNTAX: a "{{" without its "}}", or an empty
 *   subject
 */
typedef enum
{
  PS_MAIL_TEMPLATE_ERROR_UNKNOWN_PLACEHOLDER,
  PS_MAIL_TEMPLATE_ERROR_SYNTAX,
} PsMailTemplateError;

GQuark ps_mail_template_error_quark (void);

/**
 * PsMailItem:
 * @name: the product name
 * @variant: (nullable): the variant ("Large / Blue")
 * @sku: (nullable): the SKU
 * @quantity: how many
 */
typedef struct
{
  char *name;
  char *variant;
  char *sku;
  int   quantity;
} PsMailItem;

PsMailItem *ps_mail_item_new  (const char *name,
                               const char *variant,
                               const char *sku,
                               int         quantity);
void        ps_mail_item_free (PsMailItem *self);

/**
 * PsMailContext:
 * @order_number: the order number as the shop wrote it
 * @customer_name: (nullable): the customer's full name; the first word is
 *   {{customer_first_name}}
 * @items: (element-type PsMailItem): the order's line items
 * @carrier: (nullable): the carrier code ("ups", "usps", "fedex", "dhl", …)
 * @service: (nullable): the service as people read it ("Ground")
 * @tracking_number: (nullable): the shipment's tracking number
 * @estimated_delivery_at: UTC Unix seconds, 0 when not known
 * @time_zone: (nullable): the zone dates are written in; %NULL for UTC
 *
 * What a template is filled in with: one order and its shipment. Plain
 * data, no I/O: the outbox reads it from the store.
 */
typedef struct
{
  char      *order_number;
  char      *customer_name;
  GPtrArray *items;
  char      *carrier;
  char      *service;
  char      *tracking_number;
  gint64     estimated_delivery_at;
  GTimeZone *time_zone;
} PsMailContext;

PsMailContext *ps_mail_context_new  (void);
void           ps_mail_context_free (PsMailContext *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsMailContext, ps_mail_context_free)

/**
 * PsMailBrand:
 * @shop_name: (nullable): the shop's name ({{shop_name}} and the header)
 * @color: (nullable): the header colour, "#rrggbb" or "#rgb"; anything
 *   else falls back to the default blue
 * @logo_cid: (nullable): the Content-ID of an inline logo image the
 *   composer attaches ("logo@postsale"); %NULL for no logo
 *
 * The branded header every HTML part is placed under.
 */
typedef struct
{
  const char *shop_name;
  const char *color;
  const char *logo_cid;
} PsMailBrand;

/**
 * PsMailRendered:
 * @subject: the subject, one line, plain text
 * @text: the plain-text part
 * @html: the complete HTML document (branded header, escaped values)
 */
typedef struct
{
  char *subject;
  char *text;
  char *html;
} PsMailRendered;

void ps_mail_rendered_free (PsMailRendered *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsMailRendered, ps_mail_rendered_free)

const char * const *ps_mail_template_get_placeholders (void);
gboolean            ps_mail_template_check            (const char           *subject,
                                                       const char           *body_html,
                                                       const char           *body_text,
                                                       GError              **error);
PsMailRendered     *ps_mail_template_render           (const char           *subject,
                                                       const char           *body_html,
                                                       const char           *body_text,
                                                       const PsMailContext  *context,
                                                       const PsMailBrand    *brand,
                                                       GError              **error);
char               *ps_mail_tracking_link             (const char           *carrier,
                                                       const char           *tracking_number);
const char         *ps_mail_carrier_display_name      (const char           *carrier);

G_END_DECLS
