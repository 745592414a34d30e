/* ps-carrier-keyring.h: carrier API keys in the desktop secret service
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      ps_carrier_keyring_store_async   (const char           *backend,
                                            const char           *account_id,
                                            const char           *account_name,
                                            const char           *api_key,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  ps_carrier_keyring_store_finish  (GAsyncResult         *result,
                                            GError              **error);
void      ps_carrier_keyring_lookup_async  (const char           *backend,
                                            const char           *account_id,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char     *ps_carrier_keyring_lookup_finish (GAsyncResult         *result,
                                            GError              **error);
void      ps_carrier_keyring_delete_async  (const char           *backend,
                                            const char           *account_id,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean  ps_carrier_keyring_delete_finish (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
