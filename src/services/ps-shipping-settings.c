/* ps-shipping-settings.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What Preferences › Shipping edits: carrier accounts (keys in the
 * keyring), the ship-from address, rate cards from a CSV and package
 * presets. Part of PsShippingService.
 */

#define G_LOG_DOMAIN "ps-shipping-service"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ps-carrier-keyring.h"
#include "ps-carrier-ratecard.h"
#include "ps-rate-table.h"
#include "ps-shipping-service-private.h"

/* Accounts and the ship-from address, for Preferences */

typedef struct
{
  char      *backend;
  char      *name;
  char      *settings;
  char      *api_key;
  gint64     account_id;
  PsAddress *address;
} AccountArgs;

static void
account_args_free (AccountArgs *args)
{
  g_free (args->backend);
  g_free (args->name);
  g_free (args->settings);
  g_free (args->api_key);
  g_clear_pointer (&args->address, ps_address_free);
  g_free (args);
}

static gpointer
list_accounts_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return ps_shipping_store_list_accounts_sync (db, error);
}

/**
 * ps_shipping_service_list_accounts_async:
 * @self: a #PsShippingService
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Lists the carrier accounts (finish returns a #GPtrArray of
 * #PsCarrierAccount).
 */
void
ps_shipping_service_list_accounts_async (PsShippingService   *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  ps_database_run_for_async (_ps_shipping_database (self), self, ps_shipping_service_list_accounts_async, list_accounts_job,
                             NULL, NULL, (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
ps_shipping_service_list_accounts_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_list_accounts_async, error);
}

static gpointer
add_account_job (PsDatabase    *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  AccountArgs *args = data;
  gint64 id = ps_shipping_store_add_account_sync (db, args->backend, args->name, args->settings, error);

  return id > 0 ? g_memdup2 (&id, sizeof id) : NULL;
}

static void
add_account_db_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *id = ps_database_run_finish (PS_DATABASE (object), result, &error);

  if (id == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, *id);
}

static void
key_stored_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!ps_carrier_keyring_store_finish (result, &error))
    {
      g_prefix_error (&error, "The API key could not be kept in the keyring: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ps_database_run_async (_ps_shipping_database (self), add_account_job, g_task_get_task_data (task), NULL, g_free,
                         NULL, add_account_db_cb, g_object_ref (task));
}

/**
 * ps_shipping_service_add_account_async:
 * @self: a #PsShippingService
 * @backend: "sandbox", "ratecard" or "easypost"
 * @name: what the merchant calls the account
 * @api_key: (nullable): the key, kept in the desktop keyring (never in
 *   the _ps_shipping_database)
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 */
void
ps_shipping_service_add_account_async (PsShippingService   *self,
                                       const char          *backend,
                                       const char          *name,
                                       const char          *api_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AccountArgs *args;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));
  g_return_if_fail (backend != NULL && name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_add_account_async);
  args = g_new0 (AccountArgs, 1);
  args->backend = g_strdup (backend);
  args->name = g_strdup (name);
  g_task_set_task_data (task, args, (GDestroyNotify)account_args_free);

  if (g_str_equal (backend, "easypost"))
    {
      g_autofree char *account_id = g_uuid_string_random ();

      if (api_key == NULL || *api_key == '\0')
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                   "Enter the EasyPost API key (test keys start with EZTK, production keys with EZAK)");
          return;
        }
      args->settings = g_strdup_printf ("{\"account_id\":\"%s\"}", account_id);
      ps_carrier_keyring_store_async (backend, account_id, name, api_key, cancellable, key_stored_cb,
                                      g_steal_pointer (&task));
      return;
    }
  args->settings = g_strdup (g_str_equal (backend, "sandbox") ? "{\"seed\":1}" : "{}");
  ps_database_run_async (_ps_shipping_database (self), add_account_job, args, NULL, g_free, cancellable,
                         add_account_db_cb, g_steal_pointer (&task));
}

/**
 * ps_shipping_service_add_account_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: the new account's id, 0 on error
 */
gint64
ps_shipping_service_add_account_finish (PsShippingService  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  gint64 id = g_task_propagate_int (G_TASK (result), error);

  return id > 0 ? id : 0;
}

static gpointer
remove_account_job (PsDatabase    *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  AccountArgs *args = data;

  return ps_shipping_store_remove_account_sync (db, args->account_id, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * ps_shipping_service_remove_account_async:
 * @self: a #PsShippingService
 * @account_id: the account
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Removes the account; shipments bought through it keep their labels.
 */
void
ps_shipping_service_remove_account_async (PsShippingService   *self,
                                          gint64               account_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  AccountArgs *args = g_new0 (AccountArgs, 1);

  args->account_id = account_id;
  g_hash_table_remove (self->carriers, &account_id);
  ps_database_run_for_async (_ps_shipping_database (self), self, ps_shipping_service_remove_account_async, remove_account_job,
                             args, (GDestroyNotify)account_args_free, NULL, cancellable, callback, user_data);
}

gboolean
ps_shipping_service_remove_account_finish (PsShippingService  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_remove_account_async, error) != NULL;
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (ps_carrier_test_connection_finish (PS_CARRIER (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
test_accounts_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  gint64 account_id = *(gint64 *)g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ps_database_run_finish (PS_DATABASE (object), result, &error);

  if (accounts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      PsCarrierAccount *account = g_ptr_array_index (accounts, i);
      PsCarrier *carrier;

      if (account->id != account_id)
        continue;
      /* A fresh carrier: test what the settings and key say now. */
      g_hash_table_remove (self->carriers, &account_id);
      carrier = _ps_shipping_carrier_for_account (self, account, &error);
      if (carrier == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      ps_carrier_test_connection_async (carrier, g_task_get_cancellable (task), tested_cb, g_object_ref (task));
      return;
    }
  g_task_return_new_error (task, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                           "This carrier account no longer exists");
}

/**
 * ps_shipping_service_test_account_async:
 * @self: a #PsShippingService
 * @account_id: the account
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Preferences' Test Connection: reaches the carrier with the account's
 * settings and key.
 */
void
ps_shipping_service_test_account_async (PsShippingService   *self,
                                        gint64               account_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ps_shipping_service_test_account_async);
  g_task_set_task_data (task, g_memdup2 (&account_id, sizeof account_id), g_free);
  ps_database_run_async (_ps_shipping_database (self), list_accounts_job, NULL, NULL, (GDestroyNotify)g_ptr_array_unref,
                         cancellable, test_accounts_cb, task);
}

gboolean
ps_shipping_service_test_account_finish (PsShippingService  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
get_ship_from_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  PsAddress *address = ps_shipping_store_get_ship_from_sync (db, &local_error);

  /* None yet is not an error here: an empty form. */
  if (address == NULL && g_error_matches (local_error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NO_SHIP_FROM))
    return ps_address_new ();
  if (address == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return address;
}

void
ps_shipping_service_get_ship_from_async (PsShippingService   *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  ps_database_run_for_async (_ps_shipping_database (self), self, ps_shipping_service_get_ship_from_async, get_ship_from_job,
                             NULL, NULL, (GDestroyNotify)ps_address_free, cancellable, callback, user_data);
}

/**
 * ps_shipping_service_get_ship_from_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the ship-from address, empty when
 *   none is set
 */
PsAddress *
ps_shipping_service_get_ship_from_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_get_ship_from_async, error);
}

static gpointer
set_ship_from_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  AccountArgs *args = data;

  return ps_shipping_store_set_ship_from_sync (db, args->name, args->address, error) > 0
         ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * ps_shipping_service_set_ship_from_async:
 * @self: a #PsShippingService
 * @address: the new ship-from address (street, city, country required)
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 */
void
ps_shipping_service_set_ship_from_async (PsShippingService   *self,
                                         const PsAddress     *address,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  AccountArgs *args = g_new0 (AccountArgs, 1);

  args->name = g_strdup ("Default");
  args->address = ps_address_copy (address);
  ps_database_run_for_async (_ps_shipping_database (self), self, ps_shipping_service_set_ship_from_async, set_ship_from_job,
                             args, (GDestroyNotify)account_args_free, NULL, cancellable, callback, user_data);
}

gboolean
ps_shipping_service_set_ship_from_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_set_ship_from_async, error) != NULL;
}

/* Rate cards from a CSV */

typedef struct
{
  char   *name;
  char   *currency;
  char   *prefix;
  GBytes *csv;
} RatecardArgs;

static void
ratecard_args_free (RatecardArgs *args)
{
  g_free (args->name);
  g_free (args->currency);
  g_free (args->prefix);
  g_clear_pointer (&args->csv, g_bytes_unref);
  g_free (args);
}

static void
ratecard_parse_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  RatecardArgs *args = task_data;
  g_autoptr(PsRateTable) table = NULL;
  g_autoptr(PsCarrierRatecard) carrier = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (args->csv, &len);

  table = ps_rate_table_parse_csv (data, len, args->currency, NULL, NULL, &error);
  if (table == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  carrier = ps_carrier_ratecard_new (args->name, table, args->prefix, 1, 9);
  settings = ps_carrier_ratecard_dup_settings (carrier);
  node = json_node_init_object (json_node_alloc (), settings);
  g_task_return_pointer (task, json_to_string (node, FALSE), g_free);
}

static void
ratecard_parsed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  RatecardArgs *rargs = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  char *settings = g_task_propagate_pointer (G_TASK (result), &error);
  AccountArgs *args;

  if (settings == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  args = g_new0 (AccountArgs, 1);
  args->backend = g_strdup ("ratecard");
  args->name = g_strdup (rargs->name);
  args->settings = settings;
  g_task_set_task_data (task, args, (GDestroyNotify)account_args_free);
  ps_database_run_async (_ps_shipping_database (self), add_account_job, args, NULL, g_free, NULL, add_account_db_cb,
                         g_object_ref (task));
}

/**
 * ps_shipping_service_add_ratecard_async:
 * @self: a #PsShippingService
 * @name: the carrier's name ("City Courier")
 * @csv: the rate table (service, destination, max_weight, price[, transit_days][, currency])
 * @currency: the prices' currency unless the CSV says
 * @tracking_prefix: what its tracking numbers start with
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Adds a rate-card account; a bad line is reported with its line and
 * column. Finish with ps_shipping_service_add_account_finish().
 */
void
ps_shipping_service_add_ratecard_async (PsShippingService   *self,
                                        const char          *name,
                                        GBytes              *csv,
                                        const char          *currency,
                                        const char          *tracking_prefix,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) parse = NULL;
  RatecardArgs *args;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));
  g_return_if_fail (name != NULL && csv != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_add_account_async);
  args = g_new0 (RatecardArgs, 1);
  args->name = g_strdup (name);
  args->csv = g_bytes_ref (csv);
  args->currency = g_strdup (currency != NULL ? currency : "USD");
  args->prefix = g_strdup (tracking_prefix != NULL ? tracking_prefix : "RC");
  parse = g_task_new (self, cancellable, ratecard_parsed_cb, g_steal_pointer (&task));
  g_task_set_task_data (parse, args, (GDestroyNotify)ratecard_args_free);
  g_task_run_in_thread (parse, ratecard_parse_thread);
}

/* Package presets */

static gpointer
list_presets_job (PsDatabase    *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return ps_shipping_store_list_presets_sync (db, error);
}

/**
 * ps_shipping_service_list_presets_async:
 * @self: a #PsShippingService
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Lists the package presets (finish: #GPtrArray of #PsPackagePreset).
 */
void
ps_shipping_service_list_presets_async (PsShippingService   *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  ps_database_run_for_async (_ps_shipping_database (self), self, ps_shipping_service_list_presets_async, list_presets_job,
                             NULL, NULL, (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
ps_shipping_service_list_presets_finish (PsShippingService  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_list_presets_async, error);
}

typedef struct
{
  PsPackagePreset preset;
  gint64          remove_id;
} PresetArgs;

static void
preset_args_free (PresetArgs *args)
{
  g_free (args->preset.name);
  g_free (args);
}

static gpointer
change_preset_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  PresetArgs *args = data;

  if (args->remove_id != 0)
    return ps_shipping_store_remove_preset_sync (db, args->remove_id, error) ? GINT_TO_POINTER (TRUE) : NULL;
  return ps_shipping_store_add_preset_sync (db, &args->preset, error) > 0 ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * ps_shipping_service_change_preset_async:
 * @self: a #PsShippingService
 * @add: (nullable): a preset to add
 * @remove_id: a preset to remove, when @add is %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 */
void
ps_shipping_service_change_preset_async (PsShippingService     *self,
                                         const PsPackagePreset *add,
                                         gint64                 remove_id,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data)
{
  PresetArgs *args = g_new0 (PresetArgs, 1);

  if (add != NULL)
    {
      args->preset = *add;
      args->preset.name = g_strdup (add->name);
    }
  else
    args->remove_id = remove_id;
  ps_database_run_for_async (_ps_shipping_database (self), self, ps_shipping_service_change_preset_async, change_preset_job,
                             args, (GDestroyNotify)preset_args_free, NULL, cancellable, callback, user_data);
}

gboolean
ps_shipping_service_change_preset_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_change_preset_async, error) != NULL;
}

/* Per-SKU defaults */

typedef struct
{
  char   *sku;
  gint64  weight_grams;
  gint64  preset_id;
} SkuArgs;

static void
sku_args_free (SkuArgs *args)
{
  g_free (args->sku);
  g_free (args);
}

static gpointer
set_sku_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  SkuArgs *args = data;

  return ps_shipping_store_set_sku_default_sync (db, args->sku, args->weight_grams, args->preset_id, error)
         ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * ps_shipping_service_set_sku_default_async:
 * @self: a #PsShippingService
 * @sku: the SKU
 * @weight_grams: the weight of one, 0 to use what the shop exports
 * @preset_id: the package it ships in, 0 for none
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * What the rate selector starts from for orders with this SKU.
 */
void
ps_shipping_service_set_sku_default_async (PsShippingService   *self,
                                           const char          *sku,
                                           gint64               weight_grams,
                                           gint64               preset_id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  SkuArgs *args;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));
  g_return_if_fail (sku != NULL && *sku != '\0');

  args = g_new0 (SkuArgs, 1);
  args->sku = g_strstrip (g_strdup (sku));
  args->weight_grams = weight_grams;
  args->preset_id = preset_id;
  ps_database_run_for_async (_ps_shipping_database (self), self, ps_shipping_service_set_sku_default_async,
                             set_sku_job, args, (GDestroyNotify)sku_args_free, NULL, cancellable, callback,
                             user_data);
}

gboolean
ps_shipping_service_set_sku_default_finish (PsShippingService  *self,
                                            GAsyncResult       *result,
                                            GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_set_sku_default_async, error) != NULL;
}
