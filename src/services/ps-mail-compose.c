/* ps-mail-compose.c: a customer email as MIME, with GMime
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The shape:
 *
 *   multipart/alternative
 *     text/plain; charset=utf-8 (quoted-printable)
 *     text/html; charset=utf-8 (quoted-printable)
 *       or multipart/related (the HTML, then the logo as an inline image
 *       its <img src="cid:…"> points at)
 *
 * Headers with UTF-8 (subject, display names) are RFC 2047 encoded by
 * GMime; lines end in CRLF as SMTP wants. The Message-ID comes from the
 * message's dedup key, so every attempt and a resend carry the same one.
 */

#define G_LOG_DOMAIN "ps-mail-compose"

#include "config.h"

#include <gmime/gmime.h>
#include <string.h>

#include "ps-mail-compose.h"

static gpointer
init_gmime (gpointer data)
{
  g_mime_init ();
  return NULL;
}

static void
ensure_gmime (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, init_gmime, NULL);
}

/**
 * ps_mail_make_message_id:
 * @dedup_key: the message's dedup key
 * @from_address: (nullable): the sender; its domain ends the id
 *
 * The same key always gives the same id: "<32 hex digits@domain>", with
 * "postsale.invalid" as the domain when there is no sender yet.
 *
 * Returns: (transfer full): the Message-ID with its angle brackets
 */
char *
ps_mail_make_message_id (const char *dedup_key,
                         const char *from_address)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, dedup_key, -1);
  const char *at = from_address ? strrchr (from_address, '@') : NULL;
  g_autofree char *domain = NULL;

  if (at != NULL && at[1] != '\0' && strpbrk (at + 1, "<> \r\n\"") == NULL)
    domain = g_ascii_strdown (at + 1, -1);
  else
    domain = g_strdup ("postsale.invalid");
  hash[32] = '\0';
  return g_strdup_printf ("<%s.postsale@%s>", hash, domain);
}

/* Always UTF-8 (the HTML says so in its <meta> too), quoted-printable. */
static GMimeTextPart *
text_part (const char *subtype,
           const char *text)
{
  GMimeTextPart *part = g_mime_text_part_new_with_subtype (subtype);
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  GMimeDataWrapper *wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);

  g_mime_part_set_content (GMIME_PART (part), wrapper);
  g_mime_text_part_set_charset (part, "utf-8");
  g_mime_part_set_content_encoding (GMIME_PART (part), GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
  g_object_unref (wrapper);
  g_object_unref (stream);
  return part;
}

static GMimePart *
logo_part (const char *path,
           const char *cid)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime = NULL;
  g_auto(GStrv) parts = NULL;
  GMimeStream *stream;
  GMimeDataWrapper *wrapper;
  GMimePart *part;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, &error))
    {
      g_warning ("The email logo was left out: %s", error->message);
      return NULL;
    }
  content_type = g_content_type_guess (path, (const guchar *)data, len, NULL);
  mime = g_content_type_get_mime_type (content_type);
  if (mime == NULL || !g_str_has_prefix (mime, "image/"))
    {
      g_warning ("The email logo %s was left out: it is not an image", path);
      return NULL;
    }
  parts = g_strsplit (mime, "/", 2);
  part = g_mime_part_new_with_type (parts[0], parts[1]);
  stream = g_mime_stream_mem_new_with_buffer (data, len);
  wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);
  g_mime_part_set_content (part, wrapper);
  g_object_unref (wrapper);
  g_object_unref (stream);
  g_mime_part_set_content_encoding (part, GMIME_CONTENT_ENCODING_BASE64);
  g_mime_object_set_content_id (GMIME_OBJECT (part), cid);
  g_mime_object_set_disposition (GMIME_OBJECT (part), GMIME_DISPOSITION_INLINE);
  g_mime_part_set_filename (part, "logo");
  return part;
}

/* SMTP wants CRLF everywhere; GMime writes content with the newlines it
 * was given. */
static GBytes *
to_crlf (const guint8 *data,
         gsize         len)
{
  GByteArray *out = g_byte_array_sized_new (len + len / 40 + 2);

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
        g_byte_array_append (out, (const guint8 *)"\r", 1);
      g_byte_array_append (out, &data[i], 1);
    }
  if (out->len < 2 || out->data[out->len - 1] != '\n')
    g_byte_array_append (out, (const guint8 *)"\r\n", 2);
  return g_byte_array_free_to_bytes (out);
}

/**
 * ps_mail_compose:
 * @draft: the message
 * @error: return location for an error
 *
 * Builds the message. Reads the logo file, if any: not on the main thread.
 *
 * Returns: (transfer full) (nullable): the message bytes, CRLF line ends
 */
GBytes *
ps_mail_compose (const PsMailDraft  *draft,
                 GError            **error)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *message_id = NULL;
  GMimeMessage *message;
  GMimeTextPart *plain;
  GMimeStream *stream;
  GMimeFormatOptions *options;
  GByteArray *bytes;
  GBytes *result = NULL;

  g_return_val_if_fail (draft != NULL, NULL);

  if (draft->from_address == NULL || draft->to_address == NULL || draft->subject == NULL ||
      draft->text == NULL || draft->message_id == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "A message needs a sender, a recipient, a subject, a text and a Message-ID");
      return NULL;
    }

  ensure_gmime ();
  message = g_mime_message_new (TRUE);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, draft->from_name, draft->from_address);
  if (draft->reply_to != NULL && *draft->reply_to != '\0')
    g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_REPLY_TO, NULL, draft->reply_to);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, draft->to_name, draft->to_address);
  g_mime_message_set_subject (message, draft->subject, "utf-8");
  date = g_date_time_new_from_unix_utc (draft->date);
  g_mime_message_set_date (message, date);
  message_id = g_strdup (draft->message_id[0] == '<' ? draft->message_id + 1 : draft->message_id);
  if (g_str_has_suffix (message_id, ">"))
    message_id[strlen (message_id) - 1] = '\0';
  g_mime_message_set_message_id (message, message_id);
  /* RFC 3834: tells autoresponders not to answer a notification. */
  g_mime_object_set_header (GMIME_OBJECT (message), "Auto-Submitted", "auto-generated", NULL);

  plain = text_part ("plain", draft->text);
  if (draft->html == NULL)
    g_mime_message_set_mime_part (message, GMIME_OBJECT (plain));
  else
    {
      GMimeTextPart *html = text_part ("html", draft->html);
      GMimeMultipart *alternative = g_mime_multipart_new_with_subtype ("alternative");
      GMimePart *logo = NULL;

      g_mime_multipart_add (alternative, GMIME_OBJECT (plain));
      if (draft->logo_path != NULL && draft->logo_cid != NULL)
        logo = logo_part (draft->logo_path, draft->logo_cid);
      if (logo != NULL)
        {
          GMimeMultipart *related = g_mime_multipart_new_with_subtype ("related");

          g_mime_object_set_content_type_parameter (GMIME_OBJECT (related), "type", "text/html");
          g_mime_multipart_add (related, GMIME_OBJECT (html));
          g_mime_multipart_add (related, GMIME_OBJECT (logo));
          g_mime_multipart_add (alternative, GMIME_OBJECT (related));
          g_object_unref (related);
          g_object_unref (logo);
        }
      else
        g_mime_multipart_add (alternative, GMIME_OBJECT (html));
      g_mime_message_set_mime_part (message, GMIME_OBJECT (alternative));
      g_object_unref (alternative);
      g_object_unref (html);
    }
  g_object_unref (plain);

  options = g_mime_format_options_new ();
  g_mime_format_options_set_newline_format (options, GMIME_NEWLINE_FORMAT_DOS);
  stream = g_mime_stream_mem_new ();
  if (g_mime_object_write_to_stream (GMIME_OBJECT (message), options, stream) < 0)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write the message");
  else
    {
      bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
      result = to_crlf (bytes->data, bytes->len);
    }
  g_mime_format_options_free (options);
  g_object_unref (stream);
  g_object_unref (message);
  return result;
}
