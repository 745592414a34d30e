/* ps-cli-private.h: what the postsale-cli subcommands share
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ps-context.h"

G_BEGIN_DECLS

/* Exit codes: 0 success, 1 the operation failed, 2 bad usage or input. */
#define PS_CLI_EXIT_FAILED 1
#define PS_CLI_EXIT_USAGE  2

typedef struct
{
  char     *db_path;
  gboolean  json;
} PsCliGlobals;

typedef int (*PsCliCommandFunc) (PsCliGlobals  *globals,
                                 int            argc,
                                 char         **argv);

typedef struct
{
  const char       *name;
  PsCliCommandFunc  func;
  const char       *summary;
} PsCliCommand;

GOptionContext *_ps_cli_option_context_new (PsCliGlobals       *globals,
                                            const char         *command,
                                            const char         *parameters,
                                            const char         *summary,
                                            const GOptionEntry *entries);
gboolean        _ps_cli_parse              (GOptionContext     *context,
                                            int                *argc,
                                            char             ***argv,
                                            int                *exit_code);
PsContext      *_ps_cli_open               (PsCliGlobals       *globals,
                                            int                *exit_code);
int             _ps_cli_fail               (int                 exit_code,
                                            const char         *format,
                                            ...) G_GNUC_PRINTF (2, 3);
void            _ps_cli_print_json         (JsonBuilder        *builder);
gboolean        _ps_cli_parse_time         (const char         *text,
                                            gint64             *t);
void            _ps_cli_result_cb          (GObject            *object,
                                            GAsyncResult       *result,
                                            gpointer            user_data);
GSource        *_ps_cli_cancel_on_sigint   (GMainContext       *main_context,
                                            GCancellable       *cancellable);
void            _ps_cli_wait               (GMainContext       *main_context,
                                            GAsyncResult      **result);
gboolean        _ps_cli_check_selection    (const char         *command,
                                            const char         *filter_json,
                                            const char         *saved,
                                            const char         *sort_text,
                                            PsCondition       **condition,
                                            PsOrderSort        *sort,
                                            int                *exit_code);
PsCondition    *_ps_cli_saved_condition_sync (PsDatabase       *db,
                                            const char         *name,
                                            gboolean           *input_error,
                                            GError            **error);

int             _ps_cli_demo               (PsCliGlobals       *globals,
                                            int                 argc,
                                            char              **argv);
int             _ps_cli_import             (PsCliGlobals       *globals,
                                            int                 argc,
                                            char              **argv);
int             _ps_cli_mappings           (PsCliGlobals       *globals,
                                            int                 argc,
                                            char              **argv);
int             _ps_cli_orders             (PsCliGlobals       *globals,
                                            int                 argc,
                                            char              **argv);
int             _ps_cli_filters            (PsCliGlobals       *globals,
                                            int                 argc,
                                            char              **argv);
int             _ps_cli_export             (PsCliGlobals       *globals,
                                            int                 argc,
                                            char              **argv);

G_END_DECLS
