-- 0006-email.sql: customer email beyond 0001 (templates, outbox, SMTP).
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0001 already has message_templates and messages (the outbox, dedup_key
-- UNIQUE). What sending them needs on top:
--   * event_id: the event that caused a message (the activity log links it);
--   * message_id: the RFC 5322 Message-ID, fixed when the message is queued
--     (derived from dedup_key), so every attempt and a manual resend carry
--     the same id and a duplicate is recognisable by the receiving side;
--   * lease_until: while status = 'sending', the time after which the
--     sender is presumed dead (process killed, machine off);
--   * data_sent_at: set just before the message body is handed to the SMTP
--     server. A stale 'sending' row without it was never accepted by the
--     server and is retried; one with it may have been accepted, so it is
--     never re-sent blindly (ps-message-store.c).
-- ADD COLUMN with no default rewrites nothing, so this is instant on a
-- database of any size; messages_created is built over the outbox only.

ALTER TABLE messages ADD COLUMN event_id INTEGER;
ALTER TABLE messages ADD COLUMN message_id TEXT;
ALTER TABLE messages ADD COLUMN lease_until INTEGER;
ALTER TABLE messages ADD COLUMN data_sent_at INTEGER;

-- The Outbox view lists the newest messages first.
CREATE INDEX messages_created ON messages (created_at);
-- An order's messages in its details.
CREATE INDEX messages_order ON messages (order_id);

-- Email settings that are not secrets: the SMTP server (host, port,
-- security, user; the password is in the secret service), the sender
-- (from address and name, reply-to) and the branded header (shop name,
-- logo file, colour). Keys are listed in ps-message-store.c.
CREATE TABLE mail_settings (
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;

-- Built-in templates. Placeholders are those of ps-mail-template.c; the
-- HTML part is a fragment placed under the branded header.
INSERT OR IGNORE INTO message_templates (name, subject, body_html, body_text, builtin, updated_at)
VALUES
('shipped',
 'Your order {{order_number}} is on its way',
 '<p>Hi {{customer_first_name}},</p>
<p>Good news: your order <strong>{{order_number}}</strong> has shipped with {{carrier}} ({{service}}).</p>
<p>Tracking number: <a href="{{tracking_link}}">{{tracking_number}}</a><br>
Estimated delivery: {{estimated_delivery}}</p>
<p>What is in the parcel:</p>
{{items}}
<p>Thank you for shopping with {{shop_name}}.</p>',
 'Hi {{customer_first_name}},

Good news: your order {{order_number}} has shipped with {{carrier}} ({{service}}).

Tracking number: {{tracking_number}}
Track it: {{tracking_link}}
Estimated delivery: {{estimated_delivery}}

What is in the parcel:
{{items}}

Thank you for shopping with {{shop_name}}.',
 1, CAST (strftime ('%s', 'now') AS INTEGER)),

('out_for_delivery',
 'Your order {{order_number}} arrives today',
 '<p>Hi {{customer_first_name}},</p>
<p>Your order <strong>{{order_number}}</strong> is out for delivery with {{carrier}} and should arrive today.</p>
<p>Follow it: <a href="{{tracking_link}}">{{tracking_number}}</a></p>
<p>{{shop_name}}</p>',
 'Hi {{customer_first_name}},

Your order {{order_number}} is out for delivery with {{carrier}} and should arrive today.

Follow it: {{tracking_link}} ({{tracking_number}})

{{shop_name}}',
 1, CAST (strftime ('%s', 'now') AS INTEGER)),

('delivered',
 'Your order {{order_number}} was delivered — how did we do?',
 '<p>Hi {{customer_first_name}},</p>
<p>{{carrier}} says your order <strong>{{order_number}}</strong> was delivered.</p>
{{items}}
<p>We would love to hear what you think: just reply to this email and tell us how it went.
If anything is wrong with your order, reply too and we will put it right.</p>
<p>Thank you,<br>{{shop_name}}</p>',
 'Hi {{customer_first_name}},

{{carrier}} says your order {{order_number}} was delivered.

{{items}}

We would love to hear what you think: just reply to this email and tell us how it went.
If anything is wrong with your order, reply too and we will put it right.

Thank you,
{{shop_name}}',
 1, CAST (strftime ('%s', 'now') AS INTEGER)),

('delay',
 'An update on your order {{order_number}}',
 '<p>Hi {{customer_first_name}},</p>
<p>We are sorry: your order <strong>{{order_number}}</strong> has been held up on its way with {{carrier}}.
We are looking into it with the carrier and will write again as soon as it is moving.</p>
<p>You can follow it here: <a href="{{tracking_link}}">{{tracking_number}}</a></p>
<p>If you have any questions, just reply to this email.</p>
<p>With apologies,<br>{{shop_name}}</p>',
 'Hi {{customer_first_name}},

We are sorry: your order {{order_number}} has been held up on its way with {{carrier}}.
We are looking into it with the carrier and will write again as soon as it is moving.

You can follow it here: {{tracking_link}} ({{tracking_number}})

If you have any questions, just reply to this email.

With apologies,
{{shop_name}}',
 1, CAST (strftime ('%s', 'now') AS INTEGER)),

('return_received',
 'We received your return for order {{order_number}}',
 '<p>Hi {{customer_first_name}},</p>
<p>Your return for order <strong>{{order_number}}</strong> has arrived. We will check it and let you know about your refund shortly.</p>
<p>{{shop_name}}</p>',
 'Hi {{customer_first_name}},

Your return for order {{order_number}} has arrived. We will check it and let you know about your refund shortly.

{{shop_name}}',
 1, CAST (strftime ('%s', 'now') AS INTEGER));
