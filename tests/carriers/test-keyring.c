/* test-keyring.c: carrier API keys in a real gnome-keyring over D-Bus
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs inside build-aux/ci-session.sh (a private session bus with an
 * unlocked throw-away keyring; tests/carriers/meson.build wraps it). A
 * keyring that cannot be reached is a failure, never a skip.
 */

#define G_LOG_DOMAIN "test-keyring"

#include "config.h"

#include <libsoup/soup.h>

#include "carrier-test.h"
#include "ps-carrier-easypost.h"
#include "ps-carrier-keyring.h"

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  return carrier_test_wait (slot);
}

static gboolean
store (const char  *account,
       const char  *key,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_carrier_keyring_store_async ("easypost", account, "Shop", key, NULL,
                                  carrier_test_result_cb, &result);
  return ps_carrier_keyring_store_finish (wait_for (&result), error);
}

static char *
lookup (const char  *account,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_carrier_keyring_lookup_async ("easypost", account, NULL, carrier_test_result_cb, &result);
  return ps_carrier_keyring_lookup_finish (wait_for (&result), error);
}

static gboolean
delete (const char  *account,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_carrier_keyring_delete_async ("easypost", account, NULL, carrier_test_result_cb, &result);
  return ps_carrier_keyring_delete_finish (wait_for (&result), error);
}

static void
test_store_lookup_delete (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *replaced = NULL;
  g_autofree char *other = NULL;
  g_autofree char *gone = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    g_error ("no session bus: run this test under build-aux/ci-session.sh");

  g_assert_true (store ("1", "EZTK_first", &error));
  g_assert_no_error (error);
  first = lookup ("1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "EZTK_first");

  /* Storing again replaces; accounts do not see each other's keys. */
  g_assert_true (store ("1", "EZAK_second", &error));
  g_assert_no_error (error);
  replaced = lookup ("1", &error);
  g_assert_cmpstr (replaced, ==, "EZAK_second");
  other = lookup ("2", &error);
  g_assert_no_error (error);
  g_assert_null (other);

  g_assert_true (delete ("1", &error));
  g_assert_no_error (error);
  gone = lookup ("1", &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  g_assert_false (delete ("1", &error));
  g_assert_no_error (error);
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  g_free (*(char **) user_data);
  *(char **) user_data = g_strdup (soup_message_headers_get_one (
    soup_server_message_get_request_headers (msg), "Authorization"));
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
}

/* The EasyPost backend built from settings reads its key from the keyring. */
static void
test_easypost_reads_key (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(PsCarrier) carrier = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *base = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, on_request, &auth, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL));
  uris = soup_server_get_uris (server);
  base = g_strdup_printf ("http://127.0.0.1:%d/v2", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_assert_true (store ("7", "EZTK_from_keyring", &error));
  g_assert_no_error (error);
  json_object_set_string_member (settings, "account_id", "7");
  json_object_set_string_member (settings, "base_url", base);
  carrier = ps_carrier_new_for_backend ("easypost", settings, &error);
  g_assert_no_error (error);

  g_assert_true (carrier_test_connection (carrier, &error));
  g_assert_no_error (error);
  /* base64 ("EZTK_from_keyring:") */
  g_assert_cmpstr (auth, ==, "Basic RVpUS19mcm9tX2tleXJpbmc6");

  g_clear_object (&carrier);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (server);
}

/* LeakSanitizer (the ASan run of build-aux/test.sh) calls this: one-time
 * allocations that are not ours, kept by GDBus's worker thread and by
 * libsoup's listening socket and the sockets it accepts (the loopback
 * fixture server side, not the carrier). */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:g_dbus_message_new_from_blob\nleak:soup_server_listen_local\nleak:g_socket_accept\n";
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* No G_TEST_OPTION_ISOLATE_DIRS: the keyring daemon was started for
   * this session's HOME, which ci-session.sh already made throw-away. */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/carriers/keyring/store-lookup-delete", test_store_lookup_delete);
  g_test_add_func ("/carriers/keyring/easypost-reads-key", test_easypost_reads_key);

  return g_test_run ();
}
