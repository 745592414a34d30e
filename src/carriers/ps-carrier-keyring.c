/* ps-carrier-keyring.c: carrier API keys in the desktop secret service
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys never go to SQLite, GSettings or files (DESIGN.md): each carrier
 * account's key is one secret-service item with the attributes "backend"
 * and "account" (the carrier_accounts id). libsecret's async calls run
 * over D-Bus, so none of this blocks the main loop.
 */

#define G_LOG_DOMAIN "ps-carrier-keyring"

#include "config.h"

#include <libsecret/secret.h>

#include "ps-carrier-keyring.h"

static const SecretSchema *
carrier_key_schema (void)
{
  static const SecretSchema schema = {
    "com.example.Postsale.CarrierKey", SECRET_SCHEMA_NONE,
    {
      { "backend", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

/* The secret service's errors say "the bus" or "the object": say what to do. */
static void
return_error (GTask  *task,
              GError *error,
              const char *what)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_new_error (task, error->domain, error->code,
                           "Could not %s the carrier key in the keyring (%s): check that "
                           "the desktop keyring is running and unlocked", what, error->message);
  g_error_free (error);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_error (task, error, "store");
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * ps_carrier_keyring_store_async:
 * @backend: the backend ("easypost")
 * @account_id: the carrier account's id
 * @account_name: the account's name, for the label people see in Seahorse
 * @api_key: the key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Stores (or replaces) the key of one carrier account in the default
 * collection.
 */
void
ps_carrier_keyring_store_async (const char          *backend,
                                const char          *account_id,
                                const char          *account_name,
                                const char          *api_key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  g_autofree char *label = NULL;

  g_return_if_fail (backend != NULL && account_id != NULL && api_key != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_carrier_keyring_store_async);
  label = g_strdup_printf ("Postsale: %s API key (%s)", backend,
                           account_name ? account_name : account_id);
  secret_password_store (carrier_key_schema (), SECRET_COLLECTION_DEFAULT, label, api_key,
                         cancellable, store_cb, task,
                         "backend", backend, "account", account_id, NULL);
}

/**
 * ps_carrier_keyring_store_finish:
 * @result: the result
 * @error: a #GError
 *
 * Returns: %TRUE if stored
 */
gboolean
ps_carrier_keyring_store_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *key = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    return_error (task, error, "read");
  else
    {
      char *copy = g_strdup (key);

      secret_password_free (key);
      g_task_return_pointer (task, copy, g_free);
    }
}

/**
 * ps_carrier_keyring_lookup_async:
 * @backend: the backend
 * @account_id: the carrier account's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reads the key of one carrier account.
 */
void
ps_carrier_keyring_lookup_async (const char          *backend,
                                 const char          *account_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (backend != NULL && account_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_carrier_keyring_lookup_async);
  secret_password_lookup (carrier_key_schema (), cancellable, lookup_cb, task,
                          "backend", backend, "account", account_id, NULL);
}

/**
 * ps_carrier_keyring_lookup_finish:
 * @result: the result
 * @error: a #GError when the keyring cannot be reached
 *
 * Returns: (transfer full) (nullable): the key; %NULL with @error unset
 *   when the account has none
 */
char *
ps_carrier_keyring_lookup_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
delete_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean removed = secret_password_clear_finish (result, &error);

  if (error != NULL)
    return_error (task, error, "delete");
  else
    g_task_return_boolean (task, removed);
}

/**
 * ps_carrier_keyring_delete_async:
 * @backend: the backend
 * @account_id: the carrier account's id
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Deletes the key of one carrier account (when the account is removed).
 */
void
ps_carrier_keyring_delete_async (const char          *backend,
                                 const char          *account_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (backend != NULL && account_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_carrier_keyring_delete_async);
  secret_password_clear (carrier_key_schema (), cancellable, delete_cb, task,
                         "backend", backend, "account", account_id, NULL);
}

/**
 * ps_carrier_keyring_delete_finish:
 * @result: the result
 * @error: a #GError
 *
 * Returns: %TRUE if a key was deleted, %FALSE (without @error) if there was
 *   none
 */
gboolean
ps_carrier_keyring_delete_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
